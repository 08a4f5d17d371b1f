"""The editors' admin: every page loads, lists cost no query per row, figures need sources."""

import errno
import html
import io
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import Citation
from programs.models import Institution, Program
from tests.factories import cite, make_institution, make_program, make_source

pytestmark = pytest.mark.django_db


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def program_form_data(**overrides):
    institution = make_institution()
    data = {
        "institution": institution.pk,
        "title": "MS in Clinical AI",
        "slug": "ms-in-clinical-ai",
        "degree_type": "ms",
        "currency": "USD",
        "status": "draft",
        "courses-TOTAL_FORMS": "0",
        "courses-INITIAL_FORMS": "0",
        "accreditations-TOTAL_FORMS": "0",
        "accreditations-INITIAL_FORMS": "0",
        "career_links-TOTAL_FORMS": "0",
        "career_links-INITIAL_FORMS": "0",
        "portal-citation-content_type-object_id-TOTAL_FORMS": "0",
        "portal-citation-content_type-object_id-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_program_with_a_figure_but_no_source_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:programs_program_add"), program_form_data(tuition_total="45000")
    )
    assert response.status_code == 200
    assert "These facts have a value but no source: Total tuition." in response.content.decode()
    assert not Program.objects.exists()


def test_program_saved_with_its_figures_sources_inline(admin_client):
    source = make_source()
    prefix = "portal-citation-content_type-object_id"
    response = admin_client.post(
        reverse("admin:programs_program_add"),
        program_form_data(
            tuition_total="45000",
            **{
                f"{prefix}-TOTAL_FORMS": "1",
                f"{prefix}-0-field": "tuition_total",
                f"{prefix}-0-source": source.pk,
                f"{prefix}-0-as_of": "2026-01-01",
                f"{prefix}-0-checked_on": "2026-12-01",
            },
        ),
    )
    assert response.status_code == 302
    program = Program.objects.get()
    assert program.tuition_total == Decimal("45000")
    assert program.fact("tuition_total").citation.source == source


def test_the_same_figure_cannot_cite_two_sources(admin_client):
    prefix = "portal-citation-content_type-object_id"
    first, second = make_source(), make_source()
    response = admin_client.post(
        reverse("admin:programs_program_add"),
        program_form_data(
            credits="36",
            **{
                f"{prefix}-TOTAL_FORMS": "2",
                f"{prefix}-0-field": "credits",
                f"{prefix}-0-source": first.pk,
                f"{prefix}-0-as_of": "2026-01-01",
                f"{prefix}-0-checked_on": "2026-12-01",
                f"{prefix}-1-field": "credits",
                f"{prefix}-1-source": second.pk,
                f"{prefix}-1-as_of": "2026-01-01",
                f"{prefix}-1-checked_on": "2026-12-01",
            },
        ),
    )
    assert (
        "Each fact takes one source; these have several: Credits to graduate."
        in response.content.decode()
    )
    assert not Citation.objects.exists()


def test_publishing_without_a_publication_time_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:programs_program_add"), program_form_data(status="published")
    )
    assert "Set a publication time to publish" in response.content.decode()
    assert not Program.objects.exists()


def test_out_of_range_figures_are_refused(admin_client):
    response = admin_client.post(
        reverse("admin:programs_program_add"),
        program_form_data(completion_rate="140", tuition_total="-1", min_gpa="5"),
    )
    content = response.content.decode()
    assert "Ensure this value is less than or equal to 100" in content
    assert "Ensure this value is greater than or equal to 0" in content
    assert "Ensure this value is less than or equal to 4" in content
    assert not Program.objects.exists()


def test_program_change_page_links_to_the_public_page(admin_client):
    program = make_program()
    content = admin_client.get(
        reverse("admin:programs_program_change", args=[program.pk])
    ).content.decode()
    ct = ContentType.objects.get_for_model(Program)
    assert f"/admin/r/{ct.pk}/{program.pk}/" in content


def image_bytes(fmt, size=(10, 10)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, fmt)
    return buffer.getvalue()


def post_logo(client, upload):
    return client.post(
        reverse("admin:programs_institution_add"),
        {
            "name": "Example University",
            "slug": "example-university",
            "logo": upload,
            "accreditations-TOTAL_FORMS": "0",
            "accreditations-INITIAL_FORMS": "0",
        },
    )


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_logo_accepts_png_jpeg_and_webp(admin_client, settings, tmp_path, fmt):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(f"logo.{fmt.lower()}", image_bytes(fmt))
    assert post_logo(admin_client, upload).status_code == 302
    name = Institution.objects.get().logo.name
    extension = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}[fmt]
    assert re.fullmatch(rf"logos/[0-9a-f]{{32}}\.{extension}", name)
    with Image.open(tmp_path / name) as stored:
        assert stored.format == fmt and stored.size == (10, 10)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"this is not an image", "Upload a valid image."),
        (
            "logo.gif",
            image_bytes("GIF"),
            "GIF images are not accepted. Upload a PNG, JPEG or WebP file.",
        ),
        ("logo.bmp", image_bytes("BMP"), "BMP images are not accepted."),
    ],
)
def test_logo_refuses_what_is_not_a_png_jpeg_or_webp(
    admin_client, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    response = post_logo(admin_client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Institution.objects.exists()


def test_logo_refuses_an_oversized_file(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    upload = SimpleUploadedFile("logo.png", image_bytes("PNG", (400, 400)) + b"\0" * 2000)
    response = post_logo(admin_client, upload)
    assert "the limit is 1000\xa0bytes" in response.content.decode()
    assert not Institution.objects.exists()


def test_logo_refuses_too_many_pixels(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.IMAGE_UPLOAD_MAX_PIXELS = 100 * 100
    response = post_logo(
        admin_client, SimpleUploadedFile("logo.png", image_bytes("PNG", (101, 100)))
    )
    assert "This image is 101×100 pixels; the limit is 10,000 pixels" in response.content.decode()
    assert not Institution.objects.exists()


def test_program_list_says_which_programs_are_scheduled(admin_client):
    import datetime

    from django.utils import timezone

    make_program(title="Live one")
    make_program(title="Later one", published_at=timezone.now() + datetime.timedelta(days=30))
    make_program(title="Draft one", status="draft", published_at=None)
    content = admin_client.get(changelist_url(Program)).content.decode()
    assert "Scheduled for" in content
    assert "Public since" in content
    assert ">Draft<" in content


def test_a_figure_without_a_source_is_also_reported_at_the_top(admin_client):
    response = admin_client.post(
        reverse("admin:programs_program_add"), program_form_data(tuition_total="45000")
    )
    messages = [str(message) for message in response.context["messages"]]
    assert any("These facts have a value but no source: Total tuition" in m for m in messages)


def test_citation_list_names_the_record_and_the_figure(admin_client):
    program = make_program(title="MS in Clinical AI", credits=30)
    cite(program, "credits", make_source(title="Catalogue 2026"))
    content = admin_client.get(changelist_url(Citation)).content.decode()
    assert "MS in Clinical AI" in content
    assert '<td class="field-figure">Credits to graduate</td>' in content


def test_a_slug_the_site_uses_for_its_own_pages_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:programs_program_add"), program_form_data(slug="compare")
    )
    shown = html.unescape(response.content.decode())  # as the editor reads it
    assert "“compare” is used by the site's own pages; choose another." in shown
    assert not Program.objects.exists()


def test_logo_is_stored_without_metadata_under_a_generated_name(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co"  # Make
    exif[0x8298] = "Jane Doe, 12 Home Street"  # Copyright
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(buffer, "JPEG", exif=exif, comment=b"private note")
    post_logo(admin_client, SimpleUploadedFile("jane-doe-home.jpg", buffer.getvalue()))
    stored_name = Institution.objects.get().logo.name
    assert "jane" not in stored_name
    raw = (tmp_path / stored_name).read_bytes()
    assert b"Secret Camera" not in raw and b"Jane Doe" not in raw and b"private note" not in raw
    with Image.open(tmp_path / stored_name) as stored:
        assert not stored.getexif()
        assert stored.size == (30, 20)


def test_a_full_disk_gives_the_editor_an_error_and_saves_nothing(
    admin_client, settings, tmp_path, monkeypatch
):
    from django.core.files.storage import FileSystemStorage

    settings.MEDIA_ROOT = tmp_path

    def disk_full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    response = post_logo(admin_client, SimpleUploadedFile("logo.png", image_bytes("PNG")))
    assert response.status_code == 200
    assert "The logo could not be stored: the server has no room for it. Nothing was saved" in (
        response.content.decode()
    )
    assert not Institution.objects.exists()
    assert not list(tmp_path.rglob("*.png"))


def test_a_format_without_a_source_is_refused_like_a_figure(admin_client):
    response = admin_client.post(
        reverse("admin:programs_program_add"), program_form_data(delivery_format="online")
    )
    assert response.status_code == 200
    assert "These facts have a value but no source: Format." in response.content.decode()
    assert not Program.objects.exists()


def test_one_source_for_the_rest_lists_the_facts_then_cites_them_once_confirmed(admin_client):
    source = make_source(title="Program page")
    data = program_form_data(
        tuition_total="45000",
        delivery_format="online",
        cite_rest_with=source.pk,
        cite_rest_as_of="2026-09-01",
        cite_rest_checked_on="2026-11-30",
        cite_rest_note="Fall 2026 intake.",
    )

    listed = admin_client.post(reverse("admin:programs_program_add"), data)
    assert listed.status_code == 200
    page = listed.content.decode()
    assert (
        f"These facts will cite “{source}” (as of 1 September 2026, checked on 30 November "
        "2026): Format, Total tuition." in page
    )
    assert not Program.objects.exists()

    confirmed = admin_client.post(
        reverse("admin:programs_program_add"),
        {**data, "cite_rest_confirmed": "on"},
    )
    assert confirmed.status_code == 302
    program = Program.objects.get()
    for name in ("tuition_total", "delivery_format"):
        citation = program.fact(name).citation
        assert citation.source == source
        assert citation.as_of.isoformat() == "2026-09-01"
        assert citation.checked_on.isoformat() == "2026-11-30"
        assert citation.note == "Fall 2026 intake."
    # Only facts with a value are cited.
    assert set(Citation.objects.values_list("field", flat=True)) == {
        "tuition_total",
        "delivery_format",
    }


def test_one_source_for_the_rest_needs_the_day_it_was_read(admin_client):
    response = admin_client.post(
        reverse("admin:programs_program_add"),
        program_form_data(tuition_total="45000", cite_rest_with=make_source().pk),
    )
    assert response.status_code == 200
    assert "Give the day you read the page." in response.content.decode()
    assert not Program.objects.exists()


def test_one_source_for_the_rest_may_state_no_date(admin_client):
    source = make_source(title="Undated page")
    data = program_form_data(
        tuition_total="45000", cite_rest_with=source.pk, cite_rest_checked_on="2026-12-01"
    )
    listed = admin_client.post(reverse("admin:programs_program_add"), data).content.decode()
    assert "(a page that states no date, checked on 1 December 2026): Total tuition." in listed
    admin_client.post(reverse("admin:programs_program_add"), {**data, "cite_rest_confirmed": "on"})
    citation = Program.objects.get().fact("tuition_total").citation
    assert citation.as_of is None and citation.checked_on.isoformat() == "2026-12-01"


def test_a_new_program_is_saved_with_its_accreditation_inline(admin_client):
    from programs.models import Accreditor

    accreditor = Accreditor.objects.create(
        slug="cahiim",
        name="Commission on Accreditation for Health Informatics",
        scope="programmatic",
    )
    response = admin_client.post(
        reverse("admin:programs_program_add"),
        program_form_data(
            **{
                "accreditations-TOTAL_FORMS": "1",
                "accreditations-0-accreditor": accreditor.pk,
                "accreditations-0-status": "accredited",
                "accreditations-0-verified_on": "2026-11-30",
                "accreditations-0-url": "https://example.org/accredited",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()
    accreditation = Program.objects.get().accreditations.get()
    assert accreditation.accreditor == accreditor
    assert accreditation.institution is None


def test_a_new_institution_is_saved_with_its_accreditation_inline(admin_client):
    from programs.models import Accreditor

    accreditor = Accreditor.objects.create(
        slug="msche", name="Middle States Commission on Higher Education", scope="institutional"
    )
    response = admin_client.post(
        reverse("admin:programs_institution_add"),
        {
            "name": "Hood College",
            "slug": "hood-college",
            "country": "United States",
            "accreditations-TOTAL_FORMS": "1",
            "accreditations-INITIAL_FORMS": "0",
            "accreditations-0-accreditor": accreditor.pk,
            "accreditations-0-status": "accredited",
            "accreditations-0-verified_on": "2026-11-30",
            "accreditations-0-url": "https://www.msche.org/institution/0167/",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert (
        Institution.objects.get(slug="hood-college").accreditations.get().accreditor == accreditor
    )
