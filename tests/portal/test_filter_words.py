"""Words that name a filter act as that filter: "online", "part time", "no GRE", "under
$30,000", "cheapest" apply the list's filter or sort, the other words are searched, and what was
read shows as a chip that takes it back. In the site search they lead to the list."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from programs.models import Program
from search.models import FilterWord, Synonym
from search.phrases import understand
from tests.factories import make_program, make_specialization

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_content_types")]

LIST = reverse("programs:list")
SEARCH = reverse("search")


def titles(response):
    assert response.status_code == 200
    return sorted(program.title for program in response.context["page_obj"])


def text(response):
    """The page as read: elements are word breaks, but not the <bdi> around a text."""
    content = re.sub(r"</?bdi>", "", response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content))


@pytest.fixture
def catalogue():
    Program.objects.all().delete()
    return {
        "online informatics": make_program(
            title="Online informatics",
            summary="Informatics for nurses.",
            delivery_format=Program.Format.ONLINE,
            gre=Program.Requirement.NOT_REQUIRED,
            tuition_total=Decimal("24000"),
            currency="USD",
        ),
        "campus informatics": make_program(
            title="Campus informatics",
            summary="Informatics on campus.",
            delivery_format=Program.Format.CAMPUS,
            gre=Program.Requirement.REQUIRED,
            tuition_total=Decimal("52000"),
            currency="USD",
        ),
        "online robotics": make_program(
            title="Online robotics",
            summary="Robots.",
            delivery_format=Program.Format.ONLINE,
            gre=Program.Requirement.NOT_REQUIRED,
            tuition_total=Decimal("31000"),
            currency="USD",
        ),
    }


def test_a_phrase_applies_its_filter_and_the_other_words_are_searched(client, catalogue):
    response = client.get(LIST, {"q": "no GRE informatics"})
    assert titles(response) == ["Online informatics"]
    content = text(response)
    assert "“no GRE”: GRE: Not required" in content
    assert "Words: “informatics”" in content
    # The chip takes the words back: the same search without them.
    chip = re.search(
        r'href="\?([^"]+)#results"><span class="visually-hidden">Remove </span>'
        r"<bdi>“no GRE”",
        response.content.decode(),
    )
    assert chip.group(1) == "q=informatics"


def test_several_phrases_and_an_amount_at_once(client, catalogue):
    response = client.get(LIST, {"q": "online under $30,000"})
    assert titles(response) == ["Online informatics"]
    content = text(response)
    assert "“online”: Format: Online" in content
    assert "“under $30,000”: Maximum total tuition (US$): 30,000" in content
    assert titles(client.get(LIST, {"q": "Online UNDER 32k"})) == [
        "Online informatics",
        "Online robotics",
    ]


def test_words_for_a_sort_sort_the_list(client, catalogue):
    response = client.get(LIST, {"q": "cheapest"})
    listed = [program.title for program in response.context["page_obj"]]
    assert listed == ["Online informatics", "Online robotics", "Campus informatics"]
    assert "“cheapest”: Sort by: Tuition: low to high" in text(response)


def test_a_filter_chosen_explicitly_wins_over_words_that_contradict_it(client, catalogue):
    response = client.get(LIST, {"q": "online informatics", "format": "campus"})
    assert titles(response) == ["Campus informatics"]
    assert "“online” was not applied: Format: On campus is what the filters say." in text(response)


@pytest.mark.parametrize(
    "typed", ["under $", "under $99999999999999", "no", "GRE", "part", "$30,000", "onlineish"]
)
def test_words_that_only_look_like_a_phrase_are_searched_as_words(client, catalogue, typed):
    response = client.get(LIST, {"q": typed})
    assert response.status_code == 200
    assert response.context["filter"].readings == []
    assert (
        not response.context["removal_links"] or "Words:" in response.context["removal_links"][0][0]
    )


@pytest.mark.parametrize(
    "typed", ["\u202eonline", "online\u200b", "ONLINE-", "x" * 500 + " online"]
)
def test_bad_input_around_a_phrase_is_never_an_error(client, catalogue, typed):
    response = client.get(LIST, {"q": typed})
    assert response.status_code == 200
    assert client.get(SEARCH, {"q": typed}).status_code in (200, 302)


def test_the_site_search_leads_to_the_list_with_the_filters(client, catalogue):
    response = client.get(SEARCH, {"q": "online part time"})
    assert response.status_code == 302
    assert response["Location"] == "/programs/?q=online+part+time"
    page = client.get(SEARCH, {"q": "no GRE informatics"})
    content = text(page)
    assert "“no GRE” names a filter of the programs list" in content
    assert 'href="/programs/?q=no+GRE+informatics"' in page.content.decode()
    assert "results for “informatics”" in content


def test_a_specialty_word_reaches_the_related_specialization(client, catalogue):
    imaging = make_specialization("Medical imaging")
    make_program(title="Imaging AI", specializations=[imaging])
    assert Synonym.objects.filter(term="radiology", means="medical imaging").exists()
    assert "Imaging AI" in titles(client.get(LIST, {"q": "radiology"}))


def test_editors_extend_the_vocabulary_in_the_admin(admin_client, catalogue):
    add = reverse("admin:search_filterword_add")
    refused = admin_client.post(
        add, {"phrase": "remote", "listing": "programs", "parameter": "delivery", "value": "x"}
    )
    assert "Not a filter of that list" in refused.content.decode()
    wrong_value = admin_client.post(
        add, {"phrase": "remote", "listing": "programs", "parameter": "format", "value": "moon"}
    )
    assert "not one of the options" in wrong_value.content.decode().lower()
    saved = admin_client.post(
        add, {"phrase": "remote", "listing": "programs", "parameter": "format", "value": "online"}
    )
    assert saved.status_code == 302
    assert understand("remote informatics", "programs").rest == "informatics"
    assert titles(admin_client.get(LIST, {"q": "remote"})) == [
        "Online informatics",
        "Online robotics",
    ]


def test_the_seeded_vocabulary_is_valid():
    for word in FilterWord.objects.all():
        word.full_clean()
    assert FilterWord.objects.filter(listing="programs").count() >= 30
