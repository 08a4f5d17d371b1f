from django.core.management.base import BaseCommand

from search import index


class Command(BaseCommand):
    help = (
        "Write the site-wide search index afresh from every entry (after loading content "
        "without saving it through the ORM, or after a kind's search declaration changed)."
    )

    def handle(self, *args, **options) -> None:
        counts = index.rebuild()
        self.stdout.write(
            "Search index rebuilt: "
            + ", ".join(f"{count} {key}" for key, count in counts.items())
            + "."
        )
