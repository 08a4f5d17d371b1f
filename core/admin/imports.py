"""Spreadsheets in and out of the admin, and the record of each confirmed import."""

import contextlib
from typing import Any

from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm, ImportForm
from reversion import create_revision, set_comment, set_user

from core import history
from core.admin.sourced import publication_message
from core.models import (
    ImportRecord,
)
from core.publication import Publishable, Status
from core.spreadsheets import (
    FileError,
    check_size,
    clear_old_uploads,
    decode_problem,
    discard_upload,
    formats_for,
)


class SpreadsheetImportForm(ImportForm):
    def clean_import_file(self) -> Any:
        upload = self.cleaned_data["import_file"]
        try:
            check_size(upload.size)
        except FileError as error:
            raise ValidationError(error.problems) from None
        return upload


class SpreadsheetAdmin(ImportExportMixin):
    """Import and export of a kind in editors' spreadsheets, CSV or XLSX (core.spreadsheets).

    An upload is first shown as a preview (new, changed with old → new, unchanged, or wrong
    with its row and column); nothing is saved until the editor confirms it.
    """

    import_template_name = "admin/core/spreadsheet_import.html"
    import_form_class = SpreadsheetImportForm
    export_form_class = ExportForm

    def get_import_formats(self) -> list:
        return formats_for(self.resource_classes[0].sheet)

    def get_export_formats(self) -> list:
        return formats_for(self.resource_classes[0].sheet)

    def add_data_read_fail_error_to_form(self, form: Any, error: Exception) -> None:
        if isinstance(error, FileError):
            form.add_error("import_file", error.problems)
        elif isinstance(error, UnicodeDecodeError):
            form.add_error("import_file", decode_problem())
        else:
            form.add_error(
                "import_file",
                "This file could not be read in the format chosen: check that it is a .csv "
                "or .xlsx file as exported from this page, and that the format matches.",
            )

    def get_urls(self) -> list[URLPattern]:
        cancel = path(
            "import/cancel/",
            self.admin_site.admin_view(self.cancel_import),
            name=f"{self.opts.app_label}_{self.opts.model_name}_cancel_import",
        )
        return [cancel, *super().get_urls()]

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The upload and its preview. The file waits for its confirmation only when there is
        something to confirm; leftovers of abandoned previews go after a day."""
        if request.method == "POST":
            clear_old_uploads()
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if "result" in context and not context["result"].has_errors():
            context.update(preview_rows(context["result"]))
        if "confirm_form" not in context:
            # import-export names the stored copy on the uploaded file itself.
            upload = request.FILES.get("import_file")
            discard_upload(getattr(upload, "tmp_storage_name", None))
        return response

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The confirmed import, as one revision that can be undone; its upload is removed
        whatever happens."""
        try:
            with create_revision():
                history.record_import(
                    request.POST.get("original_file_name") or "a spreadsheet", request.user
                )
                response = super().process_import(request, **kwargs)
            if getattr(response, "status_code", None) == 302:
                self.message_user(
                    request,
                    format_html(
                        'To publish what it brought, or to undo it as a whole, see <a href="{}">'
                        "Imports</a>.",
                        reverse("admin:portal_importrecord_changelist"),
                    ),
                    messages.INFO,
                )
            return response
        finally:
            with contextlib.suppress(FileNotFoundError):
                discard_upload(request.POST.get("import_file_name"))

    def cancel_import(self, request: HttpRequest) -> HttpResponse:
        """“Cancel” on the preview: the upload is removed and nothing is imported."""
        if request.method != "POST" or not self.has_import_permission(request):
            raise PermissionDenied
        with contextlib.suppress(FileNotFoundError):
            discard_upload(request.POST.get("import_file_name"))
        self.message_user(request, "Import cancelled: nothing was imported.", messages.INFO)
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def get_export_filename(
        self, request: HttpRequest, queryset: QuerySet, file_format: Any
    ) -> str:
        return f"{self.resource_classes[0].sheet.lower().replace(' ', '-')}." + (
            file_format.get_extension()
        )


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """Confirmed imports, newest first: each can be undone as a whole, and what it created
    can be published at once."""

    list_display = ["file_name", "imported_at", "imported_by", "rows", "state"]
    list_select_related = ["revision__user", "undone_by"]
    actions = ["undo_import", "publish_what_it_brought"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_undo_permission(self, request: HttpRequest) -> bool:
        # Undoing writes every kind an import may touch: for whoever may import programs.
        return request.user.has_perm("programs.change_program")

    has_publish_permission = has_undo_permission

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(row_count=Count("revision__version"))

    @admin.display(description="imported", ordering="revision__date_created")
    def imported_at(self, record: ImportRecord) -> Any:
        return history.when(record.revision)

    @admin.display(description="by")
    def imported_by(self, record: ImportRecord) -> str:
        user = record.revision.user
        return (user.get_full_name() or user.get_username()) if user else "a command"

    @admin.display(description="rows written", ordering="row_count")
    def rows(self, record: Any) -> int:  # annotated with its row_count (get_queryset)
        return record.row_count

    @admin.display(description="state")
    def state(self, record: ImportRecord) -> str:
        if record.undone_at:
            when = format_date(timezone.localtime(record.undone_at), "j M Y, H:i")
            return f"Undone on {when}"
        return "In place"

    @admin.action(permissions=["undo"], description="Undo the selected import")
    def undo_import(self, request: HttpRequest, queryset: QuerySet) -> None:
        for record in queryset:
            if record.undone_at:
                self.message_user(request, f"“{record}” was already undone.", messages.WARNING)
                continue
            later = history.later_changes(record)
            if later:
                self.message_user(
                    request,
                    f"“{record}” was not undone: {len(later)} of its entries were changed "
                    "since (" + ", ".join(later[:5]) + (", …" if len(later) > 5 else "") + "). "
                    "Restore those from their history instead.",
                    messages.ERROR,
                )
                continue
            restored, deleted = history.undo_import(record, request.user)
            self.message_user(
                request,
                f"Undid “{record}”: {restored} entries back as they were before it, "
                f"{deleted} rows it created deleted.",
                messages.SUCCESS,
            )

    @admin.action(permissions=["publish"], description="Publish what the selected import brought")
    def publish_what_it_brought(self, request: HttpRequest, queryset: QuerySet) -> None:
        published = 0
        with create_revision():
            set_user(request.user)
            set_comment("Published what an import brought.")
            for record in queryset.filter(undone_at__isnull=True):
                for model in apps.get_models():
                    if not issubclass(model, Publishable):
                        continue
                    for entry in history.imported_entries(record, model).filter(
                        status=Status.DRAFT
                    ):
                        entry.status, entry.published_at = Status.PUBLISHED, timezone.now()
                        entry.full_clean()
                        entry.save()
                        published += 1
        self.message_user(
            request, publication_message(published, "published now"), messages.SUCCESS
        )


def preview_rows(result: Any) -> dict[str, list[tuple[int, Any]]]:
    """The rows of a preview as (row number in the file, row): what the import would change
    first (new and changed, in file order), then the unchanged, which the page folds away."""
    numbered = list(enumerate(result.valid_rows(), start=2))  # row 1 holds the headings
    return {
        "changed_rows": [(n, row) for n, row in numbered if row.import_type != "skip"],
        "unchanged_rows": [(n, row) for n, row in numbered if row.import_type == "skip"],
    }
