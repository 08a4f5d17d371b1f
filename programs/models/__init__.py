"""Universities and their accreditation, the vocabularies programs use, programs and their
courses, and the representatives who speak for a university."""

from programs.models.institutions import (
    MAX_MONTHS,
    PERCENT_VALIDATORS,
    Accreditation,
    Accreditor,
    FieldOfStudy,
    Institution,
    InstitutionQuerySet,
    Specialization,
    logo_upload_to,
)
from programs.models.programs import Course, Program, ProgramQuerySet
from programs.models.reminders import DeadlineReminder, new_reminder_key
from programs.models.representatives import Representative, new_representative_key

__all__ = [
    "MAX_MONTHS",
    "PERCENT_VALIDATORS",
    "Accreditation",
    "Accreditor",
    "Course",
    "DeadlineReminder",
    "FieldOfStudy",
    "Institution",
    "InstitutionQuerySet",
    "Program",
    "ProgramQuerySet",
    "Representative",
    "Specialization",
    "logo_upload_to",
    "new_reminder_key",
    "new_representative_key",
]
