import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils.html import escape

from careers.models import (
    Career,
    Certification,
    EligibilityPathway,
    EmployerType,
    IssuingBody,
    ProgramCareer,
    Skill,
    StatePay,
)
from core.models import Citation, Source, Statistic
from programs.models import (
    Accreditation,
    Accreditor,
    Course,
    FieldOfStudy,
    Institution,
    Program,
    Specialization,
)
from tests.pages import source_of

ARTICLE_TITLE = "2026 AI Master's Degrees for Healthcare Professionals"

DEMO_MODELS = [
    Source,
    Citation,
    Statistic,
    Specialization,
    Accreditor,
    Accreditation,
    Institution,
    Program,
    Program.specializations.through,
    Course,
    Skill,
    EmployerType,
    IssuingBody,
    Career,
    Career.skills.through,
    Career.employer_types.through,
    Career.related_careers.through,
    Career.fields_of_study.through,
    StatePay,
    ProgramCareer,
    Certification,
    Certification.skills.through,
    Certification.careers.through,
    Certification.programs.through,
    Certification.fields_of_study.through,
    FieldOfStudy,
    EligibilityPathway,
]

CAREER_SHARES = {
    "clinical-ai-analyst": Decimal("28"),
    "healthcare-data-scientist": Decimal("24"),
    "ai-implementation-specialist": Decimal("19"),
    "ai-product-manager": None,
    "clinical-informatics-specialist": None,
    "medical-ai-research-scientist": None,
}
# The figures the article gives for healthcare AI graduates or roles in general.
GENERAL_CAREER_FIGURES = ["salary_low", "salary_high", "growth_percent"]


def load_demo():
    """The seed article's content (the catalogue has its own tests: test_catalogue.py)."""
    out = io.StringIO()
    call_command("load_demo", article_only=True, stdout=out)
    return out.getvalue()


def all_rows():
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in DEMO_MODELS}


@pytest.fixture
def demo(db):
    load_demo()


@pytest.fixture
def article(demo):
    return Source.objects.get(title=ARTICLE_TITLE)


def test_running_the_loader_twice_leaves_the_same_rows(db):
    load_demo()
    first = all_rows()

    output = load_demo()

    assert all_rows() == first
    assert {label: len(rows) for label, rows in first.items()} == {
        "portal.Source": 1,
        # Three graduate shares, four certification premiums, each program's
        # specialization, and the issuers the article names.
        "portal.Citation": Statistic.objects.count()
        + 3
        + 4
        + 3
        + Certification.objects.exclude(issuing_body=None).count(),
        "portal.Statistic": Statistic.objects.count(),
        "programs.Specialization": 9,
        "programs.Accreditor": 2,
        # The article names accreditors but never says that a program holds an accreditation.
        "programs.Accreditation": 0,
        "programs.Institution": 3,
        "programs.Program": 3,
        "programs.Program_specializations": 3,
        "programs.Course": 0,
        "careers.Skill": 13,
        "careers.EmployerType": 4,
        "careers.IssuingBody": 2,
        "careers.Career": 6,
        "careers.Career_skills": 3 * 6 + 1 + 2,
        "careers.Career_employer_types": 4 * 6,
        "careers.Career_related_careers": 0,
        # The article's programs are drafts: no career is linked to them.
        "careers.ProgramCareer": 0,
        "careers.Certification": 5,
        "careers.Certification_skills": 3 + 2 + 3 + 3 + 3,
        "careers.Certification_careers": 2 + 2 + 1 + 1 + 2,
        "careers.Certification_programs": 5 * 3,
        # The article says nothing about who may sit any of the exams.
        "careers.EligibilityPathway": 0,
        # Nor about fields of study, nor about pay by state.
        "programs.FieldOfStudy": 0,
        "careers.Career_fields_of_study": 0,
        "careers.Certification_fields_of_study": 0,
        "careers.StatePay": 0,
    }
    assert Statistic.objects.count() >= 15
    assert set(re.findall(r"(\d+) created", output)) == {"0"}
    assert set(re.findall(r"(\d+) updated", output)) == {"0"}
    assert "lists of" not in output


def test_rerunning_the_loader_restores_links_an_editor_removed(demo):
    career = Career.objects.get(slug="healthcare-data-scientist")
    wanted = set(career.skills.values_list("slug", flat=True))
    career.skills.remove(Skill.objects.get(slug="machine-learning"))

    output = load_demo()

    assert set(career.skills.values_list("slug", flat=True)) == wanted
    assert "Careers: 0 created, 0 updated, 6 unchanged, 1 lists of skills set." in output


def test_the_article_is_credited_as_printed(article):
    assert article.author == "Imed Bouchrika, PhD"
    assert article.publisher == "Research.com"
    assert article.year == 2026
    assert article.url == ""


def test_every_demo_figure_cites_the_article(article):
    statistics = Statistic.objects.prefetch_related("citations__source")
    assert statistics
    for statistic in statistics:
        figure = statistic.fact("value")
        assert figure.reported, statistic.slug
        assert figure.citation.source == article

    for model in (Program, Career, Certification):
        for obj in model.objects.prefetch_related("citations__source"):
            for name in model.sourced_fields:
                if obj.has_value(name):
                    figure = obj.fact(name)
                    assert figure.reported, f"{obj.slug}.{name}"
                    assert figure.citation.source == article
                    assert figure.citation.as_of == datetime.date(2026, 1, 1)


def test_figures_the_article_dates_or_attributes_say_so(demo):
    def citation(slug):
        return Statistic.objects.get(slug=slug).headline.citation

    completion = citation("completion-rate-online-hybrid")
    assert completion.as_of == datetime.date(2024, 1, 1)
    assert completion.note == (
        "The article attributes this figure to the Gallup Education & Skills Survey (2024)."
    )
    assert citation("new-students-remote-study-2025").as_of == datetime.date(2025, 1, 1)
    assert "U.S. Bureau of Labor Statistics" in citation("healthcare-ai-job-growth-2029").note
    assert "QS Graduate Employability Rankings" in citation("employment-rate-strong-programs").note
    # An undated, unattributed figure is the article's own, as of its publication.
    salaries = citation("graduate-median-salary-range")
    assert salaries.as_of == datetime.date(2026, 1, 1)
    assert salaries.note == ""


def test_both_contradictory_market_sizes_are_kept_as_the_articles_claims_off_the_home_page(
    demo, client
):
    market_sizes = Statistic.objects.filter(unit=Statistic.Unit.USD_BILLION).order_by("value")

    assert [statistic.value for statistic in market_sizes] == [Decimal("51"), Decimal("67.4")]
    for statistic in market_sizes:
        assert "article" in statistic.label
        assert "$51 billion" in statistic.context
        assert "$67.4 billion" in statistic.context
        # Kept for editors, with the disagreement explained, but no headline: the home page
        # would contradict itself.
        assert not statistic.on_home_page
    content = client.get("/").content.decode()
    assert "$51 billion" not in content
    assert "$67.4 billion" not in content


def test_ranges_are_stored_as_low_and_high_numbers(demo):
    tuition = Statistic.objects.get(slug="total-tuition-range")

    assert (tuition.value, tuition.value_high, tuition.unit) == (
        Decimal("40000"),
        Decimal("120000"),
        Statistic.Unit.USD,
    )
    assert tuition.headline.text == "$40,000 to $120,000"


def test_the_articles_programs_are_drafts_that_say_why(demo, client):
    """None of the three programs the article names has a page of its own under that name: each
    is a draft, its summary says why, and it carries no figure the article does not give."""
    programs = Program.objects.select_related("institution")
    assert len(programs) == 3
    assert not Program.objects.published().exists()
    for program in programs:
        assert program.summary.startswith("Not published: ")
        for name in Program.sourced_fields:
            if name != "specializations":
                assert not program.has_value(name), f"{program.slug}.{name}"
        assert client.get(program.get_absolute_url()).status_code == 404
    stanford = Program.objects.get(slug="stanford-biomedical-informatics")
    assert "former name of Stanford's master's in Biomedical Data Science" in stanford.summary
    assert [s.slug for s in stanford.specializations.all()] == ["clinical-diagnostics"]


def test_home_page_shows_headline_figures_with_the_article_as_source(demo, client):
    headlines = list(Statistic.objects.for_home())
    assert 6 <= len(headlines) <= 10

    content = client.get("/").content.decode()

    items = content.split('<li class="statistic">')[1:]
    assert len(items) == len(headlines)
    for statistic, item in zip(headlines, items, strict=True):
        assert escape(statistic.headline.text) in item
        assert escape(statistic.label) in item
        assert f"<cite><bdi>{escape(ARTICLE_TITLE)}</bdi></cite>" in source_of(content, item)


def test_the_articles_careers_are_published_with_the_graduate_shares_it_gives(demo):
    careers = Career.objects.published()

    assert {career.slug: career.graduate_share for career in careers} == CAREER_SHARES
    for career in careers.prefetch_related("citations"):
        if career.graduate_share is not None:
            assert career.fact("graduate_share").text == f"{career.graduate_share:.0f}%"
            assert "share of healthcare AI master's graduates" in (
                career.fact("graduate_share").citation.note
            )


def test_the_articles_general_pay_and_growth_are_site_figures_not_any_roles(demo):
    # The article gives a band of medians for all graduates and 42% growth for healthcare AI
    # roles in general: neither describes one role, so no career carries them; each role's
    # figures come from its standard occupation, in the catalogue.
    for career in Career.objects.prefetch_related("citations"):
        for name in ["median_salary", *GENERAL_CAREER_FIGURES]:
            assert not career.fact(name).reported, f"{career.slug}.{name}"
    band = Statistic.objects.get(slug="graduate-median-salary-range")
    assert band.headline.text == "$125,000 to $165,000"
    growth = Statistic.objects.get(slug="healthcare-ai-job-growth-2029")
    assert growth.headline.text == "42%"
    assert "U.S. Bureau of Labor Statistics" in growth.headline.citation.note


def test_the_articles_certifications_are_published_with_only_the_issuers_it_names(demo):
    issuers = {
        certification.slug: (
            certification.acronym,
            certification.issuing_body.abbreviation or certification.issuing_body.name
            if certification.issuing_body
            else None,
        )
        for certification in Certification.objects.published().select_related("issuing_body")
    }

    assert issuers == {
        "certified-machine-learning-professional": ("CMLP", None),
        "cphims": ("CPHIMS", None),
        "certified-health-data-analyst": ("CHDA", None),
    }
    # No issuer has a credential of these names: drafts, each saying why.
    for slug in ("ieee-certifications", "ahima-health-informatics-certification"):
        draft = Certification.objects.get(slug=slug)
        assert not draft.is_public and draft.summary.startswith("Not published: ")
    assert IssuingBody.objects.get(slug="ahima").name == (
        "American Health Information Management Association"
    )
    assert Certification.objects.get(slug="ieee-certifications").credential_type == (
        Certification.CredentialType.CREDENTIAL_FAMILY
    )


def test_certification_salary_premium_says_it_is_not_specific_to_the_certification(demo):
    premiums = {
        certification.slug: certification.fact("salary_effect_percent")
        for certification in Certification.objects.prefetch_related("citations")
    }

    # The article's premium is for machine learning or healthcare informatics certifications;
    # it presents CHDA separately, as a data analytics certification.
    assert premiums.pop("certified-health-data-analyst").reported is False
    assert len(premiums) == 4
    for slug, premium in premiums.items():
        assert premium.text == "34%", slug
        note = premium.citation.note
        assert "not for this certification specifically" in note
        assert "machine learning or healthcare informatics" in note
        assert "Burning Glass Technologies Labor Insights" in note


def test_demo_careers_and_certifications_carry_nothing_the_article_does_not_give(demo):
    for career in Career.objects.all():
        assert career.soc_code == ""
        assert career.soc_title == ""
        assert career.soc_match == ""
        assert career.entry_education == ""
        assert career.entry_experience == ""
        assert career.alternative_titles == ""
        assert career.typical_tasks == ""
        assert career.growth_period_start is None
        assert not career.related_careers.exists()
    # The article describes the work of the first three roles only.
    described = set(Career.objects.exclude(summary="").values_list("slug", flat=True))
    assert described == {
        "clinical-ai-analyst",
        "healthcare-data-scientist",
        "ai-implementation-specialist",
    }

    for certification in Certification.objects.all():
        for name in Certification.sourced_fields:
            if name not in {"salary_effect_percent", "issuing_body"}:
                assert not certification.has_value(name), f"{certification.slug}.{name}"
        assert certification.exam_format == ""
        assert certification.exam_delivery == ""
        assert certification.summary
    assert not EligibilityPathway.objects.exists()
    assert set(IssuingBody.objects.values_list("website", flat=True)) == {""}


def test_careers_are_tied_to_the_employers_and_certifications_the_article_connects(demo):
    employers = {
        "Hospitals",
        "Technology companies",
        "Government health agencies",
        "Research institutions",
    }
    for career in Career.objects.prefetch_related("employer_types"):
        assert {employer.name for employer in career.employer_types.all()} == employers

    supports = {
        certification.slug: sorted(career.slug for career in certification.careers.all())
        for certification in Certification.objects.prefetch_related("careers")
    }

    assert supports == {
        "certified-machine-learning-professional": [
            "healthcare-data-scientist",
            "medical-ai-research-scientist",
        ],
        "ieee-certifications": ["healthcare-data-scientist", "medical-ai-research-scientist"],
        "cphims": ["clinical-informatics-specialist"],
        "ahima-health-informatics-certification": ["clinical-informatics-specialist"],
        "certified-health-data-analyst": ["clinical-ai-analyst", "healthcare-data-scientist"],
    }


def test_skills_are_linked_only_where_the_article_names_them(demo):
    def skills(obj):
        return {skill.slug for skill in obj.skills.all()}

    every_role = {"clinical-domain-knowledge", "regulatory-compliance", "health-data-privacy"}
    careers = {career.slug: career for career in Career.objects.prefetch_related("skills")}
    assert skills(careers["healthcare-data-scientist"]) == every_role | {
        "machine-learning",
        "data-analysis",
    }
    assert skills(careers["clinical-ai-analyst"]) == every_role | {"data-analysis"}
    assert skills(careers["ai-product-manager"]) == every_role

    chda = Certification.objects.get(slug="certified-health-data-analyst")
    assert skills(chda) == {"data-analysis", "regulatory-compliance", "predictive-modelling"}
    # Vocabulary the article names for programs, not for a role or a certification.
    assert not Skill.objects.get(slug="python-programming").careers.exists()
    assert not Skill.objects.get(slug="python-programming").certifications.exists()
