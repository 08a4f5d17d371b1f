from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project's top: settings, root URLs, site pages, the tray, the demo commands."""

    name = "portal"
    label = "site"
    verbose_name = "Site"
