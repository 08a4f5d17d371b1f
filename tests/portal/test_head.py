"""Every page's head: a title search results show whole, a description of its own, an absolute
canonical address, noindex where a page is one visitor's results or a form, and the tags a
shared link is shown with."""

import re

import pytest
from django.test import Client

from core.templatetags.pages import fit_title
from tests.factories import make_career, make_certification, make_institution, make_program

pytestmark = pytest.mark.django_db


def head(url):
    page = Client().get(url).content.decode()
    found = lambda pattern: (re.search(pattern, page) or [None, None])[1]  # noqa: E731
    return {
        "title": found(r"<title>(.*?)</title>"),
        "description": found(r'<meta name="description" content="([^"]*)"'),
        "canonical": found(r'<link rel="canonical" href="([^"]*)"'),
        "robots": found(r'<meta name="robots" content="([^"]*)"'),
        "og:title": found(r'<meta property="og:title" content="([^"]*)"'),
        "og:description": found(r'<meta property="og:description" content="([^"]*)"'),
        "og:url": found(r'<meta property="og:url" content="([^"]*)"'),
        "twitter:card": found(r'<meta name="twitter:card" content="([^"]*)"'),
    }


@pytest.fixture
def pages():
    long_name = "The Very Long Named University of Health Sciences and Clinical Informatics"
    program = make_program(
        title="Master of Science in Artificial Intelligence for Healthcare Leaders",
        institution=make_institution(name=long_name),
    )
    return {
        "/": "index",
        "/programs/": "index",
        "/institutions/": "index",
        "/careers/": "index",
        "/certifications/": "index",
        "/about/": "index",
        program.get_absolute_url(): "index",
        program.institution.get_absolute_url(): "index",
        make_career().get_absolute_url(): "index",
        make_certification().get_absolute_url(): "index",
        "/programs/?format=online": "index",
        "/programs/?format=online&gre=optional": "noindex",
        "/programs/?sort=tuition": "index",
        "/programs/?q=nursing": "noindex",
        "/search/?q=nursing": "noindex",
        "/fit/": "noindex",
        f"/programs/compare/?p={program.slug}": "noindex",
        f"/corrections/program/{program.slug}/": "noindex",
        f"{program.get_absolute_url()}reviews/new/": "noindex",
        f"{program.get_absolute_url()}payback/": "noindex",
    }


def test_every_page_has_a_short_title_its_own_description_and_canonical(pages):
    descriptions = {}
    for url, expected in pages.items():
        tags = head(url)
        assert tags["title"] and len(tags["title"]) <= 60, (url, tags)
        assert tags["description"], url
        assert tags["canonical"].startswith("http://testserver/"), url
        assert tags["og:title"] and tags["og:description"] == tags["description"], url
        assert tags["og:url"] == tags["canonical"], url
        assert tags["twitter:card"] == "summary", url
        assert (tags["robots"] == "noindex, follow") == (expected == "noindex"), url
        if expected == "index" and "?" not in url:
            descriptions.setdefault(tags["description"], []).append(url)
    shared = {text: urls for text, urls in descriptions.items() if len(urls) > 1}
    assert shared == {}


def test_lists_point_to_their_canonical_form(pages):
    assert (
        head("/programs/?sort=tuition&utm_source=x")["canonical"] == "http://testserver/programs/"
    )
    one_facet = head("/programs/?format=online&sort=name")
    assert one_facet["canonical"] == "http://testserver/programs/?format=online"
    assert head("/programs/?format=online&gre=optional")["canonical"] == (
        "http://testserver/programs/"
    )


def test_a_long_title_is_cut_at_a_word():
    assert fit_title("Short") == "Short · AI Degree Portal"
    cut = fit_title("Master of Science in Artificial Intelligence for Healthcare Leaders, Long U")
    assert cut == "Master of Science in Artificial Intelligence for Healthcare…"
    assert fit_title("Nurse&#x27;s guide") == "Nurse's guide · AI Degree Portal"
    assert fit_title("<b>&") == "&lt;b&gt;&amp; · AI Degree Portal"
