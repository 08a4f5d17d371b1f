from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "careers"
    verbose_name = "Careers and certifications"

    def ready(self):
        from careers.comparison import CAREERS, CERTIFICATIONS
        from careers.models import Career, Certification
        from careers.search import SEARCH_KINDS
        from core import registry
        from core.correctable import Correctable
        from core.opendata import OpenData

        # Every model here appears on public pages.
        registry.register_content(*self.get_models())
        registry.register_comparable(CAREERS)
        registry.register_searchable(*SEARCH_KINDS)
        registry.register_comparable(CERTIFICATIONS)
        # Published as open data and through the API (core.opendata).
        registry.register_open_data(
            OpenData(
                "careers",
                Career,
                lambda: Career.objects.published().for_detail().order_by("title", "pk"),
                fields=(
                    ("title", "The role's name."),
                    ("soc_code", "The Standard Occupational Classification code it belongs to."),
                ),
            )
        )
        registry.register_open_data(
            OpenData(
                "certifications",
                Certification,
                lambda: Certification.objects.published().for_detail().order_by("name", "pk"),
                fields=(("name", "The certification's name."), ("issuing_body", "Who issues it.")),
            )
        )
        # Readers suggest corrections to these pages (core.corrections).
        registry.register_correctable(Correctable("career", Career, Career.objects.published))
        registry.register_correctable(
            Correctable("certification", Certification, Certification.objects.published)
        )
