"""Fit: does a reader's background meet what a program states it requires?

A reader describes themselves once on the fit page (`/fit/`): role, bachelor's field and GPA,
experience, programming, statistics, the GRE, budget, pace and formats. That profile lives in
the query string (so a fit can be shared) and in the session (so every list and program page
can show it). It is read and checked by `ProfileForm`; bad values are reported on the form.

The rules live on the model: `Program.fit(profile)` (the FitRules mixin below) checks each
requirement against the program's *reported* facts only, one `FitLine` per requirement with the
fact (and so the source) it rests on, and sums them up in one of four verdicts:

- "meets the stated requirements";
- "meets them with a bridge course";
- "does not meet: <requirement, and what would close the gap>";
- "unknown: the program does not report <which>".

A known gap outweighs an unknown, and an unknown outweighs a bridge course. A question the
reader left blank is not checked and does not change the verdict.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict

from core.facts import format_money
from core.forms import dollars_field

SESSION_KEY = "fit_profile"


ROLES = [
    ("rn", "Registered nurse (RN)"),
    ("np", "Nurse practitioner (NP)"),
    ("physician", "Physician"),
    ("pharmacist", "Pharmacist"),
    ("pa", "Physician assistant (PA)"),
    ("allied", "Allied health professional"),
    ("public_health", "Public health professional"),
    ("other", "Other"),
]
LICENSED = {"rn", "np", "physician", "pharmacist", "pa", "allied"}

FIELDS = [
    ("nursing", "Nursing"),
    ("medicine", "Medicine or another health science"),
    ("pharmacy", "Pharmacy"),
    ("life_sciences", "Biology or another life science"),
    ("public_health", "Public health"),
    ("computing", "Computer science, information science or engineering"),
    ("quantitative", "Mathematics, statistics, physics or economics"),
    ("social", "Social sciences, psychology or humanities"),
    ("business", "Business"),
    ("other", "Another field"),
]

# Words in a program's "accepted bachelor's fields" that name each field of study.
FIELD_WORDS = {
    "nursing": ("nursing", "health sciences", "health-sciences", "health or social care"),
    "medicine": ("medicine", "medical", "health sciences", "health-sciences", "dentistry"),
    "pharmacy": ("pharmacy", "health sciences", "health-sciences"),
    "life_sciences": ("life sciences", "biolog", "biomedical", "biochemistry", "biotechnology"),
    "public_health": ("public health",),
    "computing": ("computer", "information science", "engineering", "computational"),
    "quantitative": ("mathemat", "statistic", "physics", "economics", "quantitative"),
    "social": ("social sciences", "sociology", "psychology"),
    "business": ("business",),
    "other": (),
}
# Words that accept a licensed clinician whatever the bachelor's field.
CLINICIAN_WORDS = ("health-related professionals", "health professions", "clinical", "nursing")
ANY_FIELD = re.compile(
    r"\bany (field|major|subject|discipline|academic|background)|\bno (specific|particular)"
    r"|\bwide range\b|\bvariety of\b|\bmost disciplines\b|\ball backgrounds\b",
    re.IGNORECASE,
)

PROGRAMMING = [
    ("none", "None"),
    ("some", "A course, or self-taught"),
    ("regular", "I use it regularly"),
]
YES_NO = [("yes", "Yes"), ("no", "No")]
PACES = [("part_time", "Part-time, while working"), ("full_time", "Full-time")]
FORMATS = [("online", "Online"), ("hybrid", "Hybrid"), ("campus", "On campus")]

MAX_GPA = Decimal(4)


class ProfileForm(forms.Form):
    """What the reader says of themselves. Every answer is optional; what is left blank is
    not checked."""

    role = forms.ChoiceField(
        label="Your role or licence", choices=[("", "Choose…"), *ROLES], required=False
    )
    bachelor_field = forms.ChoiceField(
        label="Your bachelor's degree is in", choices=[("", "Choose…"), *FIELDS], required=False
    )
    gpa = forms.DecimalField(
        label="Your undergraduate GPA (4.0 scale)",
        required=False,
        min_value=0,
        max_value=MAX_GPA,
        max_digits=3,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": "Enter your GPA as a number, such as 3.2.",
            "min_value": "A GPA cannot be below 0.",
            "max_value": "GPA is on a 4.0 scale: enter a number from 0 to 4.",
            "max_digits": "GPA is on a 4.0 scale: enter a number from 0 to 4.",
            "max_whole_digits": "GPA is on a 4.0 scale: enter a number from 0 to 4.",
            "max_decimal_places": "Two decimal places are enough, such as 3.25.",
        },
    )
    experience = forms.IntegerField(
        label="Years of healthcare work",
        required=False,
        min_value=0,
        max_value=60,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": "Enter whole years, such as 4.",
            "min_value": "Years cannot be negative: enter 0 or more.",
            "max_value": "Enter at most 60 years.",
        },
    )
    programming = forms.ChoiceField(
        label="Programming", choices=PROGRAMMING, required=False, widget=forms.RadioSelect
    )
    statistics = forms.ChoiceField(
        label="Have you passed a statistics course?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    gre = forms.ChoiceField(
        label="Would you take the GRE if a program asks for it?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    budget = dollars_field(
        "Budget for the whole degree (US$)",
        40000,
        "A budget",
        help_text="Tuition and fees, before any employer assistance.",
    )
    pace = forms.ChoiceField(label="Pace", choices=PACES, required=False, widget=forms.RadioSelect)
    formats = forms.MultipleChoiceField(
        label="Formats you can attend",
        choices=FORMATS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@dataclass(frozen=True)
class Profile:
    role: str = ""
    bachelor_field: str = ""
    gpa: Decimal | None = None
    experience: int | None = None
    programming: str = ""
    statistics: str = ""
    gre: str = ""
    budget: Decimal | None = None
    pace: str = ""
    formats: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "formats", tuple(self.formats))

    def __bool__(self):
        return any(value not in ("", None, [], ()) for value in self.as_data().values())

    def as_data(self):
        return {
            "role": self.role,
            "bachelor_field": self.bachelor_field,
            "gpa": "" if self.gpa is None else str(self.gpa),
            "experience": "" if self.experience is None else str(self.experience),
            "programming": self.programming,
            "statistics": self.statistics,
            "gre": self.gre,
            "budget": "" if self.budget is None else str(self.budget),
            "pace": self.pace,
            "formats": list(self.formats),
        }

    def query_string(self):
        """The profile as the fit page's query string (for sharing, and the session)."""
        pairs = []
        for name, value in self.as_data().items():
            for one in value if isinstance(value, list) else [value]:
                if one != "":
                    pairs.append((name, one))
        return urlencode(pairs)

    @classmethod
    def from_query(cls, query):
        """(profile, form) from a query string or QueryDict; bad values stay on the form."""
        form = ProfileForm(query)
        form.is_valid()
        return Profile(
            **{
                name: value
                for name, value in form.cleaned_data.items()
                if value not in ("", None, [])
            }
        ), form

    @classmethod
    def from_session(cls, session):
        """The profile the reader last saved, or an empty one."""
        stored = session.get(SESSION_KEY)
        if not stored:
            return cls()
        return cls.from_query(QueryDict(stored))[0]

    def save(self, session):
        if self:
            session[SESSION_KEY] = self.query_string()
        else:
            session.pop(SESSION_KEY, None)

    def label(self, name):
        """How an answer reads back, e.g. "Registered nurse (RN)"."""
        choices = dict(ProfileForm.base_fields[name].choices)
        return choices.get(getattr(self, name), "")


class Status(StrEnum):
    MEETS = "meets"
    BRIDGE = "bridge"
    GAP = "gap"
    UNKNOWN = "unknown"
    NOT_CHECKED = "not_checked"

    @property
    def word(self):
        return {
            "meets": "Meets",
            "bridge": "With a bridge course",
            "gap": "Does not meet",
            "unknown": "Unknown",
            "not_checked": "Not checked",
        }[self]


# The verdicts, best first: the order the list sorts by fit.
VERDICTS = {
    Status.MEETS: "meets the stated requirements",
    Status.BRIDGE: "meets them with a bridge course",
    Status.UNKNOWN: "unknown",
    Status.GAP: "does not meet",
}
VERDICT_CHOICES = [
    (Status.MEETS.value, "Meets the stated requirements"),
    (Status.BRIDGE.value, "Meets them with a bridge course"),
    (Status.UNKNOWN.value, "Unknown: the program does not report something"),
    (Status.GAP.value, "Does not meet"),
]


@dataclass(frozen=True)
class FitLine:
    """One requirement checked: what it is, how the reader stands, and the fact it rests on
    (its `citation` is the source; none when the program does not report it)."""

    requirement: str
    status: Status
    text: str
    fact: object = None  # core.facts.FactValue
    missing: str = ""  # for an unknown: the fact the program does not report

    @property
    def citation(self):
        return getattr(self.fact, "citation", None)


@dataclass
class Fit:
    lines: list = field(default_factory=list)

    @property
    def status(self):
        found = {line.status for line in self.lines}
        for status in (Status.GAP, Status.UNKNOWN, Status.BRIDGE):
            if status in found:
                return status
        return Status.MEETS

    @property
    def rank(self):
        """Best fit first: by verdict, then fewer gaps, then fewer unknowns."""
        counts = [line.status for line in self.lines]
        return (
            list(VERDICTS).index(self.status),
            counts.count(Status.GAP),
            counts.count(Status.UNKNOWN),
        )

    @property
    def headline(self):
        """The verdict's first words: "Meets the stated requirements", "Does not meet"…"""
        return VERDICTS[self.status][0].upper() + VERDICTS[self.status][1:]

    @property
    def detail(self):
        """What the verdict rests on: the gaps and what closes them, or what is not reported."""
        if self.status == Status.GAP:
            return "; ".join(line.text for line in self.lines if line.status == Status.GAP)
        if self.status == Status.UNKNOWN:
            missing = [line.missing for line in self.lines if line.status == Status.UNKNOWN]
            return "the program does not report " + join_words(missing)
        return ""

    @property
    def aging(self):
        """The requirements whose source may no longer hold (its date, or its page's last
        reading, older than settings.STALE_AFTER_MONTHS), as "requirement (2016–17 figure)"."""
        aged = []
        for line in self.lines:
            label = line.citation.age_label() if line.citation is not None else ""
            if label:
                aged.append(f"{line.requirement.lower()} ({label.split(';')[0]})")
        return aged

    @property
    def verdict(self):
        """The verdict in one sentence, e.g. "does not meet: a GPA of at least 3.00 (…)"."""
        detail = self.detail
        return f"{VERDICTS[self.status]}: {detail}" if detail else VERDICTS[self.status]


def with_fit(programs, profile):
    """`programs` as a list, each with its `profile_fit`: its Fit for `profile`."""
    programs = list(programs)
    for program in programs:
        program.profile_fit = program.fit(profile)
    return programs


def best_fit_first(programs, profile):
    """`programs` with their fit, best first; equal fits keep the order they came in."""
    return sorted(with_fit(programs, profile), key=lambda program: program.profile_fit.rank)


def verdict_counts(programs):
    """How many of `programs` (each with its `profile_fit`) get each verdict, best first."""
    counts = dict.fromkeys(VERDICTS, 0)
    for program in programs:
        counts[program.profile_fit.status] += 1
    return counts


def join_words(words):
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def gpa_text(value):
    return f"{value:.2f}"


class FitRules:
    """The fit rules of a program (mixed into programs.models.Program): one method per
    requirement, each a function of the profile and the program's reported facts."""

    def fit(self, profile):
        return Fit(
            lines=[
                self.fit_bachelor(profile),
                self.fit_gpa(profile),
                self.fit_experience(profile),
                self.fit_programming(profile),
                self.fit_statistics(profile),
                self.fit_gre(profile),
                self.fit_budget(profile),
                self.fit_pace(profile),
                self.fit_format(profile),
            ]
        )

    @staticmethod
    def _not_checked(requirement, question):
        return FitLine(requirement, Status.NOT_CHECKED, f"Not checked: you did not say {question}.")

    @staticmethod
    def _unknown(requirement, fact, missing):
        return FitLine(
            requirement,
            Status.UNKNOWN,
            f"The program does not report {missing}.",
            fact=fact,
            missing=missing,
        )

    def fit_bachelor(self, profile):
        requirement = "Bachelor's field"
        if not profile.bachelor_field:
            return self._not_checked(requirement, "your bachelor's field")
        fact = self.fact("accepted_bachelor_fields")
        if not fact.reported:
            return self._unknown(requirement, fact, "which bachelor's fields it accepts")
        stated = self.accepted_bachelor_fields.lower()
        yours = profile.label("bachelor_field")
        if ANY_FIELD.search(stated):
            return FitLine(requirement, Status.MEETS, "Accepts a bachelor's in any field.", fact)
        if any(word in stated for word in FIELD_WORDS[profile.bachelor_field]):
            return FitLine(
                requirement, Status.MEETS, f"Names {yours.lower()} among its fields.", fact
            )
        if profile.role in LICENSED and any(word in stated for word in CLINICIAN_WORDS):
            return FitLine(
                requirement,
                Status.MEETS,
                "Names clinical or health professional backgrounds, as yours is.",
                fact,
            )
        missing = f"whether it accepts a bachelor's in {yours.lower()}"
        return FitLine(
            requirement,
            Status.UNKNOWN,
            f"It names “{self.accepted_bachelor_fields}”, not {yours.lower()}: ask admissions.",
            fact,
            missing=missing,
        )

    def fit_gpa(self, profile):
        requirement = "Minimum GPA"
        if profile.gpa is None:
            return self._not_checked(requirement, "your GPA")
        fact = self.fact("min_gpa")
        if not fact.reported:
            return self._unknown(requirement, fact, "a minimum GPA")
        if profile.gpa >= self.min_gpa:
            return FitLine(
                requirement,
                Status.MEETS,
                f"Your {gpa_text(profile.gpa)} meets its minimum of {gpa_text(self.min_gpa)}.",
                fact,
            )
        return FitLine(
            requirement,
            Status.GAP,
            f"a GPA of at least {gpa_text(self.min_gpa)} (yours: {gpa_text(profile.gpa)}); "
            "ask admissions whether recent graduate courses can stand in",
            fact,
        )

    def fit_experience(self, profile):
        requirement = "Healthcare experience"
        if profile.experience is None:
            return self._not_checked(requirement, "your years of healthcare work")
        fact = self.fact("healthcare_experience_years")
        if not fact.reported:
            return self._unknown(requirement, fact, "whether it requires healthcare experience")
        needed = self.healthcare_experience_years
        if profile.experience >= needed:
            text = (
                "None required."
                if needed == 0
                else f"Your {profile.experience} meet its {fact.text}."
            )
            return FitLine(requirement, Status.MEETS, text, fact)
        short = needed - profile.experience
        return FitLine(
            requirement,
            Status.GAP,
            f"{fact.text} of healthcare work (yours: {profile.experience}); "
            f"{short} more {'year' if short == 1 else 'years'} would close the gap",
            fact,
        )

    def fit_programming(self, profile):
        requirement = "Programming"
        if not profile.programming:
            return self._not_checked(requirement, "how much you program")
        fact = self.fact("programming_background")
        if not fact.reported:
            return self._unknown(requirement, fact, "what programming it expects")
        needed = self.programming_background
        if needed == self.Programming.NONE:
            return FitLine(
                requirement, Status.MEETS, "No programming needed before you start.", fact
            )
        if profile.programming in ("some", "regular"):
            return FitLine(requirement, Status.MEETS, "Your programming meets what it asks.", fact)
        if needed == self.Programming.BRIDGE:
            return FitLine(
                requirement,
                Status.BRIDGE,
                "You would start with its bridge course in programming.",
                fact,
            )
        return FitLine(
            requirement,
            Status.GAP,
            "programming before admission (you have none); an introductory programming "
            "course, such as Python, would close the gap",
            fact,
        )

    def fit_statistics(self, profile):
        requirement = "Statistics"
        if not profile.statistics:
            return self._not_checked(requirement, "whether you took statistics")
        fact = self.fact("statistics_prerequisite")
        if not fact.reported:
            return self._unknown(requirement, fact, "whether it requires a statistics course")
        if not self.statistics_prerequisite:
            return FitLine(requirement, Status.MEETS, "No statistics course required.", fact)
        if profile.statistics == "yes":
            return FitLine(requirement, Status.MEETS, "Your statistics course meets it.", fact)
        return FitLine(
            requirement,
            Status.GAP,
            "a statistics course before admission; one introductory statistics course "
            "would close the gap",
            fact,
        )

    def fit_gre(self, profile):
        requirement = "GRE"
        if not profile.gre:
            return self._not_checked(requirement, "whether you would take the GRE")
        fact = self.fact("gre")
        if not fact.reported:
            return self._unknown(requirement, fact, "whether it asks for the GRE")
        if self.gre != self.Requirement.REQUIRED:
            return FitLine(requirement, Status.MEETS, f"GRE: {fact.text.lower()}.", fact)
        if profile.gre == "yes":
            return FitLine(requirement, Status.MEETS, "GRE required; you would take it.", fact)
        return FitLine(
            requirement,
            Status.GAP,
            "GRE scores (you would rather not take it); taking the GRE would close the gap",
            fact,
        )

    def fit_budget(self, profile):
        requirement = "Budget"
        if profile.budget is None:
            return self._not_checked(requirement, "your budget")
        cost = self.cost()
        fact = (cost.tuition_facts or [self.fact(self.cost_fact)])[0]
        if not cost.known:
            return self._unknown(requirement, fact, join_words(cost.missing))
        if cost.currency != "USD":
            return FitLine(
                requirement,
                Status.UNKNOWN,
                f"It costs {cost.text(cost.total)}; the portal does not convert currencies.",
                fact,
                missing="its cost in US dollars",
            )
        if cost.total <= profile.budget:
            return FitLine(
                requirement,
                Status.MEETS,
                f"{cost.text(cost.total)} is within your {format_money(profile.budget)}.",
                fact,
            )
        over = cost.total - profile.budget
        return FitLine(
            requirement,
            Status.GAP,
            f"{cost.text(cost.total)} in tuition and fees (your budget: "
            f"{format_money(profile.budget)}); "
            f"employer assistance or a scholarship of {format_money(over)} would close the gap",
            fact,
        )

    def fit_pace(self, profile):
        requirement = "Pace"
        if not profile.pace:
            return self._not_checked(requirement, "your pace")
        word = dict(PACES)[profile.pace].split(",")[0].lower()
        months = self.fact(f"months_{profile.pace}")
        paces = self.fact("paces")
        if months.reported:
            return FitLine(requirement, Status.MEETS, f"{months.text} {word}.", months)
        if paces.reported:
            if profile.pace in (self.paces or []):
                return FitLine(requirement, Status.MEETS, f"Offered {word}.", paces)
            return FitLine(
                requirement,
                Status.GAP,
                f"{paces.text.lower()} study (not offered {word}); "
                f"studying {paces.text.lower()} would close the gap",
                paces,
            )
        return self._unknown(requirement, paces, f"whether it can be studied {word}")

    def fit_format(self, profile):
        requirement = "Format"
        if not profile.formats:
            return self._not_checked(requirement, "which formats you can attend")
        fact = self.fact("delivery_format")
        if not fact.reported:
            return self._unknown(requirement, fact, "its format")
        if self.delivery_format in profile.formats:
            return FitLine(requirement, Status.MEETS, f"{fact.text}, as you can attend.", fact)
        return FitLine(
            requirement,
            Status.GAP,
            f"attendance {fact.text.lower()}; being able to attend {fact.text.lower()} "
            "would close the gap",
            fact,
        )
