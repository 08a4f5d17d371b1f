"""What varies by kind of content, registered by the app where the kind lives.

Like `admin.site.register()`: an app's `AppConfig.ready()` says which of its models appear on
public pages (`register_content`), which of them can be compared side by side
(`register_kind`), and which the site-wide search finds (`register_search`). The compare
pages, the comparison tray, the whole-page cache, cache retirement and the search read this
registry; nothing else keeps a list of kinds.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

_kinds = {}
_content = []


def register_content(*models):
    """Saves and deletes of these models (and changes to their many-to-many links) may change
    public pages: each retires every cached page, unless the row's `affects_public_pages()`
    says it changes nothing public."""
    from core.cache import bump_content_version

    for model in models:
        if model in _content:
            continue
        _content.append(model)
        label = model._meta.label
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"retire-{label}-save")
        post_delete.connect(
            bump_content_version, sender=model, dispatch_uid=f"retire-{label}-delete"
        )
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                bump_content_version,
                sender=field.remote_field.through,
                dispatch_uid=f"retire-{label}-{field.name}",
            )


def register_kind(kind):
    """A comparable kind (core.comparison.Kind): compared, held in the tray, cached, retired."""
    _kinds[kind.namespace] = kind
    register_content(kind.model)


def register_search(*kinds):
    """Kinds the site-wide search finds (core.search.SearchKind); their index follows saves."""
    from core import search

    for kind in kinds:
        search.register(kind)


def content_models():
    return list(_content)


def kinds():
    """Namespace → kind, in the order the apps registered them."""
    return dict(_kinds)


def kind(namespace):
    return _kinds.get(namespace)
