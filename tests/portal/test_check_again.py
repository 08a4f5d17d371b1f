"""“Checked again today, still true” in one click, on the catalogue report and on an entry's
admin page: the checked-on date becomes today, the as-of date stays unless the editor gives
one, and the report shows each old figure as readers see it, oldest first."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from core.models import Citation
from tests.factories import cite, make_program, make_source

pytestmark = pytest.mark.django_db

REPORT = reverse("catalogue_report")
RECHECK = reverse("catalogue_recheck")
LONG_AGO = datetime.date(2023, 1, 1)


@pytest.fixture
def program():
    program = make_program(title="MS in Clinical AI", tuition_total=Decimal("40000"), credits=30)
    source = make_source(title="Tuition page")
    cite(program, "tuition_total", source, as_of=LONG_AGO, checked_on=datetime.date(2024, 5, 1))
    cite(program, "credits", source, as_of=None, checked_on=datetime.date(2024, 6, 1))
    return program


def citation(field):
    return Citation.objects.get(field=field)


def test_the_report_shows_old_figures_as_readers_see_them_oldest_first(admin_client, program):
    page = admin_client.get(REPORT).content.decode()
    assert "$40,000 (as of 2023)" in page
    assert "2023 figure; may have changed" in page
    assert "date not stated, checked Jun 2024; may have changed" in page
    assert page.index("2023 figure") < page.index("checked Jun 2024")
    assert 'name="recheck_citation"' in page


def test_one_fact_checked_again_keeps_its_as_of(admin_client, program):
    response = admin_client.post(RECHECK, {"recheck_citation": citation("tuition_total").pk})

    assert response.status_code == 302 and response.url == REPORT
    tuition = citation("tuition_total")
    assert (tuition.as_of, tuition.checked_on) == (LONG_AGO, timezone.localdate())
    assert citation("credits").checked_on == datetime.date(2024, 6, 1)  # untouched
    page = admin_client.get(REPORT).content.decode()
    assert "1 fact of “MS in Clinical AI" in page
    assert "2023 figure; may have changed" in page  # still a 2023 figure


def test_a_new_as_of_date_can_be_given(admin_client, program):
    admin_client.post(
        RECHECK, {"recheck_citation": citation("tuition_total").pk, "as_of": "2026-09-01"}
    )
    tuition = citation("tuition_total")
    assert (tuition.as_of, tuition.checked_on) == (
        datetime.date(2026, 9, 1),
        timezone.localdate(),
    )
    assert "2023 figure" not in admin_client.get(REPORT).content.decode()


def test_a_bad_as_of_date_changes_nothing(admin_client, program):
    response = admin_client.post(
        RECHECK,
        {"recheck_citation": citation("tuition_total").pk, "as_of": "last spring"},
        follow=True,
    )
    assert "not a date" in response.content.decode()
    assert citation("tuition_total").checked_on == datetime.date(2024, 5, 1)


def test_all_facts_of_an_entry_from_its_admin_page(admin_client, program):
    change = reverse("admin:programs_program_change", args=[program.pk])
    page = admin_client.get(change).content.decode()
    assert "All facts checked again today, still true" in page
    assert page.count("Checked again today</button>") == 2  # one per fact

    content_type = citation("credits").content_type_id
    response = admin_client.post(
        f"{RECHECK}?next={change}", {"recheck_entry": f"{content_type}:{program.pk}"}
    )

    assert response.status_code == 302 and response.url == change
    for field in ("tuition_total", "credits"):
        assert citation(field).checked_on == timezone.localdate()
    assert citation("tuition_total").as_of == LONG_AGO
    assert citation("credits").as_of is None
    # One revision, by the editor.
    version = Version.objects.get_for_object(citation("credits")).first()
    assert version.revision.user.username == "admin"
    assert "Checked again" in version.revision.comment


def test_refused_without_post_permission_or_a_fact(
    client, admin_client, program, django_user_model
):
    assert admin_client.get(RECHECK).status_code == 403
    assert admin_client.post(RECHECK, {"recheck_citation": "99999"}).status_code == 404
    assert admin_client.post(RECHECK, {"recheck_entry": "x:y"}).status_code == 404
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(viewer)
    assert client.post(RECHECK, {"recheck_citation": citation("credits").pk}).status_code == 403
    assert citation("credits").checked_on == datetime.date(2024, 6, 1)
    # Back only to this site.
    response = admin_client.post(
        RECHECK + "?next=https://evil.example/", {"recheck_citation": citation("credits").pk}
    )
    assert response.url == REPORT
