from django.core.management.base import BaseCommand, CommandError

from core.spreadsheets import FileError, failed, report
from portal.catalogue import KINDS, import_catalogue


class Command(BaseCommand):
    help = (
        "Import a catalogue file: an XLSX workbook with a sheet per kind (and a Sources "
        "sheet), or a CSV file of one kind. All of it is imported, or, if any row is wrong, "
        "none of it; each problem is named with its row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .xlsx or .csv file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change; save nothing."
        )
        parser.add_argument(
            "--kind",
            choices=[sheet for sheet, _ in KINDS],
            help="For a CSV file: the kind of entries it holds (guessed from its columns).",
        )

    def handle(self, *args, file, dry_run=False, kind=None, **options):
        try:
            results = import_catalogue(file, dry_run=dry_run, kind=kind)
        except FileNotFoundError:
            raise CommandError(f"No file {file}.") from None
        except (IsADirectoryError, PermissionError) as error:
            raise CommandError(f"{file} cannot be read: {error.strerror}.") from None
        except FileError as error:
            raise CommandError(" ".join(error.problems)) from None
        for sheet, result in results:
            for line in report(sheet, result):
                self.stdout.write(line)
        if any(failed(result) for _, result in results):
            raise CommandError("Nothing was imported: correct the file and run this again.")
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
