import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef

from careers.models import (
    Career,
    Certification,
    EligibilityPathway,
    EmployerType,
    IssuingBody,
    Skill,
)
from core.listing import (
    BooleanFacet,
    ChoiceFacet,
    ListingFilterSet,
    number_widget,
    sort_filter,
)
from search.lists import WordsFilter

CAREER_SORTS = {
    "name": ("Name (A to Z)", [F("title").asc()]),
    "salary": ("Median salary: highest first", [F("median_salary").desc(nulls_last=True), "title"]),
    "growth": ("Job growth: highest first", [F("growth_percent").desc(nulls_last=True), "title"]),
    "share": (
        "Share of graduates: highest first",
        [F("graduate_share").desc(nulls_last=True), "title"],
    ),
}


class CareerFilter(ListingFilterSet):
    sorts = CAREER_SORTS

    q = WordsFilter("Words in the role's titles, description, tasks or skills.", listing="careers")
    min_salary = django_filters.NumberFilter(
        label="Minimum median salary (US$)",
        method="salary_at_least",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=number_widget(),
    )
    min_growth = django_filters.NumberFilter(
        label="Minimum job growth (%)",
        field_name="growth_percent",
        lookup_expr="gte",
        min_value=-100,
        max_digits=6,
        decimal_places=2,
        widget=number_widget(),
    )
    skill = ChoiceFacet(label="Skill", method="with_skill", empty_label="Any skill")
    employer = ChoiceFacet(
        label="Employer type", method="with_employer", empty_label="Any employer"
    )
    sort = sort_filter(CAREER_SORTS)

    class Meta:
        model = Career
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what published careers use: a choice must not reveal a draft.
        public = Career.objects.published()
        self.set_vocabulary(
            "skill", Skill.objects.filter(Exists(public.filter(skills=OuterRef("pk"))))
        )
        self.set_vocabulary(
            "employer",
            EmployerType.objects.filter(Exists(public.filter(employer_types=OuterRef("pk")))),
        )

    def salary_at_least(self, queryset, name, value):
        # Only US-dollar salaries are comparable with a dollar amount.
        return queryset.filter(median_salary__gte=value, currency="USD")

    def with_skill(self, queryset, name, value):
        links = Career.skills.through.objects.filter(career=OuterRef("pk"), skill__slug=value)
        return queryset.filter(Exists(links))

    def with_employer(self, queryset, name, value):
        links = Career.employer_types.through.objects.filter(
            career=OuterRef("pk"), employertype__slug=value
        )
        return queryset.filter(Exists(links))


CERTIFICATION_SORTS = {
    "name": ("Name (A to Z)", [F("name").asc()]),
    "fee": ("Total fee: lowest first", [F("total_fee").asc(nulls_last=True), "name"]),
    "renewal": (
        "Renewal: longest cycle first",
        [F("renewal_years").desc(nulls_last=True), "name"],
    ),
    "salary_effect": (
        "Reported salary effect: highest first",
        [F("salary_effect_percent").desc(nulls_last=True), "name"],
    ),
}


class CertificationFilter(ListingFilterSet):
    sorts = CERTIFICATION_SORTS

    q = WordsFilter(
        "Words in the name, acronym, issuing body, description or skills.",
        listing="certifications",
    )
    issuer = ChoiceFacet(
        label="Issuing body", field_name="issuing_body__slug", empty_label="Any issuing body"
    )
    max_fee = django_filters.NumberFilter(
        label="Maximum total fee (US$)",
        method="fee_at_most",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=number_widget(),
    )
    renewal = ChoiceFacet(
        label="Renewal cycle", field_name="renewal_years", empty_label="Any cycle"
    )
    no_field_degree = BooleanFacet(
        label="Open to people without a degree in the field",
        method="open_without_field_degree",
        widget=forms.CheckboxInput,
    )
    sort = sort_filter(CERTIFICATION_SORTS)

    class Meta:
        model = Certification
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        public = Certification.objects.published()
        self.set_vocabulary(
            "issuer", IssuingBody.objects.filter(Exists(public.filter(issuing_body=OuterRef("pk"))))
        )
        self.set_choices(
            "renewal",
            lambda: (
                (str(years), f"Every {years} year{'s' if years != 1 else ''}")
                for years in Certification.objects.published()
                .exclude(renewal_years=None)
                .order_by("renewal_years")
                .values_list("renewal_years", flat=True)
                .distinct()
            ),
        )

    def fee_at_most(self, queryset, name, value):
        return queryset.filter(total_fee__lte=value, currency="USD")

    def open_without_field_degree(self, queryset, name, value):
        if not value:
            return queryset
        open_route = EligibilityPathway.objects.filter(
            certification=OuterRef("pk"), degree_in_field_required=False
        )
        return queryset.filter(Exists(open_route))
