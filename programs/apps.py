from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs"

    def ready(self):
        from core import corrections, registry
        from programs.comparison import PROGRAMS
        from programs.models import Institution, Program
        from programs.search import SEARCH_KINDS

        # Every model here appears on public pages.
        registry.register_content(*self.get_models())
        registry.register_kind(PROGRAMS)
        registry.register_search(*SEARCH_KINDS)
        # Readers suggest corrections to these pages (core.corrections).
        corrections.register("program", Program, Program.objects.published)
        corrections.register(
            "institution",
            Institution,
            lambda: Institution.objects.filter(programs__in=Program.objects.published()).distinct(),
            fields=[
                ("city", "City"),
                ("state", "State or region"),
                ("country", "Country"),
                ("website", "Website"),
            ],
        )
