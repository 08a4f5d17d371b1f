from django.core.management.base import BaseCommand

from core import search


class Command(BaseCommand):
    help = (
        "Write the site-wide search index afresh from every entry (after loading content "
        "without saving it through the ORM, or after a kind's search declaration changed)."
    )

    def handle(self, *args, **options):
        counts = search.rebuild()
        self.stdout.write(
            "Search index rebuilt: "
            + ", ".join(f"{count} {key}" for key, count in counts.items())
            + "."
        )
