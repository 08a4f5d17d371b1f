from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs"

    def ready(self):
        from core import corrections, opendata, registry
        from programs.comparison import PROGRAMS
        from programs.models import Institution, Program
        from programs.search import SEARCH_KINDS

        # Every model here appears on public pages.
        registry.register_content(*self.get_models())
        registry.register_kind(PROGRAMS)
        registry.register_search(*SEARCH_KINDS)
        # Published as open data and through the API (core.opendata).
        opendata.register(
            "programs",
            Program,
            lambda: Program.objects.published().for_detail().order_by("title", "pk"),
            fields=[("title", "The degree's name."), ("institution", "The university.")],
        )
        opendata.register(
            "institutions",
            Institution,
            lambda: (
                Institution.objects.filter(programs__in=Program.objects.published())
                .distinct()
                .order_by("name", "pk")
            ),
            fields=[
                ("name", "The university's name."),
                ("city", "City; empty if not known."),
                ("state", "US state or region; empty if not known."),
                ("country", "Country; empty if not known."),
                ("website", "The university's home page."),
            ],
        )
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
