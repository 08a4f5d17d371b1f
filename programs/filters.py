import django_filters
from django import forms
from django.conf import settings
from django.db.models import Case, Count, Exists, F, OuterRef, Q, When

from core.listing import (
    BooleanFacet,
    ChoiceFacet,
    ListingFilterSet,
    MoreCheckboxes,
    MultipleChoiceFacet,
    number_widget,
    sort_filter,
)
from programs.fit import VERDICT_CHOICES, best_fit_first, with_fit
from programs.models import Accreditation, Accreditor, Institution, Program, Specialization
from search.lists import WordsFilter


def rated_average():
    """The average rating where enough reviews make it shown; programs with fewer sort last."""
    return Case(
        When(review_count__gte=settings.REVIEW_MIN_FOR_AVERAGE, then=F("review_average")),
        default=None,
    )


ANY_PACE = "any"
FIT = "fit"
# The months to finish at each pace; with any pace, the fastest the program offers.
MONTHS_AT_PACE = {
    ANY_PACE: "shortest_months",
    Program.Pace.FULL_TIME: "months_full_time",
    Program.Pace.PART_TIME: "months_part_time",
    Program.Pace.ACCELERATED: "months_accelerated",
}

SORTS = {
    "name": ("Name (A to Z)", [F("title").asc(), F("institution__name").asc()]),
    "tuition": ("Tuition: low to high", [F("tuition_total").asc(nulls_last=True), "title"]),
    "-tuition": ("Tuition: high to low", [F("tuition_total").desc(nulls_last=True), "title"]),
    "shortest": ("Shortest to finish", [F("shortest_months").asc(nulls_last=True), "title"]),
    # Fit is worked out per program from the reader's profile (programs.fit), after the
    # database has filtered: there the list is in name order, then sorted by verdict.
    FIT: ("Fit with your profile: best first", [F("title").asc(), F("institution__name").asc()]),
    "newest": ("Newest first", [F("published_at").desc(nulls_last=True), "title"]),
    # A callable: the minimum number of reviews is a setting, read at request time.
    "rating": (
        "Alumni rating: highest first",
        lambda: [rated_average().desc(nulls_last=True), "title"],
    ),
}


def condition_pace(value):
    # Offered when the program says so, or gives a duration at that pace.
    return Q(paces__contains=value) | Q(**{f"months_{value}__isnull": False})


def condition_no_programming_background():
    return Q(programming_background__in=[Program.Programming.NONE, Program.Programming.BRIDGE])


def condition_specialization(slug):
    """Programs offering the specialization `slug`: a condition each row is checked against
    (the link table read once, as a hashed list of keys)."""
    links = Program.specializations.through.objects.filter(specialization__slug=slug)
    return Q(pk__in=links.values("program_id"))


def condition_accreditor(slug):
    """Programs accredited by `slug`, themselves or through their university, as
    `accredited_by` keeps them; a condition on the row, like condition_specialization."""
    current = Accreditation.objects.filter(
        accreditor__slug=slug, status=Accreditation.Status.ACCREDITED
    )
    return Q(pk__in=current.exclude(program=None).values("program_id")) | Q(
        institution__in=current.exclude(institution=None).values("institution_id")
    )


class ProgramFilter(ListingFilterSet):
    """The program list's filters; every value lives in the query string."""

    sorts = SORTS

    q = WordsFilter(
        "Words, abbreviations or the start of a word: a subject, a university, a place; "
        "“online”, “part time”, “no GRE” or “under $30,000” apply those filters.",
        listing="programs",
    )
    format = MultipleChoiceFacet(
        label="Format",
        field_name="delivery_format",
        choices=Program.Format.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # a column of the program itself: no join, so no duplicates
    )
    specialization = MultipleChoiceFacet(
        label="Specialization",
        method="with_specializations",
        condition=condition_specialization,
        widget=MoreCheckboxes(shown=8, more_label="More specializations"),
        help_text="Programs offering any of the ticked areas; the most offered first.",
    )
    accreditor = ChoiceFacet(
        label="Accredited by",
        method="accredited_by",
        empty_label="Any accreditor",
        condition=condition_accreditor,
    )
    state = ChoiceFacet(
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
        method="finishing_within",
        min_value=1,
        max_digits=5,
        decimal_places=0,
        help_text="At the pace chosen below; with any pace, at the fastest the program offers.",
        widget=number_widget("numeric"),
    )
    pace = ChoiceFacet(
        label="Pace",
        choices=[(ANY_PACE, "Any pace"), *Program.Pace.choices],
        method="offering_pace",
        condition=condition_pace,
        uncounted=[ANY_PACE],  # keeps every program: nothing to count
        empty_label=None,
        help_text="Programs that offer this pace (and finish within the months above at it).",
    )
    fit = django_filters.ChoiceFilter(
        label="Your fit",
        choices=VERDICT_CHOICES,
        method="by_fit",
        empty_label="Any fit",
        help_text="From the profile you gave on the fit page.",
    )
    gre = ChoiceFacet(label="GRE", choices=Program.Requirement.choices, empty_label="Any")
    no_programming_background = BooleanFacet(
        label="No programming background needed (or a bridge course is offered)",
        method="without_programming",
        condition=lambda value: condition_no_programming_background(),
        widget=forms.CheckboxInput,
    )
    sort = sort_filter(SORTS)

    class Meta:
        model = Program
        fields: list[str] = []

    def __init__(self, data=None, *args, profile=None, **kwargs):
        self.profile = profile
        # The fit profile's pace sets the pace of "finish within", unless one is asked.
        pace_unasked = data is not None and data.get("max_months") and not data.get("pace")
        if pace_unasked and profile and profile.pace:
            data = data.copy()
            data["pace"] = profile.pace
        super().__init__(data, *args, **kwargs)
        # Every choice comes from published programs: a choice must not reveal a draft.
        public = Program.objects.published()
        # The most offered first: the filter shows eight and folds the rest.
        self.set_vocabulary(
            "specialization",
            Specialization.objects.filter(Exists(public.filter(specializations=OuterRef("pk"))))
            .annotate(offered=Count("programs", filter=Q(programs__in=public), distinct=True))
            .order_by("-offered", "name"),
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
        if value == ANY_PACE:
            return queryset
        return queryset.filter(condition_pace(value))

    def finishing_within(self, queryset, name, value):
        """Programs that offer the chosen pace and finish within `value` months at it."""
        pace = self.cleaned.get("pace") or ANY_PACE
        return queryset.filter(**{f"{MONTHS_AT_PACE[pace]}__lte": value})

    def by_fit(self, queryset, name, value):
        # The verdict needs each program's facts and sources: `arrange` applies it.
        return queryset

    @property
    def fit_asked(self):
        """The verdict asked for (`fit`) and whether the list sorts by fit."""
        return self.cleaned.get("fit") or "", self.cleaned.get("sort") == FIT

    def arrange(self, programs):
        """The programs of the list (already filtered and in name order) as the reader's fit
        asks: only the verdict chosen, best fit first; each with its `profile_fit`. None when
        the list does not use the fit."""
        verdict, by_fit = self.fit_asked
        if not self.profile or not (verdict or by_fit):
            return None
        arranged = (best_fit_first if by_fit else with_fit)(programs, self.profile)
        if verdict:
            return [program for program in arranged if program.profile_fit.status == verdict]
        return arranged

    def without_programming(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(condition_no_programming_background())
