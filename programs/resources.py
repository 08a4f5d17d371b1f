"""Programs, institutions and their vocabularies in editors' spreadsheets (core.spreadsheets)."""

from core.spreadsheets import (
    CatalogueResource,
    NumberWidget,
    SourcedResource,
    as_date,
    fact_columns,
)
from programs.models import (
    Accreditation,
    Accreditor,
    Course,
    FieldOfStudy,
    Institution,
    Program,
    Specialization,
)


class SpecializationResource(CatalogueResource):
    sheet = "Specializations"
    columns = ("slug", "name", "description")
    required = ("slug", "name")

    class Meta(CatalogueResource.Meta):
        model = Specialization


class FieldOfStudyResource(CatalogueResource):
    sheet = "Fields of study"
    columns = ("slug", "name", "description")
    required = ("slug", "name")

    class Meta(CatalogueResource.Meta):
        model = FieldOfStudy


class AccreditorResource(CatalogueResource):
    sheet = "Accreditors"
    columns = ("slug", "name", "abbreviation", "scope", "website")
    required = ("slug", "name", "scope")

    class Meta(CatalogueResource.Meta):
        model = Accreditor


class AccreditationLines:
    """Accreditations in a cell, one a line: accreditor | status | verified on | URL."""

    related = {"accreditations": ("accreditor", "status", "verified on", "URL")}
    owner = ""

    def read_related(self, name, lines):
        statuses = dict(Accreditation.Status.choices)
        read = []
        for number, (slug, status, verified_on, url) in enumerate(lines, start=1):
            accreditor = Accreditor.objects.filter(slug=slug).first()
            if accreditor is None:
                raise ValueError(f"Line {number}: no accreditor with the slug “{slug}”.")
            status = status or Accreditation.Status.ACCREDITED
            if status not in statuses:
                raise ValueError(
                    f"Line {number}: “{status}” is not one of: " + ", ".join(statuses) + "."
                )
            try:
                day = as_date(verified_on)
            except ValueError as error:
                raise ValueError(f"Line {number}: {error}") from None
            if day is None:
                raise ValueError(f"Line {number}: give the day the status was checked.")
            read.append((accreditor, status, day, url))
        return read

    def save_related(self, instance, name, lines):
        current = {a.accreditor_id: a for a in instance.accreditations.all()}
        for accreditor, status, day, url in lines:
            accreditation = current.pop(accreditor.pk, None) or Accreditation(
                accreditor=accreditor, **{self.owner: instance}
            )
            accreditation.status, accreditation.verified_on, accreditation.url = status, day, url
            accreditation.full_clean()
            accreditation.save()
        for accreditation in current.values():
            accreditation.delete()

    def dehydrate_accreditations(self, instance):
        return self.fields["accreditations"].widget.render(
            [
                [a.accreditor.slug, a.status, a.verified_on.isoformat(), a.url]
                for a in instance.accreditations.select_related("accreditor").order_by(
                    "accreditor__slug"
                )
            ]
        )


class InstitutionResource(AccreditationLines, CatalogueResource):
    sheet = "Institutions"
    owner = "institution"
    columns = ("slug", "name", "city", "state", "country", "website")
    required = ("slug", "name")

    class Meta(CatalogueResource.Meta):
        model = Institution


class ProgramResource(AccreditationLines, SourcedResource):
    """A program with its institution, facts, specializations, courses and accreditations."""

    sheet = "Programs"
    owner = "program"
    columns = (
        "slug",
        "institution",
        "title",
        "summary",
        "former_titles",
        "status",
        "published_at",
        "apply_url",
        *fact_columns(Program),
    )
    required = ("slug", "institution", "title")
    related = {
        **AccreditationLines.related,
        "courses": ("code", "title", "credits", "core or elective"),
    }

    class Meta(SourcedResource.Meta):
        model = Program

    def get_queryset(self):
        return Program.objects.select_related("institution").prefetch_related("specializations")

    def read_related(self, name, lines):
        if name == "accreditations":
            return super().read_related(name, lines)
        kinds = {code for code, _ in Course.Kind.choices}
        read = []
        for number, (code, title, credits, kind) in enumerate(lines, start=1):
            if not title:
                raise ValueError(f"Line {number}: a course needs a title.")
            kind = (kind or Course.Kind.CORE).lower()
            if kind not in kinds:
                raise ValueError(f"Line {number}: “{kind}” is not core or elective.")
            try:
                credits = NumberWidget().clean(credits)
            except ValueError as error:
                raise ValueError(f"Line {number}: {error}") from None
            read.append((code, title, credits, kind))
        return read

    def save_related(self, instance, name, lines):
        if name == "accreditations":
            return super().save_related(instance, name, lines)
        instance.courses.all().delete()
        Course.objects.bulk_create(
            Course(program=instance, position=n, code=code, title=title, credits=credits, kind=kind)
            for n, (code, title, credits, kind) in enumerate(lines)
        )
        return None

    def dehydrate_courses(self, program):
        number = self.fields["credits"].widget
        return self.fields["courses"].widget.render(
            [
                [course.code, course.title, number.render(course.credits), course.kind]
                for course in program.courses.all()
            ]
        )
