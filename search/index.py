"""Writing the index: what each searchable kind declares, and one document per entry.

Each app declares its searchable kinds (`Searchable`) and registers them in its
`AppConfig.ready()` (core.registry.register_searchable). An entry's text is written to one
`SearchDocument` in four weights, a to d: a title or name counts most; an institution, a
specialization or other titles next; a summary or a course title after; a place least.
Saving an entry (or what its text is made of) rewrites its document. On PostgreSQL the
document's weighted `tsvector` is written with it (`weighted`); on SQLite, triggers keep the
FTS5 table current (search/migrations/0001_initial.py).
"""

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.db import connection, models, transaction
from django.db.models import Value
from django.db.models.expressions import CombinedExpression
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from core import registry
from core.cache import bump_content_version
from search.models import SearchDocument, SearchWord, Synonym
from search.text import WORD, WORD_MAX_LENGTH

COLUMNS = ("a", "b", "c", "d")  # weights A to D


@dataclass
class Searchable:
    """A kind the site-wide search finds.

    `document(entry)` gives its text as {"a": …, "b": …, "c": …, "d": …} (see SearchDocument);
    `public()` the entries the public may find, and `public_from(entry)` when one becomes
    public (None: not), which the index keeps so that it can count what the public may find;
    `rebuild()` every entry, with what `document()` reads prefetched; `depends` maps each
    model whose rows are part of an entry's text or publication to a function giving the
    entries a row belongs to; `result(entry)` what a result shows: {"title", "url",
    "context", "text"}; `all_results(q)` the address of every result of the kind, if a list
    page searches it (else the search page lists them), and `list_filters` that list's
    FilterSet, whose filters readers may name in words (search.models.FilterWord).
    """

    key: str
    label: str
    model: type[models.Model]
    document: Callable[[Any], dict]
    public: Callable[[], models.QuerySet]
    result: Callable[[Any], dict]
    rebuild: Callable[[], Iterable] | None = None
    depends: dict = field(default_factory=dict)
    all_results: Callable[[str], str] | None = None
    # The FilterSet of its list page, whose filters readers' words may apply (FilterWord).
    list_filters: type | None = None
    position: int = 100  # where its group comes on the search page
    # When an entry is (or becomes) public; None: it is not. Publishable entries say so.
    public_from: Callable[[Any], datetime | None] = lambda entry: entry.public_from

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model, for_concrete_model=False)

    def follow(self) -> None:
        """Keep this kind's documents current as its entries, and their parts, change."""
        label = self.model._meta.label
        post_save.connect(_saved, sender=self.model, dispatch_uid=f"search-{label}-save")
        post_delete.connect(_deleted, sender=self.model, dispatch_uid=f"search-{label}-delete")
        for field_ in self.model._meta.local_many_to_many:
            m2m_changed.connect(
                _links_changed,
                sender=field_.remote_field.through,
                dispatch_uid=f"search-{label}-{field_.name}",
            )
        for model in self.depends:
            uid = f"search-{label}-{model._meta.label}"
            post_save.connect(_part_changed, sender=model, dispatch_uid=f"{uid}-s")
            pre_delete.connect(_part_leaving, sender=model, dispatch_uid=f"{uid}-p")
            post_delete.connect(_part_changed, sender=model, dispatch_uid=f"{uid}-d")


def kinds() -> dict[str, Searchable]:
    """Key → kind, in the order the search page shows them (core.registry)."""
    return registry.searchables()


def kind_of(model: type[models.Model]) -> Searchable:
    """The searchable kind of `model`, which must be one (see `is_searchable`)."""
    kind = registry.searchable_for(model)
    if kind is None:
        raise LookupError(f"{model._meta.label} is not a searchable kind.")
    return kind


def is_searchable(model: type[models.Model]) -> bool:
    return registry.searchable_for(model) is not None


# --- Following saves ---------------------------------------------------------------------


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        index(instance)


def _deleted(sender, instance, **kwargs) -> None:
    kind = kind_of(sender)
    SearchDocument.objects.filter(content_type=kind.content_type(), object_id=instance.pk).delete()


def _owners(sender, instance):
    """The entries whose text or publication includes `instance` (a row of another model)."""
    found = []
    for kind in kinds().values():
        owners = kind.depends.get(sender)
        if owners:
            found.extend(owner for owner in owners(instance) if owner is not None and owner.pk)
    return found


def _part_leaving(sender, instance, **kwargs) -> None:
    # Its links are gone once it is deleted: remember whom it belonged to.
    instance._search_owners = _owners(sender, instance)


def _part_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    owners = getattr(instance, "_search_owners", None)
    for owner in _owners(sender, instance) if owners is None else owners:
        if type(owner).objects.filter(pk=owner.pk).exists():
            index(owner)


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """A many-to-many link added or removed: both sides' documents, where they are kinds."""
    if action == "pre_clear":
        instance._search_cleared = _linked(sender, instance)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if is_searchable(type(instance)):
        index(instance)
    if is_searchable(model):
        others = getattr(instance, "_search_cleared", None) if action == "post_clear" else None
        for other in others if others is not None else model.objects.filter(pk__in=pk_set or ()):
            index(other)


def _linked(through, instance):
    """The rows `instance` is linked to through the many-to-many table `through`."""
    for relation in type(instance)._meta.get_fields():
        if not relation.many_to_many:
            continue
        if relation.concrete and relation.remote_field.through is through:
            return list(getattr(instance, relation.name).all())
        if not relation.concrete and relation.through is through:
            return list(getattr(instance, relation.get_accessor_name()).all())
    return []


# --- Writing documents -------------------------------------------------------------------


def clean_text(value: Any) -> str:
    return " ".join(str(part) for part in _flatten(value) if part).replace("\x00", "")


def _flatten(value):
    if isinstance(value, (list, tuple, set)):
        for item in value:
            yield from _flatten(item)
    elif value is not None:
        yield value


def texts_of(kind: Searchable, entry: models.Model) -> dict[str, str]:
    found = kind.document(entry)
    return {column: clean_text(found.get(column)) for column in COLUMNS}


def weighted(texts: dict[str, str] | None = None) -> SearchVector | CombinedExpression | None:
    """PostgreSQL: the document's weighted `tsvector` (English stemming, weights A to D), from
    its `texts` as they are being written (so in the same statement), or without them from the
    columns already written (a whole rebuild, in one UPDATE); None on SQLite, whose FTS5 table
    the triggers fill."""
    if connection.vendor != "postgresql":
        return None
    parts = [
        SearchVector(
            Value(texts[column]) if texts is not None else column,
            weight=column.upper(),
            config="english",
        )
        for column in COLUMNS
    ]
    return reduce(operator.add, parts)


def document(kind: Searchable, entry: models.Model, content_type: ContentType) -> SearchDocument:
    texts = texts_of(kind, entry)
    return SearchDocument(
        content_type=content_type,
        object_id=entry.pk,
        public_from=kind.public_from(entry),
        **texts,
    )


def index(entry: models.Model) -> None:
    """Write (or rewrite) the search document of `entry`, and learn the words of its names."""
    kind = kind_of(type(entry))
    texts = texts_of(kind, entry)
    SearchDocument.objects.update_or_create(
        content_type=kind.content_type(),
        object_id=entry.pk,
        defaults={**texts, "public_from": kind.public_from(entry), "vector": weighted(texts)},
    )
    learn_words(texts["a"] + " " + texts["b"])


def learn_words(text: str) -> None:
    new = {w for w in WORD.findall(text.lower()) if 2 < len(w) <= WORD_MAX_LENGTH}
    if new:
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in sorted(new)], ignore_conflicts=True
        )


def rebuild() -> dict[str, int]:
    """Every kind's documents written afresh, and the words learnt again; returns counts."""
    counts = _write_all()
    bump_content_version()  # cached results read the old index
    return counts


@transaction.atomic
def _write_all():
    SearchDocument.objects.all().delete()
    SearchWord.objects.all().delete()
    counts = {}
    for kind in kinds().values():
        entries = kind.rebuild() if kind.rebuild else kind.model.objects.all()
        content_type = kind.content_type()
        written = 0
        batch: list = []
        names: list[str] = []
        for entry in entries.iterator(chunk_size=2000) if hasattr(entries, "iterator") else entries:
            batch.append(document(kind, entry, content_type))
            names.append(batch[-1].a + " " + batch[-1].b)
            if len(batch) == 1000:
                SearchDocument.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        SearchDocument.objects.bulk_create(batch)
        learn_words(" ".join(names))
        counts[kind.key] = written + len(batch)
    learn_words(" ".join(f"{s.term} {s.means}" for s in Synonym.objects.all()))
    if connection.vendor == "postgresql":
        SearchDocument.objects.update(vector=weighted())
    return counts


def rebuild_if_needed(**kwargs) -> None:
    """After `migrate`: the index rebuilt if an entry has no document (a new database with
    content, content loaded without signals), and what is cached retired: the code that
    made it, and the index it read, may have changed."""
    for kind in kinds().values():
        documents = SearchDocument.objects.filter(content_type=kind.content_type()).count()
        if documents != kind.model._default_manager.count():
            rebuild()
            return
    bump_content_version()
