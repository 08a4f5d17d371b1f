"""Structured data (schema.org JSON-LD) of programs and institutions, from the facts their pages
show: a fact not reported (no value, or no source) is left out, never guessed."""

MODES = {"online": "online", "hybrid": "blended", "campus": "onsite"}


def reported(entry, name):
    """The stored value of a fact readers see, or None when it is not reported."""
    return getattr(entry, name) if entry.fact(name).reported else None


def institution_data(institution, absolute):
    data = {
        "@context": "https://schema.org",
        "@type": "CollegeOrUniversity",
        "name": institution.name,
        "url": absolute(institution.get_absolute_url()),
    }
    if institution.website:
        data["sameAs"] = institution.website
    place = {
        key: value
        for key, value in [
            ("addressLocality", institution.city),
            ("addressRegion", institution.state),
            ("addressCountry", institution.country),
        ]
        if value
    }
    if place:
        data["address"] = {"@type": "PostalAddress", **place}
    return data


def program_data(program, absolute):
    """EducationalOccupationalProgram: `absolute(path)` makes a path an absolute URL."""
    provider = institution_data(program.institution, absolute)
    del provider["@context"]
    data = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalProgram",
        "name": program.title,
        "url": absolute(program.get_absolute_url()),
        "provider": provider,
    }
    if program.summary:
        data["description"] = program.summary
    months = reported(program, "months_full_time") or reported(program, "months_part_time")
    if months:
        data["timeToComplete"] = f"P{months}M"
    mode = reported(program, "delivery_format")
    if mode:
        data["educationalProgramMode"] = MODES[mode]
    tuition = reported(program, "tuition_total")
    if tuition is not None:
        data["offers"] = {
            "@type": "Offer",
            "category": "Total tuition",
            "price": str(tuition),
            "priceCurrency": program.currency,
        }
    prerequisites = []
    gpa = reported(program, "min_gpa")
    if gpa is not None:
        prerequisites.append(f"Minimum GPA {gpa}")
    fields = program.fact("accepted_bachelor_fields")
    if fields.reported:
        prerequisites.append(f"Bachelor's degree: {fields.text}")
    if prerequisites:
        data["programPrerequisites"] = prerequisites
    if program.fact("application_deadline").reported and program.application_deadline:
        data["applicationDeadline"] = program.application_deadline.isoformat()
    categories = sorted(
        {career.soc_code for career, _ in program.careers_shown() if career.soc_code}
    )
    if categories:
        data["occupationalCategory"] = categories
    return data
