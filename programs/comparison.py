"""The rows of a program comparison, grouped as on the program page."""

from core.comparison import FigureRow, Kind, ListRow, TextRow
from programs.models import Program


def paces(program):
    offered = [
        label
        for label, months in [
            ("full-time", program.months_full_time),
            ("part-time", program.months_part_time),
            ("accelerated", program.months_accelerated),
        ]
        if months
    ]
    return ", ".join(offered)


def alumni_rating(program):
    if not program.rating_is_shown:
        return ""
    return f"{program.review_average:.1f} out of 5 from {program.review_count} reviews"


def statistics_prerequisite(program):
    if program.statistics_prerequisite is None:
        return ""
    return "Required" if program.statistics_prerequisite else "Not required"


PROGRAMS = Kind(
    noun="program",
    param="p",
    namespace="programs",
    model=Program,
    compared=lambda: Program.objects.published().for_comparison(),
    named=lambda: Program.objects.published().select_related("institution"),
    column_title=lambda program: program.title,
    column_subtitle=lambda program: program.institution.name,
    groups=[
        (
            "Cost and duration",
            [
                FigureRow("tuition_total", best="min", best_word="Lowest"),
                FigureRow("months_full_time", best="min", best_word="Shortest"),
                FigureRow("months_part_time", best="min", best_word="Shortest"),
                FigureRow("months_accelerated", best="min", best_word="Shortest"),
                FigureRow("credits"),
            ],
        ),
        (
            "Format and schedule",
            [
                TextRow("Format", lambda p: p.get_delivery_format_display()),
                TextRow("Paces offered", paces),
            ],
        ),
        (
            "Admission and prerequisites",
            [
                TextRow("Accepted bachelor's fields", lambda p: p.accepted_bachelor_fields),
                FigureRow("min_gpa", label="Minimum GPA"),
                TextRow("GRE", lambda p: p.get_gre_display()),
                TextRow("Programming background", lambda p: p.get_programming_background_display()),
                TextRow("Statistics prerequisite", statistics_prerequisite),
                FigureRow("healthcare_experience_years"),
                FigureRow("application_deadline"),
            ],
        ),
        (
            "Curriculum and specializations",
            [
                ListRow("Specializations", lambda p: p.specializations.all()),
                TextRow("Capstone or practicum", lambda p: p.get_capstone_display()),
                ListRow("Employer partnerships", lambda p: p.employer_partner_list()),
            ],
        ),
        (
            "Outcomes",
            [
                FigureRow("completion_rate", best="max", best_word="Highest"),
                FigureRow("employment_rate", best="max", best_word="Highest"),
                FigureRow("median_salary", best="max", best_word="Highest"),
                FigureRow("alumni_satisfaction", best="max", best_word="Highest"),
                TextRow("Alumni rating on this site", alumni_rating, empty="Too few reviews yet"),
            ],
        ),
        (
            "Accreditation",
            [
                ListRow(
                    "Accreditation",
                    lambda p: [
                        f"{a.accreditor} ({a.get_status_display().lower()})"
                        for a in p.all_accreditations()
                    ],
                    empty="None recorded",
                ),
            ],
        ),
        (
            "Careers and certifications",
            [
                ListRow(
                    "Careers it prepares for",
                    lambda p: [link.career.title for link in p.career_links.all()],
                    empty="None recorded",
                ),
                ListRow(
                    "Certifications that complement it",
                    lambda p: p.certifications.all(),
                    empty="None recorded",
                ),
            ],
        ),
    ],
)
