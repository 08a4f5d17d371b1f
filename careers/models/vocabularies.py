"""The vocabularies careers and certifications share: skills, employer types, issuing bodies."""

from django.db import models

from core.fields import LineField


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class Skill(models.Model):
    name = LineField(
        max_length=120,
        unique=True,
        help_text="As readers should see it, e.g. “Python programming”.",
    )
    slug = models.SlugField(max_length=120, unique=True, help_text="Used in filter addresses.")
    description = models.TextField(
        blank=True, help_text="One sentence explaining the skill to a clinician. Optional."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EmployerType(models.Model):
    name = LineField(
        max_length=120,
        unique=True,
        help_text="A kind of employer, e.g. “Hospitals and health systems”.",
    )
    slug = models.SlugField(max_length=120, unique=True, help_text="Used in filter addresses.")

    class Meta:
        ordering = ["name"]
        verbose_name = "employer type"

    def __str__(self) -> str:
        return self.name


class IssuingBody(models.Model):
    name = LineField(max_length=200, unique=True, help_text="Full name of the organisation.")
    abbreviation = LineField(
        max_length=20, blank=True, help_text="Short name readers know, e.g. “AHIMA”."
    )
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in filter addresses.")
    website = models.URLField(blank=True, help_text="The organisation's certification pages.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "issuing bodies"

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name
