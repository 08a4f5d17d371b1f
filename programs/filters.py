import django_filters
from django import forms
from django.conf import settings
from django.db.models import Case, Exists, F, OuterRef, Q, When

from core.listing import (
    ListingFilterSet,
    number_widget,
    search_filter,
    sort_filter,
)
from programs.models import Accreditation, Accreditor, Institution, Program, Specialization


def rated_average():
    """The average rating where enough reviews make it shown; programs with fewer sort last."""
    return Case(
        When(review_count__gte=settings.REVIEW_MIN_FOR_AVERAGE, then=F("review_average")),
        default=None,
    )


SORTS = {
    "name": ("Name (A to Z)", [F("title").asc(), F("institution__name").asc()]),
    "tuition": ("Tuition: low to high", [F("tuition_total").asc(nulls_last=True), "title"]),
    "-tuition": ("Tuition: high to low", [F("tuition_total").desc(nulls_last=True), "title"]),
    "shortest": ("Shortest to finish", [F("shortest_months").asc(nulls_last=True), "title"]),
    "newest": ("Newest first", [F("published_at").desc(nulls_last=True), "title"]),
    # A callable: the minimum number of reviews is a setting, read at request time.
    "rating": (
        "Alumni rating: highest first",
        lambda: [rated_average().desc(nulls_last=True), "title"],
    ),
}


class ProgramFilter(ListingFilterSet):
    """The program list's filters; every value lives in the query string."""

    sorts = SORTS
    facets = (
        "format",
        "specialization",
        "accreditor",
        "state",
        "pace",
        "gre",
        "no_programming_background",
    )

    q = search_filter(
        "Words, abbreviations or the start of a word: a subject, a university, a place."
    )
    format = django_filters.MultipleChoiceFilter(
        label="Format",
        field_name="delivery_format",
        choices=Program.Format.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # a column of the program itself: no join, so no duplicates
    )
    specialization = django_filters.MultipleChoiceFilter(
        label="Specialization",
        method="with_specializations",
        widget=forms.CheckboxSelectMultiple,
        help_text="Programs offering any of the ticked areas.",
    )
    accreditor = django_filters.ChoiceFilter(
        label="Accredited by", method="accredited_by", empty_label="Any accreditor"
    )
    state = django_filters.ChoiceFilter(
        label="State or region", field_name="institution__state", empty_label="Anywhere"
    )
    max_tuition = django_filters.NumberFilter(
        label="Maximum total tuition (US$)",
        method="tuition_at_most",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=number_widget(),
    )
    max_months = django_filters.NumberFilter(
        label="Finish within (months)",
        field_name="shortest_months",
        lookup_expr="lte",
        min_value=1,
        max_digits=5,
        decimal_places=0,
        help_text="At the fastest pace the program offers.",
        widget=number_widget("numeric"),
    )
    pace = django_filters.ChoiceFilter(
        label="Pace",
        choices=Program.Pace.choices,
        method="offering_pace",
        empty_label="Any",
        help_text="Programs that offer this pace.",
    )
    gre = django_filters.ChoiceFilter(
        label="GRE", choices=Program.Requirement.choices, empty_label="Any"
    )
    no_programming_background = django_filters.BooleanFilter(
        label="No programming background needed (or a bridge course is offered)",
        method="without_programming",
        widget=forms.CheckboxInput,
    )
    sort = sort_filter(SORTS)

    class Meta:
        model = Program
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every choice comes from published programs: a choice must not reveal a draft.
        public = Program.objects.published()
        self.set_vocabulary(
            "specialization",
            Specialization.objects.filter(Exists(public.filter(specializations=OuterRef("pk")))),
        )
        accredited = Accreditation.objects.filter(accreditor=OuterRef("pk"))
        self.set_vocabulary(
            "accreditor",
            Accreditor.objects.filter(
                Exists(accredited.filter(program__in=public))
                | Exists(accredited.filter(institution__programs__in=public))
            ),
        )
        self.set_choices(
            "state",
            lambda: (
                (state, state)
                for state in Institution.objects.exclude(state="")
                .filter(Exists(public.filter(institution=OuterRef("pk"))))
                .order_by("state")
                .values_list("state", flat=True)
                .distinct()
            ),
        )

    def with_specializations(self, queryset, name, value):
        if not value:
            return queryset
        links = Program.specializations.through.objects.filter(
            program=OuterRef("pk"), specialization__slug__in=value
        )
        return queryset.filter(Exists(links))

    def accredited_by(self, queryset, name, value):
        current = Accreditation.objects.filter(
            accreditor__slug=value, status=Accreditation.Status.ACCREDITED
        )
        return queryset.filter(
            Exists(current.filter(program=OuterRef("pk")))
            | Exists(current.filter(institution=OuterRef("institution")))
        )

    def tuition_at_most(self, queryset, name, value):
        # Only US-dollar tuition is comparable with a dollar limit.
        return queryset.filter(tuition_total__lte=value, currency="USD")

    def offering_pace(self, queryset, name, value):
        # Offered when the program says so, or gives a duration at that pace.
        return queryset.filter(Q(paces__contains=value) | Q(**{f"months_{value}__isnull": False}))

    def without_programming(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            programming_background__in=[Program.Programming.NONE, Program.Programming.BRIDGE]
        )
