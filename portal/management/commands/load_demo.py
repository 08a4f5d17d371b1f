"""Load the demo content: what the seed article says about programs, careers, certifications,
vocabularies and figures; then the real catalogue (portal/catalogue.xlsx) through the editors'
import.

From the article, only what it states is loaded. The catalogue holds real programs, careers and
certifications, each fact cited to the institution's, BLS's, O*NET's or the issuer's own page;
what no page states stays empty, so pages say "not reported".
"""

import datetime
from collections import Counter
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from careers import demo
from careers.models import (
    Career,
    Certification,
    EmployerType,
    IssuingBody,
    Skill,
)
from careers.payback import TAX_FREE_LIMIT
from core.models import Citation, Source, Statistic
from core.spreadsheets import failed, report
from portal.catalogue import SHIPPED, import_catalogue
from programs.models import Accreditor, Institution, Program, Specialization

ARTICLE = {
    "title": "2026 AI Master's Degrees for Healthcare Professionals",
    "publisher": "Research.com",
    "year": 2026,
}
ARTICLE_DETAILS = {"author": "Imed Bouchrika, PhD", "url": ""}
# The article is dated 2026; figures it does not date are taken as of its publication year.
ARTICLE_DATE = datetime.date(2026, 1, 1)
# The day the article and the IRS page were last read and their figures found there.
CHECKED_ON = datetime.date(2026, 12, 1)
# Fixed, so that running the command again does not change a published program.
PUBLISHED_AT = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

SPECIALIZATIONS = [
    (
        "clinical-diagnostics",
        "Machine learning for clinical diagnostics",
        "Training models that help recognise disease from data such as scans, lab results "
        "and genetic tests.",
    ),
    (
        "clinical-nlp",
        "Clinical natural language processing",
        "Getting usable information out of free text such as clinical notes, discharge letters "
        "and other parts of the health record.",
    ),
    (
        "predictive-analytics",
        "Predictive analytics",
        "Estimating what is likely to happen to a patient or a service, such as readmission "
        "risk or demand for beds, from past records.",
    ),
    (
        "medical-imaging",
        "Medical imaging",
        "Applying AI to X-rays, CT, MRI, ultrasound and pathology slides to find and measure "
        "what matters for diagnosis.",
    ),
    (
        "genomics",
        "Genomics",
        "Analysing genetic data to understand disease risk and to match treatments to the "
        "individual patient.",
    ),
    (
        "ai-ethics-regulation",
        "AI ethics and regulation",
        "The fairness, safety and accountability of AI tools in care, and the rules they must "
        "meet before clinicians may rely on them.",
    ),
    (
        "medical-robotics",
        "Medical robotics",
        "Robots that assist with surgery, rehabilitation or logistics, and the software that "
        "guides them.",
    ),
    (
        "health-data-privacy",
        "Health data privacy",
        "Protecting patient information when it is collected, shared and used to build AI, "
        "including laws such as HIPAA.",
    ),
    (
        "clinical-decision-support",
        "Clinical decision support",
        "Tools that put timely, evidence-based suggestions in front of clinicians while they "
        "decide on a patient's care.",
    ),
]

ACCREDITORS = [
    # ABET's official name is the acronym itself, so no separate abbreviation.
    {"slug": "abet", "name": "ABET", "abbreviation": "", "scope": Accreditor.Scope.PROGRAMMATIC},
    {
        "slug": "cahiim",
        "name": "Commission on Accreditation for Health Informatics and Information "
        "Management Education",
        "abbreviation": "CAHIIM",
        "scope": Accreditor.Scope.PROGRAMMATIC,
    },
]

# The article's three programs are not published: none has a page of its own under the name
# the article gives (checked on 7 December 2026). Each summary says why, for the editors.
PROGRAMS = [
    {
        "institution": ("carnegie-mellon-university", "Carnegie Mellon University"),
        "slug": "carnegie-mellon-ai-and-innovation",
        "title": "Master of Science in Artificial Intelligence and Innovation",
        "summary": "Not published: the source article names this program, with a healthcare "
        "track centred on clinical decision-making, but no Carnegie Mellon page of this name "
        "was found. Carnegie Mellon's pages list other AI master's degrees, such as the MS in "
        "Artificial Intelligence Engineering.",
        "specializations": ["clinical-decision-support"],
    },
    {
        "institution": ("stanford-university", "Stanford University"),
        "slug": "stanford-biomedical-informatics",
        "title": "Master of Science in Biomedical Informatics",
        "summary": "Not published: this is the former name of Stanford's master's in "
        "Biomedical Data Science, listed already as its Academic MS and its Professional MS "
        "(their pages keep this name for search). The source article describes substantial AI "
        "coursework aimed at better diagnosis and personalised treatment.",
        "specializations": ["clinical-diagnostics"],
    },
    {
        "institution": ("northwestern-university", "Northwestern University"),
        "slug": "northwestern-ai-medicine-healthcare",
        "title": "Master of Science in Artificial Intelligence for Medicine and Healthcare",
        "summary": "Not published: the source article names this program, centred on machine "
        "learning applied to patient data and healthcare operations, but no Northwestern page "
        "of this name was found. Northwestern's MS in Artificial Intelligence, MS in Health "
        "Informatics and MS in Healthcare Data Science are listed.",
        "specializations": ["predictive-analytics"],
    },
]

MARKET_CONTEXT = (
    "The article gives two different projections for the same market and year: $51 billion "
    "in its key points and $67.4 billion further on. Both are shown as its claims."
)
STRONG_PROGRAMS = "programs combining accreditation, active faculty research and employer ties"


def statistic(
    slug,
    label,
    value,
    unit,
    *,
    high=None,
    context="",
    home=0,
    position=0,
    as_of=ARTICLE_DATE,
    attributed_to="",
):
    """One figure of the article; `home` is its position among the home page's headlines."""
    return {
        "slug": slug,
        "values": {
            "label": label,
            "value": Decimal(value),
            "value_high": Decimal(high) if high is not None else None,
            "unit": unit,
            "context": context,
            "on_home_page": bool(home),
            "position": home or position,
        },
        "as_of": as_of,
        "attributed_to": attributed_to,
    }


U = Statistic.Unit
IRS_ASSISTANCE_URL = (
    "https://irs.gov/newsroom/"
    "treasury-irs-issue-frequently-asked-questions-regarding-educational-assistance-programs"
)
Y2024 = datetime.date(2024, 1, 1)
Y2025 = datetime.date(2025, 1, 1)
GALLUP = "the Gallup Education & Skills Survey (2024)"
BLS = "the U.S. Bureau of Labor Statistics"
QS = "the QS Graduate Employability Rankings"

STATISTICS = [
    statistic(
        "healthcare-ai-market-2027-51bn",
        "Healthcare AI market by 2027, as projected in the article's key points",
        "51",
        U.USD_BILLION,
        context=MARKET_CONTEXT,
        # Not a headline: the same article projects another size for the same year.
        position=98,
    ),
    statistic(
        "healthcare-ai-market-2027-67bn",
        "Healthcare AI market by 2027, as projected later in the article",
        "67.4",
        U.USD_BILLION,
        context=MARKET_CONTEXT,
        position=99,
    ),
    statistic(
        "healthcare-ai-market-cagr",
        "Yearly growth of the healthcare AI market to 2027 (compound annual growth rate)",
        "38.1",
        U.PERCENT,
        context="Given by the article together with its $67.4 billion projection.",
        position=101,
    ),
    statistic(
        "new-students-remote-study-2025",
        "New students who chose online or hybrid study in 2025",
        "40",
        U.PERCENT,
        context="New students of AI master's programs for healthcare professionals.",
        position=102,
        as_of=Y2025,
    ),
    statistic(
        "us-ai-masters-growth-2022-2024",
        "Growth in the number of U.S. AI master's programs, 2022 to 2024",
        "58",
        U.PERCENT,
        position=103,
        as_of=Y2024,
    ),
    statistic(
        "new-ai-masters-for-healthcare-2022-2024",
        "New U.S. AI master's programs aimed at healthcare, 2022 to 2024",
        "23",
        U.PERCENT,
        context="Share of the AI master's programs added between 2022 and 2024.",
        position=104,
        as_of=Y2024,
    ),
    statistic(
        "students-without-cs-background",
        "Students who start without a computer-science background",
        "73",
        U.PERCENT,
        context="Healthcare professionals in AI master's programs; the article says "
        "foundational courses help them catch up.",
        home=3,
        as_of=Y2024,
        attributed_to="the Coursera & LinkedIn Learning Skills Report (2024)",
    ),
    statistic(
        "completion-rate-online-hybrid",
        "Completion rate, online and hybrid students",
        "89",
        U.PERCENT,
        context="Compared in the same survey with full-time campus students.",
        home=4,
        as_of=Y2024,
        attributed_to=GALLUP,
    ),
    statistic(
        "completion-rate-full-time-campus",
        "Completion rate, full-time campus students",
        "76",
        U.PERCENT,
        context="Compared in the same survey with online and hybrid students.",
        home=5,
        as_of=Y2024,
        attributed_to=GALLUP,
    ),
    statistic(
        "online-students-keep-working",
        "Online students who keep working while they study",
        "94",
        U.PERCENT,
        context="Healthcare professionals studying an AI master's degree online.",
        home=6,
    ),
    statistic(
        "programs-with-three-focus-areas",
        "Accredited healthcare AI master's programs covering the three usual focus areas",
        "87",
        U.PERCENT,
        context="Machine learning for clinical diagnostics, natural language processing of "
        "medical records, and predictive analytics of patient outcomes.",
        position=105,
        as_of=Y2024,
        attributed_to="the Association of American Medical Colleges (2024)",
    ),
    statistic(
        "total-tuition-range",
        "Total tuition of an AI master's degree for healthcare professionals",
        "40000",
        U.USD,
        high="120000",
        context="Typical range for the whole degree; the article says public universities "
        "tend to cost less than private ones.",
        home=7,
    ),
    statistic(
        "duration-full-time",
        "Time to finish an AI master's degree full-time",
        "1.5",
        U.YEARS,
        high="3",
        context="Part-time and online study can take three years or more.",
        position=113,
    ),
    statistic(
        "duration-accelerated",
        "Time to finish on an accelerated track",
        "12",
        U.MONTHS,
        high="18",
        context="With heavier course loads or summer sessions, where programs offer it.",
        position=114,
    ),
    statistic(
        "typical-minimum-gpa",
        "Typical minimum undergraduate GPA asked for",
        "3.0",
        U.GPA,
        context="The article says programs typically ask for around 3.0.",
        position=115,
    ),
    statistic(
        "median-roi-five-years",
        "Median return on investment within five years",
        "156",
        U.PERCENT,
        context="Graduates working in healthcare AI roles.",
        position=106,
        attributed_to="the Graduate Management Admission Council",
    ),
    statistic(
        "certification-salary-premium",
        "Higher salary for graduates who also hold an industry certification",
        "34",
        U.PERCENT,
        context="Compared with holders of the AI master's degree alone; certifications in "
        "machine learning or healthcare informatics.",
        position=107,
        attributed_to="Burning Glass Technologies Labor Insights",
    ),
    statistic(
        "employed-within-three-months",
        "AI master's graduates employed within three months",
        "67",
        U.PERCENT,
        position=108,
        as_of=Y2024,
        attributed_to="the LinkedIn Career Outcomes Report (2024)",
    ),
    statistic(
        "healthcare-ai-job-growth-2029",
        "Projected job growth for healthcare AI specialists through 2029",
        "42",
        U.PERCENT,
        context="Against 5% projected for all occupations over the same period.",
        position=109,
        attributed_to=BLS,
    ),
    statistic(
        "all-occupations-job-growth-2029",
        "Projected job growth for all occupations through 2029",
        "5",
        U.PERCENT,
        context="The average that healthcare AI specialist roles are compared with.",
        position=110,
        attributed_to=BLS,
    ),
    statistic(
        "graduate-median-salary-range",
        "Median salary of healthcare AI master's graduates",
        "125000",
        U.USD,
        high="165000",
        context="Range depending on specialization, region and experience.",
        home=8,
    ),
    statistic(
        "employment-rate-strong-programs",
        "Graduate employment rate at " + STRONG_PROGRAMS,
        "91",
        U.PERCENT,
        position=111,
        attributed_to=QS,
    ),
    statistic(
        "alumni-satisfaction-strong-programs",
        "Alumni satisfaction at " + STRONG_PROGRAMS,
        "4.2",
        U.RATING,
        position=112,
        attributed_to=QS,
    ),
]


class Command(BaseCommand):
    help = (
        "Load the demo content from the seed article: its source, specializations, "
        "accreditors, programs, careers, certifications and figures. Safe to run again: it "
        "updates rows in place."
    )

    @transaction.atomic
    def add_arguments(self, parser):
        parser.add_argument(
            "--article-only",
            action="store_true",
            help="Load the seed article's content alone, without the catalogue.",
        )

    def handle(self, *args, article_only=False, **options):
        self.tally = {}
        source = self.upsert(Source, ARTICLE, ARTICLE_DETAILS)

        specializations = {
            slug: self.upsert(
                Specialization, {"slug": slug}, {"name": name, "description": description}
            )
            for slug, name, description in SPECIALIZATIONS
        }
        for accreditor in ACCREDITORS:
            slug, values = accreditor["slug"], {k: v for k, v in accreditor.items() if k != "slug"}
            self.upsert(Accreditor, {"slug": slug}, values)

        programs = []
        for entry in PROGRAMS:
            institution_slug, institution_name = entry["institution"]
            institution = self.upsert(
                Institution,
                {"slug": institution_slug},
                {"name": institution_name, "country": "United States"},
            )
            program = self.upsert(
                Program,
                {"slug": entry["slug"]},
                {
                    "institution": institution,
                    "title": entry["title"],
                    "summary": entry["summary"],
                    "degree_type": Program.DegreeType.MS,
                    "status": Program.Status.DRAFT,
                    "published_at": None,
                },
            )
            self.link(
                program, "specializations", [specializations[s] for s in entry["specializations"]]
            )
            # The article names each program's specialization: it is the source.
            self.cite(program, "specializations", source, "")
            programs.append(program)

        for item in STATISTICS:
            stat = self.upsert(Statistic, {"slug": item["slug"]}, item["values"])
            attributed_to = item["attributed_to"]
            note = (
                f"The article attributes this figure to {attributed_to}." if attributed_to else ""
            )
            self.cite(stat, "value", source, note, as_of=item["as_of"])

        self.load_careers(source, programs)

        for model, counts in self.tally.items():
            summary = ", ".join(f"{n} {state}" for state, n in counts.items())
            self.stdout.write(f"{model._meta.verbose_name_plural.capitalize()}: {summary}.")

        if article_only:
            return
        # Beside the payback's input, from the page of the IRS that states it.
        self.load_tax_free_limit()
        # The real catalogue, through the editors' import: every fact cited to its page.
        self.stdout.write(f"The catalogue ({SHIPPED.name}):")
        results = import_catalogue(SHIPPED)
        for sheet, result in results:
            for line in report(sheet, result):
                self.stdout.write(f"  {line}")
        if any(failed(result) for _, result in results):
            raise CommandError("The catalogue could not be imported; nothing of it was saved.")

    def load_careers(self, source, programs):
        """The article's careers and certifications, linked to each other and to the programs."""
        skills = {
            slug: self.upsert(Skill, {"slug": slug}, {"name": name, "description": description})
            for slug, name, description in demo.SKILLS
        }
        employer_types = [
            self.upsert(EmployerType, {"slug": slug}, {"name": name})
            for slug, name in demo.EMPLOYER_TYPES
        ]
        issuers = {
            body["slug"]: self.upsert(
                IssuingBody, {"slug": body["slug"]}, {k: v for k, v in body.items() if k != "slug"}
            )
            for body in demo.ISSUING_BODIES
        }

        careers = {}
        for entry in demo.CAREERS:
            career = self.upsert(
                Career,
                {"slug": entry["slug"]},
                {
                    "title": entry["title"],
                    "summary": entry.get("summary", ""),
                    "graduate_share": entry.get("graduate_share"),
                    "status": Career.Status.PUBLISHED,
                    "published_at": PUBLISHED_AT,
                },
            )
            if career.graduate_share is not None:
                self.cite(career, "graduate_share", source, demo.GRADUATE_SHARE_NOTE)
            skill_slugs = demo.SKILLS_OF_EVERY_ROLE + entry.get("skills", [])
            self.link(career, "skills", [skills[slug] for slug in skill_slugs])
            self.link(career, "employer_types", employer_types)
            careers[entry["slug"]] = career

        for entry in demo.CERTIFICATIONS:
            certification = self.upsert(
                Certification,
                {"slug": entry["slug"]},
                {
                    "name": entry["name"],
                    "acronym": entry["acronym"],
                    # Who awards it where the article says; the catalogue has the others.
                    **({"issuing_body": issuers[entry["issuer"]]} if entry["issuer"] else {}),
                    "credential_type": entry["credential_type"],
                    "summary": entry["summary"],
                    "salary_effect_percent": demo.CERTIFICATION_SALARY_EFFECT
                    if entry["salary_effect"]
                    else None,
                    **(
                        {"status": Certification.Status.PUBLISHED, "published_at": PUBLISHED_AT}
                        if entry.get("published", True)
                        else {"status": Certification.Status.DRAFT, "published_at": None}
                    ),
                },
            )
            if entry["issuer"]:
                self.cite(certification, "issuing_body", source, "")
            if certification.salary_effect_percent is not None:
                self.cite(
                    certification, "salary_effect_percent", source, demo.CERTIFICATION_SALARY_NOTE
                )
            self.link(certification, "skills", [skills[slug] for slug in entry["skills"]])
            self.link(certification, "careers", [careers[slug] for slug in entry["careers"]])
            # The article says these certifications complement an AI master's degree in healthcare.
            self.link(certification, "programs", programs)

    def load_tax_free_limit(self):
        """The US tax-free limit on employer educational assistance (beside the payback's
        input), from the IRS page that states it."""
        irs = self.upsert(
            Source,
            {"url": IRS_ASSISTANCE_URL},
            {
                "title": "Treasury, IRS issue frequently asked questions regarding "
                "educational assistance programs",
                "publisher": "Internal Revenue Service",
                "year": 2024,
            },
        )
        limit = self.upsert(
            Statistic,
            {"slug": TAX_FREE_LIMIT},
            {
                "label": "US tax-free limit on employer educational assistance, per calendar year",
                "value": Decimal(5250),
                "unit": Statistic.Unit.USD,
                "context": "Employer payments for tuition, fees and similar expenses under an "
                "educational assistance program are not taxed up to this amount a year.",
                "on_home_page": False,
                "position": 200,
            },
        )
        self.cite(
            limit,
            "value",
            irs,
            "News release IR-2024-167: up to $5,250 per calendar year.",
            as_of=datetime.date(2024, 6, 17),
        )

    def cite(self, obj, field, source, note, as_of=ARTICLE_DATE):
        """Cite the article for one figure of `obj`."""
        content_type = ContentType.objects.get_for_model(obj)
        self.upsert(
            Citation,
            {"content_type": content_type, "object_id": obj.pk, "field": field},
            {"source": source, "as_of": as_of, "note": note, "checked_on": CHECKED_ON},
        )

    def link(self, obj, name, related):
        """Make a many-to-many list exactly `related`, setting it only when it differs."""
        manager, wanted = getattr(obj, name), {item.pk for item in related}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)
            self.count(type(obj), f"lists of {obj._meta.get_field(name).verbose_name} set")

    def upsert(self, model, lookup, values):
        """Create or update one row, saving only when something differs.

        Unlike update_or_create, an unchanged row is not saved again, so a rerun leaves
        auto_now timestamps (a program's "last updated" date) as they were.
        """
        try:
            obj = model.objects.get(**lookup)
        except model.DoesNotExist:
            obj, state = model(**lookup, **values), "created"
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            state = "updated" if changed else "unchanged"
            for name in changed:
                setattr(obj, name, values[name])
        if state != "unchanged":
            obj.full_clean()
            obj.save()
        self.count(model, state)
        return obj

    def count(self, model, state):
        self.tally.setdefault(model, Counter({"created": 0, "updated": 0, "unchanged": 0}))
        self.tally[model][state] += 1
