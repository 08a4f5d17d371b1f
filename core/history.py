"""Who changed what, and going back: the history of everything editors change, on
django-reversion.

Every save through the admin, every confirmed import and every accepted correction is a
revision: who, when, why, and each entry as it then stood, with its inlines (citations,
courses, accreditations…). The admin's history page of an entry lists its versions with the
fields each changed, old → new (`changes`), and restores one in one action (`restore`): the
entry and its inlines as that version held them, inlines added since removed. An import is one
revision, recorded as such (core.models.ImportRecord), and `undo_import` takes all of it back:
entries it changed return to their version before it, entries it created are deleted.

Why django-reversion rather than django-simple-history: an import must be one unit that can be
undone as a whole, and a version must hold an entry's inlines; reversion's revisions group
every row saved together, and its registrations follow inlines, both out of the box.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.dateformat import format as format_date
from reversion import create_revision, set_comment, set_user
from reversion.models import Revision, Version

from core.facts import plain_number


def baseline(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """Before a revision changes or deletes a row that has no version yet (it was written
    before history was kept, or by code outside any revision), record the row as stored, with
    its inlines, as its first version: so restoring and undoing an import can go back to it.
    A pre_save and pre_delete receiver (core.apps)."""
    from django.core import serializers
    from reversion import is_active, is_registered
    from reversion.models import Revision
    from reversion.revisions import _follow_relations

    if instance.pk is None or not is_registered(sender) or not is_active():
        return
    if Version.objects.get_for_object(instance).exists():
        return
    stored = sender._default_manager.filter(pk=instance.pk).first()
    if stored is None:
        return
    revision = Revision.objects.create(
        date_created=timezone.now(), comment="As it was before its first recorded change."
    )
    Version.objects.bulk_create(
        Version(
            revision=revision,
            content_type=ContentType.objects.get_for_model(row),
            object_id=str(row.pk),
            db="default",
            format="json",
            serialized_data=serializers.serialize("json", [row]),
            object_repr=str(row)[:200],
        )
        for row in [stored, *_follow_relations(stored)]
    )


def when(revision: Revision) -> str:
    return format_date(timezone.localtime(revision.date_created), "j M Y, H:i")


def previous(version: Version) -> Version | None:
    """The version of the same entry saved just before `version`, or None."""
    return (
        Version.objects.get_for_object_reference(version._model, version.object_id)
        .filter(pk__lt=version.pk)
        .order_by("-pk")
        .first()
    )


def shown(field: Any, value: Any) -> str:
    """A stored value as an editor reads it."""
    if value in (None, ""):
        return "(empty)"
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, datetime.datetime):
        return format_date(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, list):
        return f"{len(value)} linked" if value else "(none)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value} (deleted)"
    return str(value)


FIRST = object()


def changes(version: Version, before: Any = FIRST) -> list[tuple[str, str, str]]:
    """[(field label, old, new)] from the version before (`before`, found if not given; None
    for an entry's first version) to `version`; for a first version, every field with a
    value, old "(new)"."""
    before = previous(version) if before is FIRST else before
    old = before.field_dict if before else {}
    model = version._model
    result = []
    for name, value in version.field_dict.items():
        if name in {"id", "created_at", "updated_at", "search_vector"}:
            continue
        if before is not None and old.get(name) == value:
            continue
        if before is None and value in (None, "", []):
            continue
        field = next(f for f in model._meta.get_fields() if getattr(f, "attname", None) == name)
        label = str(getattr(field, "verbose_name", name))
        result.append(
            (label, shown(field, old.get(name)) if before else "(new)", shown(field, value))
        )
    return result


def refers_to(version: Version, model: type[Model], pk: Any) -> bool:
    """Whether the entry of `version` belongs to the entry `pk` of `model` (an inline of it)."""
    other = version._model
    data = version.field_dict
    for field in other._meta.concrete_fields:
        if field.is_relation and field.related_model is model and data.get(field.attname) == pk:
            return True
    for field in other._meta.private_fields:
        if isinstance(field, GenericForeignKey):
            content_type = ContentType.objects.get_for_model(model)
            if data.get(field.ct_field + "_id") == content_type.pk and str(
                data.get(field.fk_field)
            ) == str(pk):
                return True
    return False


def inline_versions(version: Version) -> list[Version]:
    """The versions, in `version`'s revision, of the rows that belong to its entry."""
    model, pk = version._model, version._object_version.object.pk
    return [
        other
        for other in version.revision.version_set.exclude(pk=version.pk)
        if refers_to(other, model, pk)
    ]


def inlines_now(obj: Model) -> list[Model]:
    """The rows that belong to `obj` now, through the relations its versions follow."""
    from reversion.revisions import _follow_relations

    return list(_follow_relations(obj))


@transaction.atomic
def restore(version: Version, user: Any = None) -> Model:
    """Put the entry of `version` back as that version held it, inlines included (rows added
    since are deleted); one new revision, by `user`. Returns the entry."""
    inlines = inline_versions(version)
    with create_revision():
        set_user(user)
        set_comment(f"Restored the version of {when(version.revision)}.")
        version.revert()
        obj = version._model._default_manager.get(pk=version._object_version.object.pk)
        kept = {(other._model, str(other._object_version.object.pk)) for other in inlines}
        for row in inlines_now(obj):
            if (type(row), str(row.pk)) not in kept:
                row.delete()
        for other in inlines:
            other.revert()
        obj.refresh_from_db()
        # The restored entry, with the inlines it has now, as the newest version.
        from reversion import add_to_revision

        add_to_revision(obj)
    return obj


@transaction.atomic
def undo_import(record: Any, user: Any = None) -> tuple[int, int]:
    """Take a whole import back: each entry it changed returns to its version before it (with
    its inlines), each entry it created is deleted. Returns (restored, deleted) counts."""
    versions = list(record.revision.version_set.order_by("pk"))
    restored = deleted = 0
    created = []
    for version in versions:
        before = previous(version)
        if before is None:
            created.append(version)
        elif not refers_to_any(version, versions):
            restore(before, user)
            restored += 1
    # What it created, the rows that belong to others first (a citation before its program).
    for version in reversed(created):
        model = version._model
        row = model._default_manager.filter(pk=version._object_version.object.pk).first()
        if row is not None:
            row.delete()
            deleted += 1
    record.undone_at = timezone.now()
    record.undone_by = user
    record.save(update_fields=["undone_at", "undone_by"])
    return restored, deleted


def refers_to_any(version: Version, versions: Iterable[Version]) -> bool:
    """Whether `version` is an inline of another entry in `versions` (restored with it)."""
    return any(
        other is not version
        and other._model is not version._model
        and refers_to(version, other._model, other._object_version.object.pk)
        for other in versions
    )


def later_changes(record: Any) -> list[str]:
    """Entries of the import of `record` saved again since: what undoing it would overwrite."""
    later = []
    for version in record.revision.version_set.all():
        newer = Version.objects.get_for_object_reference(version._model, version.object_id)
        if newer.filter(pk__gt=version.pk).exclude(revision=record.revision).exists():
            later.append(version.object_repr)
    return later


def record_import(name: str, user: Any = None) -> None:
    """Inside a revision: mark it as the import of the file `name`, by `user`."""
    from reversion import add_meta

    from core.models import ImportRecord

    set_user(user)
    set_comment(f"Imported {name}.")
    add_meta(ImportRecord, file_name=name[:200])


def imported_entries(record: Any, model: type[Model]) -> QuerySet:
    """The entries of `model` that the import of `record` created (no version before it)."""
    ids = [
        version.object_id
        for version in record.revision.version_set.filter(
            content_type=ContentType.objects.get_for_model(model)
        )
        if previous(version) is None
    ]
    return model._default_manager.filter(pk__in=ids)
