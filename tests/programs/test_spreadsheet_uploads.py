"""An import's upload waits between its preview and its confirmation, and no longer: removed
once confirmed, cancelled or refused, and a day after a preview was abandoned."""

import os
import time

import pytest
from django.core.management import call_command

from programs.models import Program
from tests.factories import make_institution
from tests.programs.test_spreadsheet_import import IMPORT, confirm, csv_file, preview, row

pytestmark = pytest.mark.django_db

CANCEL = "/admin/programs/program/import/cancel/"


@pytest.fixture
def institution():
    return make_institution(name="Example University", slug="example-university")


@pytest.fixture
def waiting(media_root):
    """The uploads waiting for a confirmation, by name."""
    folder = media_root / "django-import-export"
    return lambda: sorted(os.listdir(folder)) if folder.exists() else []


def test_an_upload_waits_for_its_confirmation_and_goes_with_it(admin_client, institution, waiting):
    response = preview(admin_client, csv_file([row()]))
    name = response.context["confirm_form"].initial["import_file_name"]
    assert waiting() == [name]
    confirm(admin_client, response)
    assert Program.objects.filter(slug="ms-clinical-ai").exists()
    assert waiting() == []


def test_a_refused_file_is_not_kept(admin_client, institution, waiting):
    content = preview(admin_client, csv_file([row(gre="maybe")])).content.decode()
    assert "Nothing was imported" in content
    assert waiting() == []
    unreadable = preview(admin_client, csv_file([row()], encoding="utf-16"))
    assert "This file is not UTF-8 text." in unreadable.content.decode()
    assert waiting() == []


def test_cancel_discards_the_upload_and_imports_nothing(admin_client, institution, waiting):
    response = preview(admin_client, csv_file([row()]))
    assert "Cancel: discard this file" in response.content.decode()
    name = response.context["confirm_form"].initial["import_file_name"]
    cancelled = admin_client.post(CANCEL, {"import_file_name": name}, follow=True)
    assert "Import cancelled: nothing was imported." in cancelled.content.decode()
    assert waiting() == []
    assert not Program.objects.exists()


def test_cancel_removes_only_an_upload(admin_client, media_root, waiting, institution):
    kept = media_root / "logos" / "kept.png"
    kept.parent.mkdir()
    kept.write_bytes(b"x")
    preview(admin_client, csv_file([row()]))
    for name in ["../logos/kept.png", "../../etc/passwd", "", "ABC"]:
        admin_client.post(CANCEL, {"import_file_name": name})
    assert kept.exists()
    assert len(waiting()) == 1
    assert admin_client.get(CANCEL).status_code == 403


def test_abandoned_uploads_go_after_a_day(admin_client, institution, waiting, media_root):
    for slug in ("a", "b"):
        preview(admin_client, csv_file([row(slug=slug)]))
    old, recent = waiting()
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(media_root / "django-import-export" / old, (two_days_ago, two_days_ago))
    out = call_command_output("clear_import_uploads")
    assert out == "1 abandoned upload removed.\n"
    assert waiting() == [recent]


def test_each_new_upload_clears_the_abandoned_ones(admin_client, institution, waiting, media_root):
    preview(admin_client, csv_file([row(slug="a")]))
    (old,) = waiting()
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(media_root / "django-import-export" / old, (two_days_ago, two_days_ago))
    preview(admin_client, csv_file([row(slug="b")]))
    assert old not in waiting() and len(waiting()) == 1


def test_the_import_page_itself_keeps_nothing(admin_client, waiting):
    assert admin_client.get(IMPORT).status_code == 200
    assert waiting() == []


def call_command_output(*args):
    import io

    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
