"""What the site-wide search reads of careers, certifications and skills."""

from urllib.parse import urlencode

from django.db.models import Exists, Min, OuterRef, Q
from django.urls import reverse

from careers.filters import CareerFilter, CertificationFilter
from careers.models import Career, Certification, IssuingBody, Skill
from search.index import Searchable


def list_url(view, **params):
    return reverse(view) + "?" + urlencode(params)


CAREERS = Searchable(
    key="careers",
    position=2,
    label="Careers",
    model=Career,
    document=lambda career: {
        "a": career.title,
        "b": [career.alternative_titles, career.soc_title],
        "c": [career.summary, career.typical_tasks, [skill.name for skill in career.skills.all()]],
    },
    public=lambda: Career.objects.published(),
    rebuild=lambda: Career.objects.prefetch_related("skills"),
    depends={Skill: lambda skill: skill.careers.all()},
    result=lambda career: {
        "title": career.title,
        "url": career.get_absolute_url(),
        "context": career.soc_title,
        "text": career.summary,
    },
    all_results=lambda q: list_url("careers:list", q=q),
    list_filters=CareerFilter,
)


def certification_document(certification):
    body = certification.issuing_body
    return {
        "a": [certification.name, certification.acronym],
        "b": [body.name, body.abbreviation] if body else "",
        "c": [certification.summary, [skill.name for skill in certification.skills.all()]],
    }


CERTIFICATIONS = Searchable(
    key="certifications",
    position=3,
    label="Certifications",
    model=Certification,
    document=certification_document,
    public=lambda: Certification.objects.published().select_related("issuing_body"),
    rebuild=lambda: Certification.objects.select_related("issuing_body").prefetch_related("skills"),
    depends={
        IssuingBody: lambda body: body.certifications.all(),
        Skill: lambda skill: skill.certifications.all(),
    },
    result=lambda certification: {
        "title": str(certification),
        "url": certification.get_absolute_url(),
        "context": str(certification.issuing_body or ""),
        "text": certification.summary,
    },
    all_results=lambda q: list_url("certifications:list", q=q),
    list_filters=CertificationFilter,
)


def first_public(skill):
    """When the first career asking for `skill` became or becomes public; None if none will."""
    if hasattr(skill, "first_public"):
        return skill.first_public
    return skill.careers.filter(status=Career.Status.PUBLISHED).aggregate(
        first=Min("published_at")
    )["first"]


SKILLS = Searchable(
    key="skills",
    position=7,
    label="Skills",
    model=Skill,
    document=lambda skill: {"a": skill.name, "c": skill.description},
    public=lambda: Skill.objects.filter(
        Exists(Career.objects.published().filter(skills=OuterRef("pk")))
    ),
    public_from=lambda skill: first_public(skill),
    rebuild=lambda: Skill.objects.annotate(
        first_public=Min("careers__published_at", filter=Q(careers__status="published"))
    ),
    depends={Career: lambda career: career.skills.all()},
    result=lambda skill: {
        "title": skill.name,
        "url": list_url("careers:list", skill=skill.slug),
        "context": "Careers that ask for it",
        "text": skill.description,
    },
)

SEARCH_KINDS = [CAREERS, CERTIFICATIONS, SKILLS]
