"""Structured data (schema.org JSON-LD) of careers and certifications, from the facts their
pages show: a fact not reported is left out, never guessed."""

from programs.structured import reported


def career_data(career, absolute):
    """Occupation, with the national pay as a distribution (what search engines ask of an
    occupation: a name, an estimated salary and where it holds)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Occupation",
        "name": career.title,
        "url": absolute(career.get_absolute_url()),
        "occupationLocation": {"@type": "Country", "name": "US"},
    }
    if career.summary:
        data["description"] = career.summary
    if career.soc_code:
        data["occupationalCategory"] = career.soc_code
    median = reported(career, "median_salary")
    if median is not None:
        salary = {
            "@type": "MonetaryAmountDistribution",
            "name": "base",
            "currency": career.currency,
            "duration": "P1Y",
            "median": float(median),
        }
        for name, key in [("salary_low", "percentile10"), ("salary_high", "percentile90")]:
            value = reported(career, name)
            if value is not None:
                salary[key] = float(value)
        data["estimatedSalary"] = [salary]
    return data


def certification_data(certification, absolute):
    data = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalCredential",
        "name": certification.name,
        "url": absolute(certification.get_absolute_url()),
        "credentialCategory": "certification",
    }
    if certification.summary:
        data["description"] = certification.summary
    if certification.issuing_body:
        data["recognizedBy"] = {
            "@type": "Organization",
            "name": certification.issuing_body.name,
        }
    return data
