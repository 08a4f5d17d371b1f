from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The site-wide search: one index of every searchable kind (search.index), the readers'
    words (search.query), and what matches, best first (search.results)."""

    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from core import registry
        from search import index

        # Synonyms and filter words change what a search finds: cached pages retire.
        registry.register_content(self.get_model("Synonym"), self.get_model("FilterWord"))
        # Once every migration has run, so that the models match the tables.
        post_migrate.connect(index.rebuild_if_needed, sender=self)
