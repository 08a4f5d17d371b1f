"""Certifications and the ways to become eligible for them."""

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from careers.models.careers import Career
from careers.models.vocabularies import IssuingBody, Skill
from core.facts import Fact, Facts, Group, SourcedModel
from core.facts import FactKind as K
from core.fields import LineField
from core.models import Citation, prefetch_citations
from core.publication import (
    PublicationQuerySet,
    Publishable,
    publication_constraint,
    validate_public_slug,
)
from programs.models import FieldOfStudy, Program


class CertificationQuerySet(PublicationQuerySet):
    def for_listing(self) -> "CertificationQuerySet":
        return self.select_related("issuing_body").prefetch_related(prefetch_citations())

    def for_detail(self) -> "CertificationQuerySet":
        return self.select_related("issuing_body").prefetch_related(
            "skills",
            "pathways",
            prefetch_citations(),
            models.Prefetch("careers", queryset=Career.objects.published()),
            models.Prefetch(
                "programs",
                queryset=Program.objects.published().select_related("institution"),
            ),
            models.Prefetch(
                "fields_of_study__programs",
                queryset=Program.objects.published().select_related("institution"),
            ),
        )


class Certification(Publishable, SourcedModel):
    class CredentialType(models.TextChoices):
        CERTIFICATION = "certification", "Professional certification"
        CERTIFICATE = "certificate", "Certificate (course-based)"
        CREDENTIAL_FAMILY = "family", "Family of certifications"

    class Delivery(models.TextChoices):
        TEST_CENTRE = "centre", "At a test centre"
        ONLINE = "online", "Online, remotely proctored"
        BOTH = "both", "At a test centre or online"

    name = LineField(max_length=200, help_text="Full name, as the issuing body writes it.")
    acronym = LineField(max_length=20, blank=True, help_text="Short name, e.g. “CHDA”. Optional.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        validators=[validate_public_slug],
        help_text="Used in the address. Filled in from the name.",
    )
    issuing_body = models.ForeignKey(
        IssuingBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certifications",
        help_text="Who awards it. Leave empty if the source does not say.",
    )
    credential_type = models.CharField(
        max_length=15,
        choices=CredentialType.choices,
        blank=True,
        help_text="What kind of credential this is. Leave empty if the source does not say.",
    )
    summary = models.TextField(
        blank=True, help_text="Two or three sentences in your own words: what it shows."
    )
    exam_format = models.CharField(
        max_length=200,
        blank=True,
        help_text="The exam's format in words, e.g. “multiple-choice”. Empty if not reported.",
    )
    exam_questions = models.PositiveSmallIntegerField(
        "number of exam questions",
        null=True,
        blank=True,
        validators=[MaxValueValidator(1000)],
        help_text="Scored and unscored questions together. Leave empty if not reported.",
    )
    exam_minutes = models.PositiveSmallIntegerField(
        "exam length (minutes)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(2000)],
        help_text="Time allowed for the exam. Leave empty if not reported.",
    )
    exam_delivery = models.CharField(
        max_length=10,
        choices=Delivery.choices,
        blank=True,
        help_text="Where the exam can be taken. Leave empty if not reported.",
    )
    total_fee = models.DecimalField(
        "total fee (non-member)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        db_index=True,
        help_text="Application and exam fees together for a non-member. Empty if not reported.",
    )
    member_fee = models.DecimalField(
        "total fee (member)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="The same for members of the issuing body, if it differs.",
    )
    currency = models.CharField(
        max_length=3, default="USD", help_text="ISO 4217 code of the fees, e.g. USD."
    )
    renewal_years = models.PositiveSmallIntegerField(
        "renewal cycle (years)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        db_index=True,
        help_text="Years between renewals. Leave empty if not reported.",
    )
    ce_hours = models.PositiveSmallIntegerField(
        "continuing-education hours per cycle",
        null=True,
        blank=True,
        validators=[MaxValueValidator(1000)],
        help_text="Hours of continuing education needed to renew. Empty if not reported.",
    )
    salary_effect_percent = models.DecimalField(
        "reported salary effect (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-100)), MaxValueValidator(Decimal(500))],
        help_text="Difference in pay the source reports for holders, in percent. Say in the "
        "source's note exactly whom it compares.",
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="certifications", help_text="Skills it validates."
    )
    careers = models.ManyToManyField(
        Career,
        blank=True,
        related_name="certifications",
        help_text="Roles this certification supports. Shown on both pages.",
    )
    programs = models.ManyToManyField(
        Program,
        blank=True,
        related_name="certifications",
        help_text="Programs this certification complements. Shown on both pages.",
    )
    fields_of_study = models.ManyToManyField(
        FieldOfStudy,
        blank=True,
        related_name="certifications",
        help_text="Fields the issuer counts as its own: a degree in one of them meets a route "
        "that asks for a degree in the field.",
    )
    citations = GenericRelation(Citation)

    # What readers are told, in order: the certification page's sections, the comparison's
    # rows and the admin's fieldsets are all built from this (core.facts).
    facts = Facts(
        Group(
            "Who issues it",
            "issuer",
            (
                Fact("issuing_body", K.TEXT, show="issuer_name"),
                Fact("credential_type", K.CHOICE, sourced=False),
            ),
            template="careers/_eligibility.html",
        ),
        Group(
            "The exam",
            "exam",
            (
                Fact("exam_format", K.TEXT, label="Format"),
                Fact("exam_questions", K.COUNT),
                Fact("exam_minutes", K.MINUTES),
                Fact("exam_delivery", K.CHOICE, label="Where"),
            ),
        ),
        Group(
            "Cost, renewal and pay",
            "cost",
            (
                Fact("total_fee", K.MONEY, best="min", admin_with=("currency",)),
                Fact("member_fee", K.MONEY, best="min"),
                Fact("renewal_years", K.YEARS),
                Fact("ce_hours", K.HOURS),
                Fact("salary_effect_percent", K.PERCENT),
            ),
        ),
        Group(
            "Skills it validates",
            "skills",
            (
                Fact(
                    "skills",
                    K.NAMES,
                    label="Skills",
                    links=("careers:list", "skill"),
                    sourced=False,
                ),
            ),
        ),
    )

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="certification_publication")
        ]
        constraints = [
            publication_constraint("certification_published_has_time"),
            models.CheckConstraint(
                condition=Q(total_fee__gte=0), name="certification_fee_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(member_fee__gte=0), name="certification_member_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def programs_shown(self) -> list[tuple[Program, str]]:
        """The programs whose graduates meet a route to the exam, as (program, route): those
        of the fields the issuer counts as its own, then those an editor linked by hand."""
        shown, seen = [], set()
        in_field = self.graduate_route_text(in_field=True)
        for field in self.fields_of_study.all():
            for program in sorted(field.programs.all(), key=lambda p: p.title):
                if program.pk not in seen:
                    seen.add(program.pk)
                    shown.append((program, f"A degree in {field.name.lower()}. {in_field}"))
        shown += [(p, "") for p in self.programs.all() if p.pk not in seen]
        return shown

    def graduate_route(self, in_field: bool) -> "EligibilityPathway | None":
        """The easiest route to the exam a master's graduate meets (a degree in one of its
        fields when `in_field`), or None; the routes come from the issuer's own page."""
        for pathway in self.pathways.all():  # fewest years of experience first
            level = EligibilityPathway.EDUCATION_RANK[pathway.minimum_education]
            if level > EligibilityPathway.EDUCATION_RANK["master"]:
                continue
            if pathway.degree_in_field_required and not in_field:
                continue
            return pathway
        return None

    def graduate_route_text(self, in_field: bool) -> str:
        if not self.pathways.all():
            return "Its routes to the exam are not reported."
        route = self.graduate_route(in_field)
        if route is None:
            return "A master's degree alone does not open a route to the exam."
        if route.years_experience == 0:
            return "Graduates meet a route to the exam."
        years = route.years_experience
        span = f"{years} year{'s' if years > 1 else ''}"
        return f"Graduates meet a route to the exam with {span} of experience."

    def get_absolute_url(self) -> str:
        return reverse("certifications:detail", kwargs={"slug": self.slug})

    @property
    def issuer_name(self) -> str:
        return self.issuing_body.name if self.issuing_body else ""


class EligibilityPathway(models.Model):
    """One route to being allowed to sit the exam: education plus experience."""

    # A master's degree meets a route that asks for at most a master's degree.
    EDUCATION_RANK = {"none": 0, "associate": 1, "bachelor": 2, "master": 3, "doctorate": 4}

    class Education(models.TextChoices):
        NONE = "none", "No degree"
        ASSOCIATE = "associate", "Associate degree"
        BACHELOR = "bachelor", "Bachelor's degree"
        MASTER = "master", "Master's degree"
        DOCTORATE = "doctorate", "Doctoral degree"

    certification = models.ForeignKey(
        Certification,
        on_delete=models.CASCADE,
        related_name="pathways",
        help_text="The certification this route leads to.",
    )
    minimum_education = models.CharField(
        max_length=10, choices=Education.choices, help_text="The lowest degree this route accepts."
    )
    degree_in_field_required = models.BooleanField(
        "degree must be in the field",
        default=False,
        help_text="Tick if the degree must be in the certification's own field (e.g. health "
        "information management).",
    )
    years_experience = models.PositiveSmallIntegerField(
        "years of experience",
        default=0,
        validators=[MaxValueValidator(30)],
        help_text="Years of relevant work needed on this route; 0 if none.",
    )
    description = LineField(
        max_length=300, blank=True, help_text="Anything else this route asks for, in words."
    )

    class Meta:
        ordering = ["years_experience", "minimum_education"]
        verbose_name = "eligibility pathway"

    def __str__(self) -> str:
        field = " in the field" if self.degree_in_field_required else ""
        return f"{self.get_minimum_education_display()}{field} + {self.years_experience} years"
