from django.apps import AppConfig


class FourthKindConfig(AppConfig):
    name = "tests.fourth_kind"
    label = "fourth_kind"

    def ready(self):
        from core import registry
        from core.comparison import Comparable, fact_groups
        from tests.fourth_kind.models import Bootcamp

        registry.register_comparable(
            Comparable(
                noun="bootcamp",
                param="b",
                namespace="bootcamps",
                model=Bootcamp,
                compared=lambda: Bootcamp.objects.published().prefetch_related("citations"),
                named=lambda: Bootcamp.objects.published(),
                column_title=lambda bootcamp: bootcamp.title,
                groups=fact_groups(Bootcamp),
            )
        )
