"""The read-only JSON API: the list's filters and counts, each fact with its source inline,
errors as JSON (never a server error), limits per address, CORS, validators and OpenAPI."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from tests.factories import cite, make_career, make_certification, make_program, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    source = make_source(title="Program page")
    programs = []
    for n, (fmt, tuition) in enumerate([("online", 30000), ("online", 50000), ("campus", 40000)]):
        program = make_program(title=f"MS {n}", delivery_format=fmt, tuition_total=Decimal(tuition))
        cite(program, "delivery_format", source)
        cite(program, "tuition_total", source)
        programs.append(program)
    make_program(title="Draft MS", status="draft", published_at=None)
    make_career(title="Health data analyst")
    make_certification(name="CPHIMS")
    return programs


def get(url, **headers):
    response = Client().get(url, **headers)
    assert response["Content-Type"].startswith("application/json"), url
    return response, json.loads(response.content)


@pytest.mark.parametrize(
    "query",
    ["", "format=online", "format=online&format=campus", "max_tuition=45000", "sort=-tuition"],
)
def test_counts_equal_the_lists_for_the_same_filters(catalogue, query):
    listed = Client().get(f"/programs/?{query}").context["page_obj"].paginator.count
    _, data = get(f"/api/v1/programs?{query}")
    assert data["count"] == listed
    assert len(data["results"]) == listed


def test_each_fact_with_its_source_inline_and_never_a_draft(catalogue):
    _, data = get("/api/v1/programs?sort=tuition")
    assert [r["title"] for r in data["results"]] == ["MS 0", "MS 2", "MS 1"]
    tuition = data["results"][0]["facts"]["tuition_total"]
    assert tuition["value"] == 30000
    assert tuition["source"]["title"] == "Program page"
    assert tuition["source"]["checked_on"]
    _, one = get(f"/api/v1/programs/{catalogue[0].slug}")
    assert one["facts"]["delivery_format"]["value"] == "online"
    assert one["facts"]["min_gpa"] == {"value": None, "text": None, "source": None}
    assert get("/api/v1/programs?q=Draft")[1]["count"] == 0


@pytest.mark.parametrize(
    ("url", "status", "detail"),
    [
        ("/api/v1/programs?max_tuition=a lot", 400, "make no sense"),
        ("/api/v1/programs?format=spaceship", 400, "make no sense"),
        ("/api/v1/programs?sort=nonsense", 400, "make no sense"),
        ("/api/v1/programs?fit=meets", 400, "profile"),
        ("/api/v1/programs?page=99", 404, "No such page"),
        ("/api/v1/programs?page=abc", 404, "No such page"),
        ("/api/v1/programs/no-such-program", 404, "No program here"),
        ("/api/v1/careers?min_salary=-1e999", 400, "make no sense"),
        ("/api/v1/elsewhere", 404, "No such endpoint"),
        ("/api/v1/programs?max_tuition=99999999999999999999999999", 400, "make no sense"),
    ],
)
def test_bad_input_is_a_json_error(catalogue, url, status, detail):
    response, data = get(url)
    assert response.status_code == status
    assert detail in data["detail"]
    if status == 400 and "errors" in data:
        assert all(isinstance(messages, list) for messages in data["errors"].values())


def test_pages_link_to_each_other(catalogue, settings):
    settings.API_PAGE_SIZE = 2
    _, first = get("/api/v1/programs")
    assert (first["count"], first["pages"], first["previous"]) == (3, 2, None)
    _, second = get(first["next"].removeprefix("http://testserver"))
    assert len(second["results"]) == 1 and second["next"] is None


def test_other_kinds(catalogue):
    assert get("/api/v1/careers")[1]["results"][0]["title"] == "Health data analyst"
    assert get("/api/v1/certifications")[1]["results"][0]["name"] == "CPHIMS"
    institutions = get("/api/v1/institutions")[1]
    assert institutions["count"] == 3
    slug = institutions["results"][0]["slug"]
    assert get(f"/api/v1/institutions/{slug}")[1]["slug"] == slug


def test_cors_validators_and_limits(catalogue, settings):
    response, _ = get("/api/v1/programs")
    assert response["Access-Control-Allow-Origin"] == "*"
    revisit = Client().get("/api/v1/programs", HTTP_IF_NONE_MATCH=response["ETag"])
    assert revisit.status_code == 304
    settings.API_REQUESTS_PER_MINUTE = 2
    client = Client(REMOTE_ADDR="192.0.2.9")
    answers = [client.get("/api/v1/careers").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert "wait a minute" in json.loads(client.get("/api/v1/careers").content)["detail"]
    assert Client(REMOTE_ADDR="192.0.2.10").get("/api/v1/careers").status_code == 200


def test_the_openapi_schema_and_its_docs(catalogue):
    _, schema = get("/api/v1/openapi.json")
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/programs", "/api/v1/programs/{slug}", "/api/v1/institutions"} <= set(
        schema["paths"]
    )
    names = {p["name"] for p in schema["paths"]["/api/v1/programs"]["get"]["parameters"]}
    assert {"q", "format", "max_tuition", "sort", "page"} <= names
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200 and "swagger" in docs.content.decode().lower()


def test_garbage_never_makes_a_server_error(catalogue):
    garbage = ["%00", "'; DROP TABLE", "9" * 400, "-1", "NaN", "ünïcödé", "[]", "{}"]
    client = Client()
    for path in ["/api/v1/programs", "/api/v1/careers", "/api/v1/certifications"]:
        for value in garbage:
            for name in ["q", "format", "sort", "page", "max_tuition", "min_salary", "max_fee"]:
                response = client.get(path, {name: value}, REMOTE_ADDR=f"10.0.0.{len(value)}")
                assert response.status_code < 500, (path, name, value)
                assert response["Content-Type"].startswith("application/json"), (name, value)
