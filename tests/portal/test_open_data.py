"""Open data: the catalogue as CSV and JSON, every fact with its source and dates, a data
dictionary and a licence, and validators that change only with the content."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.test import Client

from tests.factories import cite, make_career, make_certification, make_program, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    program = make_program(title="MS in Clinical AI", tuition_total=Decimal("48000"), credits=30)
    cite(program, "tuition_total", make_source(title="Tuition page", url="https://x.edu/t"))
    draft = make_program(title="Draft MS", status="draft", published_at=None)
    career = make_career(title="Health data analyst", median_salary=Decimal("100000"))
    cite(career, "median_salary", make_source(title="OEWS"))
    make_certification(name="CPHIMS")
    return {"program": program, "draft": draft, "career": career}


def test_the_data_page_lists_downloads_a_dictionary_and_a_licence(client, catalogue):
    page = client.get("/data/").content.decode()
    for name in ["programs", "institutions", "careers", "certifications", "citations"]:
        assert f'href="/data/{name}.csv"' in page and f'href="/data/{name}.json"' in page
    assert "CC BY 4.0" in page and "Each fact remains its source" in page
    assert "<code>tuition_total</code>" in page  # the dictionary


def test_json_gives_each_fact_with_its_source_and_never_a_draft(client, catalogue):
    data = json.loads(client.get("/data/programs.json").content)
    assert data["count"] == 1
    (record,) = data["records"]
    assert record["title"] == "MS in Clinical AI"
    assert record["url"] == f"http://testserver{catalogue['program'].get_absolute_url()}"
    tuition = record["facts"]["tuition_total"]
    assert tuition["value"] == 48000 and tuition["text"] == "$48,000"
    assert tuition["source"]["title"] == "Tuition page"
    assert tuition["source"]["checked_on"]
    # Credits have a value but no source: not reported.
    assert record["facts"]["credits"] == {"value": None, "text": None, "source": None}
    careers = json.loads(client.get("/data/careers.json").content)["records"]
    assert careers[0]["facts"]["median_salary"]["value"] == 100000


def test_csv_has_a_column_per_fact_and_the_sources_apart(client, catalogue):
    response = client.get("/data/programs.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["tuition_total"] == "48000" and rows[0]["credits"] == ""
    citations = list(
        csv.DictReader(io.StringIO(client.get("/data/citations.csv").content.decode()))
    )
    tuition = next(row for row in citations if row["fact"] == "tuition_total")
    assert (tuition["kind"], tuition["source_title"], tuition["source_url"]) == (
        "programs",
        "Tuition page",
        "https://x.edu/t",
    )
    assert not any(row["slug"] == catalogue["draft"].slug for row in citations)


def test_a_download_has_a_validator_that_changes_only_with_the_content(catalogue):
    first = Client().get("/data/programs.json")
    etag = first["ETag"]
    assert Client().get("/data/programs.json", HTTP_IF_NONE_MATCH=etag).status_code == 304
    make_program(title="Another MS")
    assert Client().get("/data/programs.json", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_unknown_downloads_are_a_404(client):
    for url in ["/data/reviews.json", "/data/programs.xml", "/data/programs.csv.bak"]:
        assert client.get(url).status_code == 404, url
