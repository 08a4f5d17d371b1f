"""Corrections: readers and institutions say a fact is wrong, editors verify, the page changes.

A kind of entry whose public page can be corrected registers itself
(`core.registry.register_correctable(Correctable(…))`, from its app's ready()): its URL word,
its model, its public entries and, for a model that declares no facts, which of its fields
readers may correct. A suggestion (core.models.Correction) names the fact,
the value and the page that says so; it is never public. An editor accepts it in the admin,
which writes the value (checked by every rule of the model, as the admin's own form is) and
cites that page, with its as-of and checked-on dates, in one revision (core.history); or rejects
it with a reason. A suggester who left an e-mail address is told either way (core.mail).
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from reversion import create_revision, set_comment, set_user

from core.correctable import writable_field
from core.facts import SourcedModel
from core.mail import queue_email
from core.models import Correction, Source, cite


def current_text(correction: Correction) -> str:
    """What readers see now of the fact the correction is about."""
    entry = correction.entry
    if entry is None:
        return "(the entry was deleted)"
    if not correction.field:
        return "(something else: see the suggestion)"
    if isinstance(entry, SourcedModel) and correction.field in entry.sourced_fields:
        fact = entry.fact(correction.field)
        if not fact.reported:
            return "not reported"
        citation = fact.citation
        return f"{fact.text} ({citation.source}, {citation.dated}; {citation.checked})"
    value = getattr(entry, correction.field, "")
    return str(value) if value not in (None, "") else "not reported"


@transaction.atomic
def accept(
    correction: Correction,
    editor: Any,
    site: str,
    value: Any = None,
    source: Source | None = None,
    as_of: date | None = None,
    checked_on: date | None = None,
) -> None:
    """Write `value` to the fact (unless the fact is one an editor changes by hand) and cite
    `source` for it, as of `as_of` and read on `checked_on`; one revision. Raises
    ValidationError, changing nothing, when the entry's rules refuse the value."""
    entry: Any = correction.entry
    model_field = writable_field(type(entry), correction.field)
    with create_revision():
        set_user(editor)
        set_comment(f"Accepted a correction of {correction.fact_label}: {correction.source_url}")
        if model_field is not None:
            setattr(entry, model_field.attname, value)
            entry.full_clean()
            entry.save()
            if isinstance(entry, SourcedModel) and correction.field in entry.sourced_fields:
                if source is None:
                    raise ValueError("A sourced fact is written with the page that says so.")
                cite(entry, [correction.field], source, as_of, checked_on=checked_on)
                if correction.confirmed_by:
                    # "Confirmed by the institution on DATE; checked by the portal's editors."
                    entry.citations.filter(field=correction.field).update(
                        confirmed_on=timezone.localdate(correction.created_at)
                    )
        correction.status = Correction.Status.ACCEPTED
        correction.rejection_reason = ""
        correction.decided_by, correction.decided_at = editor, timezone.now()
        correction.save()
    tell_suggester(correction, site)


@transaction.atomic
def reject(correction: Correction, editor: Any, site: str, reason: str) -> None:
    correction.status = Correction.Status.REJECTED
    correction.rejection_reason = reason
    correction.decided_by, correction.decided_at = editor, timezone.now()
    correction.save()
    tell_suggester(correction, site)


def source_for(url: str, title: str, publisher: str) -> Source:
    """The Source of the page at `url`: the one already recorded, or a new one."""
    found = Source.objects.filter(url=url).first()
    if found is not None:
        return found
    source = Source(url=url, title=title, publisher=publisher)
    source.full_clean()
    source.save()
    return source


def tell_suggester(correction: Correction, site: str) -> None:
    """Queue the outcome for a suggester who left an address (in the decision's transaction)."""
    if not correction.email:
        return
    entry = correction.entry
    name = str(entry) if entry is not None else "an entry"
    link = f"{site.rstrip('/')}{entry.get_absolute_url()}" if entry is not None else ""
    if correction.status == Correction.Status.ACCEPTED:
        subject = f"Your correction of {name} was accepted"
        body = (
            f"Thank you. An editor checked the page you gave ({correction.source_url}) and "
            f"accepted your correction of “{correction.fact_label}”.\n\n"
            f"The page now shows it, citing that page:\n{link}"
        )
    else:
        subject = f"Your correction of {name} was not accepted"
        body = (
            f"Thank you for your suggestion about “{correction.fact_label}”. An editor checked "
            f"it and did not change the page, for this reason:\n\n  "
            f"{correction.get_rejection_reason_display()}\n\n"
            f"The page as it stands:\n{link}\n\n"
            "If the institution's or the issuer's own page says otherwise, you are welcome to "
            "suggest it again with that page."
        )
    queue_email(to=correction.email, subject=subject, body=body)
