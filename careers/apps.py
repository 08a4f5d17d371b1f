from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "careers"
    verbose_name = "Careers and certifications"

    def ready(self):
        from careers.comparison import CAREERS, CERTIFICATIONS
        from careers.models import Career, Certification
        from careers.search import SEARCH_KINDS
        from core import corrections, registry

        # Every model here appears on public pages.
        registry.register_content(*self.get_models())
        registry.register_kind(CAREERS)
        registry.register_search(*SEARCH_KINDS)
        registry.register_kind(CERTIFICATIONS)
        # Readers suggest corrections to these pages (core.corrections).
        corrections.register("career", Career, Career.objects.published)
        corrections.register("certification", Certification, Certification.objects.published)
