"""The fit check: each requirement rule at its edges, the verdict, the profile's round trip,
bad answers on the form, the list filtered and sorted by fit, and fixed query counts."""

import datetime
import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.http import QueryDict

from programs.fit import SESSION_KEY, Profile, ProfileForm, Status, fit
from tests.factories import cite, make_program, make_source, make_sourced_program
from tests.pages import made_again

pytestmark = pytest.mark.django_db


def line(program, rule, **answers):
    from programs.fit import rules

    return getattr(rules, f"check_{rule}")(program, Profile(**answers))


# --- Each rule: meets, bridge, does not meet, unknown, not checked ----------------------


@pytest.mark.parametrize(
    "gpa, status", [("3.00", Status.MEETS), ("3.01", Status.MEETS), ("2.99", Status.GAP)]
)
def test_gpa_at_the_minimum_meets_it_and_below_it_is_a_gap(gpa, status):
    program = make_sourced_program(min_gpa=Decimal("3.00"))
    found = line(program, "gpa", gpa=Decimal(gpa))
    assert found.status == status
    assert found.citation is not None
    if status == Status.GAP:
        assert "at least 3.00 (yours: 2.99)" in found.text


def test_gpa_without_a_source_is_unknown_and_says_what_is_not_reported():
    program = make_program(min_gpa=Decimal("3.00"))  # a value, but no source
    found = line(program, "gpa", gpa=Decimal("3.5"))
    assert found.status == Status.UNKNOWN
    assert found.missing == "a minimum GPA"


def test_a_question_left_blank_is_not_checked():
    program = make_sourced_program(min_gpa=Decimal("3.00"))
    assert line(program, "gpa").status == Status.NOT_CHECKED


@pytest.mark.parametrize(
    "required, yours, status, text",
    [
        (0, 0, Status.MEETS, "None required."),
        (2, 2, Status.MEETS, ""),
        (2, 1, Status.GAP, "1 more year would close the gap"),
        (3, 0, Status.GAP, "3 more years would close the gap"),
    ],
)
def test_experience_rule_at_its_edges(required, yours, status, text):
    program = make_sourced_program(healthcare_experience_years=required)
    found = line(program, "experience", experience=yours)
    assert found.status == status
    assert text in found.text


@pytest.mark.parametrize(
    "needed, yours, status",
    [
        ("none", "none", Status.MEETS),
        ("bridge", "none", Status.BRIDGE),
        ("bridge", "some", Status.MEETS),
        ("required", "some", Status.MEETS),
        ("required", "regular", Status.MEETS),
        ("required", "none", Status.GAP),
        ("", "none", Status.UNKNOWN),
    ],
)
def test_programming_rule(needed, yours, status):
    program = make_sourced_program(programming_background=needed)
    found = line(program, "programming", programming=yours)
    assert found.status == status
    if status == Status.GAP:
        assert "introductory programming course" in found.text


@pytest.mark.parametrize(
    "required, yours, status",
    [
        (False, "no", Status.MEETS),
        (True, "yes", Status.MEETS),
        (True, "no", Status.GAP),
        (None, "yes", Status.UNKNOWN),
    ],
)
def test_statistics_rule(required, yours, status):
    program = make_sourced_program(statistics_prerequisite=required)
    assert line(program, "statistics", statistics=yours).status == status


@pytest.mark.parametrize(
    "gre, yours, status",
    [
        ("not_required", "no", Status.MEETS),
        ("optional", "no", Status.MEETS),
        ("required", "yes", Status.MEETS),
        ("required", "no", Status.GAP),
        ("", "yes", Status.UNKNOWN),
    ],
)
def test_gre_rule(gre, yours, status):
    program = make_sourced_program(gre=gre)
    assert line(program, "gre", gre=yours).status == status


@pytest.mark.parametrize(
    "budget, status", [("40000", Status.MEETS), ("40001", Status.MEETS), ("39999", Status.GAP)]
)
def test_budget_counts_tuition_and_fees(budget, status):
    program = make_sourced_program(tuition_total=Decimal(38000), fees_total=Decimal(2000))
    found = line(program, "budget", budget=Decimal(budget))
    assert found.status == status
    if status == Status.GAP:
        assert "$40,000 in tuition and fees (your budget: $39,999)" in found.text
        assert "scholarship of $1 would close the gap" in found.text


def test_budget_uses_rate_per_credit_times_credits():
    program = make_sourced_program(tuition_per_credit=Decimal(1000), credits=30)
    assert line(program, "budget", budget=Decimal(30000)).status == Status.MEETS
    assert line(program, "budget", budget=Decimal(29999)).status == Status.GAP


def test_budget_is_unknown_without_a_cost_or_in_another_currency():
    assert line(make_program(), "budget", budget=Decimal(1)).missing == "total tuition"
    rate_only = make_sourced_program(tuition_per_credit=Decimal(1000))
    assert line(rate_only, "budget", budget=Decimal(1)).missing == "credits to graduate"
    pounds = make_sourced_program(tuition_total=Decimal(20000), currency="GBP")
    found = line(pounds, "budget", budget=Decimal(90000))
    assert found.status == Status.UNKNOWN
    assert "does not convert currencies" in found.text


def test_pace_rule_reads_the_duration_or_the_paces_offered():
    timed = make_sourced_program(months_part_time=30)
    assert line(timed, "pace", pace="part_time").status == Status.MEETS
    assert "30 months part-time" in line(timed, "pace", pace="part_time").text
    full_only = make_sourced_program(paces=["full_time"])
    gap = line(full_only, "pace", pace="part_time")
    assert gap.status == Status.GAP
    assert "not offered part-time" in gap.text
    assert line(make_program(), "pace", pace="part_time").status == Status.UNKNOWN


def test_format_rule():
    program = make_sourced_program(delivery_format="campus")
    assert line(program, "format", formats=("campus", "online")).status == Status.MEETS
    assert line(program, "format", formats=("online",)).status == Status.GAP
    assert line(make_program(), "format", formats=("online",)).status == Status.UNKNOWN


@pytest.mark.parametrize(
    "stated, field, role, status",
    [
        ("any field", "nursing", "", Status.MEETS),
        ("Any subject, including non-quantitative ones", "business", "", Status.MEETS),
        ("nursing, medicine, public health", "nursing", "", Status.MEETS),
        ("computer science or engineering", "nursing", "rn", Status.UNKNOWN),
        ("health-related professionals considered on merit", "other", "rn", Status.MEETS),
        ("health-related professionals considered on merit", "other", "other", Status.UNKNOWN),
        # "any health-sciences field" is not "any field"; a life scientist is not named.
        ("any health-sciences field (medicine, nursing)", "life_sciences", "", Status.UNKNOWN),
    ],
)
def test_bachelor_field_rule(stated, field, role, status):
    program = make_sourced_program(accepted_bachelor_fields=stated)
    found = line(program, "bachelor", bachelor_field=field, role=role)
    assert found.status == status
    if status == Status.UNKNOWN:
        assert stated in found.text  # says what the program names


# --- The verdict ----------------------------------------------------------------------------


def test_verdicts_in_order_gap_then_unknown_then_bridge():
    program = make_sourced_program(
        min_gpa=Decimal("3.0"), programming_background="bridge", gre="required"
    )
    bridge = fit(program, Profile(gpa=Decimal("3.5"), programming="none", gre="yes"))
    assert bridge.status == Status.BRIDGE
    assert bridge.verdict == "meets them with a bridge course"
    unknown = fit(program, Profile(gpa=Decimal("3.5"), programming="none", statistics="no"))
    assert unknown.verdict == (
        "unknown: the program does not report whether it requires a statistics course"
    )
    gap = fit(program, Profile(gpa=Decimal("2.5"), programming="none", statistics="no", gre="no"))
    assert gap.status == Status.GAP
    assert gap.verdict.startswith("does not meet: a GPA of at least 3.00 (yours: 2.50)")
    assert "taking the GRE would close the gap" in gap.verdict
    meets = fit(program, Profile(gpa=Decimal("3.5"), programming="regular", gre="yes"))
    assert meets.verdict == "meets the stated requirements"


# --- The profile: query string, session, bad values -----------------------------------------

ANSWERS = {
    "role": "rn",
    "bachelor_field": "nursing",
    "gpa": "3.4",
    "experience": "6",
    "programming": "none",
    "statistics": "yes",
    "gre": "no",
    "budget": "45000",
    "pace": "part_time",
    "formats": ["online", "hybrid"],
}


def test_profile_round_trips_through_the_query_string():
    profile, form = Profile.from_query(QueryDict(urlencode(ANSWERS, doseq=True)))
    assert form.is_valid()
    assert profile.gpa == Decimal("3.4") and profile.formats == ("online", "hybrid")
    again, _ = Profile.from_query(QueryDict(profile.query_string()))
    assert again == profile


def test_fit_page_keeps_the_answers_in_the_session_and_offers_a_link(client):
    make_sourced_program(title="Nursing AI", min_gpa=Decimal("3.0"))
    response = client.get("/fit/", ANSWERS)
    assert response.status_code == 200
    assert client.session[SESSION_KEY] == response.context["profile"].query_string()
    content = response.content.decode()
    assert "Nursing AI" in content
    assert "/fit/?role=rn&amp;bachelor_field=nursing" in content
    # Back without a query string: the form shows the saved answers.
    again = client.get("/fit/")
    assert again.context["form"].initial["gpa"] == "3.4"
    # Forgetting them empties the session.
    client.post("/fit/forget/")
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("gpa", "9", "GPA is on a 4.0 scale: enter a number from 0 to 4."),
        ("gpa", "-3", "A GPA cannot be below 0."),
        ("gpa", "three", "Enter your GPA as a number, such as 3.2."),
        ("experience", "-3", "Years cannot be negative: enter 0 or more."),
        ("experience", "lots", "Enter whole years, such as 4."),
        ("budget", "abc", "Enter whole dollars using digits only, such as 40000."),
        ("role", "wizard", "Select a valid choice."),
    ],
)
def test_bad_answers_are_reported_on_the_form_and_kept(client, name, value, message):
    response = client.get("/fit/", {**ANSWERS, name: value})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Error:" in content
    assert message in content
    assert f'value="{value}"' in content or name == "role"  # what was typed stays
    assert SESSION_KEY not in client.session  # a profile with a bad answer is not saved


def test_the_answer_comes_first_and_the_answers_fold_away(client):
    make_sourced_program(title="Nursing AI", min_gpa=Decimal("3.0"))
    content = client.get("/fit/", ANSWERS).content.decode()
    # Submitting lands on the verdicts: the form's action carries their anchor.
    assert 'action="/fit/#fit-results"' in content
    results = content.index('id="fit-results"')
    answers = content.index('<details class="fit-answers"><summary>Change my answers</summary>')
    assert results < answers < content.index('class="fit-form"')
    # A one-line summary by verdict, each leading to its group.
    assert re.search(r'<ul class="fit-counts"[^>]*>\s*<li><a href="#fit-', content)


def test_with_a_bad_answer_the_form_stays_open_and_first(client):
    content = client.get("/fit/", {**ANSWERS, "gpa": "9"}).content.decode()
    assert 'id="fit-results"' not in content
    assert "Change my answers" not in content
    assert content.index("error-summary") < content.index('class="fit-form"')


def test_results_are_grouped_meets_first_and_stay_small(client, settings):
    from programs.views import FIT_SHOWN_PER_VERDICT

    source = make_source()
    for n in range(40):
        make_sourced_program(title=f"Needs GRE {n:02}", source=source, gre="required")
    for n in range(30):
        make_sourced_program(title=f"Fits {n:02}", source=source, gre="not_required")
    response = client.get("/fit/", {"gre": "no"})
    content = response.content.decode()
    groups = [group["status"] for group in response.context["groups"]]
    assert groups[0] == "meets" and groups[-1] == "gap"
    assert content.index('id="fit-meets"') < content.index('id="fit-gap"')
    # Each group shows its first programs and leads to the rest in the list.
    assert content.count("<h4>") == FIT_SHOWN_PER_VERDICT * len(groups)
    assert (
        'href="/programs/?fit=gap&amp;sort=fit">All 40 “does not meet” in the program list'
        in content
    )
    assert len(response.content) < 60_000


def test_profile_form_accepts_an_empty_form():
    assert ProfileForm({}).is_valid()


# --- The list: fit on every card, filtered and sorted by fit ---------------------------------


def catalogue():
    source = make_source()
    fits = make_sourced_program(
        title="A fits", source=source, gre="not_required", programming_background="none"
    )
    gap = make_sourced_program(title="B needs GRE", source=source, gre="required")
    bridge = make_sourced_program(title="C bridge", source=source, gre="not_required")
    bridge.programming_background = "bridge"
    bridge.save()
    cite(bridge, "programming_background", source)
    unknown = make_program(title="D unreported")
    return fits, gap, bridge, unknown


def save_profile(client, **answers):
    client.get("/fit/", answers)


def test_list_shows_each_programs_fit_once_a_profile_is_saved(client):
    catalogue()
    assert "fit-verdict" not in client.get("/programs/").content.decode()
    save_profile(client, gre="no", programming="none")
    content = client.get("/programs/").content.decode()
    assert content.count('class="fit-verdict"') == 4
    assert "Needs" not in content or "GRE scores" in content


def test_list_sorts_by_fit_best_first(client):
    catalogue()
    save_profile(client, gre="no", programming="none")
    response = client.get("/programs/", {"sort": "fit"})
    titles = [program.title for program in response.context["page_obj"]]
    assert titles == ["A fits", "C bridge", "D unreported", "B needs GRE"]


@pytest.mark.parametrize("asked", [{}, {"sort": "fit"}, {"fit": "gap"}])
def test_the_fit_rules_run_once_a_program_a_request(client, monkeypatch, asked):
    from programs.fit import rules

    catalogue()
    save_profile(client, gre="no", programming="none")
    checked = []

    def counting(rule):
        def run(program, profile):
            checked.append(program.pk)
            return rule(program, profile)

        return run

    monkeypatch.setattr(rules, "RULES", tuple(counting(rule) for rule in rules.RULES))
    cache.clear()
    response = client.get("/programs/", asked)
    assert response.status_code == 200
    # Each of the four programs once, by each rule; whether the list is arranged by fit or not.
    assert len(set(checked)) == 4
    assert len(checked) == 4 * len(rules.RULES)


def test_list_filters_by_one_verdict(client):
    catalogue()
    save_profile(client, gre="no", programming="none")
    response = client.get("/programs/", {"fit": "gap"})
    assert [p.title for p in response.context["page_obj"]] == ["B needs GRE"]
    assert response.context["page_obj"].paginator.count == 1
    response = client.get("/programs/", {"fit": "bridge"})
    assert [p.title for p in response.context["page_obj"]] == ["C bridge"]


def test_fit_filter_without_a_profile_says_how_to_get_one(client):
    catalogue()
    response = client.get("/programs/", {"fit": "meets", "sort": "fit"})
    assert response.context["page_obj"].paginator.count == 4
    assert "To filter or sort by fit, first" in response.content.decode()


def test_program_page_shows_fit_lines_with_their_sources(client):
    program = make_sourced_program(title="Clinical AI", min_gpa=Decimal("3.2"))
    save_profile(client, gpa="3.0")
    content = client.get(program.get_absolute_url()).content.decode()
    assert "Does not meet" in content
    assert "Needs a GPA of at least 3.20 (yours: 3.00)" in content
    assert 'class="note-ref"' in content.split('id="fit"')[1].split("</section>")[0]


@pytest.mark.usefixtures("warm_content_types")
def test_list_query_count_is_the_same_with_a_profile(client, django_assert_num_queries):
    for n in range(5):
        make_sourced_program(title=f"P{n}", min_gpa=Decimal("3.0"), tuition_total=Decimal(9))
    client.get("/fit/", {"role": "rn"})  # a session, and then a profile, in it
    client.post("/fit/forget/")
    made_again(client, "/programs/")
    # The session; as in test_queries.py, when the next scheduled entry is due (the cache
    # emptied), the choices and the whole list's count and options' counts (two summaries:
    # core.summaries), the page, its specializations and citations.
    with django_assert_num_queries(7):
        client.get("/programs/")
    save_profile(client, **ANSWERS)
    cache.clear()
    # The same with a profile: each card's fit reads the facts and sources the page holds.
    with django_assert_num_queries(7):
        response = client.get("/programs/")
    assert response.content.decode().count('class="fit-verdict"') == 5


def test_passed_deadline_is_marked_on_the_program_page(client):
    program = make_sourced_program(application_deadline=datetime.date(2020, 1, 15))
    content = client.get(program.get_absolute_url()).content.decode()
    assert "15 January 2020 (passed)" in content
    assert "deadline.ics" not in content
