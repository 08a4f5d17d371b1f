"""Corrections from readers (core.corrections): a form beside the facts of every public page,
never public, an editors' queue that accepts (value and citation in one action) or rejects (a
reason), and the suggester told the outcome."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from reversion.models import Version

from core.models import Correction, OutgoingEmail, Source
from tests.factories import (
    cite,
    make_career,
    make_certification,
    make_program,
    make_source,
)

pytestmark = pytest.mark.django_db

PAGE = "https://www.example.edu/ms-clinical-ai/tuition"
RLO = "\u202e"


@pytest.fixture
def program():
    program = make_program(title="MS in Clinical AI", tuition_total=Decimal("40000"))
    cite(program, "tuition_total", make_source(title="Tuition 2025–26"))
    return program


def form_url(kind, entry):
    return reverse("suggest_correction", kwargs={"kind": kind, "slug": entry.slug})


def suggestion(**overrides):
    return {
        "field": "tuition_total",
        "value": "$48,000 for the whole degree",
        "source_url": PAGE,
        "email": "",
        "relationship": "",
        "website": "",
        **overrides,
    }


def test_every_public_page_offers_a_correction_beside_its_facts(client, program):
    career = make_career(median_salary=Decimal("90000"))
    certification = make_certification()
    pages = [
        ("program", program),
        ("institution", program.institution),
        ("career", career),
        ("certification", certification),
    ]
    for kind, entry in pages:
        page = client.get(entry.get_absolute_url()).content.decode()
        assert form_url(kind, entry) in page, kind
        form = client.get(form_url(kind, entry))
        assert form.status_code == 200, kind
        assert "The page where it says so" in form.content.decode(), kind
    # A fact section links to the form with its facts offered first.
    page = client.get(program.get_absolute_url()).content.decode()
    assert form_url("program", program) + "?group=" in page


def test_a_correction_is_stored_for_the_editors_and_never_shown(client, program):
    response = client.post(
        form_url("program", program), suggestion(email="staff@example.edu", relationship="staff")
    )

    assert response.status_code == 302
    assert response.url == program.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "your correction was received" in page
    assert "we will e-mail you the outcome" in page
    correction = Correction.objects.get()
    assert (correction.entry, correction.field, correction.status) == (
        program,
        "tuition_total",
        "pending",
    )
    assert correction.relationship == "staff"
    assert "48,000" not in client.get(program.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"source_url": ""}, "Give the address of the page that says so"),
        ({"source_url": "javascript:alert(1)"}, "Enter the page&#x27;s full address"),
        ({"source_url": "www.example.edu page"}, "Enter the page&#x27;s full address"),
        ({"field": "not_a_fact"}, "Select a valid choice"),
        ({"field": ""}, "Choose the fact, or “Something else”."),
        ({"value": ""}, "Say what the fact should say."),
        ({"value": "x" * 301}, "at most 300 characters"),
        ({"email": "not an address"}, "Enter a valid email address."),
    ],
)
def test_bad_input_is_answered_with_a_message_and_nothing_is_lost(
    client, program, overrides, message
):
    data = suggestion(**{"value": "Tuition is $48,000 now", **overrides})
    response = client.post(form_url("program", program), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "Please correct" in content
    if "value" not in overrides:
        assert "Tuition is $48,000 now" in content  # what was typed, kept
    assert not Correction.objects.exists()


def test_something_else_needs_no_fact(client, program):
    client.post(form_url("program", program), suggestion(field="other", value="It moved online"))
    assert Correction.objects.get().field == ""


def test_a_bot_filling_the_hidden_field_is_thanked_and_ignored(client, program):
    response = client.post(form_url("program", program), suggestion(website="http://spam"))
    assert response.status_code == 302
    assert not Correction.objects.exists()


def test_a_flood_from_one_connection_gets_a_429_and_keeps_the_text(client, program, settings):
    settings.CORRECTIONS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(form_url("program", program), suggestion()).status_code == 302

    response = client.post(form_url("program", program), suggestion(value="A third one"))

    assert response.status_code == 429
    assert "Too many corrections from your connection" in response.content.decode()
    assert "A third one" in response.content.decode()
    assert Correction.objects.count() == 2


def test_bidirectional_controls_are_removed(client, program):
    client.post(form_url("program", program), suggestion(value=f"48,000{RLO} USD"))
    assert Correction.objects.get().value == "48,000 USD"


def test_unknown_kinds_and_unpublished_entries_are_a_404(client):
    draft = make_program(status="draft", published_at=None)
    assert client.get(form_url("program", draft)).status_code == 404
    assert client.get("/corrections/review/anything/").status_code == 404
    assert client.get("/corrections/program/no-such-program/").status_code == 404


# The editors' queue.


def change_url(correction):
    return reverse("admin:portal_correction_change", args=[correction.pk])


def decide(client, correction, **data):
    return client.post(change_url(correction), data)


@pytest.fixture
def correction(client, program):
    client.post(form_url("program", program), suggestion(email="reader@example.org"))
    return Correction.objects.get()


def test_the_queue_shows_the_current_value_beside_the_suggestion(admin_client, correction):
    listing = admin_client.get(reverse("admin:portal_correction_changelist")).content.decode()
    assert "$48,000 for the whole degree" in listing
    assert "$40,000" in listing  # what readers see now, with its source
    page = admin_client.get(change_url(correction)).content.decode()
    assert "Tuition 2025–26" in page
    assert f'href="{PAGE}"' in page
    assert 'value="48000"' in page  # the suggestion read as a value, ready to write


def test_accepting_writes_the_value_and_cites_the_page_in_one_action(
    admin_client, correction, program
):
    response = decide(
        admin_client,
        correction,
        decision="accept",
        new_value="48000",
        source_title="Tuition and fees 2026–27",
        source_publisher="Example University",
        as_of="2026-09-01",
        checked_on="2026-12-07",
    )

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.tuition_total == Decimal("48000")
    citation = program.fact("tuition_total").citation
    assert (citation.source.url, citation.source.title) == (PAGE, "Tuition and fees 2026–27")
    assert (citation.as_of, citation.checked_on) == (
        datetime.date(2026, 9, 1),
        datetime.date(2026, 12, 7),
    )
    correction.refresh_from_db()
    assert correction.status == "accepted"
    # One revision, by the editor, in the program's history.
    assert Version.objects.get_for_object(program).first().revision.user.username == "admin"
    message = OutgoingEmail.objects.get(to="reader@example.org")
    assert "was accepted" in message.subject
    assert program.get_absolute_url() in message.body
    assert "$48,000" in admin_client.get(program.get_absolute_url()).content.decode()


def test_a_value_the_entry_refuses_changes_nothing(admin_client, correction, program):
    response = decide(
        admin_client,
        correction,
        decision="accept",
        new_value="-5",
        source_title="Tuition",
        source_publisher="Example University",
        checked_on="2026-12-07",
    )

    assert response.status_code == 200
    assert "greater than or equal to 0" in response.content.decode()
    program.refresh_from_db()
    assert program.tuition_total == Decimal("40000")
    assert not Source.objects.filter(url=PAGE).exists()
    correction.refresh_from_db()
    assert correction.status == "pending"


def test_accepting_needs_the_page_title_and_the_day_it_was_read(admin_client, correction):
    response = decide(admin_client, correction, decision="accept", new_value="48000")
    content = html.unescape(response.content.decode())  # as the editor reads it
    assert "Give the page's title and publisher to cite it." in content
    assert "Give the day you read the page." in content
    correction.refresh_from_db()
    assert correction.status == "pending"


def test_rejecting_needs_a_reason_and_tells_the_suggester(admin_client, correction):
    refused = decide(admin_client, correction, decision="reject")
    assert "Choose a reason to reject a correction." in refused.content.decode()

    decide(admin_client, correction, decision="reject", rejection_reason="source")

    correction.refresh_from_db()
    assert (correction.status, correction.rejection_reason) == ("rejected", "source")
    message = OutgoingEmail.objects.get(to="reader@example.org")
    assert "was not accepted" in message.subject
    assert "The page given does not say so" in message.body


def test_an_anonymous_suggester_is_told_nothing(admin_client, client, program):
    client.post(form_url("program", program), suggestion())
    decide(admin_client, Correction.objects.get(), decision="reject", rejection_reason="spam")
    assert not OutgoingEmail.objects.exists()


def test_an_institution_correction_writes_its_field(admin_client, client, program):
    institution = program.institution
    client.post(
        form_url("institution", institution),
        suggestion(field="city", value="Pittsburgh", source_url="https://www.example.edu/about"),
    )
    correction = Correction.objects.get()
    decide(
        admin_client,
        correction,
        decision="accept",
        new_value="Pittsburgh",
        source_title="About us",
        source_publisher="Example University",
        checked_on="2026-12-07",
    )
    institution.refresh_from_db()
    assert institution.city == "Pittsburgh"


# When a part of the system fails.


def test_with_the_database_down_the_form_comes_back_with_what_was_typed(client, program):
    from tests.reviews.test_outages import database_down

    url = form_url("program", program)
    data = suggestion(value="Kept value 48,000", email="kept@example.org", relationship="staff")
    with database_down():
        response = client.post(url, data)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    content = response.content.decode()
    assert "Not sent: we could not store it just now" in content
    assert "Kept value 48,000</textarea>" in content
    assert f'value="{PAGE}"' in content
    assert 'value="kept@example.org"' in content
    assert re.search(r'value="staff"[^>]*checked', content)
    assert "tuition_total" in content  # the fact chosen, still chosen
    assert not Correction.objects.exists()


def test_with_redis_down_the_limit_still_holds(client, program, settings):
    from tests.portal.test_production import REDIS_DOWN

    settings.CACHES = REDIS_DOWN
    settings.CORRECTIONS_PER_HOUR = 1
    assert client.post(form_url("program", program), suggestion()).status_code == 302
    assert client.post(form_url("program", program), suggestion()).status_code == 429
    assert Correction.objects.count() == 1
