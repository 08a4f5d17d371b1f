from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs"

    def ready(self):
        from core import registry
        from core.correctable import Correctable
        from core.opendata import OpenData
        from programs.comparison import PROGRAMS
        from programs.models import Institution, Program
        from programs.search import SEARCH_KINDS

        # Every model here appears on public pages.
        registry.register_content(*self.get_models())
        registry.register_comparable(PROGRAMS)
        registry.register_searchable(*SEARCH_KINDS)
        # Published as open data and through the API (core.opendata).
        registry.register_open_data(
            OpenData(
                "programs",
                Program,
                lambda: Program.objects.published().for_detail().order_by("title", "pk"),
                fields=(("title", "The degree's name."), ("institution", "The university.")),
            )
        )
        registry.register_open_data(
            OpenData(
                "institutions",
                Institution,
                lambda: Institution.objects.listed().order_by("name", "pk"),
                fields=(
                    ("name", "The university's name."),
                    ("city", "City; empty if not known."),
                    ("state", "US state or region; empty if not known."),
                    ("country", "Country; empty if not known."),
                    ("website", "The university's home page."),
                ),
            )
        )
        # Readers suggest corrections to these pages (core.corrections).
        registry.register_correctable(Correctable("program", Program, Program.objects.published))
        registry.register_correctable(
            Correctable(
                "institution",
                Institution,
                Institution.objects.listed,
                fields=(
                    ("city", "City"),
                    ("state", "State or region"),
                    ("country", "Country"),
                    ("website", "Website"),
                ),
            )
        )
