"""What the two BLS import commands share: reading, the preview, the refusal in plain words."""

from django.core.management.base import BaseCommand, CommandError

from careers import bls
from core.spreadsheets import FileError


class BlsImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file", help="The workbook as BLS publishes it (.xlsx).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; save nothing."
        )

    def read(self, file, **options):
        raise NotImplementedError

    def handle(self, *args, file, dry_run=False, **options):
        try:
            release = self.read(file, **options)
        except FileNotFoundError:
            raise CommandError(f"No file {file}.") from None
        except FileError as error:
            raise CommandError(" ".join(error.problems)) from None
        changes, unmatched = bls.apply(release, dry_run=dry_run)
        self.stdout.write(
            f"{release.source['title']}: {len(release.occupations)} occupations, cited as of "
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
