"""HTTP done well: pages compressed (brotli or gzip), static files in brotli too, and a
validator the same for every visitor, so that a revisit is a 304 with no body."""

import gzip
from pathlib import Path

import brotli
import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return make_program(title="MS in Clinical AI")


def test_pages_are_compressed_with_brotli_or_gzip(client, program):
    plain = client.get("/programs/").content
    as_br = client.get("/programs/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert as_br["Content-Encoding"] == "br"
    assert "Accept-Encoding" in as_br["Vary"]
    assert b"MS in Clinical AI" in brotli.decompress(as_br.content)
    assert len(as_br.content) < len(plain) / 3
    as_gzip = client.get("/programs/", HTTP_ACCEPT_ENCODING="gzip")
    assert as_gzip["Content-Encoding"] == "gzip"
    assert b"MS in Clinical AI" in gzip.decompress(as_gzip.content)
    assert "Content-Encoding" not in client.get("/programs/")


def test_a_revisit_is_answered_304_whoever_asks(program):
    first, second = Client(), Client()
    page = first.get(program.get_absolute_url())
    etag = page["ETag"]
    assert etag.startswith('W/"')
    assert page["Cache-Control"] == "private, no-cache"
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()  # forms, with a token
    # Another visitor, with another CSRF token, gets the same validator.
    assert second.get(program.get_absolute_url())["ETag"] == etag

    revisit = first.get(program.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert revisit.status_code == 304
    assert revisit.content == b""
    compressed = first.get(
        program.get_absolute_url(), HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING="br"
    )
    assert compressed.status_code == 304


def test_the_validator_changes_when_the_content_does(program):
    etag = Client().get("/programs/")["ETag"]
    make_program(title="Another MS")
    changed = Client().get("/programs/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_staff_pages_carry_no_shared_validator(admin_client, program):
    response = admin_client.get("/admin/")
    assert "ETag" not in response
    assert "no-store" in response["Cache-Control"]
    assert "ETag" not in admin_client.get(program.get_absolute_url())


def test_static_files_are_offered_in_brotli(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    css = [p for p in Path(tmp_path, "css").glob("site.*.css") if len(p.suffixes) == 2]
    assert css and Path(f"{css[0]}.br").exists() and Path(f"{css[0]}.gz").exists()
