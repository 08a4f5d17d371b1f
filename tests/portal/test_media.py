"""Uploaded logos are served with debug off, by the portal itself on one machine."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from programs.models import Institution
from tests.factories import make_program
from tests.programs.test_admin import image_bytes, post_logo

pytestmark = pytest.mark.django_db


def test_a_logo_uploaded_with_debug_off_is_served(admin_client, settings, tmp_path):
    assert settings.DEBUG is False
    settings.MEDIA_ROOT = tmp_path
    post_logo(admin_client, SimpleUploadedFile("logo.png", image_bytes("PNG", (20, 10))))
    institution = Institution.objects.get()
    program = make_program(institution=institution)
    page = Client().get(program.get_absolute_url()).content.decode()
    src = institution.logo.url
    assert f'src="{src}"' in page
    response = Client().get(src)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as served:
        assert served.size == (20, 10)


@pytest.mark.parametrize(
    "path",
    [
        "/media/logos/missing.png",
        "/media/../portal/settings.py",
        "/media/logos/%2e%2e/%2e%2e/pyproject.toml",
        "/media/notes.txt",
        "/media/logos/",
    ],
)
def test_nothing_but_an_uploaded_image_is_served_from_media(settings, tmp_path, path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "notes.txt").write_text("private")
    assert Client().get(path).status_code == 404
