from django import forms
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count
from reversion import add_to_revision, create_revision, set_comment, set_user

from core.admin import CitationInline, HistoryAdmin, PublishableAdmin, SpreadsheetAdmin
from core.admin.actions import action_page
from core.images import reencode, validate_image
from programs.models import (
    Accreditation,
    Accreditor,
    Course,
    FieldOfStudy,
    Institution,
    Program,
    Representative,
    Specialization,
)
from programs.resources import (
    AccreditorResource,
    FieldOfStudyResource,
    InstitutionResource,
    ProgramResource,
    SpecializationResource,
)


class InstitutionalAccreditationInline(admin.TabularInline):
    model = Accreditation
    fk_name = "institution"
    fields = ["accreditor", "status", "verified_on", "url"]
    autocomplete_fields = ["accreditor"]
    extra = 0
    verbose_name = "institutional accreditation"


class ProgrammaticAccreditationInline(InstitutionalAccreditationInline):
    fk_name = "program"
    verbose_name = "programmatic accreditation"


class CourseInline(admin.TabularInline):
    model = Course
    fields = ["position", "code", "title", "credits", "kind"]
    extra = 0


class InstitutionForm(forms.ModelForm):
    """Logos are re-encoded without metadata and stored only once everything else is valid."""

    class Meta:
        model = Institution
        fields = ["name", "slug", "city", "state", "country", "website", "logo"]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and isinstance(logo, UploadedFile):
            validate_image(logo)
            return reencode(logo)
        return logo

    def _post_clean(self):
        super()._post_clean()
        logo = self.cleaned_data.get("logo")
        if self.errors or not isinstance(logo, ContentFile):
            return
        field = Institution._meta.get_field("logo")
        try:
            name = field.storage.save(field.generate_filename(self.instance, logo.name), logo)
        except OSError:
            self.add_error(
                "logo",
                "The logo could not be stored: the server has no room for it. Nothing was "
                "saved; please try again later or tell the site's administrator.",
            )
        else:
            self.instance.logo = name


@admin.register(Institution)
class InstitutionAdmin(SpreadsheetAdmin, HistoryAdmin):
    resource_classes = [InstitutionResource]
    form = InstitutionForm
    list_display = ["name", "city", "state", "country", "program_count"]
    list_filter = ["country", "state"]
    search_fields = ["name", "city", "state"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [InstitutionalAccreditationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(program_count=Count("programs"))

    @admin.display(description="programs", ordering="program_count")
    def program_count(self, institution):
        return institution.program_count


@admin.register(Accreditor)
class AccreditorAdmin(SpreadsheetAdmin, admin.ModelAdmin):
    resource_classes = [AccreditorResource]
    list_display = ["name", "abbreviation", "scope"]
    list_filter = ["scope"]
    search_fields = ["name", "abbreviation"]
    prepopulated_fields = {"slug": ["abbreviation"]}


@admin.register(Accreditation)
class AccreditationAdmin(HistoryAdmin):
    list_display = ["accreditor", "institution", "program", "status", "verified_on"]
    list_filter = ["status", "accreditor"]
    list_select_related = ["accreditor", "institution", "program__institution"]
    search_fields = ["accreditor__name", "institution__name", "program__title"]
    autocomplete_fields = ["accreditor", "institution", "program"]
    date_hierarchy = "verified_on"


@admin.register(FieldOfStudy)
class FieldOfStudyAdmin(SpreadsheetAdmin, admin.ModelAdmin):
    resource_classes = [FieldOfStudyResource]
    list_display = ["name", "slug", "program_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(program_count=Count("programs"))

    @admin.display(description="programs", ordering="program_count")
    def program_count(self, field):
        return field.program_count


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Specialization.objects.all(),
        label="Merge them into",
        help_text="The one that stays: it takes every program of the others, which are deleted.",
    )


@admin.register(Specialization)
class SpecializationAdmin(SpreadsheetAdmin, admin.ModelAdmin):
    resource_classes = [SpecializationResource]
    list_display = ["name", "slug", "program_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(program_count=Count("programs"))

    @admin.display(description="programs", ordering="program_count")
    def program_count(self, specialization):
        return specialization.program_count

    @admin.action(permissions=["delete"], description="Merge the selected into one…")
    def merge(self, request, queryset):
        """Near-duplicates into one: the one chosen takes every program of the others (each
        link moved, none lost), and the others are deleted; one revision, undoable."""
        chosen = list(queryset)
        form = MergeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            into = form.cleaned_data["into"]
            merged = merge_specializations([s for s in chosen if s.pk != into.pk], into, request)
            self.message_user(
                request, f"{merged} merged into “{into}”; its programs: {into.programs.count()}."
            )
            return None
        return action_page(
            self,
            request,
            "admin/programs/merge_specializations.html",
            "Merge specializations",
            form,
            entries=chosen,
        )


def merge_specializations(others, into, request=None):
    """Move every program of `others` to `into` and delete `others`, as one revision; returns
    how many were merged."""
    with transaction.atomic(), create_revision():
        if request is not None:
            set_user(request.user)
        set_comment(f"Merged {', '.join(str(s) for s in others)} into {into}.")
        for other in others:
            programs = list(other.programs.all())
            into.programs.add(*programs)  # a program already in `into` keeps one link
            for program in programs:
                add_to_revision(program)
            other.delete()
    return len(others)


@admin.register(Program)
class ProgramAdmin(SpreadsheetAdmin, PublishableAdmin):
    resource_classes = [ProgramResource]
    list_display = [
        "title",
        "institution",
        "delivery_format",
        "tuition",
        "shortest_months",
        "publication_state",
        "updated_at",
    ]
    list_filter = [
        "status",
        "delivery_format",
        "gre",
        "programming_background",
        "degree_type",
        "field_of_study",
        "specializations",
    ]
    list_select_related = ["institution"]
    search_fields = ["title", "slug", "institution__name"]
    autocomplete_fields = ["institution", "specializations"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["shortest_months", *PublishableAdmin.readonly_fields]
    inlines = [CourseInline, ProgrammaticAccreditationInline, CitationInline]
    fieldsets = [
        (None, {"fields": ["institution", "title", "slug", "summary", "former_titles"]}),
        PublishableAdmin.publication_fieldset,
        *PublishableAdmin.fact_fieldsets(Program),
        ("Worked out from the durations", {"fields": ["shortest_months"]}),
        ("Applying", {"fields": ["apply_url"]}),
    ]

    @admin.display(description="tuition", ordering="tuition_total")
    def tuition(self, program):
        return self.money(program.tuition_total, program.currency)


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    """Who asked for a link to update an institution's listing, and when it was opened."""

    list_display = ["email", "institution", "created_at", "confirmed_at"]
    list_select_related = ["institution"]
    search_fields = ["email", "institution__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
