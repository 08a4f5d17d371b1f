"""The program list: every filter and sort, by what appears and what does not."""

import datetime
import html
import re
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
from django.utils import timezone

from programs.models import Accreditation, Accreditor, Program
from tests.factories import make_institution, make_program, make_specialization

pytestmark = pytest.mark.django_db

URL = "/programs/"


def titles(response):
    return [program.title for program in response.context["page_obj"]]


def test_list_shows_published_programs_sorted_by_name_with_count(client):
    make_program(title="Beta program")
    make_program(title="Alpha program")
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["Alpha program", "Beta program"]
    assert "2 programs match" in response.content.decode()


def test_search_matches_title_institution_and_specialization(client):
    nlp = make_specialization("Clinical natural language processing")
    make_program(title="MS in Health AI")
    make_program(
        title="MS in Data", institution=make_institution(name="Lakeside Medical University")
    )
    make_program(title="MS in Informatics", specializations=[nlp])
    make_program(title="MS in Robotics")
    assert titles(client.get(URL, {"q": "health ai"})) == ["MS in Health AI"]
    assert titles(client.get(URL, {"q": "lakeside"})) == ["MS in Data"]
    assert titles(client.get(URL, {"q": "language"})) == ["MS in Informatics"]
    assert titles(client.get(URL, {"q": "MS", "sort": "name"})) == [
        "MS in Data",
        "MS in Health AI",
        "MS in Informatics",
        "MS in Robotics",
    ]


def test_search_needs_every_word(client):
    make_program(title="Clinical AI")
    make_program(title="Clinical Data")
    assert titles(client.get(URL, {"q": "clinical ai"})) == ["Clinical AI"]


def test_format_filter_accepts_several_formats(client):
    make_program(title="Online one", delivery_format="online")
    make_program(title="Hybrid one", delivery_format="hybrid")
    make_program(title="Campus one", delivery_format="campus")
    make_program(title="Unknown format")
    assert titles(client.get(URL, {"format": "online"})) == ["Online one"]
    assert titles(client.get(URL, {"format": ["online", "hybrid"]})) == ["Hybrid one", "Online one"]


def test_specialization_filter_matches_any_ticked_and_lists_each_program_once(client):
    imaging = make_specialization("Medical imaging")
    genomics = make_specialization("Genomics")
    ethics = make_specialization("AI ethics")
    make_program(title="Both", specializations=[imaging, genomics])
    make_program(title="Imaging only", specializations=[imaging])
    make_program(title="Ethics only", specializations=[ethics])
    assert titles(client.get(URL, {"specialization": "medical-imaging"})) == [
        "Both",
        "Imaging only",
    ]
    response = client.get(URL, {"specialization": ["medical-imaging", "genomics"]})
    assert titles(response) == ["Both", "Imaging only"]
    assert "2 programs match" in response.content.decode()


def test_accreditor_filter_counts_institutional_and_programmatic_accreditation(client):
    abet = Accreditor.objects.create(
        name="ABET", abbreviation="ABET", slug="abet", scope="programmatic"
    )
    hlc = Accreditor.objects.create(
        name="Higher Learning Commission", abbreviation="HLC", slug="hlc", scope="institutional"
    )
    accredited_university = make_institution()
    Accreditation.objects.create(
        accreditor=hlc, institution=accredited_university, verified_on=datetime.date(2026, 1, 5)
    )
    programmatic = make_program(title="ABET accredited")
    Accreditation.objects.create(
        accreditor=abet, program=programmatic, verified_on=datetime.date(2026, 1, 5)
    )
    withdrawn = make_program(title="ABET withdrawn")
    Accreditation.objects.create(
        accreditor=abet,
        program=withdrawn,
        status="withdrawn",
        verified_on=datetime.date(2026, 1, 5),
    )
    make_program(title="At HLC university", institution=accredited_university)
    make_program(title="Not accredited")
    assert titles(client.get(URL, {"accreditor": "abet"})) == ["ABET accredited"]
    assert titles(client.get(URL, {"accreditor": "hlc"})) == ["At HLC university"]


def test_state_filter(client):
    make_program(title="In Illinois", institution=make_institution(state="Illinois"))
    make_program(title="In California", institution=make_institution(state="California"))
    response = client.get(URL, {"state": "Illinois"})
    assert titles(response) == ["In Illinois"]
    # The choices offer the states institutions are in, each with what it would give.
    assert '<option value="California">California (1)</option>' in response.content.decode()


def test_max_tuition_keeps_programs_at_or_under_the_limit_in_dollars(client):
    make_program(title="Cheap", tuition_total=Decimal("40000"))
    make_program(title="Exact", tuition_total=Decimal("45000.00"))
    make_program(title="Dear", tuition_total=Decimal("120000"))
    make_program(title="Unknown tuition")
    make_program(title="In euros", tuition_total=Decimal("10000"), currency="EUR")
    assert titles(client.get(URL, {"max_tuition": "45000"})) == ["Cheap", "Exact"]


def test_max_months_uses_the_fastest_pace_offered(client):
    make_program(title="Accelerated 12", months_full_time=24, months_accelerated=12)
    make_program(title="Part-time 20", months_part_time=20)
    make_program(title="Full-time 36", months_full_time=36)
    make_program(title="Unknown duration")
    assert titles(client.get(URL, {"max_months": "20"})) == ["Accelerated 12", "Part-time 20"]
    assert titles(client.get(URL, {"max_months": "12"})) == ["Accelerated 12"]


def test_gre_filter(client):
    make_program(title="No GRE", gre="not_required")
    make_program(title="GRE optional", gre="optional")
    make_program(title="GRE required", gre="required")
    assert titles(client.get(URL, {"gre": "not_required"})) == ["No GRE"]
    assert titles(client.get(URL, {"gre": "required"})) == ["GRE required"]


def test_no_programming_background_keeps_none_needed_and_bridge_courses(client):
    make_program(title="None needed", programming_background="none")
    make_program(title="Bridge course", programming_background="bridge")
    make_program(title="Programming required", programming_background="required")
    make_program(title="Not reported")
    assert titles(client.get(URL, {"no_programming_background": "on"})) == [
        "Bridge course",
        "None needed",
    ]
    assert len(titles(client.get(URL))) == 4


def test_filters_combine(client):
    make_program(title="Fits", delivery_format="online", gre="not_required", months_part_time=24)
    make_program(
        title="Too long", delivery_format="online", gre="not_required", months_part_time=36
    )
    make_program(
        title="On campus", delivery_format="campus", gre="not_required", months_part_time=24
    )
    response = client.get(URL, {"format": "online", "gre": "not_required", "max_months": "24"})
    assert titles(response) == ["Fits"]


def test_sort_by_tuition_both_ways_puts_unknown_tuition_last(client):
    make_program(title="Mid", tuition_total=Decimal("60000"))
    make_program(title="Low", tuition_total=Decimal("40000"))
    make_program(title="High", tuition_total=Decimal("120000"))
    make_program(title="Unknown")
    assert titles(client.get(URL, {"sort": "tuition"})) == ["Low", "Mid", "High", "Unknown"]
    assert titles(client.get(URL, {"sort": "-tuition"})) == ["High", "Mid", "Low", "Unknown"]


def test_sort_shortest_and_newest_and_name(client):
    now = timezone.now()
    make_program(
        title="B 18 months", months_part_time=18, published_at=now - datetime.timedelta(days=3)
    )
    make_program(
        title="A 30 months", months_full_time=30, published_at=now - datetime.timedelta(days=1)
    )
    make_program(
        title="C 12 months", months_accelerated=12, published_at=now - datetime.timedelta(days=2)
    )
    make_program(title="D unknown", published_at=now - datetime.timedelta(days=9))
    assert titles(client.get(URL, {"sort": "shortest"})) == [
        "C 12 months",
        "B 18 months",
        "A 30 months",
        "D unknown",
    ]
    assert titles(client.get(URL, {"sort": "newest"})) == [
        "A 30 months",
        "C 12 months",
        "B 18 months",
        "D unknown",
    ]
    assert titles(client.get(URL, {"sort": "name"})) == [
        "A 30 months",
        "B 18 months",
        "C 12 months",
        "D unknown",
    ]


def test_empty_result_says_so_and_offers_to_clear_the_filters(client):
    make_program(title="Campus", delivery_format="campus")
    response = client.get(URL, {"format": "online"})
    content = response.content.decode()
    assert titles(response) == []
    assert "No programs match these filters." in content
    assert "Filters leave out every program that does not report the detail" in content
    assert 'href="/programs/">clear all filters</a>' in content


def test_twenty_per_page_and_pagination_keeps_the_filters(client):
    for n in range(45):
        make_program(title=f"Online {n:02d}", delivery_format="online")
    make_program(title="Campus", delivery_format="campus")
    first = client.get(URL, {"format": "online"})
    assert len(titles(first)) == 20
    content = first.content.decode()
    assert "45 programs match; showing 1 to 20." in content
    assert 'href="?format=online&amp;page=2"' in content
    third = client.get(URL, {"format": "online", "page": "3"})
    assert titles(third) == [f"Online {n:02d}" for n in range(40, 45)]
    assert 'href="?format=online&amp;page=2" rel="prev"' in third.content.decode()


def test_a_page_past_the_end_is_a_404(client):
    make_program()
    assert client.get(URL, {"page": "2"}).status_code == 404
    assert client.get(URL, {"page": "0"}).status_code == 404
    assert client.get(URL, {"page": "two"}).status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"max_tuition": "cheap"},
            "Maximum total tuition (US$): Enter a number using digits only, such as 45000.",
        ),
        ({"max_tuition": "-5"}, "Maximum total tuition (US$): Enter 0 or more."),
        (
            {"max_tuition": "NaN"},
            "Maximum total tuition (US$): Enter a number using digits only, such as 45000.",
        ),
        (
            {"max_months": "two years"},
            "Finish within (months): Enter a number using digits only, such as 45000.",
        ),
        ({"max_months": "1e999"}, "Finish within (months): That number is too large."),
        ({"max_months": "12.5"}, "Finish within (months): That number has too many decimal"),
        ({"specialization": "no-such-area"}, "Specialization: That is not one of the options."),
        ({"accreditor": "nobody"}, "Accredited by: That is not one of the options."),
        ({"format": "by-pigeon"}, "Format: That is not one of the options."),
        ({"gre": "maybe"}, "GRE: That is not one of the options."),
        ({"sort": "price"}, "Sort by: That is not one of the options."),
        ({"state": "Atlantis"}, "State or region: That is not one of the options."),
        ({"q": "x" * 201}, "Search: Too long: at most 200 characters."),
    ],
)
def test_nonsense_values_are_reported_and_ignored_never_a_server_error(client, params, message):
    make_program(title="Still listed")
    response = client.get(URL, params)
    assert response.status_code == 200
    content = response.content.decode()
    assert "could not be used and was ignored" in content
    assert message in content.replace("&#x27;", "'")
    assert titles(response) == ["Still listed"]


def test_an_ignored_value_is_tied_to_its_field_for_screen_readers(client):
    content = client.get(URL, {"max_tuition": "abc"}).content.decode()
    assert 'aria-describedby="id_max_tuition_error"' in content
    assert '<ul class="errorlist" id="id_max_tuition_error">' in content
    assert 'aria-invalid="true"' in content


def test_submitting_the_filters_lands_on_the_results(client):
    content = client.get(URL).content.decode()
    assert 'action="/programs/#results"' in content
    assert 'id="results"' in content


def test_specializations_on_a_card_link_to_that_filter(client):
    make_program(specializations=[make_specialization("Genomics")])
    content = client.get(URL).content.decode()
    assert '<a href="/programs/?specialization=genomics"><bdi>Genomics</bdi></a>' in content


def test_what_the_visitor_typed_stays_in_the_form(client):
    make_program()
    content = client.get(URL, {"q": "nursing informatics", "max_tuition": "abc"}).content.decode()
    assert 'value="nursing informatics"' in content
    assert 'value="abc"' in content


def test_drafts_and_scheduled_programs_are_absent_from_the_list(client):
    make_program(title="Public")
    make_program(title="Draft", status=Program.Status.DRAFT)
    make_program(title="Scheduled", published_at=timezone.now() + datetime.timedelta(days=1))
    response = client.get(URL, {"q": "a"})
    assert titles(client.get(URL)) == ["Public"]
    assert "Draft" not in response.content.decode()
    assert "Scheduled" not in response.content.decode()


def test_deep_pages_are_capped_and_the_page_says_so(client, settings):
    settings.LIST_MAX_PAGES = 2
    for n in range(45):
        make_program(title=f"Program {n:02d}")
    content = client.get(URL).content.decode()
    assert "45 programs match; showing 1 to 20." in content
    assert "The first 2 pages are listed: use the filters to narrow the rest." in content
    second = client.get(URL, {"page": "2"})
    assert second.status_code == 200 and 'rel="next"' not in second.content.decode()
    assert client.get(URL, {"page": "3"}).status_code == 404


def option_labels(content, name):
    """The labels of filter `name`'s options, as the page shows them."""
    boxes = re.findall(
        rf'<input type="checkbox" name="{name}" value="[^"]*"[^>]*>'
        rf'<label for="[^"]+"><bdi>([^<]*)</bdi></label>',
        content,
    )
    if boxes:
        return boxes
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', content, re.S)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1)) if select else []


def test_each_option_shows_how_many_results_it_would_give_with_the_other_filters(client):
    ohio, texas = make_institution(state="Ohio"), make_institution(state="Texas")
    make_program(delivery_format="online", institution=ohio, gre="not_required")
    make_program(delivery_format="online", institution=texas, gre="required")
    make_program(delivery_format="hybrid", institution=ohio, gre="not_required")
    make_program(delivery_format="campus", institution=texas)
    content = client.get(URL, {"format": "online", "state": "Ohio"}).content.decode()
    # Format: counted in Ohio, whatever format is ticked.
    assert option_labels(content, "format") == ["Online (1)", "Hybrid (1)", "On campus (0)"]
    # State: counted among online programs, whatever state is chosen.
    assert option_labels(content, "state") == ["Anywhere", "Ohio (1)", "Texas (1)"]
    # GRE: among online programs in Ohio.
    assert option_labels(content, "gre") == [
        "Any",
        "Not required (1)",
        "Optional (0)",
        "Required (0)",
    ]


def test_active_filters_are_listed_each_with_a_link_that_removes_only_it(client):
    make_program(delivery_format="online", institution=make_institution(state="Ohio"))
    content = client.get(
        URL, {"format": ["online", "hybrid"], "state": "Ohio", "sort": "name", "page": "1"}
    ).content.decode()
    links = {
        re.sub(r"<[^>]+>", "", text).replace("×", "").strip(): parse_qs(html.unescape(href))
        for href, text in re.findall(
            r'<li><a href="\?([^"]*)#results">(.*?)</a></li>',
            content.split('class="active-filters"', 1)[1].split("</ul>", 1)[0],
        )
    }
    # Each keeps the other filters and the sort, and goes back to the first page.
    assert links == {
        "Remove Format: Online": {"format": ["hybrid"], "state": ["Ohio"], "sort": ["name"]},
        "Remove Format: Hybrid": {"format": ["online"], "state": ["Ohio"], "sort": ["name"]},
        "Remove State or region: Ohio": {"format": ["online", "hybrid"], "sort": ["name"]},
    }
    assert 'href="/programs/#results">Remove every filter</a>' in content


def test_nothing_matches_names_the_filter_whose_removal_finds_most(client):
    make_program(delivery_format="online", institution=make_institution(state="Ohio"))
    make_program(delivery_format="online", institution=make_institution(state="Ohio"))
    make_program(delivery_format="campus", institution=make_institution(state="Texas"))
    content = client.get(URL, {"format": "campus", "state": "Ohio"}).content.decode()
    assert "No programs match these filters." in content
    assert (
        "Without <strong><bdi>State or region: Ohio</bdi></strong>, 1 program matches: "
        '<a href="?format=campus#results">remove that filter</a>.'
    ) not in content  # removing the format finds more (2) than removing the state (1)
    assert (
        "Without <strong><bdi>Format: On campus</bdi></strong>, 2 programs match: "
        '<a href="?state=Ohio#results">remove that filter</a>.'
    ) in content


def test_an_ignored_value_is_not_listed_as_a_filter_in_use(client):
    make_program()
    content = client.get(URL, {"max_tuition": "lots", "gre": "nonsense"}).content.decode()
    assert 'class="active-filters"' not in content


def test_misspelt_words_that_find_nothing_offer_the_words_meant(client):
    make_program(title="MS in Health Informatics", delivery_format="online")
    make_program(title="MS in Nursing Informatics", delivery_format="campus")
    content = client.get(URL, {"q": "informatcs", "format": "online"}).content.decode()
    assert "No programs match these filters." in content
    offer = re.search(
        r'Did you mean “<a href="\?([^"#]*)#results">informatics</a>”\? (.*?)</p>', content
    )
    assert offer.group(2) == "It finds 1 program."
    assert parse_qs(html.unescape(offer.group(1))) == {"q": ["informatics"], "format": ["online"]}


def test_max_months_at_a_pace_matches_only_programs_offering_it_within_the_months(client):
    # The case a part-time worker met: 36 months part-time must not match "24 months".
    make_program(title="Fast full-time, slow part-time", months_full_time=12, months_part_time=36)
    make_program(title="Part-time 24", months_part_time=24)
    make_program(title="Accelerated 10", months_accelerated=10, months_full_time=16)
    assert titles(client.get(URL, {"max_months": "24", "pace": "part_time"})) == ["Part-time 24"]
    assert titles(client.get(URL, {"max_months": "12", "pace": "full_time"})) == [
        "Fast full-time, slow part-time"
    ]
    assert titles(client.get(URL, {"max_months": "10", "pace": "accelerated"})) == [
        "Accelerated 10"
    ]
    # Any pace: the fastest each program offers.
    assert titles(client.get(URL, {"max_months": "12", "pace": "any"})) == [
        "Accelerated 10",
        "Fast full-time, slow part-time",
    ]


def test_the_fit_profiles_pace_sets_the_pace_of_max_months(client):
    make_program(title="Fast full-time, slow part-time", months_full_time=12, months_part_time=36)
    make_program(title="Part-time 24", months_part_time=24)
    client.get("/fit/", {"pace": "part_time"})
    response = client.get(URL, {"max_months": "24"})
    assert titles(response) == ["Part-time 24"]
    assert 'value="part_time" selected' in response.content.decode()
    # A pace asked for in the address wins over the profile's.
    assert titles(client.get(URL, {"max_months": "24", "pace": "full_time"})) == [
        "Fast full-time, slow part-time"
    ]


def test_specialization_accreditor_and_pace_options_count_their_results(client):
    """Counted their own way (the link table grouped; accreditation itself or through the
    university, each program once; the pace as a condition on the row)."""
    genomics, imaging = make_specialization("Genomics"), make_specialization("Medical imaging")
    hlc = Accreditor.objects.create(
        name="Higher Learning Commission", abbreviation="HLC", slug="hlc", scope="institutional"
    )
    both = make_institution(state="Ohio")
    checked = datetime.date(2026, 1, 5)
    Accreditation.objects.create(accreditor=hlc, institution=both, verified_on=checked)
    twice = make_program(institution=both, specializations=[genomics], months_part_time=30)
    # Accredited by HLC itself as well as through its university: counted once.
    Accreditation.objects.create(accreditor=hlc, program=twice, verified_on=checked)
    make_program(institution=both, specializations=[genomics, imaging], paces=["full_time"])
    make_program(specializations=[imaging], paces=["part_time"])
    content = client.get(URL).content.decode()
    assert option_labels(content, "specialization") == ["Genomics (2)", "Medical imaging (2)"]
    assert option_labels(content, "accreditor") == [
        "Any accreditor",
        "Higher Learning Commission (HLC) (2)",
    ]
    assert option_labels(content, "pace")[1:] == [
        "Full-time (1)",
        "Part-time (2)",
        "Accelerated (0)",
    ]
    # With another filter on, among its results only.
    content = client.get(URL, {"state": "Ohio"}).content.decode()
    assert option_labels(content, "specialization") == ["Genomics (2)", "Medical imaging (1)"]


def test_options_are_not_counted_above_the_limit_and_the_page_says_so(client, settings):
    settings.LIST_FACET_COUNT_LIMIT = 2
    for _ in range(3):
        make_program(delivery_format="online")
    content = client.get(URL).content.decode()
    assert option_labels(content, "format") == ["Online", "Hybrid", "On campus"]
    assert "once 2 or fewer match" in content
    narrowed = client.get(URL, {"format": "hybrid"}).content.decode()
    assert option_labels(narrowed, "format") == ["Online (3)", "Hybrid (0)", "On campus (0)"]
    assert "or fewer match" not in narrowed


def test_a_list_sorted_by_tuition_says_how_old_the_figures_on_the_page_are(client, settings):
    from core.facts import period_text
    from tests.factories import cite

    settings.LIST_PAGE_SIZE = 3
    today = timezone.localdate()
    recent, old = today - datetime.timedelta(days=30), today - datetime.timedelta(days=800)
    for n, as_of in enumerate([recent, old, None, recent]):
        program = make_program(title=f"P{n}", tuition_total=Decimal(10000 + n))
        cite(program, "tuition_total", as_of=as_of, checked_on=today)
    shown = html.unescape(client.get("/programs/", {"sort": "tuition"}).content.decode())
    # The first page holds the first three: one recent, one old, one from a page with no date.
    assert (
        f"On this page, tuition figures are as of {period_text(old)} to {period_text(recent)}; "
        f"1 is older than {settings.STALE_AFTER_MONTHS} months and may have changed; "
        "1 page states no date. Check the tuition on the program's own page" in shown
    )
    last = html.unescape(client.get("/programs/", {"sort": "tuition", "page": 2}).content.decode())
    assert f"On this page, tuition figures are as of {period_text(recent)}." in last
    assert "no date" not in last.split("On this page")[1].split("</p>")[0]
