"""What the two BLS import commands share: reading, the preview, the refusal in plain words."""

from django.core.management.base import BaseCommand, CommandError

from careers import bls
from core.spreadsheets import FileError


class BlsImportCommand(BaseCommand):
    file_help = "The workbook as BLS publishes it (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("file", help=self.file_help)
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; save nothing."
        )

    def read(self, file, **options):
        raise NotImplementedError

    def apply(self, release, dry_run):
        return bls.apply(release, dry_run=dry_run)

    def count(self, release):
        return f"{len(release.occupations)} occupations"

    def handle(self, *args, file, dry_run=False, **options):
        try:
            release = self.read(file, **options)
        except FileNotFoundError:
            raise CommandError(f"No file {file}.") from None
        except FileError as error:
            raise CommandError(" ".join(error.problems)) from None
        try:
            changes, unmatched = self.apply(release, dry_run)
        except FileError as error:
            raise CommandError(" ".join(error.problems)) from None
        self.stdout.write(
            f"{release.source['title']}: {self.count(release)}, cited as of "
            f"{release.as_of:%-d %B %Y}."
        )
        for change in changes:
            self.stdout.write(change.line())
        if not changes:
            self.stdout.write("  No career's figures change.")
        for career in unmatched:
            self.stdout.write(
                f"  {career}: the file has no occupation {career.soc_code[:7]}; left as it is."
            )
        self.stdout.write("Dry run: nothing was saved." if dry_run else "Saved.")
