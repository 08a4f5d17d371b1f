"""What the site-wide search reads of programs, institutions, specializations and courses."""

from urllib.parse import urlencode

from django.db.models import Exists, Min, OuterRef, Q
from django.urls import reverse

from programs.filters import ProgramFilter
from programs.models import Course, Institution, Program, Specialization
from search.index import Searchable


def place(institution):
    return [institution.city, institution.state, institution.country]


def program_document(program):
    return {
        "a": program.title,
        "b": [
            program.institution.name,
            program.former_title_list,
            [s.name for s in program.specializations.all()],
        ],
        "c": [program.summary, [course.title for course in program.courses.all()]],
        "d": [program.get_degree_type_display(), place(program.institution)],
    }


def list_url(view, **params):
    return reverse(view) + "?" + urlencode(params)


PROGRAMS = Searchable(
    key="programs",
    position=1,
    label="Programs",
    model=Program,
    document=program_document,
    public=lambda: Program.objects.published().select_related("institution"),
    rebuild=lambda: Program.objects.select_related("institution").prefetch_related(
        "specializations", "courses"
    ),
    depends={
        Institution: lambda institution: institution.programs.all(),
        Specialization: lambda specialization: specialization.programs.all(),
        Course: lambda course: [course.program],
    },
    result=lambda program: {
        "title": program.title,
        "url": program.get_absolute_url(),
        "context": program.institution.name,
        "text": program.summary,
    },
    all_results=lambda q: list_url("programs:list", q=q),
    list_filters=ProgramFilter,
)


PUBLISHED = Q(status=Program.Status.PUBLISHED)


def first_public(entry, programs):
    """When the first of `programs` (an entry's) became or becomes public; None if none will.
    Read from the annotation `first_public` when the rebuild made it."""
    if hasattr(entry, "first_public"):
        return entry.first_public
    return programs.filter(PUBLISHED).aggregate(first=Min("published_at"))["first"]


def public_institutions():
    return Institution.objects.filter(
        Exists(Program.objects.published().filter(institution=OuterRef("pk")))
    )


INSTITUTIONS = Searchable(
    key="institutions",
    position=4,
    label="Universities",
    model=Institution,
    document=lambda institution: {"a": institution.name, "d": place(institution)},
    public=public_institutions,
    public_from=lambda institution: first_public(institution, institution.programs),
    rebuild=lambda: Institution.objects.annotate(
        first_public=Min("programs__published_at", filter=Q(programs__status="published"))
    ),
    depends={Program: lambda program: [program.institution]},
    result=lambda institution: {
        "title": institution.name,
        "url": list_url("programs:list", q=institution.name),
        "context": ", ".join(part for part in place(institution) if part),
        "text": "",
    },
)


SPECIALIZATIONS = Searchable(
    key="specializations",
    position=5,
    label="Specializations",
    model=Specialization,
    document=lambda specialization: {"a": specialization.name, "c": specialization.description},
    public=lambda: Specialization.objects.filter(
        Exists(Program.objects.published().filter(specializations=OuterRef("pk")))
    ),
    public_from=lambda specialization: first_public(specialization, specialization.programs),
    rebuild=lambda: Specialization.objects.annotate(
        first_public=Min("programs__published_at", filter=Q(programs__status="published"))
    ),
    depends={Program: lambda program: program.specializations.all()},
    result=lambda specialization: {
        "title": specialization.name,
        "url": list_url("programs:list", specialization=specialization.slug),
        "context": "Programs offering it",
        "text": specialization.description,
    },
)


COURSES = Searchable(
    key="courses",
    position=6,
    label="Courses",
    model=Course,
    # Its own title only: every course of a program is not a result for the program's name.
    document=lambda course: {"a": course.title},
    public=lambda: Course.objects.filter(program__in=Program.objects.published()).select_related(
        "program__institution"
    ),
    public_from=lambda course: course.program.public_from,
    rebuild=lambda: Course.objects.select_related("program"),
    depends={Program: lambda program: program.courses.all()},
    result=lambda course: {
        "title": course.title,
        "url": course.program.get_absolute_url() + "#courses",
        "context": f"A course of {course.program}",
        "text": "",
    },
)

SEARCH_KINDS = [PROGRAMS, INSTITUTIONS, SPECIALIZATIONS, COURSES]
