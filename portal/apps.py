from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save

# Apps whose rows appear on public pages: a change to any of them makes cached parts stale.
CONTENT_APPS = {"portal", "programs", "careers"}


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Site: sources and figures"

    def ready(self):
        from portal.cache import bump_content_version

        for model in apps.get_models():
            if model._meta.app_label in CONTENT_APPS:
                post_save.connect(
                    bump_content_version,
                    sender=model,
                    dispatch_uid=f"bump-{model._meta.label}-save",
                )
                post_delete.connect(
                    bump_content_version,
                    sender=model,
                    dispatch_uid=f"bump-{model._meta.label}-delete",
                )
        m2m_changed.connect(bump_content_version, dispatch_uid="bump-m2m")
