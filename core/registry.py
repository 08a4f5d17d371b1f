"""What varies by kind of content: the one registry, filled by the app where each kind lives.

Like `admin.site.register()`, an app's `AppConfig.ready()` says, of its models:
- which appear on public pages, so that their saves retire cached pages (`register_content`);
- which can be compared side by side (`register_comparable`: core.comparison.Comparable);
- which the site-wide search finds (`register_searchable`: search.index.Searchable);
- which readers may correct (`register_correctable`: core.correctable.Correctable);
- which are published as open data and through the API (`register_open_data`:
  core.opendata.OpenData).
The compare pages, the tray, the page cache, the search, the corrections, the downloads and the
API read this registry; nothing else keeps a list of kinds.
"""

from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

_content: list[type[Model]] = []
# Each kind's declaration, by its key (core.comparison.Comparable, search.index.Searchable,
# core.correctable.Correctable, core.opendata.OpenData).
_comparable: dict[str, Any] = {}
_searchable: dict[str, Any] = {}
_correctable: dict[str, Any] = {}
_open_data: dict[str, Any] = {}


def register_content(*models: type[Model]) -> None:
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


def content_models() -> list[type[Model]]:
    return list(_content)


def register_comparable(kind: Any) -> None:
    """A comparable kind: compared, held in the tray, cached, retired."""
    _comparable[kind.namespace] = kind
    register_content(kind.model)


def comparables() -> dict[str, Any]:
    """Namespace → comparable kind, in the order the apps registered them."""
    return dict(_comparable)


def comparable(namespace: str) -> Any:
    return _comparable.get(namespace)


def register_searchable(*kinds: Any) -> None:
    """Kinds the site-wide search finds (search.index.Searchable); each one's documents
    follow its saves."""
    for kind in kinds:
        _searchable[kind.key] = kind
        kind.follow()


def searchables() -> dict[str, Any]:
    """Key → searchable kind, in the order the search page shows them."""
    return dict(sorted(_searchable.items(), key=lambda item: item[1].position))


def searchable(key: str) -> Any:
    return _searchable.get(key)


def searchable_for(model: type[Model]) -> Any:
    return next((kind for kind in _searchable.values() if kind.model is model), None)


def register_correctable(correctable: Any) -> None:
    """A kind whose public pages readers may suggest corrections to."""
    _correctable[correctable.kind] = correctable


def correctable(kind: str) -> Any:
    return _correctable.get(kind)


def correctable_for(model: type[Model]) -> Any:
    return next((c for c in _correctable.values() if c.model is model), None)


def register_open_data(data_kind: Any) -> None:
    """A kind published at /data/ and through /api/v1/."""
    _open_data[data_kind.name] = data_kind


def open_data_kinds() -> dict[str, Any]:
    return dict(_open_data)


def open_data(name: str) -> Any:
    return _open_data.get(name)
