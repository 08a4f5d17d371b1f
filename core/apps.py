from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The library every app builds on: sources, publication, lists, comparisons, caching.

    Its label stays "portal", the name the package had before the library and the project's
    top were split, so its tables, migrations and content types are those of before.
    """

    name = "core"
    label = "portal"
    verbose_name = "Site: sources and figures"

    def ready(self) -> None:
        from django.db.models.signals import pre_delete, pre_save

        from core import checks, history, registry  # noqa: F401  (checks registers)

        registry.register_content(*self.get_models())
        # A row's first recorded change keeps what it was before (core.history).
        pre_save.connect(history.baseline, dispatch_uid="history-baseline-save")
        pre_delete.connect(history.baseline, dispatch_uid="history-baseline-delete")
