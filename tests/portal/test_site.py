"""Site-wide guards: migrations, one h1 per public page, settings that fail loudly."""

import datetime
import io
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command

from core.models import Statistic
from programs.models import Program
from tests.factories import cite, make_program, make_source

pytestmark = pytest.mark.django_db


def test_no_missing_migrations():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def public_urls():
    program = make_program()
    from tests.factories import make_career, make_certification

    return [
        "/",
        "/about/",
        "/programs/",
        "/programs/?q=zzz",
        program.get_absolute_url(),
        "/careers/",
        "/careers/?q=zzz",
        make_career().get_absolute_url(),
        "/certifications/",
        "/certifications/?q=zzz",
        make_certification().get_absolute_url(),
    ]


def test_every_public_page_has_exactly_one_h1(client):
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


def test_not_found_page_has_one_h1_and_a_way_back(client):
    response = client.get("/programs/missing/")
    content = response.content.decode()
    assert response.status_code == 404
    assert content.count("<h1") == 1
    assert 'href="/programs/"' in content


def test_home_page_shows_headline_figures_with_their_sources(client):
    source = make_source(title="Market report", publisher="Example Analysts", year=2026)
    statistic = Statistic.objects.create(
        label="Healthcare AI market by 2027",
        slug="market",
        value=Decimal("51"),
        unit="usd_billion",
        on_home_page=True,
    )
    cite(statistic, "value", source, as_of=datetime.date(2026, 1, 1))
    Statistic.objects.create(label="Not on home", slug="hidden", value=1, unit="percent")
    content = client.get("/").content.decode()
    assert "$51 billion" in content
    assert "Healthcare AI market by 2027" in content
    assert "<cite><bdi>Market report</bdi></cite>" in content
    assert "Not on home" not in content
    assert 'href="/programs/"' in content


def test_home_page_statistic_without_source_reads_not_reported(client):
    Statistic.objects.create(
        label="Unsourced", slug="u", value=12, unit="percent", on_home_page=True
    )
    content = client.get("/").content.decode()
    assert "Unsourced" in content
    assert "12%" not in content
    assert "Not reported" in content


def test_home_page_query_count(client, django_assert_num_queries, warm_content_types):
    source = make_source()
    for n in range(4):
        statistic = Statistic.objects.create(
            label=f"Figure {n}", slug=f"f{n}", value=n, unit="percent", on_home_page=True
        )
        cite(statistic, "value", source)
    for n in range(4):
        cite(make_program(tuition_total=40000 + n), "tuition_total", source)
    featured = [program.pk for program in Program.objects.order_by("title", "pk")[:3]]
    # The first visit after a change works out what every visitor sees alike, and keeps it
    # in the database (core.summaries): 1. the summaries, none of this version  2. the
    # content version  3.-5. counts of published programs, careers and certifications
    # 6.-21. the five shortcuts, each a filtered count (the first also works out the
    # filters' choices and stores them: 7 queries and its count; the others read them: 2
    # each)  22. the programs that report the most facts  23. when the next scheduled entry
    # becomes public  24. the summaries stored; then 25.-27. those programs, their
    # specializations, their citations  28.-29. statistics and their citations with sources
    with django_assert_num_queries(29):
        client.get("/")
    cache.clear()  # the page made again, without the cache
    # Every visit after it: 1. when the next scheduled entry becomes public (the emptied
    # cache lost it)  2. the summaries  3.-5. the featured programs, their specializations,
    # their citations  6.-7. statistics and their citations with sources
    with django_assert_num_queries(7):
        response = client.get("/")
    assert [program.pk for program in response.context["featured"]] == featured
    assert response.context["program_count"] == 4


def test_missing_secret_key_without_debug_is_a_clear_error():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "DJANGO_DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_SECRET_KEY": "k"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "False"


def test_every_field_editors_fill_in_has_help_text():
    from django.apps import apps
    from django.contrib import admin

    # Editors fill in the models of the admin (the search index is written by the site).
    missing = [
        f"{model._meta.label}.{field.name}"
        for app in ("portal", "programs", "careers")
        for model in apps.get_app_config(app).get_models()
        if admin.site.is_registered(model)
        for field in model._meta.get_fields()
        if getattr(field, "editable", False)
        and not field.auto_created
        and field.concrete
        and not field.help_text
    ]
    assert missing == []


def test_a_home_shortcut_that_leads_to_no_program_is_not_shown(client):
    make_program(delivery_format="campus", months_part_time=30)
    content = client.get("/").content.decode()
    assert "Online or hybrid programs" not in content
    assert (
        '<a class="shortcut" href="/programs/?pace=part_time"><strong>Programs you can study '
        "part-time</strong>"
    ) in content
    assert '<span class="count">1 program</span>' in content
