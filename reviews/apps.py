from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews and moderation"

    def ready(self):
        from core import registry
        from reviews.models import Review

        # A review shows on its program's page once decided on (Review.affects_public_pages);
        # reports and the moderation history show nowhere public.
        registry.register_content(Review)
