from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs"

    def ready(self):
        from core import registry
        from programs.comparison import PROGRAMS
        from programs.search import SEARCH_KINDS

        # Every model here appears on public pages.
        registry.register_content(*self.get_models())
        registry.register_kind(PROGRAMS)
        registry.register_search(*SEARCH_KINDS)
