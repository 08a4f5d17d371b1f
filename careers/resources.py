"""Careers, certifications and their vocabularies in editors' spreadsheets (core.spreadsheets)."""

from careers.models import (
    Career,
    Certification,
    EligibilityPathway,
    EmployerType,
    IssuingBody,
    ProgramCareer,
    Skill,
    StatePay,
    state_pay_slug,
)
from core.spreadsheets import (
    CatalogueResource,
    FileError,
    NumberWidget,
    SourcedResource,
    YesNoWidget,
    fact_columns,
    text,
)
from programs.models import Program


class SkillResource(CatalogueResource):
    sheet = "Skills"
    columns = ("slug", "name", "description")
    required = ("slug", "name")

    class Meta(CatalogueResource.Meta):
        model = Skill


class EmployerTypeResource(CatalogueResource):
    sheet = "Employer types"
    columns = ("slug", "name")
    required = ("slug", "name")

    class Meta(CatalogueResource.Meta):
        model = EmployerType


class IssuingBodyResource(CatalogueResource):
    sheet = "Issuing bodies"
    columns = ("slug", "name", "abbreviation", "website")
    required = ("slug", "name")

    class Meta(CatalogueResource.Meta):
        model = IssuingBody


class CareerResource(SourcedResource):
    """A career with its facts and the programs that prepare for it (program | note)."""

    sheet = "Careers"
    columns = (
        "slug",
        "title",
        "alternative_titles",
        "summary",
        "status",
        "published_at",
        *fact_columns(Career),
        "fields_of_study",
    )
    required = ("slug", "title")
    related = {"programs": ("program", "note"), "related_careers": ("career",)}

    class Meta(SourcedResource.Meta):
        model = Career

    def read_related(self, name, lines):
        if name == "related_careers":
            # Careers further down the sheet exist only later: read once all rows are in.
            return [slug for (slug,) in lines]
        found = {p.slug: p for p in Program.objects.filter(slug__in=[s for s, _ in lines])}
        for number, (slug, _) in enumerate(lines, start=1):
            if slug not in found:
                raise ValueError(f"Line {number}: no program with the slug “{slug}”.")
        return [(found[slug], note) for slug, note in lines]

    def save_related(self, instance, name, lines):
        if name == "related_careers":
            self._later = getattr(self, "_later", {})
            self._later[instance.pk] = lines
            return
        current = {link.program_id: link for link in instance.program_links.all()}
        for program, note in lines:
            link = current.pop(program.pk, None) or ProgramCareer(program=program, career=instance)
            if link.pk is None or link.note != note:
                link.note = note
                link.save()
        for link in current.values():
            link.delete()

    def after_import(self, dataset, result, **kwargs):
        problems = []
        for pk, slugs in getattr(self, "_later", {}).items():
            career = Career.objects.get(pk=pk)
            found = {c.slug: c for c in Career.objects.filter(slug__in=slugs)}
            unknown = [slug for slug in slugs if slug not in found]
            if unknown:
                problems.append(
                    f"Career “{career.slug}”, column “related_careers”: no career with the slug "
                    + ", ".join(f"“{slug}”" for slug in unknown)
                    + "."
                )
                continue
            if set(career.related_careers.values_list("pk", flat=True)) != {
                c.pk for c in found.values()
            }:
                career.related_careers.set(found.values())
        if problems:
            raise FileError(problems)

    def dehydrate_programs(self, career):
        return self.fields["programs"].widget.render(
            [
                [link.program.slug, link.note]
                for link in career.program_links.select_related("program")
            ]
        )

    def dehydrate_related_careers(self, career):
        return self.fields["related_careers"].widget.render(
            [[other.slug] for other in career.related_careers.order_by("slug")]
        )


class CertificationResource(SourcedResource):
    """A certification with its facts, links and routes to eligibility."""

    sheet = "Certifications"
    columns = (
        "slug",
        "name",
        "acronym",
        "summary",
        "status",
        "published_at",
        *fact_columns(Certification),
        "careers",
        "programs",
        "fields_of_study",
    )
    required = ("slug", "name")
    related = {
        "pathways": (
            "minimum education",
            "degree in the field",
            "years of experience",
            "description",
        )
    }

    class Meta(SourcedResource.Meta):
        model = Certification

    def read_related(self, name, lines):
        levels = dict(EligibilityPathway.Education.choices)
        read = []
        for number, (education, in_field, years, description) in enumerate(lines, start=1):
            if education not in levels:
                raise ValueError(
                    f"Line {number}: “{education}” is not one of: " + ", ".join(levels) + "."
                )
            try:
                in_field = bool(YesNoWidget().clean(in_field))
                years = NumberWidget(integer=True).clean(years) or 0
            except ValueError as error:
                raise ValueError(f"Line {number}: {error}") from None
            read.append((education, in_field, years, text(description)))
        return read

    def save_related(self, instance, name, lines):
        wanted = [list(line) for line in lines]
        current = [
            [p.minimum_education, p.degree_in_field_required, p.years_experience, p.description]
            for p in instance.pathways.all()
        ]
        if current != wanted:
            instance.pathways.all().delete()
            EligibilityPathway.objects.bulk_create(
                EligibilityPathway(
                    certification=instance,
                    minimum_education=education,
                    degree_in_field_required=in_field,
                    years_experience=years,
                    description=description,
                )
                for education, in_field, years, description in lines
            )

    def dehydrate_pathways(self, certification):
        return self.fields["pathways"].widget.render(
            [
                [
                    p.minimum_education,
                    "yes" if p.degree_in_field_required else "no",
                    str(p.years_experience),
                    p.description,
                ]
                for p in certification.pathways.all()
            ]
        )


class StatePayResource(SourcedResource):
    """A career's pay in one state: one row per career and state, keyed by both."""

    sheet = "Pay by state"
    # The slug joins career and state: written by an export, made from them where left out.
    columns = ("career", "state", *fact_columns(StatePay), "slug")
    required = ("career", "state")

    class Meta(SourcedResource.Meta):
        model = StatePay

    def before_import(self, dataset, **kwargs):
        # The key is the career and the state together (the model's slug joins them).
        headers = list(dataset.headers or [])
        if "slug" not in headers and {"career", "state"} <= set(headers):
            dataset.append_col(
                [
                    state_pay_slug(
                        text(row[headers.index("career")]), text(row[headers.index("state")])
                    )
                    for row in dataset
                ],
                header="slug",
            )
        super().before_import(dataset, **kwargs)

    def import_more(self, instance, row, errors):
        self._citations = self.read_citations(instance, row, errors)

    def get_queryset(self):
        return StatePay.objects.select_related("career").order_by("career__slug", "state")
