"""The comparison of programs: the program's declared facts, then what is not a fact."""

from core.comparison import Comparable, ListRow, TextRow, fact_groups
from programs.models import Program


def alumni_rating(program):
    if not program.rating_is_shown:
        return ""
    return f"{program.review_average:.1f} out of 5 from {program.review_count} reviews"


def accreditations(program):
    return [
        f"{a.accreditor} ({a.get_status_display().lower()})" for a in program.all_accreditations()
    ]


PROGRAMS = Comparable(
    noun="program",
    param="p",
    namespace="programs",
    model=Program,
    compared=lambda: Program.objects.published().for_comparison(),
    named=lambda: Program.objects.published().select_related("institution"),
    column_title=lambda program: program.title,
    column_subtitle=lambda program: program.institution.name,
    tools=(
        ("compare_payback", "Work out their cost and payback"),
        ("programs:deadlines_ics", "Add their deadlines to my calendar (.ics)"),
    ),
    groups=fact_groups(
        Program,
        add={
            "outcomes": [
                TextRow("Alumni rating on this site", alumni_rating, empty="Too few reviews yet")
            ],
        },
        then=[
            ("Accreditation", [ListRow("Accreditation", accreditations, empty="None recorded")]),
            (
                "Careers and certifications",
                [
                    ListRow(
                        "Careers it prepares for",
                        lambda p: [career.title for career, _ in p.careers_shown()],
                        empty="None recorded",
                    ),
                    ListRow(
                        "Certifications that complement it",
                        lambda p: [c for c, _ in p.certifications_shown()],
                        empty="None recorded",
                    ),
                ],
            ),
        ],
    ),
)
