from django.contrib import admin
from django.db.models import Count

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
from careers.resources import (
    CareerResource,
    CertificationResource,
    EmployerTypeResource,
    IssuingBodyResource,
    SkillResource,
    StatePayResource,
)
from core.admin import CitationInline, PublishableAdmin, SourcedAdmin, SpreadsheetAdmin
from programs.admin import ProgramAdmin


class VocabularyAdmin(admin.ModelAdmin):
    """Controlled vocabularies: name and slug, searchable, with how often each is used."""

    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Skill)
class SkillAdmin(SpreadsheetAdmin, VocabularyAdmin):
    resource_classes = [SkillResource]
    list_display = ["name", "slug", "career_count", "certification_count"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                career_count=Count("careers", distinct=True),
                certification_count=Count("certifications", distinct=True),
            )
        )

    @admin.display(description="careers", ordering="career_count")
    def career_count(self, skill):
        return skill.career_count

    @admin.display(description="certifications", ordering="certification_count")
    def certification_count(self, skill):
        return skill.certification_count


@admin.register(EmployerType)
class EmployerTypeAdmin(SpreadsheetAdmin, VocabularyAdmin):
    resource_classes = [EmployerTypeResource]
    pass


@admin.register(IssuingBody)
class IssuingBodyAdmin(SpreadsheetAdmin, VocabularyAdmin):
    resource_classes = [IssuingBodyResource]
    list_display = ["name", "abbreviation", "slug", "website"]
    search_fields = ["name", "abbreviation"]


class ProgramCareerInline(admin.TabularInline):
    model = ProgramCareer
    extra = 0
    autocomplete_fields = ["program", "career"]
    verbose_name = "program that prepares for it"
    verbose_name_plural = "programs that prepare for it"


class CareerOfProgramInline(ProgramCareerInline):
    verbose_name = "career it prepares for"
    verbose_name_plural = "careers it prepares for"


@admin.register(Career)
class CareerAdmin(SpreadsheetAdmin, PublishableAdmin):
    resource_classes = [CareerResource]
    list_display = [
        "title",
        "soc_code",
        "median_salary",
        "growth_percent",
        "graduate_share",
        "publication_state",
        "updated_at",
    ]
    list_filter = [
        "status",
        "soc_match",
        "entry_education",
        "fields_of_study",
        "employer_types",
        "skills",
    ]
    search_fields = ["title", "alternative_titles", "soc_code", "soc_title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["skills", "employer_types", "related_careers"]
    inlines = [ProgramCareerInline, CitationInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "alternative_titles", "summary"]}),
        PublishableAdmin.publication_fieldset,
        *PublishableAdmin.fact_fieldsets(Career),
        ("Programs that lead to it", {"fields": ["fields_of_study"]}),
        ("Related roles", {"fields": ["related_careers"]}),
    ]


@admin.register(StatePay)
class StatePayAdmin(SpreadsheetAdmin, SourcedAdmin):
    """Pay by state, refreshed each spring by `manage.py import_bls_state_wages`."""

    resource_classes = [StatePayResource]
    list_display = ["career", "state", "median_salary", "salary_low", "salary_high", "employment"]
    list_filter = ["state", "career"]
    list_select_related = ["career"]
    search_fields = ["career__title", "state"]
    autocomplete_fields = ["career"]
    inlines = [CitationInline]
    fieldsets = [
        (None, {"fields": ["career", "state"]}),
        *StatePay.facts.fieldsets(description=PublishableAdmin.sources_note),
    ]


class EligibilityPathwayInline(admin.TabularInline):
    model = EligibilityPathway
    extra = 0


@admin.register(Certification)
class CertificationAdmin(SpreadsheetAdmin, PublishableAdmin):
    resource_classes = [CertificationResource]
    list_display = [
        "name",
        "acronym",
        "issuing_body",
        "fee",
        "renewal_years",
        "publication_state",
        "updated_at",
    ]
    list_filter = ["status", "credential_type", "issuing_body", "exam_delivery", "skills"]
    list_select_related = ["issuing_body"]
    search_fields = ["name", "acronym", "issuing_body__name", "issuing_body__abbreviation"]
    prepopulated_fields = {"slug": ["acronym", "name"]}
    autocomplete_fields = ["issuing_body", "skills", "careers", "programs"]
    inlines = [EligibilityPathwayInline, CitationInline]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "summary"]}),
        PublishableAdmin.publication_fieldset,
        *PublishableAdmin.fact_fieldsets(Certification),
        ("Links", {"fields": ["fields_of_study", "careers", "programs"]}),
    ]

    @admin.display(description="total fee", ordering="total_fee")
    def fee(self, certification):
        return self.money(certification.total_fee, certification.currency)


# The program page in the admin edits its career links too: the link is declared here, on the
# careers side, so the inline is added to the programs admin from here.
ProgramAdmin.inlines = [*ProgramAdmin.inlines, CareerOfProgramInline]
