"""A fourth kind of thing to compare, declared the way a new app would declare one."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse

from core.facts import Fact, Facts, Group, SourcedModel
from core.facts import FactKind as K
from core.models import Citation
from core.publication import PublicationQuerySet, Publishable


class Bootcamp(Publishable, SourcedModel):
    class Delivery(models.TextChoices):
        ONLINE = "online", "Online"
        CAMPUS = "campus", "On campus"

    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    fee = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    delivery = models.CharField(max_length=10, choices=Delivery.choices, blank=True)
    citations = GenericRelation(Citation)

    facts = Facts(
        Group(
            "Cost and length",
            "cost",
            (
                Fact("fee", K.MONEY, best="min"),
                Fact("weeks", K.COUNT, label="Weeks"),
                Fact("delivery", K.CHOICE),
            ),
        )
    )

    objects = PublicationQuerySet.as_manager()

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("bootcamps:detail", kwargs={"slug": self.slug})
