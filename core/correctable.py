"""What readers may correct: each kind that takes corrections registers a `Correctable`
(`core.registry.register_correctable(Correctable(…))`, from its app's ready()); the facts of
an entry a reader may name, and where they suggest a correction. Deciding a correction is
core.corrections."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.urls import reverse

from core import registry
from core.facts import FactKind, Group, SourcedModel

OTHER = ""  # the "something else" choice


@dataclass(frozen=True)
class Correctable:
    kind: str  # the word in /corrections/<kind>/<slug>/
    model: type
    public: object  # () -> the QuerySet of entries the public sees
    fields: tuple = field(default=())  # for a model without declared facts: (name, label)…


def kind_of(model: type[Model]) -> "Correctable | None":
    return registry.correctable_for(model)


def fact_choices(model: type[Model], first_group: str = "") -> list:
    """[(name, label)] of the facts readers may correct, or [(group title, [(name, label)])]
    for a model with declared facts (the group `first_group` first)."""
    entry = kind_of(model)
    if entry is not None and entry.fields:
        return list(entry.fields)
    if not issubclass(model, SourcedModel):
        return []
    return [
        (fact.name, fact.label_for(model))
        for group in ordered_groups(model, first_group)
        for fact in group.facts
        if fact.is_sourced
    ]


def grouped_choices(model: type[Model], first_group: str = "") -> list:
    entry = kind_of(model)
    if entry is not None and entry.fields:
        return list(entry.fields)
    return [
        (
            group.title,
            [(fact.name, fact.label_for(model)) for fact in group.facts if fact.is_sourced],
        )
        for group in ordered_groups(model, first_group)
        if any(fact.is_sourced for fact in group.facts)
    ]


def ordered_groups(model: Any, first_group: str) -> list[Group]:
    groups = list(model.facts.groups)
    return sorted(groups, key=lambda group: group.slug != first_group)


def suggest_url(entry: Any, group: str = "") -> str:
    """Where a reader suggests a correction to `entry` ("" for a kind that takes none)."""
    kind = kind_of(type(entry))
    if kind is None:
        return ""
    url = reverse("suggest_correction", kwargs={"kind": kind.kind, "slug": entry.slug})
    return f"{url}?group={group}" if group else url


def writable_field(model: Any, name: str) -> Any:
    """The model field a correction of the fact `name` writes, or None (a list of names, a
    value worked out from others, or "something else": an editor changes those by hand)."""
    if not name:
        return None
    if issubclass(model, SourcedModel):
        fact = model.facts[name]
        if fact.show or fact.kind in {FactKind.NAMES}:
            return None
    model_field = model._meta.get_field(name)
    return None if model_field.many_to_many else model_field
