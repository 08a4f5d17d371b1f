"""A search reads a bounded number of matches at any size: past SEARCH_CANDIDATES, the pages
say "more than", the best of those read come first, and the list searched for words alone is
paged from that ranking. On PostgreSQL, the index of each kind is kept in parts that the
search reads in order, stopping once it has enough."""

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core import search
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
    assert "Where more than 3 match, the first 3 found are ranked: add a word" in content
    assert re.search(
        r'<a href="/programs/\?q=nurses">More than 3 programs matching “<bdi>nurses</bdi>”', content
    )


def test_the_best_of_those_read_comes_first(client, settings):
    # Four read (three and one more, to know there are more): the title match, entered
    # last, is ranked first of them, and the weakest is left out.
    settings.SEARCH_CANDIDATES = 3
    nursing_programs(3)
    make_program(title="Nurses into data science", summary="For nurses.")
    content = text(client.get(SEARCH, {"q": "nurses"}))
    results = re.findall(r"<h3><a [^>]*>(.*?)</a></h3>", content)
    shown = [re.sub(r"<[^>]+>", "", result) for result in results]
    assert shown[0] == "Nurses into data science"
    assert len(shown) == 3


def test_the_list_searched_for_words_alone_is_paged_from_the_ranking(client, settings):
    settings.SEARCH_CANDIDATES = 3
    settings.LIST_PAGE_SIZE = 2
    nursing_programs(3)
    make_program(title="Nurses into data science", summary="For nurses.")
    first = client.get(LIST, {"q": "nurses"})
    content = text(first)
    assert "More than 3 programs match; showing 1 to 2." in content
    assert "The first 3 found are ranked and listed: add a word or a filter" in content
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
    # The ranking (one query), then the page's programs by key with their specializations
    # and citations (three); more match than are counted, so no option is counted.
    settings.SEARCH_CANDIDATES = 3
    nursing_programs(4)
    client.get(LIST, {"q": "nurses", "page": 2})  # the filter form's choices, cached
    with django_assert_num_queries(4):
        client.get(LIST, {"q": "nurses"})
    nursing_programs(30, first=4)
    client.get(LIST, {"q": "nurses", "page": 2})
    with django_assert_num_queries(4):
        client.get(LIST, {"q": "nurses"})


def test_each_part_of_the_index_is_twice_the_one_before():
    assert search.part_starts(100_000, 2_500) == [0, 2_500, 7_500, 17_500, 37_500, 77_500]
    assert search.part_starts(0, 5) == [0]
    assert search.part_starts(4, 5) == [0]
    assert search.part_starts(5, 5) == [0, 5]
    assert search.part_starts(14, 5) == [0, 5]
    assert search.part_starts(15, 5) == [0, 5, 15]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's part indexes")
def test_the_index_is_kept_in_parts_that_follow_the_entries(client, settings):
    settings.SEARCH_INDEX_PART = 20
    settings.SEARCH_CANDIDATES = 100
    programs = nursing_programs(3)
    search.make_kind_indexes()
    top = max(program.pk for program in programs)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE indexname ~ '^portal_search_programs_'"
        )
        made = dict(cursor.fetchall())
    assert sorted(made) == sorted(part_names(top, 20))
    assert made[part_names(top, 20)[-1]].endswith(
        f"(object_id >= {search.part_starts(top, 20)[-1]}))"
    )
    # Entries made after the parts fall in the last one, and are found with the others.
    later = nursing_programs(30, first=3)
    kind = search.kind_of(Program)
    found, more = search.ranked(kind, search.parse("nurses"))
    assert sorted(found) == sorted(p.pk for p in programs + later)
    assert not more
    # Made again, the parts cover the new entries, those of before gone; the search finds
    # the same.
    search.make_kind_indexes()
    top = max(program.pk for program in later)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname ~ '^portal_search_programs_'"
        )
        assert sorted(row[0] for row in cursor.fetchall()) == sorted(part_names(top, 20))
    assert sorted(search.ranked(kind, search.parse("nurses"))[0]) == sorted(found)


def part_names(top, first):
    starts = search.part_starts(top, first)
    ends = [*(str(high) for high in starts[1:]), "on"]
    return [f"portal_search_programs_{low}_{end}" for low, end in zip(starts, ends, strict=True)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's part indexes")
def test_the_search_reads_part_after_part_and_stops_once_it_has_enough(settings):
    settings.SEARCH_INDEX_PART = 5
    settings.SEARCH_CANDIDATES = 4
    near = nursing_programs(6)
    beyond = max(program.pk for program in near) * 4 + 100  # a later part (each is twice the last)
    far = [make_program(pk=beyond + i, title=f"Far {i}", summary="For nurses.") for i in range(3)]
    search.make_kind_indexes()
    kind = search.kind_of(Program)

    def read(wanted):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT object_id FROM portal_search_matches(%s, to_tsquery('english', "
                "'nurses'), %s, %s)",
                [kind.content_type().pk, timezone.now(), wanted],
            )
            return [row[0] for row in cursor.fetchall()]

    assert len(read(5)) == 5
    assert set(read(5)) <= {program.pk for program in near}
    assert set(read(100)) == {program.pk for program in near + far}
    found, more = search.ranked(kind, search.parse("nurses"))
    assert len(found) == 4 and more
