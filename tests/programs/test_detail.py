"""The program page: everything known, grouped, each figure beside its source."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from programs.models import Accreditation, Accreditor, Course, Program
from tests.factories import (
    cite,
    make_institution,
    make_program,
    make_source,
    make_sourced_program,
    make_specialization,
)
from tests.pages import shown, source_of

pytestmark = pytest.mark.django_db


def test_figures_are_shown_with_their_source_and_as_of_date(client, monkeypatch):
    # The figures' ages are worked out from this day.
    monkeypatch.setattr("core.models.timezone.localdate", lambda: datetime.date(2026, 12, 7))
    source = make_source(title="Graduate outcomes survey", publisher="Example Board", year=2025)
    program = make_program(
        tuition_total=Decimal("45000.00"),
        months_part_time=30,
        completion_rate=Decimal("89.00"),
        min_gpa=Decimal("3.00"),
    )
    cite(program, "tuition_total", source, as_of=datetime.date(2025, 9, 1))
    cite(program, "months_part_time", source, as_of=datetime.date(2025, 9, 1))
    cite(program, "completion_rate", source, as_of=datetime.date(2024, 6, 1), note="Class of 2024.")
    cite(program, "min_gpa", source, as_of=datetime.date(2025, 9, 1))
    content = client.get(program.get_absolute_url()).content.decode()
    assert "<dt>Total tuition</dt>" in content
    tuition = shown(content, "Total tuition")
    assert "$45,000" in tuition
    # Beside the figure a note number; the note names title, publisher and as-of date.
    note = source_of(content, tuition)
    assert "<cite><bdi>Graduate outcomes survey</bdi></cite>" in note
    assert "<bdi>Example Board</bdi> (2025)" in note
    assert "as of 2025–26; checked on 1 Sep 2025" in note  # 1 September: an academic year
    completion = shown(content, "Completion rate (%)")
    assert "89%" in completion
    assert "as of June 2024; checked on 1 Jun 2024. Class of 2024." in source_of(
        content, completion
    )
    # More than 18 months old on 7 December 2026: said beside it.
    assert '<span class="age">June 2024 figure; may have changed</span>' in completion
    assert '<span class="age">' not in tuition  # 2025–26: recent enough
    # The same source line is listed once, however many figures cite it.
    assert content.count("<cite><bdi>Graduate outcomes survey</bdi></cite>") == 2  # two as-of dates
    assert "30 months" in content
    assert ">3.0<" in content


def test_a_missing_figure_reads_not_reported(client):
    program = make_program()
    content = client.get(program.get_absolute_url()).content.decode()
    tuition = content.split("<dt>Total tuition</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Not reported" in tuition
    assert "Source:" not in content


def test_a_figure_without_a_source_is_not_shown(client):
    program = make_program(tuition_total=Decimal("99999"))
    content = client.get(program.get_absolute_url()).content.decode()
    assert "99,999" not in content
    tuition = content.split("<dt>Total tuition</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Not reported" in tuition


def test_facts_people_filter_on_are_shown_with_their_source_or_read_not_reported(client):
    page = make_source(title="Program overview", publisher="Example University", year=2026)
    program = make_program(
        delivery_format="online",
        paces=["part_time"],
        gre="not_required",
        programming_background="none",
    )
    for name in ("delivery_format", "paces", "gre"):
        cite(
            program,
            name,
            page,
            as_of=datetime.date(2026, 11, 30),
            note="as read on 30 November 2026",
        )
    content = client.get(program.get_absolute_url()).content.decode()

    for label, value in (
        ("Format", "Online"),
        ("Paces offered", "Part-time"),
        ("GRE", "Not required"),
    ):
        fact = shown(content, label)
        assert value in fact, label
        assert "<cite><bdi>Program overview</bdi></cite>" in source_of(content, fact), label
        assert "as read on 30 November 2026" in source_of(content, fact), label
    # The programming background has a value but no source: readers are not told it.
    assert "Not reported" in shown(content, "Programming background")
    assert "None needed" not in shown(content, "Programming background")


def test_page_groups_everything_known_about_the_program(client):
    institution = make_institution(
        name="Example State University", city="Springfield", state="Illinois"
    )
    nlp = make_specialization("Clinical NLP")
    program = make_sourced_program(
        institution=institution,
        title="MS in Clinical AI",
        specializations=[nlp],
        delivery_format="online",
        gre="optional",
        programming_background="bridge",
        statistics_prerequisite=True,
        capstone="practicum",
        employer_partnerships="Example Hospital\nExample Health Tech",
        accepted_bachelor_fields="nursing, public health",
        apply_url="https://example.edu/apply",
    )
    Course.objects.create(
        program=program, position=2, title="Clinical NLP", credits=3, kind="elective"
    )
    Course.objects.create(
        program=program, position=1, title="Python for clinicians", credits=Decimal("1.5")
    )
    hlc = Accreditor.objects.create(
        name="Higher Learning Commission", abbreviation="HLC", slug="hlc", scope="institutional"
    )
    Accreditation.objects.create(
        accreditor=hlc,
        institution=institution,
        verified_on=datetime.date(2026, 2, 3),
        url="https://example.org/hlc",
    )
    content = client.get(program.get_absolute_url()).content.decode()
    for heading in [
        "Overview",
        "Admission and prerequisites",
        "Curriculum",
        "Cost and duration",
        "Outcomes",
        "Accreditation",
    ]:
        assert f">{heading}</h2>" in content
    assert content.count("<h1>") == 1
    assert "<h1><bdi>MS in Clinical AI</bdi></h1>" in content
    assert ">Example State University</bdi></a>, Springfield, Illinois" in content
    assert f'href="{institution.get_absolute_url()}"' in content
    assert "Online" in content and "Optional" in content and "Bridge course offered" in content
    assert "nursing, public health" in content
    assert content.index("Python for clinicians") < content.index(">Clinical NLP</bdi></th>")
    assert (
        '<th scope="row"><bdi>Python for clinicians</bdi></th><td>Core</td><td>1.5</td>' in content
    )
    assert "<li><bdi>Example Hospital</bdi></li>" in content
    assert "Practicum" in content
    assert 'href="/programs/?specialization=clinical-nlp"' in content
    assert "Higher Learning Commission (HLC)</bdi></strong>: Accredited" in content
    assert "Checked on 3 February 2026" in content
    assert 'href="https://example.edu/apply"' in content


def test_unknown_slug_is_a_404(client):
    assert client.get("/programs/no-such-program/").status_code == 404


def test_anonymous_user_cannot_see_draft_or_scheduled_programs(client):
    draft = make_program(status=Program.Status.DRAFT, published_at=None)
    scheduled = make_program(published_at=timezone.now() + datetime.timedelta(days=2))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_staff_preview_drafts_with_a_visible_banner(staff_client):
    draft = make_program(title="Upcoming MS", status=Program.Status.DRAFT, published_at=None)
    scheduled = make_program(published_at=timezone.now() + datetime.timedelta(days=2))
    draft_page = staff_client.get(draft.get_absolute_url()).content.decode()
    assert "<strong>Draft</strong>: only staff can see this page." in draft_page
    scheduled_page = staff_client.get(scheduled.get_absolute_url()).content.decode()
    assert "<strong>Scheduled</strong>" in scheduled_page
    assert "It becomes public on" in scheduled_page


def test_published_program_has_no_draft_banner(staff_client):
    program = make_program()
    assert (
        "only staff can see this page"
        not in staff_client.get(program.get_absolute_url()).content.decode()
    )


def test_text_fields_are_escaped(client):
    program = make_program(title="<script>alert(1)</script>", summary="<b>bold</b>")
    content = client.get(program.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&lt;b&gt;bold&lt;/b&gt;" in content


def test_the_institution_logo_is_shown_on_the_program_page(client, settings, tmp_path):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, "PNG")
    institution = make_institution(slug="logo-university")
    institution.logo.save("logo.png", ContentFile(buffer.getvalue()))
    program = make_program(institution=institution)
    content = client.get(program.get_absolute_url()).content.decode()
    assert f'<img class="logo" src="/media/{institution.logo.name}"' in content
