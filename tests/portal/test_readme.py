"""The docs' numbers about the shipped catalogue are the catalogue's: the coverage table in
docs/editors.md is what `catalogue_report --coverage` prints, and the counts in "Demo content"
are the counts."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from careers.models import Career, Certification, StatePay
from programs.models import Institution, Program

pytestmark = pytest.mark.django_db

README = (Path(__file__).resolve().parents[2] / "docs" / "editors.md").read_text()


@pytest.fixture
def shipped():
    call_command("load_demo", stdout=io.StringIO())


def test_the_coverage_table_is_what_the_report_prints(shipped):
    out = io.StringIO()
    call_command("catalogue_report", "--coverage", stdout=out)
    printed = [line for line in out.getvalue().splitlines() if line.startswith("|")]
    shown = README.split("<!-- coverage -->\n", 1)[1].split("<!-- /coverage -->", 1)[0]
    assert shown.splitlines() == printed
    assert len(printed) >= 9


def test_the_demo_content_counts_are_the_catalogues(shipped):
    published = Program.objects.published()
    institutions = Institution.objects.filter(programs__in=published).distinct().count()
    assert f"{published.count()} real master's programs at {institutions} institutions" in README
    assert f"{Career.objects.published().count()} careers with" in README
    assert f"{Certification.objects.published().count()} certifications from" in README
    assert f'"Pay by state" sheet ({StatePay.objects.count()} rows)' in README
    drafts = Program.objects.exclude(pk__in=published).count()
    assert drafts == 3 and "The three programs\n   it names" in README
    # Every published program leads to a career, as "How programs lead to careers" says.
    assert all(program.careers_shown() for program in published.for_detail())
    assert re.search(r"so a program page lists every career of\s+its field", README)
