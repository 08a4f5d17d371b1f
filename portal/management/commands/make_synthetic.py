"""Fill the current database with obviously fictional programs, for benchmarks (make bench).

    manage.py make_synthetic --programs 100000 [--reviews-per-program 2]

Every name says it is synthetic ("Synthetic University 00042", "MS in Synthetic Health AI 42"),
so the rows can never be mistaken for real content. Each program's fields, specializations,
citations and reviews are a function of its number alone: program 42 is the same whether 100 or
100,000 programs are made, so a page about it can be compared across sizes.

The command refuses to run when synthetic data is already present (it never deletes anything):
make it in a fresh database, as `make bench` does. Other content (the demo) may coexist.

Rows are written with bulk_create in batches, which sends no post_save signal (the few rows
made one by one do, and bump the content version as any save does); review counts and averages
are then set for all programs in one UPDATE, and the search index is written whole
(search.index.rebuild). 100,000 programs take a few minutes on PostgreSQL.
"""

import datetime
import random
import time
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Avg, Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, Round

from careers.models import (
    Career,
    Certification,
    EmployerType,
    ProgramCareer,
    Skill,
)
from core.models import Citation, Source
from programs.models import (
    Accreditation,
    Accreditor,
    Course,
    Institution,
    Program,
    Specialization,
)
from reviews.models import Review, fingerprint
from search import index as search_index

BATCH = 2000
PROGRAMS_PER_INSTITUTION = 4
# Relations to careers and certifications are kept to the first programs, so that a career's
# page stays the same size whatever the number of programs (and programs 1 to 200 are "rich").
LINKED_PROGRAMS = 200
PUBLISHED_AT = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
AS_OF = datetime.date(2026, 1, 1)
REGIONS = [f"Synthetic Region {n:02d}" for n in range(1, 13)]
TOPICS = [
    "Health AI",
    "Clinical Data Science",
    "Medical Machine Learning",
    "Health Informatics and AI",
    "Biomedical AI",
    "AI for Nursing",
    "Population Health Analytics",
    "Clinical NLP",
]
SPECIALIZATIONS = [
    "Synthetic Imaging Analytics",
    "Synthetic Clinical Language",
    "Synthetic Risk Prediction",
    "Synthetic Genomic Modelling",
    "Synthetic Workflow Automation",
    "Synthetic Device Signals",
    "Synthetic AI Governance",
    "Synthetic Public Health Models",
]
CAREERS = [
    "Synthetic Clinical AI Analyst",
    "Synthetic Health Data Scientist",
    "Synthetic Informatics Nurse Specialist",
    "Synthetic Imaging AI Engineer",
    "Synthetic AI Quality Officer",
    "Synthetic Population Health Modeller",
]
REVIEW_TITLES = [
    "Demanding but worth it",
    "Good fit for shift workers",
    "Solid curriculum, slow feedback",
    "Changed my career",
    "Too theoretical for me",
]


def slug_number(n):
    return f"{n:05d}"


class Command(BaseCommand):
    help = "Fill the database with N obviously fictional programs and their reviews (benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--programs", type=int, required=True, help="Number of programs.")
        parser.add_argument(
            "--reviews-per-program",
            type=int,
            default=2,
            help="Average number of approved reviews per program (0 to 2×K each; default 2).",
        )

    def handle(self, *args, programs, reviews_per_program, **options):
        if programs < 1 or programs > 1_000_000:
            raise CommandError("--programs must be between 1 and 1,000,000.")
        if reviews_per_program < 0 or reviews_per_program > 50:
            raise CommandError("--reviews-per-program must be between 0 and 50.")
        if Institution.objects.filter(slug__startswith="synthetic-university-").exists():
            raise CommandError(
                "Synthetic data is already present in this database; this command never "
                "deletes anything. Use a fresh database (make bench creates its own)."
            )
        self.started = time.monotonic()
        self.rng_seed = 20260101
        with transaction.atomic():
            shared = self.make_shared()
            self.make_institutions(programs, shared)
            self.make_programs(programs, shared, reviews_per_program)
            self.make_links(shared)
            self.update_review_summaries()
            # bulk_create saved nothing through the search index's signals: write it whole.
            counts = search_index.rebuild()
            self.log("search index: " + ", ".join(f"{n} {key}" for key, n in counts.items()))
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # As autovacuum would leave the tables after a while: statistics for the planner,
            # and a visibility map so that counts can use index-only scans.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            self.log("vacuumed and analysed")
        self.log(f"done: {programs} programs")

    def log(self, message):
        elapsed = time.monotonic() - self.started
        self.stdout.write(f"[{elapsed:7.1f}s] {message}")

    # Vocabularies, the fictional source, careers and certifications.

    def make_shared(self):
        source = Source.objects.create(
            title="Synthetic Benchmark Data (fictional)",
            publisher="Synthetic Data Press",
            year=2026,
            url="",
        )
        specializations = Specialization.objects.bulk_create(
            Specialization(
                name=name,
                slug=name.lower().replace(" ", "-"),
                description="A fictional area, made up for benchmarks.",
            )
            for name in SPECIALIZATIONS
        )
        accreditor = Accreditor.objects.create(
            name="Synthetic Accreditation Council",
            abbreviation="SAC",
            slug="synthetic-accreditation-council",
            scope=Accreditor.Scope.INSTITUTIONAL,
        )
        skills = Skill.objects.bulk_create(
            Skill(name=f"Synthetic skill {n}", slug=f"synthetic-skill-{n}") for n in range(1, 7)
        )
        employer = EmployerType.objects.create(
            name="Synthetic hospitals", slug="synthetic-hospitals"
        )
        careers = Career.objects.bulk_create(
            Career(
                title=title,
                slug=title.lower().replace(" ", "-"),
                summary=f"A fictional role made up for benchmarks: the {title.lower()}.",
                typical_tasks="Read synthetic data\nWrite synthetic reports",
                median_salary=Decimal(90_000 + 7_500 * n),
                salary_low=Decimal(70_000 + 5_000 * n),
                salary_high=Decimal(120_000 + 10_000 * n),
                growth_percent=Decimal(5 + 3 * n),
                growth_period_start=2024,
                growth_period_end=2034,
                graduate_share=Decimal(4 + n),
                entry_education=Career.Education.MASTER,
                status=Career.Status.PUBLISHED,
                published_at=PUBLISHED_AT,
            )
            for n, title in enumerate(CAREERS)
        )
        career_type = ContentType.objects.get_for_model(Career)
        Citation.objects.bulk_create(
            Citation(
                content_type=career_type,
                object_id=career.pk,
                field=field,
                source=source,
                as_of=AS_OF,
                checked_on=AS_OF,
            )
            for career in careers
            for field in ("median_salary", "growth_percent", "graduate_share")
        )
        for n, career in enumerate(careers):
            career.skills.set(skills[n % 3 : n % 3 + 3])
            career.employer_types.set([employer])
        certifications = Certification.objects.bulk_create(
            Certification(
                name=f"Synthetic Certification in Health AI {n}",
                slug=f"synthetic-certification-{n}",
                summary="A fictional credential made up for benchmarks.",
                status=Certification.Status.PUBLISHED,
                published_at=PUBLISHED_AT,
            )
            for n in range(1, 3)
        )
        self.log("vocabularies, careers and certifications")
        return {
            "source": source,
            "specializations": specializations,
            "accreditor": accreditor,
            "careers": careers,
            "certifications": certifications,
            "program_type": ContentType.objects.get_for_model(Program),
        }

    # Institutions and their accreditations.

    def make_institutions(self, programs, shared):
        count = (programs + PROGRAMS_PER_INSTITUTION - 1) // PROGRAMS_PER_INSTITUTION
        created = []
        for start in range(1, count + 1, BATCH):
            batch = [
                Institution(
                    name=f"Synthetic University {slug_number(n)}",
                    slug=f"synthetic-university-{slug_number(n)}",
                    city=f"Synthetic City {n % 500:03d}",
                    state=REGIONS[n % len(REGIONS)],
                    country="Syntheticland",
                    website="",
                )
                for n in range(start, min(start + BATCH, count + 1))
            ]
            created.extend(Institution.objects.bulk_create(batch))
        Accreditation.objects.bulk_create(
            (
                Accreditation(
                    accreditor=shared["accreditor"],
                    institution=institution,
                    status=Accreditation.Status.ACCREDITED,
                    verified_on=AS_OF,
                )
                for n, institution in enumerate(created, start=1)
                if n % 3 != 0
            ),
            batch_size=BATCH,
        )
        self.institution_ids = [institution.pk for institution in created]
        self.log(f"{count} institutions")

    # Programs, with their specializations, citations, courses and reviews, batch by batch.

    def program(self, n, rng):
        institution_id = self.institution_ids[(n - 1) // PROGRAMS_PER_INSTITUTION]
        topic = TOPICS[n % len(TOPICS)]
        degree = ["MS", "MS", "MPS", "MHI", "MEng"][n % 5]
        fmt = ["online", "online", "hybrid", "campus", ""][rng.randrange(5)]
        full = rng.choice([None, 12, 16, 18, 24])
        part = rng.choice([None, 24, 30, 36, 48])
        accelerated = rng.choice([None, None, None, 10, 12])
        return Program(
            institution_id=institution_id,
            title=f"{degree} in Synthetic {topic} {n}",
            slug=f"{degree.lower()}-in-synthetic-{topic.lower().replace(' ', '-')}-{n}",
            summary=(
                f"A fictional program (number {n}) made up for benchmarks. It exists only "
                "to give the pages realistic work to do."
            ),
            degree_type={"MS": "ms", "MPS": "mps", "MHI": "mhi", "MEng": "meng"}[degree],
            credits=rng.choice([30, 32, 36, 45]),
            delivery_format=fmt,
            months_full_time=full,
            months_part_time=part,
            months_accelerated=accelerated,
            tuition_total=Decimal(rng.randrange(15_000, 95_000, 250)),
            accepted_bachelor_fields="nursing, medicine, synthetic studies",
            min_gpa=Decimal(rng.choice(["2.75", "3.00", "3.25"])),
            gre=rng.choice(["not_required", "optional", "required", ""]),
            programming_background=rng.choice(["none", "bridge", "required", ""]),
            statistics_prerequisite=rng.choice([True, False, None]),
            healthcare_experience_years=rng.choice([0, 1, 2, None]),
            capstone=rng.choice(["capstone", "practicum", "both", "none", ""]),
            employer_partnerships="Synthetic General Hospital\nSynthetic Health Network",
            completion_rate=Decimal(rng.randrange(60, 98)),
            employment_rate=Decimal(rng.randrange(70, 99)),
            median_salary=Decimal(rng.randrange(80_000, 140_000, 500)),
            status=Program.Status.PUBLISHED,
            published_at=PUBLISHED_AT - datetime.timedelta(minutes=n % 10_000),
        )

    def make_programs(self, count, shared, reviews_per_program):
        through = Program.specializations.through
        specializations = shared["specializations"]
        for start in range(1, count + 1, BATCH):
            numbers = range(start, min(start + BATCH, count + 1))
            rngs = {n: random.Random(self.rng_seed + n) for n in numbers}
            batch = Program.objects.bulk_create([self.program(n, rngs[n]) for n in numbers])
            if start == 1:
                self.linked_ids = [program.pk for program in batch[:LINKED_PROGRAMS]]
            links, citations, courses, reviews = [], [], [], []
            for n, program in zip(numbers, batch, strict=True):
                rng = rngs[n]
                for specialization in rng.sample(specializations, rng.randrange(0, 4)):
                    links.append(through(program_id=program.pk, specialization=specialization))
                # Tuition and part-time duration are cited for 4 programs in 5, credits for
                # every other one, outcomes for 1 in 4: the rest read "not reported".
                cited = []
                if n % 5:
                    cited += ["tuition_total", "months_part_time"]
                if n % 2 == 0:
                    cited += ["credits", "min_gpa"]
                if n % 4 == 2:
                    cited += ["completion_rate", "employment_rate", "median_salary"]
                citations += [
                    Citation(
                        content_type=shared["program_type"],
                        object_id=program.pk,
                        field=field,
                        source=shared["source"],
                        as_of=AS_OF,
                        checked_on=AS_OF,
                    )
                    for field in cited
                ]
                if n % 5 == 2:
                    courses += [
                        Course(
                            program_id=program.pk,
                            position=position,
                            code=f"SYN {500 + position}",
                            title=f"Synthetic course {position} of program {n}",
                            credits=Decimal(3),
                            kind="core" if position < 4 else "elective",
                        )
                        for position in range(1, 7)
                    ]
                reviews += self.reviews(n, program, rng, reviews_per_program)
            through.objects.bulk_create(links)
            Citation.objects.bulk_create(citations)
            Course.objects.bulk_create(courses)
            Review.objects.bulk_create(reviews)
            if numbers.stop - 1 == count or (numbers.start - 1) % (BATCH * 10) == 0:
                self.log(f"programs {numbers.start}–{numbers.stop - 1}")

    def reviews(self, n, program, rng, average):
        made = []
        for k in range(rng.randrange(0, 2 * average + 1) if average else 0):
            rating = rng.choice([2, 3, 4, 4, 5, 5])
            body = (
                f"Synthetic review {k + 1} of program {n}. This text is made up for "
                "benchmarks: I studied part-time while working night shifts, and the "
                f"workload was {'heavy' if rating < 4 else 'manageable'}."
            )
            moderated = PUBLISHED_AT + datetime.timedelta(days=k, minutes=n % 1440)
            made.append(
                Review(
                    program_id=program.pk,
                    rating=rating,
                    rating_faculty=rng.choice([None, 3, 4, 5]),
                    title=f"{REVIEW_TITLES[(n + k) % len(REVIEW_TITLES)]} (synthetic)",
                    body=body,
                    text_fingerprint=fingerprint(body),
                    graduation_year=2020 + (n + k) % 6,
                    would_recommend=rating >= 3,
                    display_name=f"Synthetic Reviewer {n}-{k + 1}",
                    email=f"reviewer-{n}-{k + 1}@example.invalid",
                    relationship=Review.Relationship.NONE,
                    status=Review.Status.APPROVED,
                    moderated_at=moderated,
                )
            )
        return made

    # Links from the first programs to careers and certifications.

    def make_links(self, shared):
        ids = self.linked_ids
        careers, certifications = shared["careers"], shared["certifications"]
        ProgramCareer.objects.bulk_create(
            ProgramCareer(
                program_id=pk,
                career=careers[(i + j) % len(careers)],
                note="A fictional link made up for benchmarks.",
            )
            for i, pk in enumerate(ids)
            for j in range(2)
        )
        through = Certification.programs.through
        through.objects.bulk_create(
            through(certification_id=certifications[i % 2].pk, program_id=pk)
            for i, pk in enumerate(ids)
            if i % 3 == 0
        )
        self.log("careers and certifications linked")

    def update_review_summaries(self):
        """One UPDATE: each program's approved-review count and average, as Review.save does."""
        approved = Review.objects.filter(program=OuterRef("pk"), status=Review.Status.APPROVED)
        Program.objects.filter(institution__slug__startswith="synthetic-university-").update(
            review_count=Coalesce(
                Subquery(approved.order_by().values("program").annotate(n=Count("pk")).values("n")),
                0,
            ),
            review_average=Subquery(
                approved.order_by()
                .values("program")
                .annotate(a=Round(Avg("rating"), 2))
                .values("a")
            ),
        )
        self.log("review counts and averages")
