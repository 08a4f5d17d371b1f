"""History and restore (core.history): who changed what, old → new; a version restored with its
inlines in one action; an import undone as a whole."""

from decimal import Decimal

import pytest
from django.urls import reverse
from reversion import create_revision
from reversion.models import Version

from core.models import Citation, ImportRecord
from programs.models import Course, Program
from tests.factories import cite, make_program, make_source
from tests.programs.test_spreadsheet_import import confirm, csv_file, preview, row

pytestmark = pytest.mark.django_db

PREFIX = "portal-citation-content_type-object_id"


def history_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


def restore_url(obj, version):
    name = f"admin:{obj._meta.app_label}_{obj._meta.model_name}_restore"
    return reverse(name, args=[obj.pk, version.pk])


def change_form(program, citation, **overrides):
    data = {
        "institution": program.institution_id,
        "title": program.title,
        "slug": program.slug,
        "degree_type": "ms",
        "currency": "USD",
        "status": "published",
        "published_at_0": "2026-01-01",
        "published_at_1": "10:00:00",
        "tuition_total": "40000",
        "courses-TOTAL_FORMS": "0",
        "courses-INITIAL_FORMS": "0",
        "accreditations-TOTAL_FORMS": "0",
        "accreditations-INITIAL_FORMS": "0",
        "career_links-TOTAL_FORMS": "0",
        "career_links-INITIAL_FORMS": "0",
        f"{PREFIX}-TOTAL_FORMS": "1",
        f"{PREFIX}-INITIAL_FORMS": "1",
        f"{PREFIX}-0-id": citation.pk,
        f"{PREFIX}-0-field": "tuition_total",
        f"{PREFIX}-0-source": citation.source_id,
        f"{PREFIX}-0-as_of": "2026-09-01",
        f"{PREFIX}-0-checked_on": "2026-12-01",
    }
    data.update(overrides)
    return data


@pytest.fixture
def program():
    program = make_program(title="MS in Clinical AI", tuition_total=Decimal("40000"))
    cite(program, "tuition_total", make_source(title="Tuition 2026–27"))
    return program


def test_an_editors_save_shows_who_changed_which_fields_old_to_new(admin_client, program):
    citation = Citation.objects.get()
    change = reverse("admin:programs_program_change", args=[program.pk])
    response = admin_client.post(change, change_form(program, citation, tuition_total="45000"))
    assert response.status_code == 302

    page = admin_client.get(history_url(program)).content.decode()
    assert "<li>Total tuition: 40,000 → 45,000</li>" in page
    assert "<td>admin</td>" in " ".join(page.split()).replace("<td> ", "<td>").replace(
        " </td>", "</td>"
    )
    assert "Changed Publication time and Total tuition." in page  # the admin's own summary
    assert "Restore this version" in page  # the version before this save, kept


def test_restoring_a_version_brings_back_the_entry_and_its_inlines(admin_client, program):
    with create_revision():
        program.save()  # the first version: 40,000, one citation, one course
        Course.objects.create(program=program, title="Clinical data")
    first = Version.objects.get_for_object(program).first()
    other = make_source(title="Tuition 2027–28")
    with create_revision():
        program.tuition_total = Decimal("52000")
        program.save()
        Citation.objects.filter(field="tuition_total").update(source=other)
        Course.objects.create(program=program, title="Added later")
        program.save()

    response = admin_client.post(restore_url(program, first))

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.tuition_total == Decimal("40000")
    assert program.fact("tuition_total").citation.source.title == "Tuition 2026–27"
    assert list(program.courses.values_list("title", flat=True)) == ["Clinical data"]
    page = admin_client.get(history_url(program)).content.decode()
    assert "Restored the version of" in page


def test_restore_is_refused_without_post_or_permission(client, admin_client, program):
    with create_revision():
        program.save()
    version = Version.objects.get_for_object(program).first()
    assert admin_client.get(restore_url(program, version)).status_code == 403
    assert client.post(restore_url(program, version)).status_code == 302  # to the login
    missing = reverse("admin:programs_program_restore", args=[program.pk, version.pk + 999])
    assert admin_client.post(missing).status_code == 404


def test_an_import_is_one_revision_undone_as_a_whole(admin_client, django_user_model):
    from programs.models import Institution

    Institution.objects.create(name="Example University", slug="example-university")
    existing = make_program(
        title="Old title", slug="ms-clinical-ai", tuition_total=Decimal("30000")
    )
    cite(existing, "tuition_total", make_source(title="Old page"))
    upload = csv_file([row(), row(slug="ms-health-ai", title="MS in Health AI")])

    done = confirm(admin_client, preview(admin_client, upload))

    assert done.status_code == 200
    assert "To publish what it brought, or to undo it as a whole" in done.content.decode()
    existing.refresh_from_db()
    assert (existing.title, existing.tuition_total) == ("MS in Clinical AI", Decimal("42000"))
    assert Program.objects.filter(slug="ms-health-ai").exists()
    record = ImportRecord.objects.get()
    assert record.file_name == "programs.csv"
    assert record.revision.user.username == "admin"
    assert admin_client.get(reverse("admin:portal_importrecord_changelist")).status_code == 200

    response = admin_client.post(
        reverse("admin:portal_importrecord_changelist"),
        {"action": "undo_import", "_selected_action": [record.pk]},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Undid “programs.csv") for m in messages), messages
    existing.refresh_from_db()
    assert (existing.title, existing.tuition_total) == ("Old title", Decimal("30000"))
    assert existing.fact("tuition_total").citation.source.title == "Old page"
    assert not Program.objects.filter(slug="ms-health-ai").exists()
    record.refresh_from_db()
    assert record.undone_at is not None
    # An entry restored after the import (its history page) also works.
    assert "Restore this version" in admin_client.get(history_url(existing)).content.decode()


def test_an_import_changed_since_is_not_undone(admin_client):
    from programs.models import Institution

    Institution.objects.create(name="Example University", slug="example-university")
    confirm(admin_client, preview(admin_client, csv_file([row()])))
    program = Program.objects.get(slug="ms-clinical-ai")
    with create_revision():
        program.title = "Edited after"
        program.save()
    record = ImportRecord.objects.get()

    response = admin_client.post(
        reverse("admin:portal_importrecord_changelist"),
        {"action": "undo_import", "_selected_action": [record.pk]},
        follow=True,
    )

    assert any("was not undone" in str(m) for m in response.context["messages"])
    assert Program.objects.filter(slug="ms-clinical-ai", title="Edited after").exists()


def test_publish_what_an_import_brought(admin_client):
    from programs.models import Institution

    Institution.objects.create(name="Example University", slug="example-university")
    kept_draft = make_program(title="Not from the import", status="draft", published_at=None)
    confirm(admin_client, preview(admin_client, csv_file([row()])))
    program = Program.objects.get(slug="ms-clinical-ai")
    assert program.status == "draft"
    record = ImportRecord.objects.get()

    admin_client.post(
        reverse("admin:portal_importrecord_changelist"),
        {"action": "publish_what_it_brought", "_selected_action": [record.pk]},
    )

    program.refresh_from_db()
    assert program.is_public
    assert admin_client.get(program.get_absolute_url()).status_code == 200
    kept_draft.refresh_from_db()
    assert kept_draft.status == "draft"


def test_the_command_import_is_a_revision_too(tmp_path, django_user_model):
    from django.core.management import call_command

    from programs.models import Institution

    Institution.objects.create(name="Example University", slug="example-university")
    path = tmp_path / "programs.csv"
    path.write_bytes(csv_file([row()]).read())
    call_command("import_catalogue", str(path), stdout=__import__("io").StringIO())
    record = ImportRecord.objects.get()
    assert record.file_name == "programs.csv"
    assert record.revision.user is None
    # A dry run records nothing.
    call_command("import_catalogue", str(path), "--dry-run", stdout=__import__("io").StringIO())
    assert ImportRecord.objects.count() == 1


def test_a_version_from_before_an_import_is_restored_from_the_history(admin_client):
    from programs.models import Institution

    Institution.objects.create(name="Example University", slug="example-university")
    existing = make_program(title="Old title", slug="ms-clinical-ai", tuition_total=Decimal(30000))
    cite(existing, "tuition_total", make_source(title="Old page"))
    confirm(admin_client, preview(admin_client, csv_file([row()])))
    existing.refresh_from_db()
    assert existing.tuition_total == Decimal("42000")
    before = Version.objects.get_for_object(existing).order_by("pk").first()

    page = admin_client.get(history_url(existing)).content.decode()
    assert "Imported programs.csv." in page
    assert "Total tuition: 30,000 → 42,000" in page
    admin_client.post(restore_url(existing, before))

    existing.refresh_from_db()
    assert (existing.title, existing.tuition_total) == ("Old title", Decimal("30000"))
    assert existing.fact("tuition_total").citation.source.title == "Old page"
