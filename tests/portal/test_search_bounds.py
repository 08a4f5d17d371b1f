"""A search ranks every match and keeps the best SEARCH_CANDIDATES: past that, the pages say
"more than", the best of all come first (however early or late they were written), and the
list searched for words alone is paged from that ranking."""

import re

import pytest
from django.urls import reverse

from programs.models import Program
from tests.factories import make_program

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_content_types")]

SEARCH = reverse("search")
LIST = reverse("programs:list")


def text(response):
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def titles(response):
    return [program.title for program in response.context["page_obj"]]


def nursing_programs(n, first=0):
    return [
        make_program(title=f"Program {i}", summary="For nurses moving into data work.")
        for i in range(first, first + n)
    ]


def test_up_to_the_candidates_every_match_is_counted(client, settings):
    settings.SEARCH_CANDIDATES = 3
    nursing_programs(3)
    content = text(client.get(SEARCH, {"q": "nurses"}))
    assert 'Programs <span class="count">(3)</span>' in content
    assert "more than" not in content.lower()
    listed = client.get(LIST, {"q": "nurses"})
    assert "3 programs match" in text(listed)
    assert len(titles(listed)) == 3


def test_past_the_candidates_the_search_page_says_more_than(client, settings):
    settings.SEARCH_CANDIDATES = 3
    nursing_programs(5)
    content = text(client.get(SEARCH, {"q": "nurses"}))
    assert 'Programs <span class="count">(more than 3)</span>' in content
    assert '<a href="#group-programs">Programs (more than 3)</a>' in content
    assert "More than 3 results for “<bdi>nurses</bdi>”" in content
    assert "Where more than 3 match, the best 3 are shown: add a word" in content
    assert re.search(
        r'<a href="/programs/\?q=nurses">More than 3 programs matching “<bdi>nurses</bdi>”', content
    )


def test_the_best_of_all_comes_first(client, settings):
    # Ranking is global: the title match, entered after twenty weaker ones, comes first,
    # though only three are kept.
    settings.SEARCH_CANDIDATES = 3
    nursing_programs(20)
    make_program(title="Nurses into data science", summary="For nurses.")
    content = text(client.get(SEARCH, {"q": "nurses"}))
    results = re.findall(r"<h3><a [^>]*>(.*?)</a></h3>", content)
    shown = [re.sub(r"<[^>]+>", "", result) for result in results]
    assert shown[0] == "Nurses into data science"
    assert len(shown) == 3


def test_the_list_searched_for_words_alone_is_paged_from_the_ranking(client, settings):
    settings.SEARCH_CANDIDATES = 3
    settings.LIST_PAGE_SIZE = 2
    nursing_programs(10)
    make_program(title="Nurses into data science", summary="For nurses.")
    first = client.get(LIST, {"q": "nurses"})
    content = text(first)
    assert "More than 3 programs match; showing 1 to 2." in content
    assert "The best 3 matches are listed: add a word or a filter" in content
    assert "<title>More than 3 AI master's programs" in content
    assert "Skip to the results (more than 3)" in content
    assert (
        "Choose a filter as well as the words to see how many results each option gives" in content
    )
    second = client.get(LIST, {"q": "nurses", "page": 2})
    listed = titles(first) + titles(second)
    assert listed[0] == "Nurses into data science"
    assert len(listed) == 3 and len(set(listed)) == 3
    assert client.get(LIST, {"q": "nurses", "page": 3}).status_code == 404


def test_the_career_list_searched_says_more_than_too(client, settings):
    from tests.factories import make_career

    settings.SEARCH_CANDIDATES = 3
    for n in range(5):
        make_career(title=f"Nurse informaticist {n}")
    content = text(client.get(reverse("careers:list"), {"q": "nurse"}))
    assert "<title>More than 3 healthcare AI careers" in content
    assert "More than 3 careers match" in content


def test_words_with_another_filter_are_counted_exactly(client, settings):
    settings.SEARCH_CANDIDATES = 3
    for program in nursing_programs(5):
        program.delivery_format = Program.Format.ONLINE
        program.save()
    nursing_programs(1, first=5)
    response = client.get(LIST, {"q": "nurses", "format": "online"})
    content = text(response)
    assert "5 programs match" in content
    assert "more than" not in content.lower()
    # The other filters' options are counted again.
    assert re.search(r"Online \(5\)", content)


def test_the_list_searched_costs_the_same_queries_however_many_match(
    client, settings, django_assert_num_queries
):
    # The filters' choices (one query: core.summaries), the ranking (one), then the page's
    # programs by key with their specializations and citations (three); more match than are
    # counted, so no option is counted.
    settings.SEARCH_CANDIDATES = 3
    nursing_programs(4)
    client.get(LIST, {"q": "nurses", "page": 2})  # the summaries worked out
    with django_assert_num_queries(5):
        client.get(LIST, {"q": "nurses"})
    nursing_programs(30, first=4)
    client.get(LIST, {"q": "nurses", "page": 2})
    with django_assert_num_queries(5):
        client.get(LIST, {"q": "nurses"})
