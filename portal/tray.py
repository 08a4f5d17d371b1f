"""The comparison tray: what a visitor has set aside to compare, kept in their session.

Titles are stored beside slugs so that showing the tray costs no query; the comparison page
itself reads the items fresh and leaves out any that are no longer published.
"""

from careers.comparison import CAREERS, CERTIFICATIONS
from careers.models import Career, Certification
from portal.comparison import MAX_ITEMS
from programs.comparison import PROGRAMS
from programs.models import Program

SESSION_KEY = "compare"


class Tray:
    def __init__(self, session):
        self.session = session

    def items(self, kind):
        return list(self.session.get(SESSION_KEY, {}).get(kind, []))

    def slugs(self, kind):
        return [item["slug"] for item in self.items(kind)]

    def add(self, kind, slug, title):
        """Add an item; False if the tray for this kind is already full."""
        items = self.items(kind)
        if any(item["slug"] == slug for item in items):
            return True
        if len(items) >= MAX_ITEMS:
            return False
        self._save(kind, [*items, {"slug": slug, "title": title}])
        return True

    def remove(self, kind, slug):
        self._save(kind, [item for item in self.items(kind) if item["slug"] != slug])

    def clear(self, kind):
        self._save(kind, [])

    def _save(self, kind, items):
        trays = dict(self.session.get(SESSION_KEY, {}))
        trays[kind] = items
        self.session[SESSION_KEY] = trays


def comparable():
    """Namespace → (comparison kind, published queryset) for everything the tray can hold."""
    return {
        "programs": (PROGRAMS, Program.objects.published().select_related("institution")),
        "careers": (CAREERS, Career.objects.published()),
        "certifications": (CERTIFICATIONS, Certification.objects.published()),
    }
