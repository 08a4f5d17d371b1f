"""Visitors with a session (a comparison tray, a fit profile) still get pages from the cache
wherever their session changes nothing, their own stored version where it does, and never
another visitor's; the cache takes a bounded number of new pages."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from careers.models import ProgramCareer
from tests.factories import make_career, make_certification, make_program

pytestmark = pytest.mark.django_db


def token_free(content):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)


def with_tray(*programs):
    visitor = Client()
    for program in programs:
        visitor.post("/compare/tray/", {"kind": "programs", "slug": program.slug, "action": "add"})
    visitor.get("/about/")  # shows (and so clears) the "Added …" message
    return visitor


def with_fit_profile():
    visitor = Client()
    visitor.get("/fit/", {"role": "rn", "gpa": "3.2", "programming": "none", "gre": "no"})
    return visitor


@pytest.fixture
def site():
    program = make_program(title="MS in Clinical AI", slug="clinical-ai")
    other = make_program(title="MS in Health Data", slug="health-data")
    career = make_career(title="Clinical data analyst")
    ProgramCareer.objects.create(program=program, career=career)
    certification = make_certification(name="Certified Health Data Analyst")
    return program, other, career, certification


def test_a_tray_of_programs_leaves_every_other_page_shared_and_cached(
    site, django_assert_num_queries
):
    program, _, career, certification = site
    shared = ["/", "/about/", "/careers/", career.get_absolute_url(), "/certifications/"]
    shared.append(certification.get_absolute_url())
    pages = {url: token_free(Client().get(url).content.decode()) for url in shared}
    visitor = with_tray(program)
    for url in shared:
        with django_assert_num_queries(0):  # their session and the page, both from the cache
            content = visitor.get(url).content.decode()
        assert token_free(content) == pages[url], url


def test_a_page_showing_the_tray_is_stored_for_that_tray_and_served_again(
    site, django_assert_num_queries
):
    program, other, _, _ = site
    anonymous = Client().get("/programs/").content.decode()
    assert "Your comparison" not in anonymous
    visitor = with_tray(program)
    first = visitor.get("/programs/").content.decode()
    assert "Your comparison: 1 of 4 programs" in first
    with django_assert_num_queries(0):  # their own stored page
        again = visitor.get("/programs/").content.decode()
    assert token_free(again) == token_free(first)
    # Another visitor with the same tray shares it; one with another tray never gets it.
    same_tray = with_tray(program)
    with django_assert_num_queries(0):
        same = same_tray.get("/programs/").content.decode()
    assert token_free(same) == token_free(first)
    different = with_tray(other).get("/programs/").content.decode()
    assert "Your comparison: 1 of 4 programs" in different
    assert "<span><bdi>MS in Health Data" in different
    assert "MS in Clinical AI" not in different.split("Your comparison")[1].split("</aside>")[0]
    assert "Your comparison" not in Client().get("/programs/").content.decode()


def test_a_fit_profile_is_shown_to_its_reader_only_and_cached_for_them(
    site, django_assert_num_queries
):
    program, _, _, _ = site
    Client().get(program.get_absolute_url())  # stored for visitors without a profile
    reader = with_fit_profile()
    mine = reader.get(program.get_absolute_url()).content.decode()
    assert "Change your answers" in mine
    with django_assert_num_queries(0):
        assert token_free(reader.get(program.get_absolute_url()).content.decode()) == (
            token_free(mine)
        )
    assert "Change your answers" not in Client().get(program.get_absolute_url()).content.decode()
    # The career list shows no fit: the one stored for everyone.
    Client().get("/careers/")
    with django_assert_num_queries(0):
        reader.get("/careers/")


def test_a_waiting_message_is_shown_once_then_the_page_comes_from_the_cache(
    site, django_assert_num_queries
):
    program, _, _, _ = site
    Client().get("/about/")
    visitor = Client()
    visitor.post("/compare/tray/", {"kind": "programs", "slug": program.slug, "action": "add"})
    assert "Added “<bdi>MS in Clinical AI" in visitor.get("/about/").content.decode()
    with django_assert_num_queries(0):
        assert "Added “" not in visitor.get("/about/").content.decode()


def stored_pages():
    return [key for key in cache._cache if ":page:" in key]


def test_the_cache_takes_a_bounded_number_of_new_pages(settings, site):
    settings.PAGE_CACHE_MAX_NEW = 3
    for n in range(6):
        response = Client().get(f"/programs/?q=word{n}")
        assert response.status_code == 200
    assert len(stored_pages()) == 3
    # What is stored is still served; what is not is rendered, as before.
    assert Client().get("/programs/?q=word0").status_code == 200
    assert Client().get("/programs/?q=word5").status_code == 200
    assert len(stored_pages()) == 3
