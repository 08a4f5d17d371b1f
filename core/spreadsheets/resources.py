"""Resources: a kind's rows, read and written with their facts' sources."""

from collections import Counter
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from import_export import fields as ie_fields
from import_export import resources, widgets

from core.models import Citation
from core.spreadsheets.bounds import FileError
from core.spreadsheets.columns import OVERRIDE_SUFFIXES, ROW_SOURCE_COLUMNS
from core.spreadsheets.sources import Cited, SourceBook, citation_text, iso, source_key, source_row
from core.spreadsheets.widgets import LinesWidget, as_date, text, widget_for
from core.text import looks_like_formula, safe_cell


class CatalogueResource(resources.ModelResource):
    """A kind of entry in a spreadsheet, keyed by slug: checked as a file, row by row.

    Subclasses list `columns` (model fields, in order), `required` columns, and may add
    related rows in cells (`related`: column → LinesWidget parts) saved by `save_related`.
    """

    columns: tuple[str, ...] = ()
    required: tuple[str, ...] = ("slug",)
    related: dict[str, Any] = {}
    # Related rows whose order matters (a curriculum's courses); others may come in any order.
    ordered_related = {"courses"}
    key = "slug"

    class Meta:
        abstract = True
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        skip_html_diff = True

    def __init__(self, sources=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.book = sources
        self.fields = {}
        model = self._meta.model
        for name in self.columns:
            widget = widget_for(model, name)
            self.fields[name] = ie_fields.Field(
                attribute=name, column_name=name, widget=widget, saves_null_values=True
            )
        for name, parts in self.related.items():
            self.fields[name] = ie_fields.Field(
                attribute=None,
                column_name=name,
                widget=LinesWidget(parts),
                dehydrate_method=f"dehydrate_{name}",
            )

    def get_import_id_fields(self) -> list[str]:
        return [self.key]

    # The file as a whole.

    def known_columns(self) -> list[str]:
        return list(self.fields)

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        if self.book is None:
            self.book = SourceBook(getattr(dataset, "sources", None))
        problems = list(self.book.problems)
        headers = list(dataset.headers or [])
        known = set(self.known_columns())
        if any(header == "" for header in headers):
            problems.append("A column has no name in the first row: name it or delete it.")
        unknown = [h for h in headers if h and h not in known]
        if unknown:
            problems.append(
                "Unknown columns: "
                + ", ".join(f"“{h}”" for h in unknown)
                + ". Use the column names of an export from this page."
            )
        repeated = sorted({h for h in headers if h and headers.count(h) > 1})
        if repeated:
            problems.append("Columns given twice: " + ", ".join(f"“{h}”" for h in repeated) + ".")
        missing = [column for column in self.required if column not in headers]
        if missing:
            problems.append(
                "Missing columns: " + ", ".join(f"“{c}”" for c in missing) + " (required)."
            )
        for number, values in enumerate(dataset, start=2):
            for header, value in zip(headers, values, strict=False):
                # Leading tabs and line breaks are trimmed from every cell (text()).
                if isinstance(value, str) and looks_like_formula(value.lstrip()):
                    problems.append(
                        f"Row {number}, column “{header}”: a formula, or text that starts with "
                        f"“{value.lstrip()[0]}”, which a spreadsheet runs as one. Write the "
                        "value itself (copy the cells and paste them as values), or put an "
                        "apostrophe (') before it."
                    )
        if self.key in headers:
            rows: dict[str, list[int]] = {}
            for number, values in enumerate(dataset, start=2):
                slug = text(dict(zip(headers, values, strict=False)).get(self.key))
                rows.setdefault(slug, []).append(number)
            for slug, numbers in rows.items():
                if slug and len(numbers) > 1:
                    listed = " and ".join(str(n) for n in numbers)
                    problems.append(f"Rows {listed} are the same entry (the {self.key} “{slug}”).")
                if not slug:
                    problems.append(
                        "Rows " + ", ".join(str(n) for n in numbers) + f" have no {self.key}."
                    )
        if problems:
            raise FileError(problems)

    # One row.

    def get_or_init_instance(self, instance_loader: Any, row: dict) -> tuple[Model, bool]:
        instance = self._meta.model._default_manager.filter(slug=text(row.get(self.key))).first()
        if instance is not None:
            return instance, False
        return self.init_instance(row), True

    def after_init_instance(self, instance: Model, new: bool, row: dict, **kwargs: Any) -> None:
        self._before = {} if new else self.snapshot(instance)

    def import_instance(self, instance: Model, row: dict, **kwargs: Any) -> None:
        errors = {}
        for field in self.get_import_fields():
            if field.attribute is None or field.column_name not in row:
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.column_name] = ValidationError(str(error))
                continue
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors[field.column_name] = ValidationError(str(error))
        self._related, self._related_text = {}, {}
        for name in self.related:
            if name in row:
                widget = self.fields[name].widget
                try:
                    lines = self.fields[name].clean(row)
                    self._related[name] = self.read_related(name, lines)
                except ValueError as error:
                    errors[name] = ValidationError(str(error))
                else:
                    self._related_text[name] = widget.render(lines)
        self.import_more(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def import_more(self, instance: Model, row: dict, errors: dict[str, ValidationError]) -> None:
        """What a subclass reads beyond the columns (sources, a default publication state)."""

    def read_related(self, name: str, lines: list[list[str]]) -> list[list[str]]:
        """The related rows of a cell, checked (a ValueError names the line)."""
        return lines

    def validate_instance(
        self,
        instance: Model,
        import_validation_errors: dict | None = None,
        validate_unique: bool = True,
    ) -> None:
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique=False)
        except ValidationError as error:
            raise ValidationError(error.message_dict) from None

    def after_save_instance(self, instance: Model, row: dict, **kwargs: Any) -> None:
        for name, lines in self._related.items():
            self.save_related(instance, name, lines)

    def save_related(self, instance: Model, name: str, lines: list[list[str]]) -> None:
        raise NotImplementedError

    def skip_row(
        self,
        instance: Model,
        original: Model | None,
        row: dict,
        import_validation_errors: dict | None = None,
    ) -> bool:
        if import_validation_errors or original is None or original.pk is None:
            return False
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        current = self.snapshot(original)
        return all(
            self.same_lines(name, text, current.get(name, ""))
            for name, text in self._related_text.items()
        )

    def same_lines(self, name: str, given: str, stored: str) -> bool:
        """Whether a cell of related rows says what is stored (in any order, unless the
        order is part of it)."""
        if name in self.ordered_related:
            return given == stored
        return sorted(given.splitlines()) == sorted(stored.splitlines())

    def after_import_row(self, row: dict, row_result: Any, **kwargs: Any) -> None:
        row_result.changes = []
        if row_result.import_type == "update" and row_result.object_id:
            instance = self._meta.model._default_manager.get(pk=row_result.object_id)
            after = self.snapshot(instance)
            row_result.changes = [
                (column, self._before.get(column, ""), value)
                for column, value in after.items()
                if value != self._before.get(column, "")
            ]

    def snapshot(self, instance: Model) -> dict[str, str]:
        """Column → text, as an export writes the entry (for the list of changes)."""
        return {name: self.export_field(field, instance) for name, field in self.fields.items()}

    # Export.

    def export_field(self, field: Any, instance: Model, **kwargs: Any) -> str:
        if field.attribute is None:
            return getattr(self, field.dehydrate_method)(instance)
        value = field.get_value(instance)
        return field.widget.render(value)

    def get_export_headers(self, selected_fields: Any = None) -> list[str]:
        return list(self.fields)

    def export(self, queryset: QuerySet | None = None, **kwargs: Any) -> tablib.Dataset:
        queryset = self.get_queryset() if queryset is None else queryset
        dataset = tablib.Dataset(headers=self.get_export_headers())
        for instance in queryset:
            row = self.snapshot(instance)
            dataset.append([safe_cell(row[column]) for column in dataset.headers])
        dataset.title = self.sheet
        dataset.sources = None
        return dataset


class SourcedResource(CatalogueResource):
    """A kind whose facts cite sources (core.facts): the source columns, and citations."""

    class Meta(CatalogueResource.Meta):
        abstract = True

    def sourced(self) -> list[str]:
        return list(self._meta.model.sourced_fields)

    def known_columns(self) -> list[str]:
        overrides = [f"{name} {suffix}" for name in self.sourced() for suffix in OVERRIDE_SUFFIXES]
        return [*self.fields, *ROW_SOURCE_COLUMNS, *overrides]

    def import_more(self, instance: Any, row: dict, errors: dict[str, ValidationError]) -> None:
        if instance.pk is None and "status" not in row:
            # New entries arrive as drafts unless the file says they are published.
            instance.status = instance.Status.DRAFT
        self._citations = self.read_citations(instance, row, errors)

    def read_citations(
        self, instance: Model, row: dict, errors: dict[str, ValidationError]
    ) -> dict:
        """Fact → Cited for every sourced fact of the row that has a value."""
        default = None
        try:
            if text(row.get("source title")) or text(row.get("source URL")):
                default = self.book.define(
                    title=row.get("source title"),
                    publisher=row.get("source publisher"),
                    year=row.get("source year"),
                    url=row.get("source URL"),
                    author=row.get("source author"),
                )
            elif text(row.get("source")):
                default = self.book.resolve(row.get("source"))
        except ValueError as error:
            errors["source"] = ValidationError(str(error))
        dates = {}
        for column in ("as of", "checked on"):
            try:
                dates[column] = as_date(row.get(column))
            except ValueError as error:
                errors[column] = ValidationError(str(error))
                dates[column] = None
        default_note = text(row.get("note"))
        citations = {}
        for name in self.in_row(row):
            if name in errors or not self.holds(instance, name, row):
                continue
            column = f"{name} source"
            # A fact that names its own source has its own as-of date and note (maybe none).
            own = bool(text(row.get(column)))
            try:
                source = self.book.resolve(row[column]) if own else default
                as_of = as_date(row.get(f"{name} as of")) if own else dates["as of"]
                checked_on = as_date(row.get(f"{name} checked on")) or dates["checked on"]
            except ValueError as error:
                bad = column if "source" in str(error).lower() else f"{name} as of"
                errors[bad] = ValidationError(str(error))
                continue
            note = (
                text(row.get(f"{name} note"))
                if own
                else (text(row.get(f"{name} note")) or default_note)
            )
            if source is None or checked_on is None:
                missing = "no source" if source is None else "no checked-on date"
                errors[name] = ValidationError(
                    f"Has a value but {missing}: give the row a “source” and a “checked on” "
                    f"(the day the page was read), or this fact a “{name} source” and a "
                    f"“{name} checked on”."
                )
                continue
            citations[name] = Cited(source, as_of, checked_on, note[:300])
        return citations

    def in_row(self, row: dict) -> list[str]:
        """The sourced facts this row speaks of: their column, or a column of their source.
        Facts the file leaves out keep their values and citations."""
        return [
            name
            for name in self.sourced()
            if name in row or any(f"{name} {suffix}" in row for suffix in OVERRIDE_SUFFIXES)
        ]

    def holds(self, instance: Any, name: str, row: dict) -> bool:
        """Whether the fact has a value after this row (many-to-many: the row's own value)."""
        field = instance._meta.get_field(name)
        if field.many_to_many:
            if name in row:
                try:
                    return bool(self.fields[name].clean(row))
                except ValueError:
                    return False
            return instance.pk is not None and getattr(instance, name).exists()
        return getattr(instance, field.attname) not in (None, "")

    def after_save_instance(self, instance: Any, row: dict, **kwargs: Any) -> None:
        super().after_save_instance(instance, row, **kwargs)
        current = {c.field: c for c in Citation.objects.for_record(instance)}
        for name, cited in self._citations.items():
            citation = current.pop(name, None) or Citation(content_object=instance, field=name)
            if citation.pk is None or Cited.of(citation) != cited.key():
                citation.source, citation.note = cited.source, cited.note
                citation.as_of, citation.checked_on = cited.as_of, cited.checked_on
                citation.save()
        for name, citation in current.items():
            if name in self.in_row(row) and not instance.has_value(name):
                citation.delete()

    def skip_row(
        self,
        instance: Model,
        original: Any,
        row: dict,
        import_validation_errors: dict | None = None,
    ) -> bool:
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        spoken_of = set(self.in_row(row))
        current = {
            c.field: Cited.of(c)
            for c in Citation.objects.for_record(original)
            if c.field in spoken_of
        }
        wanted = {name: cited.key() for name, cited in self._citations.items()}
        return current == wanted

    def snapshot(self, instance: Model) -> dict[str, str]:
        row = super().snapshot(instance)
        citations = {
            c.field: c for c in Citation.objects.for_record(instance).select_related("source")
        }
        for name in self.sourced():
            citation = citations.get(name)
            row[f"{name} source"] = citation_text(citation) if citation else ""
        return row

    def export(self, queryset: QuerySet | None = None, **kwargs: Any) -> tablib.Dataset:
        """The entries, each with its most cited source as the row's source, the others as
        overrides by URL, and every source in a Sources sheet (for XLSX)."""
        queryset = self.get_queryset() if queryset is None else queryset
        rows, used, overrides = [], {}, set()
        for instance in queryset:
            row = CatalogueResource.snapshot(self, instance)
            citations = {
                c.field: c for c in Citation.objects.for_record(instance).select_related("source")
            }
            counts = Counter(Cited.of(c) for c in citations.values())
            default = counts.most_common(1)[0][0] if counts else None
            chosen = next((c for c in citations.values() if Cited.of(c) == default), None)
            if chosen:
                source = chosen.source
                used[source.pk] = source
                row.update(
                    {
                        "source title": source.title,
                        "source author": source.author,
                        "source publisher": source.publisher,
                        "source year": "" if source.year is None else str(source.year),
                        "source URL": source.url,
                        "as of": iso(chosen.as_of),
                        "checked on": iso(chosen.checked_on),
                        "note": chosen.note,
                    }
                )
            for name, citation in citations.items():
                used[citation.source_id] = citation.source
                if Cited.of(citation) == default:
                    continue
                overrides.add(name)
                row[f"{name} source"] = citation.source.url or source_key(citation.source)
                row[f"{name} as of"] = iso(citation.as_of)
                row[f"{name} checked on"] = iso(citation.checked_on)
                row[f"{name} note"] = citation.note
            rows.append(row)
        override_columns = [
            f"{name} {suffix}"
            for name in self.sourced()
            if name in overrides
            for suffix in OVERRIDE_SUFFIXES
        ]
        headers = [*self.fields, *ROW_SOURCE_COLUMNS[1:], *override_columns]
        dataset = tablib.Dataset(headers=headers)
        for row in rows:
            dataset.append([safe_cell(row.get(column, "")) for column in headers])
        dataset.title = self.sheet
        dataset.sources = [source_row(source) for source in used.values()]
        return dataset
