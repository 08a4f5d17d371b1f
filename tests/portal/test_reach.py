"""Found by search engines: the sitemap, robots.txt, the favicon and the list of universities."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from tests.factories import make_career, make_certification, make_institution, make_program

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_the_sitemap_lists_every_public_page_and_never_a_draft(client):
    program = make_program(title="Public MS")
    draft = make_program(title="Draft MS", status="draft", published_at=None)
    later = make_program(published_at=timezone.now() + datetime.timedelta(days=1))
    hidden = make_institution(name="Only drafts")
    make_program(institution=hidden, status="draft", published_at=None)
    career, certification = make_career(), make_certification()
    unpublished_career = make_career(status="draft", published_at=None)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    entries = {
        url.find("s:loc", NS).text: url.find("s:lastmod", NS) for url in root.findall("s:url", NS)
    }
    base = "http://testserver"
    for entry in [program, program.institution, career, certification]:
        assert base + entry.get_absolute_url() in entries, entry
        assert entries[base + entry.get_absolute_url()] is not None  # lastmod
    for page in ["/", "/programs/", "/institutions/", "/careers/", "/certifications/", "/about/"]:
        assert base + page in entries
    for entry in [draft, later, hidden, unpublished_career]:
        assert base + entry.get_absolute_url() not in entries, entry
    lastmod = entries[base + program.get_absolute_url()].text
    assert lastmod == program.updated_at.date().isoformat()


def test_robots_names_the_sitemap_and_keeps_engines_off_forms_and_results(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    for path in ["/admin/", "/search/", "/fit/", "/programs/compare/", "/corrections/"]:
        assert f"Disallow: {path}\n" in text


def test_a_favicon_ico(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_the_universities_a_to_z_and_by_place(client):
    south = make_institution(name="Beta University", state="Texas", country="United States")
    north = make_institution(name="Alpha University", state="", country="Canada")
    make_program(institution=south, title="MS in Health AI")
    make_program(institution=south, title="MS in Clinical Data")
    make_program(institution=north, title="MSc in AI")
    make_institution(name="No programs")

    page = client.get("/institutions/").content.decode()
    assert "2 universities with 3 published programs" in page
    assert page.index("Alpha University") < page.index("Beta University")
    assert "Texas, United States · 2 programs" in page and "MS in Clinical Data" in page
    assert "No programs" not in page

    by_place = client.get("/institutions/?by=place").content.decode()
    assert by_place.index("<bdi>Canada</bdi>") < by_place.index("<bdi>Texas</bdi>")
    assert (
        "The order asked for is not one we know"
        in client.get("/institutions/?by=nonsense").content.decode()
    )
