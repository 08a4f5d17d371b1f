"""The site-wide search: every kind, weights, the readers' words, misspellings, bad input,
drafts, and an index that follows the editors (on SQLite's FTS5 and PostgreSQL alike)."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from careers.models import IssuingBody, Skill
from programs.models import Course, Program
from search.models import Synonym
from tests.factories import (
    make_career,
    make_certification,
    make_institution,
    make_program,
    make_specialization,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_content_types")]

URL = reverse("search")


def page(client, q, **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def group(content, label):
    """The titles of one kind's results, in order ([] if the kind has none)."""
    found = re.search(
        rf'<h2 id="group-\w+">{label} <span class="count">\((\d+)\)</span></h2>'
        r"(.*?)</section>",
        content,
        re.S,
    )
    if not found:
        return []
    return [
        re.sub(r"<[^>]+>", "", title)
        for title in re.findall(r"<h3><a [^>]*>(.*?)</a></h3>", found.group(2), re.S)
    ]


def count(content, label):
    found = re.search(rf'{label} <span class="count">\((\d+)\)</span>', content)
    return int(found.group(1)) if found else 0


@pytest.fixture
def catalogue():
    nlp = make_specialization("Clinical natural language processing")
    stanford = make_institution(name="Stanford University", state="California")
    cmu = make_institution(name="Carnegie Mellon University", state="Pennsylvania")
    ohio = make_institution(name="Buckeye College", city="Columbus", state="Ohio")
    programs = {
        "stanford": make_program(title="MS in Biomedical Data Science", institution=stanford),
        "cmu": make_program(title="MS in Artificial Intelligence and Innovation", institution=cmu),
        "nlp": make_program(
            title="MS in Health Informatics", institution=ohio, specializations=[nlp]
        ),
        "nursing": make_program(
            title="MS in Clinical Analytics",
            summary="Built for registered nurses who move into data work.",
        ),
    }
    Course.objects.create(program=programs["stanford"], title="Deep learning for medical images")
    skill = Skill.objects.create(name="Electronic health records", slug="ehr")
    career = make_career(title="Clinical informaticist", summary="Bridges wards and data teams.")
    career.skills.set([skill])
    body = IssuingBody.objects.create(name="Health Informatics Society", slug="his")
    certification = make_certification(
        name="Certified Health Data Analyst", acronym="CHDA", issuing_body=body
    )
    return {**programs, "career": career, "certification": certification, "skill": skill}


def test_every_kind_is_found_grouped_with_its_count(client, catalogue):
    content = page(client, "health")
    assert group(content, "Programs") == ["MS in Health Informatics"]
    assert group(content, "Certifications") == ["Certified Health Data Analyst (CHDA)"]
    assert group(content, "Skills") == ["Electronic health records"]
    assert count(page(client, "Stanford"), "Universities") == 1
    assert group(page(client, "informaticist"), "Careers") == ["Clinical informaticist"]
    assert group(page(client, "language processing"), "Specializations") == [
        "Clinical natural language processing"
    ]
    assert group(page(client, "deep learning"), "Courses") == ["Deep learning for medical images"]


def test_the_program_group_opens_the_program_list_with_the_same_words(client, catalogue):
    content = page(client, "health")
    assert 'href="/programs/?q=health"' in content
    listed = client.get("/programs/", {"q": "health"}).content.decode()
    assert "MS in Health Informatics" in listed
    assert "MS in Clinical Analytics" not in listed


def test_a_title_counts_more_than_an_institution_or_specialization_more_than_a_summary(client):
    summary = make_program(title="MS in Genomics", summary="Some robotics electives.")
    specialization = make_program(
        title="MS in Data", specializations=[make_specialization("Medical robotics")]
    )
    title = make_program(title="MS in Robotics")
    institution = make_program(
        title="MS in Imaging", institution=make_institution(name="Robotics Institute")
    )
    found = group(page(client, "robotics"), "Programs")
    assert found[0] == title.title
    assert set(found[1:3]) == {specialization.title, institution.title}
    assert found[3] == summary.title
    listed = client.get("/programs/", {"q": "robotics"}).content.decode()
    positions = [listed.index(p.title) for p in (title, specialization, summary)]
    assert positions == sorted(positions), "the program list sorts by best match too"


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("NLP", "MS in Health Informatics"),
        ("clinical NLP", "MS in Health Informatics"),
        ("natural language processing", "MS in Health Informatics"),
        ("CMU", "MS in Artificial Intelligence and Innovation"),
        ("AI", "MS in Artificial Intelligence and Innovation"),
        ("RN", "MS in Clinical Analytics"),
        ("nursing", "MS in Clinical Analytics"),
        ("Ohio", "MS in Health Informatics"),
        ("informat", "MS in Health Informatics"),
    ],
)
def test_the_readers_words_find_what_they_mean(client, catalogue, typed, meant):
    assert meant in group(page(client, typed), "Programs")
    assert meant in client.get("/programs/", {"q": typed}).content.decode()


def test_a_synonym_an_editor_adds_is_used_at_once(client, catalogue):
    assert group(page(client, "CHIM"), "Programs") == []
    Synonym.objects.create(term="CHIM", means="health informatics")
    assert group(page(client, "CHIM"), "Programs") == ["MS in Health Informatics"]


def test_a_synonym_without_a_searchable_word_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Synonym(term="the", means="of").full_clean()


@pytest.mark.parametrize(
    "typed, corrected", [("Stanfrod", "stanford"), ("informatcs", "informatics")]
)
def test_a_misspelling_that_finds_nothing_shows_what_was_meant(client, catalogue, typed, corrected):
    content = page(client, typed)
    assert f"Nothing matches “<bdi>{typed}</bdi>”. Showing results for “" in content
    assert f'<a href="?q={corrected}"><bdi>{corrected}</bdi></a>' in content
    assert group(content, "Programs")


def test_a_misspelling_next_to_results_is_offered_as_did_you_mean(client, catalogue):
    # A summary (not a name) with the same slip: the search finds it, and offers the word.
    make_program(title="MS in Typos", summary="Clinical informatcs, spelt wrong.")
    content = page(client, "informatcs")
    assert group(content, "Programs") == ["MS in Typos"]
    assert 'Did you mean “<a href="?q=informatics"><bdi>informatics</bdi></a>”?' in content


def test_matched_words_are_marked_and_escaped(client):
    make_program(title="<b>Robotics</b> & AI", summary="Robotics <script>alert(1)</script>")
    content = page(client, "robotics")
    assert "&lt;b&gt;<mark>Robotics</mark>&lt;/b&gt; &amp; AI" in content
    assert "<mark>Robotics</mark> &lt;script&gt;" in content
    assert "<script>alert(1)" not in content


@pytest.mark.parametrize(
    "typed",
    [
        '"health',
        "health*",
        "-health",
        "^health",
        "health OR",
        "NEAR(health data)",
        "health AND",
        "(health",
        "health)",
        "title:health",
        "health " * 2500,
        "🩺 health 🤖",
        "AND OR NOT NEAR",
        "{a}: health",
    ],
)
def test_bad_input_is_only_words(client, catalogue, typed):
    response = client.get(URL, {"q": typed})
    assert response.status_code == 200
    listed = client.get("/programs/", {"q": typed})
    assert listed.status_code == 200


def test_a_long_query_keeps_what_was_typed_and_says_what_was_searched(client, catalogue):
    typed = "health " * 2000
    content = page(client, typed)
    assert "Only the first 200 characters were searched." in content
    assert f'value="{typed}"' in content
    assert group(content, "Programs") == ["MS in Health Informatics"]


def test_only_common_words_say_so(client, catalogue):
    content = page(client, "the of and")
    assert "has no word to search for" in content
    assert "result" not in content.split("<main", 1)[1].split("has no word", 1)[0]


def test_an_empty_query_shows_the_search_page_without_results(client, catalogue):
    content = page(client, "")
    assert "<h1>Search</h1>" in content
    assert 'id="results"' not in content
    assert client.get(URL).status_code == 200


def test_drafts_and_scheduled_entries_are_never_found(client):
    make_program(title="MS in Quokka Studies", status=Program.Status.DRAFT, published_at=None)
    make_program(
        title="MS in Quokka Science",
        published_at=timezone.now() + datetime.timedelta(days=3),
    )
    make_career(title="Quokka analyst", status="draft", published_at=None)
    content = page(client, "quokka")
    assert "Nothing matches “<bdi>quokka</bdi>”." in content
    assert "Quokka" not in content.replace("“quokka”", "")
    assert "Quokka" not in client.get("/programs/", {"q": "quokka"}).content.decode()
    # Nor suggested: a near miss of a draft's word finds nothing either.
    assert "Did you mean" not in page(client, "quokkka")
    assert "Showing results" not in page(client, "quokkka")


def test_the_index_follows_the_editors(client, catalogue, admin_client):
    program = catalogue["nlp"]
    program.title = "MS in Clinical Data Science"
    program.save()
    assert group(page(client, "health informatics"), "Programs") == []
    assert group(page(client, "clinical data"), "Programs")[0] == "MS in Clinical Data Science"

    program.institution.name = "Lakeshore University"
    program.institution.save()
    assert group(page(client, "lakeshore"), "Programs") == ["MS in Clinical Data Science"]

    program.specializations.clear()
    assert group(page(client, "NLP"), "Programs") == []
    program.specializations.add(make_specialization("Genomic medicine"))
    assert group(page(client, "genomic"), "Programs") == ["MS in Clinical Data Science"]

    Course.objects.create(program=program, title="Federated learning")
    assert group(page(client, "federated"), "Programs") == ["MS in Clinical Data Science"]

    program.delete()
    assert group(page(client, "lakeshore"), "Programs") == []


def test_the_rebuild_command_writes_the_same_index(client, catalogue):
    from django.core.management import call_command

    from search.models import SearchDocument

    before = sorted(SearchDocument.objects.values_list("content_type", "object_id", "a", "b"))
    SearchDocument.objects.all().delete()
    assert group(page(client, "health"), "Programs") == []
    call_command("rebuild_search_index", stdout=io.StringIO())
    after = sorted(SearchDocument.objects.values_list("content_type", "object_id", "a", "b"))
    assert after == before
    assert group(page(client, "health"), "Programs") == ["MS in Health Informatics"]


def test_all_results_of_a_kind_without_a_list_page(client):
    for n in range(7):
        Course.objects.create(program=make_program(), title=f"Robotics {n}")
    content = page(client, "robotics")
    assert len(group(content, "Courses")) == 5
    assert "All 7 courses matching “<bdi>robotics</bdi>”" in content
    every = page(client, "robotics", kind="courses")
    assert len(group(every, "Courses")) == 7
    assert page(client, "robotics", kind="nonsense")  # an unknown kind: every kind
    assert client.get(URL, {"q": "robotics", "kind": "courses", "page": 9}).status_code == 404


def test_a_search_box_is_in_the_header_of_every_page(client, catalogue):
    for url in ["/", "/programs/", catalogue["nlp"].get_absolute_url(), "/careers/", "/about/"]:
        content = client.get(url).content.decode()
        assert '<form class="header-search" action="/search/" method="get" role="search"' in content


def test_the_search_page_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries, catalogue
):
    # The words that name filters, the synonyms and which words the index knows (all three
    # cached until content changes); per
    # kind (7) its matches, ranked; and for the 4 kinds with results (programs,
    # certifications, skills, careers) the five shown; however many match. PostgreSQL marks
    # the words matched in every result shown, in one query more (ts_headline).
    from django.db import connection

    marking = 1 if connection.vendor == "postgresql" else 0
    for n in range(3):
        make_program(title=f"Health program {n}")
        make_career(title=f"Health career {n}")
    with django_assert_num_queries(3 + 7 + 4 + marking):
        page(client, "health")
    for n in range(3, 30):
        make_program(title=f"Health program {n}")
        make_career(title=f"Health career {n}")
    with django_assert_num_queries(3 + 7 + 4 + marking):
        page(client, "health")


def test_editors_keep_the_synonyms_in_the_admin(client, django_user_model):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert Synonym.objects.filter(term="NLP", means="natural language processing").exists()
    response = client.post(
        reverse("admin:search_synonym_add"), {"term": "CHIM", "means": "clinical informatics"}
    )
    assert response.status_code == 302
    assert Synonym.objects.filter(term="CHIM").exists()


def test_a_university_or_specialization_is_found_only_while_a_published_program_has_it(client):
    institution = make_institution(name="Quokka Institute")
    specialization = make_specialization("Quokka analytics")
    program = make_program(
        institution=institution, specializations=[specialization], status="draft", published_at=None
    )
    assert count(page(client, "quokka"), "Universities") == 0
    assert count(page(client, "quokka"), "Specializations") == 0
    program.status, program.published_at = "published", timezone.now()
    program.save()
    assert count(page(client, "quokka"), "Universities") == 1
    assert count(page(client, "quokka"), "Specializations") == 1
    program.specializations.clear()
    assert count(page(client, "quokka"), "Specializations") == 0
    program.delete()
    assert count(page(client, "quokka"), "Universities") == 0


def test_a_course_is_found_only_while_its_program_is_published(client):
    program = make_program(title="MS in Data")
    Course.objects.create(program=program, title="Quokka ecology")
    assert group(page(client, "quokka"), "Courses") == ["Quokka ecology"]
    program.status = "draft"
    program.save()
    assert group(page(client, "quokka"), "Courses") == []


def test_a_known_word_matches_itself_a_word_start_matches_longer_words():
    from search.query import Query, parse

    make_program(title="MS in Health Informatics")
    # "informat" is not a word of any name: it is searched as the start of one.
    assert {t.word: t.prefix for t in parse("informat data").terms()} == {
        "informat": True,
        "data": False,  # too short to be the start of a longer word
    }
    # Known whole words match as themselves (and by stemming, their inflections), except the
    # last word typed, which may be unfinished.
    assert {t.word: t.prefix for t in parse("health informatics").terms()} == {
        "health": False,
        "informatics": True,
    }
    assert {t.word: t.prefix for t in parse("informatics health").terms()} == {
        "health": True,
        "informatics": False,
    }
    assert not Query.parse("the of")


def test_inflected_forms_of_a_word_searched_for_are_highlighted(client):
    # The database's own stemming marks what it matched: each inflection of "nurses" and
    # of "clinician", never a word that only starts alike.
    make_program(
        title="MS for nurses and clinicians",
        summary="Nursing leaders and nurses, for a nurse. Nursery rhymes are not taught.",
    )
    content = page(client, "nurses clinician")
    assert "<mark>clinicians</mark>" in content
    assert (
        "<mark>Nursing</mark> leaders and <mark>nurses</mark>, for a <mark>nurse</mark>. "
        "Nursery rhymes"
    ) in content
