"""The comparisons of careers and of certifications: their declared facts, then links."""

from careers.models import Career, Certification
from core.comparison import Comparable, ListRow, TextRow, fact_groups

CAREERS = Comparable(
    noun="career",
    param="c",
    namespace="careers",
    model=Career,
    compared=lambda: Career.objects.published().for_detail(),
    named=lambda: Career.objects.published(),
    column_title=lambda career: career.title,
    groups=fact_groups(
        Career,
        then=[
            (
                "Programs and certifications",
                [
                    ListRow(
                        "Programs that prepare for it",
                        lambda c: [program.title for program, _ in c.programs_shown()],
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
    ),
)


def eligibility(certification):
    return [str(pathway) for pathway in certification.pathways.all()]


def open_without_field_degree(certification):
    pathways = certification.pathways.all()
    if not pathways:
        return ""
    return "Yes" if any(not p.degree_in_field_required for p in pathways) else "No"


CERTIFICATIONS = Comparable(
    noun="certification",
    param="c",
    namespace="certifications",
    model=Certification,
    compared=lambda: Certification.objects.published().for_detail(),
    named=lambda: Certification.objects.published(),
    column_title=lambda certification: str(certification),
    column_subtitle=lambda certification: certification.issuer_name,
    groups=fact_groups(
        Certification,
        add={
            "issuer": [
                ListRow("Routes to eligibility", eligibility),
                TextRow("Open without a degree in the field", open_without_field_degree),
            ]
        },
        then=[
            (
                "Careers and programs",
                [
                    ListRow(
                        "Careers it supports", lambda c: c.careers.all(), empty="None recorded"
                    ),
                    ListRow(
                        "Programs that lead to it",
                        lambda c: [program.title for program, _ in c.programs_shown()],
                        empty="None recorded",
                    ),
                ],
            ),
        ],
    ),
)
