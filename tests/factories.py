"""Factory functions for the tests: small, explicit data, published unless told otherwise."""

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.models import Citation, Source
from programs.models import Institution, Program, Specialization

_counter = itertools.count(1)


def make_source(**fields):
    n = next(_counter)
    defaults = {
        "title": f"Test source {n}",
        "publisher": "Test publisher",
        "year": 2026,
        "url": f"https://example.org/source-{n}",
    }
    return Source.objects.create(**{**defaults, **fields})


def make_institution(**fields):
    n = next(_counter)
    defaults = {"name": f"Test University {n}", "slug": f"test-university-{n}", "state": ""}
    return Institution.objects.create(**{**defaults, **fields})


def make_program(institution=None, specializations=(), **fields):
    """A published program (published an hour ago) unless `status`/`published_at` say otherwise."""
    n = next(_counter)
    defaults = {
        "title": f"Test program {n}",
        "slug": f"test-program-{n}",
        "status": Program.Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(hours=1),
    }
    program = Program.objects.create(
        institution=institution or make_institution(), **{**defaults, **fields}
    )
    if specializations:
        program.specializations.set(specializations)
    return program


def make_specialization(name, **fields):
    from django.utils.text import slugify

    return Specialization.objects.create(
        name=name, slug=fields.pop("slug", slugify(name)), **fields
    )


RECENT = "a month ago"


def cite(obj, field, source=None, as_of=RECENT, note="", checked_on="as of"):
    """Attach a citation for `field` of `obj` and return it. By default the figure is a month
    old, and so never shown as one that may have changed; the page was read on its as-of day
    unless `checked_on` says otherwise (None: the page states no date)."""
    if as_of == RECENT:
        as_of = timezone.localdate() - datetime.timedelta(days=30)
    return Citation.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        field=field,
        source=source or make_source(),
        as_of=as_of,
        checked_on=as_of if checked_on == "as of" else checked_on,
        note=note,
    )


def make_sourced_program(source=None, **fields):
    """A program whose every figure given in `fields` cites `source`."""
    program = make_program(**fields)
    source = source or make_source()
    for name in Program.sourced_fields:
        if name in fields:
            cite(program, name, source)
    return program


def published_fields(fields):
    return {
        "status": "published",
        "published_at": timezone.now() - datetime.timedelta(hours=1),
        **fields,
    }


def make_career(skills=(), employer_types=(), **fields):
    """A published career unless `status`/`published_at` say otherwise."""
    from careers.models import Career

    n = next(_counter)
    career = Career.objects.create(
        **published_fields({"title": f"Test career {n}", "slug": f"test-career-{n}", **fields})
    )
    career.skills.set(skills)
    career.employer_types.set(employer_types)
    return career


def make_certification(**fields):
    """A published certification unless `status`/`published_at` say otherwise."""
    from careers.models import Certification

    n = next(_counter)
    return Certification.objects.create(
        **published_fields({"name": f"Test certification {n}", "slug": f"test-cert-{n}", **fields})
    )


def make_review(program, status="approved", moderator=None, **fields):
    """A review of `program`; approved through moderate() unless `status` says otherwise."""
    from reviews.models import Review

    n = next(_counter)
    defaults = {
        "rating": 4,
        "title": f"Review {n}",
        "body": f"Review number {n}. " + "I studied part-time while working night shifts. " * 3,
        "graduation_year": 2024,
        "would_recommend": True,
        "display_name": f"Reviewer {n}",
        "email": f"reviewer{n}@example.org",
        "relationship": "none",
    }
    review = Review.objects.create(program=program, **{**defaults, **fields})
    if status != Review.Status.PENDING:
        reason = "off_topic" if status == Review.Status.REJECTED else ""
        review.moderate(status, moderator, reason)
    return review
