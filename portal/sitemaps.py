"""The sitemap (django.contrib.sitemaps): every page a search engine should know, with when it
last changed; never a draft or an entry scheduled for later."""

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from careers.models import Career, Certification
from programs.models import Institution, Program


class PublishedSitemap(Sitemap):
    """The published entries of one kind; an entry changed when it was saved or, scheduled and
    since public, when it appeared."""

    model: Any = None  # a publishable model

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, entry):
        return max(entry.updated_at, entry.published_at)


class ProgramSitemap(PublishedSitemap):
    model = Program
    priority = 0.8


class CareerSitemap(PublishedSitemap):
    model = Career


class CertificationSitemap(PublishedSitemap):
    model = Certification


class InstitutionSitemap(Sitemap):
    """Institutions with a published program: changed when one of those last changed."""

    def items(self):
        published = Program.objects.published()
        return (
            Institution.objects.filter(programs__in=published)
            .annotate(changed=Max("programs__updated_at"), appeared=Max("programs__published_at"))
            .order_by("pk")
        )

    def lastmod(self, institution):
        return max(institution.changed, institution.appeared)


class PagesSitemap(Sitemap):
    """The lists and the site's own pages."""

    priority = 0.6

    def items(self):
        return [
            "home",
            "programs:list",
            "institutions:list",
            "careers:list",
            "certifications:list",
            "about",
            "fit_explained",
            "reviews:policy",
            "data",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PagesSitemap,
    "programs": ProgramSitemap,
    "institutions": InstitutionSitemap,
    "careers": CareerSitemap,
    "certifications": CertificationSitemap,
}
