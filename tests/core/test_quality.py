"""The editors' to-do list: what each entry is missing, old figures, sources without a URL."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.urls import reverse

from core import quality
from tests.factories import cite, make_career, make_program, make_source

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


def report_text(**options):
    from io import StringIO

    out = StringIO()
    call_command("catalogue_report", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def catalogue(settings, monkeypatch):
    monkeypatch.setattr(quality.timezone, "localdate", lambda: TODAY)
    settings.STALE_AFTER_MONTHS = 18
    thin = make_program(title="Thin program", tuition_total=40000)
    cite(thin, "tuition_total", make_source(title="Fees 2019"), as_of=datetime.date(2019, 9, 1))
    full = make_program(title="Fuller program", tuition_total=30000, credits=36, gre="not_required")
    page = make_source(title="Program page")
    for name in ("tuition_total", "credits", "gre"):
        cite(full, name, page, as_of=datetime.date(2026, 11, 30))
    career = make_career(title="Clinical data scientist", median_salary=100000)
    cite(career, "median_salary", make_source(title="Handbook", url=""), as_of=TODAY)
    return thin, full, career


def test_the_report_lists_each_entry_with_what_it_is_missing_fewest_facts_first(catalogue):
    lines = report_text().splitlines()
    programs = [line for line in lines if line.startswith("  program: ")]
    assert programs[0].startswith("  program: Thin program — ")
    assert ": 1 of " in programs[0]
    assert "missing: " in programs[0] and "Total tuition" not in programs[0]
    assert programs[1].startswith("  program: Fuller program — ")
    assert ": 3 of " in programs[1]
    assert any(line.startswith("  career: Clinical data scientist: 1 of ") for line in lines)


HEADING = "Figures that may have changed: dated, or last checked, before"


def test_the_report_lists_figures_older_than_the_limit(catalogue):
    text = report_text()
    assert f"{HEADING} 1 June 2025 (1):" in text
    assert "Total tuition, as of 2019–20, checked on 1 Sep 2019: Fees 2019" in text
    assert "as of 30 November 2026" not in text
    assert f"{HEADING} 1 June 2019 (0):" in report_text(months=90)


def test_a_page_that_states_no_date_counts_from_its_last_reading(catalogue):
    thin, _, _ = catalogue
    fresh = make_program(title="Read lately", credits=30)
    cite(fresh, "credits", make_source(title="Lately"), as_of=None, checked_on=TODAY)
    cite(
        thin,
        "credits",
        make_source(title="Long ago"),
        as_of=None,
        checked_on=datetime.date(2023, 5, 2),
    )
    thin.credits = 30
    thin.save()
    text = report_text()
    assert f"{HEADING} 1 June 2025 (2):" in text
    assert "Credits to graduate, date not stated, checked on 2 May 2023: Long ago" in text
    assert "Lately" not in text


def test_the_report_lists_citations_whose_source_has_no_url(catalogue):
    text = report_text()
    assert "Citations whose source has no URL (1):" in text
    assert "Clinical data scientist: Median annual salary, Handbook" in text


def test_the_admin_page_shows_the_report_to_staff_who_may_view_content(catalogue, client):
    url = reverse("catalogue_report")
    staff = User.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_program"))
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thin program" in page
    assert f"{HEADING} 1 June 2025 (1)" in page
    assert "<td>Total tuition</td>" in page


def test_the_admin_index_links_to_the_report(admin_client):
    assert reverse("catalogue_report") in admin_client.get(reverse("admin:index")).content.decode()
