"""What the public sees is computed from what the public may see: no choice, count or
average betrays a draft or a scheduled entry."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from careers.models import EmployerType, IssuingBody, Skill
from programs.models import Accreditation, Accreditor
from tests.factories import (
    make_career,
    make_certification,
    make_institution,
    make_program,
    make_review,
    make_specialization,
)

pytestmark = pytest.mark.django_db

LATER = {"published_at": timezone.now() + datetime.timedelta(days=30)}


def hidden_program(**fields):
    """A draft and a scheduled program: both invisible to the public."""
    draft = make_program(status="draft", published_at=None, **fields)
    make_program(**LATER, **fields)
    return draft


def test_the_state_filter_offers_only_states_with_published_programs():
    hidden_program(institution=make_institution(state="Hiddenstate"))
    make_program(institution=make_institution(state="Shownstate"))
    content = Client().get("/programs/").content.decode()
    assert "Shownstate" in content and "Hiddenstate" not in content


def test_vocabulary_choices_come_from_published_entries_only():
    secret = make_specialization("Secret area")
    hidden_program(specializations=[secret])
    make_program(specializations=[make_specialization("Open area")])
    accreditor = Accreditor.objects.create(name="Hidden Board", slug="hidden", scope="programmatic")
    Accreditation.objects.create(
        accreditor=accreditor, program=hidden_program(), verified_on="2026-01-01"
    )
    programs = Client().get("/programs/").content.decode()
    assert "Open area" in programs
    assert "Secret area" not in programs and "Hidden Board" not in programs

    skill, employer = Skill.objects.create(name="Secret skill", slug="s"), None
    employer = EmployerType.objects.create(name="Secret employer", slug="e")
    make_career(status="draft", published_at=None, skills=[skill], employer_types=[employer])
    careers = Client().get("/careers/").content.decode()
    assert "Secret skill" not in careers and "Secret employer" not in careers

    body = IssuingBody.objects.create(name="Secret Issuer", slug="si")
    make_certification(issuing_body=body, **LATER)
    assert "Secret Issuer" not in Client().get("/certifications/").content.decode()


def test_the_review_policy_counts_only_reviews_the_public_can_see():
    draft = hidden_program()
    for _ in range(3):
        make_review(draft)
    make_review(draft, status="rejected")
    off_topic = '<th scope="row">Off-topic: not about this program</th><td>{}</td>'
    content = Client().get("/reviews/policy/").content.decode()
    assert "(0 reviews published)" in content
    assert off_topic.format(0) in content
    shown = make_program()
    make_review(shown)
    make_review(shown, status="rejected")
    content = Client().get("/reviews/policy/").content.decode()
    assert "(1 review published)" in content
    assert off_topic.format(1) in content
