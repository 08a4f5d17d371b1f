from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews and moderation"

    def ready(self):
        from core import mail, registry
        from reviews.confirmation import RESEND, compose_confirmation_again
        from reviews.models import Review, ReviewReply

        mail.register_composer(RESEND, compose_confirmation_again)

        # A review shows on its program's page once decided on (Review.affects_public_pages),
        # and so does a reply (ReviewReply.affects_public_pages); reports and the moderation
        # history show nowhere public.
        registry.register_content(Review, ReviewReply)
