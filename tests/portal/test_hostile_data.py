"""Stored data cannot break a public page, a feed or an e-mail: hostile values are refused
where they are saved (the import, the admin), and encoded where they are used in case they
were stored anyway (an older row, a database edited by hand)."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from careers.models import ProgramCareer
from core.mail import send_due
from core.models import Citation
from programs.models import Institution, Program
from reviews.confirmation import send_confirmation
from tests.factories import (
    cite,
    make_career,
    make_certification,
    make_institution,
    make_program,
    make_review,
    make_source,
)
from tests.programs.test_spreadsheet_import import csv_file, row

pytestmark = pytest.mark.django_db

CRLF_TITLE = "MS in AI\r\nBcc: victim@example.org"
FAR_DAY = datetime.date(9999, 12, 31)


# Refused where saved.


@pytest.mark.parametrize(
    ("fields", "column", "message"),
    [
        ({"title": CRLF_TITLE}, "title", "Write this on one line"),
        ({"title": "MS\tin AI"}, "title", "Write this on one line"),
        ({"title": "MS in AI\x00"}, "title", "Write this on one line"),
        ({"application_deadline": "9999-12-31"}, "application_deadline", "between 1900 and 2100"),
        ({"application_deadline": "0001-01-01"}, "application_deadline", "between 1900 and 2100"),
        ({"as of": "9999-12-31"}, "as of", "between 1900 and 2100"),
        (
            {"status": "published", "published_at": "9999-12-31T00:00:00Z"},
            "published_at",
            "between 1900 and 2100",
        ),
    ],
    ids=["crlf", "tab", "nul", "far-deadline", "early-deadline", "far-as-of", "far-publication"],
)
def test_the_import_refuses_a_hostile_value_naming_its_column(tmp_path, fields, column, message):
    make_institution(name="Example University", slug="example-university")
    path = tmp_path / "programs.csv"
    path.write_bytes(csv_file([row(**{"application_deadline": "2027-01-15", **fields})]).read())
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_catalogue", str(path), "--kind", "Programs", stdout=out)
    found = re.search(rf"row 2, column “{re.escape(column)}”: .*{message}", out.getvalue())
    assert found, out.getvalue()
    assert not Program.objects.exists()


def test_the_import_refuses_a_line_break_in_an_institution_name(tmp_path):
    path = tmp_path / "institutions.csv"
    path.write_bytes(csv_file([{"slug": "u", "name": "Example\nUniversity"}]).read())
    with pytest.raises(CommandError):
        call_command("import_catalogue", str(path), "--kind", "Institutions", stdout=io.StringIO())
    assert not Institution.objects.exists()


def test_the_admin_refuses_a_line_break_in_a_title(admin_client):
    program = make_program(title="Fine title")
    form = (
        admin_client.get(f"/admin/programs/program/{program.pk}/change/").context["adminform"].form
    )
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    response = admin_client.post(
        f"/admin/programs/program/{program.pk}/change/", {**data, "title": CRLF_TITLE}
    )
    assert "Write this on one line" in response.content.decode()
    program.refresh_from_db()
    assert program.title == "Fine title"


# Encoded where used, when stored anyway.


@pytest.fixture
def hostile():
    """A published program whose stored title, university name, deadline and sources hold
    what the import now refuses (written past the validation, as an old row would be), beside
    a well-formed one; linked to a career and a certification."""
    source = make_source(title="Admissions\r\npage", publisher="Example\nUniversity")
    university = make_institution(name="Hostile\r\nUniversity", slug="hostile-u")
    program = make_program(
        institution=university, slug="hostile-ms", title="x", application_deadline=FAR_DAY
    )
    Program.objects.filter(pk=program.pk).update(title=CRLF_TITLE + " \u202eevil")
    for field in ("application_deadline", "title"):
        cite(program, field, source, as_of=FAR_DAY)
    normal = make_program(
        slug="normal-ms", title="MS in Health Data", application_deadline=datetime.date(2099, 1, 15)
    )
    cite(normal, "application_deadline")
    career = make_career(title="Clinical data\r\nanalyst")
    ProgramCareer.objects.create(program=program, career=career)
    certification = make_certification(name="Cert\r\nname")
    certification.programs.add(program)
    program.refresh_from_db()
    return program, normal, career, certification


def public_addresses(program, normal, career, certification):
    both = f"p={program.slug}&p={normal.slug}"
    return [
        "/",
        "/programs/",
        "/programs/?q=evil",
        "/programs/?sort=tuition",
        program.get_absolute_url(),
        f"/programs/{program.slug}/reviews/new/",
        f"/programs/{program.slug}/payback/",
        f"/programs/compare/?{both}",
        f"/programs/compare/?{both}&highlight=1",
        f"/programs/compare.csv?{both}",
        f"/programs/compare/payback/?{both}",
        "/institutions/hostile-u/",
        "/search/?q=hostile",
        "/search/?q=bcc",
        "/fit/?gpa=3.5&years=2",
        career.get_absolute_url(),
        "/careers/",
        f"/careers/compare/?c={career.slug}&c={career.slug}",
        certification.get_absolute_url(),
        "/certifications/",
        "/reviews/policy/",
    ]


def test_every_page_of_a_hostile_entry_answers(client, hostile):
    for address in public_addresses(*hostile):
        response = client.get(address)
        assert response.status_code == 200, address


def test_a_calendar_skips_what_it_cannot_write_and_says_so(client, hostile):
    program, normal, _, _ = hostile
    alone = client.get(f"/programs/{program.slug}/deadline.ics")
    assert alone.status_code == 404
    both = client.get(f"/programs/deadlines.ics?p={program.slug}&p={normal.slug}")
    assert both.status_code == 200
    text = both.content.decode()
    assert text.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Application deadline: MS in Health Data" in text
    unfolded = text.replace("\r\n ", "")
    assert "X-WR-CALDESC:Left out, as their dates cannot be written in a calendar: " in unfolded
    assert "MS in AI Bcc: victim@example.org" in unfolded
    # Every line of the file is a calendar line: no stored line break splits one.
    assert all(re.match(r"^([A-Z-]+[;:]| )", line) for line in text.split("\r\n") if line), text


def test_a_calendar_writes_a_title_with_line_breaks_on_one_line(client, hostile):
    program, _, _, _ = hostile
    Program.objects.filter(pk=program.pk).update(application_deadline=datetime.date(2099, 3, 1))
    Citation.objects.filter(field="application_deadline").update(as_of=datetime.date(2026, 1, 1))
    response = client.get(f"/programs/{program.slug}/deadline.ics")
    assert response.status_code == 200
    text = response.content.decode().replace("\r\n ", "")
    assert "SUMMARY:Application deadline: MS in AI Bcc: victim@example.org" in text
    assert "Hostile University" in text
    assert all(re.match(r"^([A-Z-]+[;:]| )", line) for line in text.split("\r\n") if line)


def test_an_email_about_a_hostile_entry_is_sent_with_a_one_line_subject(rf, hostile):
    program, _, _, _ = hostile
    review = make_review(program, status="pending", email="ana@example.org")
    send_confirmation(rf.get("/"), review)
    assert send_due() == (1, 0)
    assert "\n" not in mail.outbox[0].subject and "\r" not in mail.outbox[0].subject
    assert mail.outbox[0].subject.startswith("Confirm your review of MS in AI Bcc: victim@")
    assert mail.outbox[0].bcc == [] and mail.outbox[0].to == ["ana@example.org"]


def test_a_far_publication_time_keeps_an_entry_scheduled_without_error(client):
    program = make_program(slug="far", title="Far away")
    Program.objects.filter(pk=program.pk).update(
        published_at=timezone.make_aware(datetime.datetime(9999, 12, 30))
    )
    assert client.get("/programs/far/").status_code == 404
    assert client.get("/programs/").status_code == 200
