from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The library every app builds on: sources, publication, lists, comparisons, caching.

    Its label stays "portal", the name the package had before the library and the project's
    top were split, so its tables, migrations and content types are those of before.
    """

    name = "core"
    label = "portal"
    verbose_name = "Site: sources and figures"

    def ready(self):
        from django.db.models.signals import post_migrate

        from core import checks, registry, search  # noqa: F401  (checks registers the checks)

        registry.register_content(*self.get_models())
        # Once every migration has run, so that the models match the tables.
        post_migrate.connect(search.rebuild_if_needed, sender=self)
