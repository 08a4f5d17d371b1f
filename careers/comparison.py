"""The rows of a career comparison and of a certification comparison."""

from careers.models import Career, Certification
from core.comparison import FigureRow, Kind, ListRow, TextRow


def occupation(career):
    if not career.soc_code:
        return ""
    text = f"{career.soc_code} {career.soc_title}".strip()
    return f"{text} ({career.get_soc_match_display()})" if career.soc_match else text


CAREERS = Kind(
    noun="career",
    param="c",
    namespace="careers",
    model=Career,
    compared=lambda: Career.objects.published().for_detail(),
    named=lambda: Career.objects.published(),
    column_title=lambda career: career.title,
    groups=[
        (
            "Pay and outlook",
            [
                FigureRow("median_salary", best="max", best_word="Highest"),
                FigureRow("salary_low"),
                FigureRow("salary_high"),
                FigureRow("growth_percent", best="max", best_word="Highest"),
                TextRow("Projection period", lambda c: c.projection_period),
                FigureRow("graduate_share", label="Share of AI-master's graduates entering it"),
                TextRow("Standard occupation (O*NET-SOC)", occupation),
            ],
        ),
        (
            "Education and skills",
            [
                TextRow("Typical entry education", lambda c: c.get_entry_education_display()),
                TextRow("Typical entry experience", lambda c: c.entry_experience),
                ListRow("Skills", lambda c: c.skills.all()),
            ],
        ),
        (
            "Who hires",
            [ListRow("Employer types", lambda c: c.employer_types.all())],
        ),
        (
            "Programs and certifications",
            [
                ListRow(
                    "Programs that prepare for it",
                    lambda c: [link.program.title for link in c.program_links.all()],
                    empty="None recorded",
                ),
                ListRow(
                    "Certifications that support it",
                    lambda c: c.certifications.all(),
                    empty="None recorded",
                ),
            ],
        ),
    ],
)


def eligibility(certification):
    return [str(pathway) for pathway in certification.pathways.all()]


def open_without_field_degree(certification):
    pathways = certification.pathways.all()
    if not pathways:
        return ""
    return "Yes" if any(not p.degree_in_field_required for p in pathways) else "No"


CERTIFICATIONS = Kind(
    noun="certification",
    param="c",
    namespace="certifications",
    model=Certification,
    compared=lambda: Certification.objects.published().for_detail(),
    named=lambda: Certification.objects.published(),
    column_title=lambda certification: str(certification),
    column_subtitle=lambda certification: (
        certification.issuing_body.name if certification.issuing_body else ""
    ),
    groups=[
        (
            "Issuer and eligibility",
            [
                TextRow(
                    "Issuing body",
                    lambda c: c.issuing_body.name if c.issuing_body else "",
                ),
                TextRow("Credential type", lambda c: c.get_credential_type_display()),
                ListRow("Routes to eligibility", eligibility),
                TextRow("Open without a degree in the field", open_without_field_degree),
            ],
        ),
        (
            "Exam",
            [
                TextRow("Format", lambda c: c.exam_format),
                FigureRow("exam_questions"),
                FigureRow("exam_minutes"),
                TextRow("Where", lambda c: c.get_exam_delivery_display()),
            ],
        ),
        (
            "Fees and renewal",
            [
                FigureRow("total_fee", best="min", best_word="Lowest"),
                FigureRow("member_fee", best="min", best_word="Lowest"),
                FigureRow("renewal_years"),
                FigureRow("ce_hours"),
            ],
        ),
        (
            "Pay, skills and links",
            [
                FigureRow("salary_effect_percent"),
                ListRow("Skills", lambda c: c.skills.all()),
                ListRow("Careers it supports", lambda c: c.careers.all(), empty="None recorded"),
                ListRow(
                    "Programs it complements",
                    lambda c: [program.title for program in c.programs.all()],
                    empty="None recorded",
                ),
            ],
        ),
    ],
)
