"""Universities, accreditors and accreditations; the vocabularies programs use."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.fields import LineField, sane_date
from core.images import validate_image

PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
# Durations longer than this are a typing error, not a program; also the "no duration" marker
# inside the shortest_months expression.
MAX_MONTHS = 120


def logo_upload_to(instance: models.Model, filename: str) -> str:
    # Names are generated (core.images.reencode); the uploader's file name is never used.
    return f"logos/{filename}"


class InstitutionQuerySet(models.QuerySet):
    def listed(self) -> "InstitutionQuerySet":
        """Institutions the public sees: those with a published program."""
        programs: Any = self.model._meta.get_field("programs").related_model
        return self.filter(programs__in=programs.objects.published()).distinct()


class Institution(models.Model):
    name = LineField(max_length=200, help_text="Full official name of the university.")
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used in addresses. Filled in from the name."
    )
    city = LineField(max_length=100, blank=True, help_text="Leave empty if not known.")
    state = models.CharField(
        "state or region",
        max_length=100,
        blank=True,
        db_index=True,
        help_text="US state written out (e.g. “Pennsylvania”) or region. Empty if not known.",
    )
    country = LineField(max_length=100, blank=True, help_text="Leave empty if not known.")
    website = models.URLField(blank=True, help_text="The institution's home page.")
    logo = models.ImageField(
        upload_to=logo_upload_to,
        blank=True,
        validators=[validate_image],
        help_text="PNG, JPEG or WebP, at most 2 MB and 4 megapixels. Optional.",
    )

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("institutions:detail", kwargs={"slug": self.slug})

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.city, self.state, self.country) if part)


class Accreditor(models.Model):
    class Scope(models.TextChoices):
        INSTITUTIONAL = "institutional", "Institutional (the whole university)"
        PROGRAMMATIC = "programmatic", "Programmatic (one program)"

    name = LineField(max_length=200, unique=True, help_text="Full name of the body.")
    abbreviation = LineField(
        max_length=20, blank=True, help_text="Short name readers know, e.g. “ABET”."
    )
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in filter addresses.")
    scope = models.CharField(
        max_length=20, choices=Scope.choices, help_text="What this body accredits."
    )
    website = models.URLField(blank=True, help_text="Where readers can check an accreditation.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class Accreditation(models.Model):
    """An accreditor's decision about an institution (institutional) or a program (programmatic)."""

    class Status(models.TextChoices):
        ACCREDITED = "accredited", "Accredited"
        CANDIDATE = "candidate", "Candidate for accreditation"
        PROBATION = "probation", "On probation"
        WITHDRAWN = "withdrawn", "Withdrawn"

    accreditor = models.ForeignKey(
        Accreditor,
        on_delete=models.PROTECT,
        related_name="accreditations",
        help_text="The body that granted (or withdrew) the accreditation.",
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accreditations",
        help_text="Set for an institutional accreditation; leave empty for a program's.",
    )
    program = models.ForeignKey(
        "Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accreditations",
        help_text="Set for a programmatic accreditation; leave empty for an institution's.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.ACCREDITED,
        help_text="Status as shown by the accreditor's own directory.",
    )
    verified_on = models.DateField(
        validators=[sane_date],
        help_text="The day an editor checked this status in the accreditor's directory.",
    )
    url = models.URLField(
        "link", blank=True, help_text="The accreditor's page that shows this status."
    )

    class Meta:
        ordering = ["accreditor__name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(institution__isnull=False, program__isnull=True)
                    | Q(institution__isnull=True, program__isnull=False)
                ),
                name="accreditation_institution_xor_program",
            ),
            models.UniqueConstraint(
                fields=["accreditor", "institution"], name="accreditation_unique_institution"
            ),
            models.UniqueConstraint(
                fields=["accreditor", "program"], name="accreditation_unique_program"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.accreditor} — {self.institution or self.program}"

    @property
    def scope(self) -> str:
        return (
            Accreditor.Scope.INSTITUTIONAL if self.institution_id else Accreditor.Scope.PROGRAMMATIC
        )

    def clean(self) -> None:
        # The entries, not their ids: on the admin page that creates an institution or a
        # program, the accreditation belongs to one that is not saved yet.
        if (self.institution is None) == (self.program is None):
            raise ValidationError("Choose either an institution or a program, not both.")


class Specialization(models.Model):
    name = LineField(
        max_length=120, unique=True, help_text="As readers should see it, e.g. “Clinical NLP”."
    )
    slug = models.SlugField(max_length=120, unique=True, help_text="Used in filter addresses.")
    description = models.TextField(
        blank=True, help_text="One or two sentences explaining the area to a clinician."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FieldOfStudy(models.Model):
    """What a degree is in, as its own name says (health informatics, health data science…):
    the editors' one-word answer to "what is this program?", read off the degree's title.
    Careers and certifications name the fields they draw on, so a program's links to them
    follow from its field."""

    name = LineField(max_length=80, unique=True, help_text="As readers see it.")
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in addresses.")
    description = models.TextField(
        blank=True, help_text="What degrees of this field teach, in a sentence for a clinician."
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "field of study"
        verbose_name_plural = "fields of study"

    def __str__(self) -> str:
        return self.name
