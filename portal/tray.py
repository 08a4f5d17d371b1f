"""The comparison tray: what a visitor has set aside to compare, kept in their session.

The session keeps slugs; the tray shows, under their current titles, only those that are
still published, read in one query cached until content changes. Removing works for any slug,
public or not.
"""

import hashlib

from core.cache import cached
from core.comparison import MAX_ITEMS


def session_key(kind):
    """Each kind's tray under a key of its own: a page of one section reads only its own, so a
    tray of programs leaves the career pages the same as everyone's (and cached whole)."""
    return f"compare:{kind}"


class Tray:
    def __init__(self, session):
        self.session = session

    def items(self, kind):
        return list(self.session.get(session_key(kind), []))

    def slugs(self, kind):
        return [item["slug"] for item in self.items(kind)]

    def public_items(self, kind, queryset):
        """The items of `kind` that `queryset` (the published ones) holds, titled afresh."""
        slugs = self.slugs(kind)
        if not slugs:
            return []
        digest = hashlib.sha256("\n".join(slugs).encode("utf-8", "surrogatepass")).hexdigest()
        titles = cached(
            f"tray:{kind}:{digest[:32]}",
            lambda: {item.slug: str(item) for item in queryset.filter(slug__in=slugs)},
        )
        return [{"slug": slug, "title": titles[slug]} for slug in slugs if slug in titles]

    def add(self, kind, slug):
        """Add an item; False if the tray for this kind is already full."""
        items = self.items(kind)
        if any(item["slug"] == slug for item in items):
            return True
        if len(items) >= MAX_ITEMS:
            return False
        self._save(kind, [*items, {"slug": slug}])
        return True

    def keep_only(self, kind, queryset):
        """Drop the items `queryset` no longer holds (unpublished since they were added)."""
        public = set(queryset.filter(slug__in=self.slugs(kind)).values_list("slug", flat=True))
        self._save(kind, [item for item in self.items(kind) if item["slug"] in public])

    def remove(self, kind, slug):
        self._save(kind, [item for item in self.items(kind) if item["slug"] != slug])

    def clear(self, kind):
        self._save(kind, [])

    def _save(self, kind, items):
        self.session[session_key(kind)] = items
