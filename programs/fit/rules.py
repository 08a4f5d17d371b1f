"""The fit rules: one function per requirement, each of the program's *reported* facts and
the reader's profile, giving a `FitLine` with the fact (and so the source) it rests on."""

from core.facts import format_money
from programs.cost import program_cost
from programs.fit.choices import ANY_FIELD, CLINICIAN_WORDS, FIELD_WORDS, LICENSED, PACES
from programs.fit.verdicts import VERDICTS, Fit, FitLine, Status, gpa_text, join_words


def not_checked(requirement, question):
    return FitLine(requirement, Status.NOT_CHECKED, f"Not checked: you did not say {question}.")


def unknown(requirement, fact, missing):
    return FitLine(
        requirement,
        Status.UNKNOWN,
        f"The program does not report {missing}.",
        fact=fact,
        missing=missing,
    )


def check_bachelor(program, profile):
    requirement = "Bachelor's field"
    if not profile.bachelor_field:
        return not_checked(requirement, "your bachelor's field")
    fact = program.fact("accepted_bachelor_fields")
    if not fact.reported:
        return unknown(requirement, fact, "which bachelor's fields it accepts")
    stated = program.accepted_bachelor_fields.lower()
    yours = profile.label("bachelor_field")
    if ANY_FIELD.search(stated):
        return FitLine(requirement, Status.MEETS, "Accepts a bachelor's in any field.", fact)
    if any(word in stated for word in FIELD_WORDS[profile.bachelor_field]):
        return FitLine(requirement, Status.MEETS, f"Names {yours.lower()} among its fields.", fact)
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
        f"It names “{program.accepted_bachelor_fields}”, not {yours.lower()}: ask admissions.",
        fact,
        missing=missing,
    )


def check_gpa(program, profile):
    requirement = "Minimum GPA"
    if profile.gpa is None:
        return not_checked(requirement, "your GPA")
    fact = program.fact("min_gpa")
    if not fact.reported:
        return unknown(requirement, fact, "a minimum GPA")
    if profile.gpa >= program.min_gpa:
        return FitLine(
            requirement,
            Status.MEETS,
            f"Your {gpa_text(profile.gpa)} meets its minimum of {gpa_text(program.min_gpa)}.",
            fact,
        )
    return FitLine(
        requirement,
        Status.GAP,
        f"a GPA of at least {gpa_text(program.min_gpa)} (yours: {gpa_text(profile.gpa)}); "
        "ask admissions whether recent graduate courses can stand in",
        fact,
    )


def check_experience(program, profile):
    requirement = "Healthcare experience"
    if profile.experience is None:
        return not_checked(requirement, "your years of healthcare work")
    fact = program.fact("healthcare_experience_years")
    if not fact.reported:
        return unknown(requirement, fact, "whether it requires healthcare experience")
    needed = program.healthcare_experience_years
    if profile.experience >= needed:
        text = (
            "None required." if needed == 0 else f"Your {profile.experience} meet its {fact.text}."
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


def check_programming(program, profile):
    requirement = "Programming"
    if not profile.programming:
        return not_checked(requirement, "how much you program")
    fact = program.fact("programming_background")
    if not fact.reported:
        return unknown(requirement, fact, "what programming it expects")
    needed = program.programming_background
    if needed == program.Programming.NONE:
        return FitLine(requirement, Status.MEETS, "No programming needed before you start.", fact)
    if profile.programming in ("some", "regular"):
        return FitLine(requirement, Status.MEETS, "Your programming meets what it asks.", fact)
    if needed == program.Programming.BRIDGE:
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


def check_statistics(program, profile):
    requirement = "Statistics"
    if not profile.statistics:
        return not_checked(requirement, "whether you took statistics")
    fact = program.fact("statistics_prerequisite")
    if not fact.reported:
        return unknown(requirement, fact, "whether it requires a statistics course")
    if not program.statistics_prerequisite:
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


def check_gre(program, profile):
    requirement = "GRE"
    if not profile.gre:
        return not_checked(requirement, "whether you would take the GRE")
    fact = program.fact("gre")
    if not fact.reported:
        return unknown(requirement, fact, "whether it asks for the GRE")
    if program.gre != program.Requirement.REQUIRED:
        return FitLine(requirement, Status.MEETS, f"GRE: {fact.text.lower()}.", fact)
    if profile.gre == "yes":
        return FitLine(requirement, Status.MEETS, "GRE required; you would take it.", fact)
    return FitLine(
        requirement,
        Status.GAP,
        "GRE scores (you would rather not take it); taking the GRE would close the gap",
        fact,
    )


def check_budget(program, profile):
    requirement = "Budget"
    if profile.budget is None:
        return not_checked(requirement, "your budget")
    cost = program_cost(program)
    fact = (cost.tuition_facts or [program.fact(program.cost_fact)])[0]
    if not cost.known:
        return unknown(requirement, fact, join_words(cost.missing))
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


def check_pace(program, profile):
    requirement = "Pace"
    if not profile.pace:
        return not_checked(requirement, "your pace")
    word = dict(PACES)[profile.pace].split(",")[0].lower()
    months = program.fact(f"months_{profile.pace}")
    paces = program.fact("paces")
    if months.reported:
        return FitLine(requirement, Status.MEETS, f"{months.text} {word}.", months)
    if paces.reported:
        if profile.pace in (program.paces or []):
            return FitLine(requirement, Status.MEETS, f"Offered {word}.", paces)
        return FitLine(
            requirement,
            Status.GAP,
            f"{paces.text.lower()} study (not offered {word}); "
            f"studying {paces.text.lower()} would close the gap",
            paces,
        )
    return unknown(requirement, paces, f"whether it can be studied {word}")


def check_format(program, profile):
    requirement = "Format"
    if not profile.formats:
        return not_checked(requirement, "which formats you can attend")
    fact = program.fact("delivery_format")
    if not fact.reported:
        return unknown(requirement, fact, "its format")
    if program.delivery_format in profile.formats:
        return FitLine(requirement, Status.MEETS, f"{fact.text}, as you can attend.", fact)
    return FitLine(
        requirement,
        Status.GAP,
        f"attendance {fact.text.lower()}; being able to attend {fact.text.lower()} "
        "would close the gap",
        fact,
    )


RULES = (
    check_bachelor,
    check_gpa,
    check_experience,
    check_programming,
    check_statistics,
    check_gre,
    check_budget,
    check_pace,
    check_format,
)


def fit(program, profile):
    """How `profile` meets what `program` states it requires: each rule's line, summed up."""
    return Fit(lines=[rule(program, profile) for rule in RULES])


def with_fit(programs, profile):
    """`programs` as a list, each with its `profile_fit`: its Fit for `profile`."""
    programs = list(programs)
    for program in programs:
        program.profile_fit = fit(program, profile)
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
