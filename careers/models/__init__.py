"""Careers and certifications (each in a module of its own), their vocabularies, and their
links to programs."""

from careers.models.careers import (
    US_STATES,
    Career,
    CareerQuerySet,
    ProgramCareer,
    ProgramCareerQuerySet,
    StatePay,
    state_pay_slug,
)
from careers.models.certifications import (
    Certification,
    CertificationQuerySet,
    EligibilityPathway,
)
from careers.models.vocabularies import EmployerType, IssuingBody, Skill, lines

__all__ = [
    "US_STATES",
    "Career",
    "CareerQuerySet",
    "Certification",
    "CertificationQuerySet",
    "EligibilityPathway",
    "EmployerType",
    "IssuingBody",
    "ProgramCareer",
    "ProgramCareerQuerySet",
    "Skill",
    "StatePay",
    "lines",
    "state_pay_slug",
]
