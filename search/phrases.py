"""Words that name a filter: "online", "part time", "no GRE", "under $30,000", "cheapest".

A list's search box and the site search read the words editors listed (search.models
.FilterWord) as the filters they name, and search for the other words. The longest phrase is
taken first, and each at most once; "part-time" and "part time" are the same phrase, as are
"NO gre" and "no GRE". An amount is typed with digits: "$30,000", "30000", "30k", "30.5k".
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from core.cache import cached
from search.models import AMOUNT, FilterWord
from search.text import WORD

AMOUNT_PATTERN = r"\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(k\b)?"
MAX_AMOUNT = Decimal("10000000")


@dataclass(frozen=True)
class Applied:
    """A filter read from the words: what was typed, the filter and its value."""

    typed: str
    parameter: str
    value: str


@dataclass(frozen=True)
class Understood:
    rest: str  # the words left to search for
    applied: tuple[Applied, ...] = field(default=())


def pattern(phrase: str) -> re.Pattern:
    """The phrase as a regular expression: its words in order, with spaces or hyphens between
    them, whole words only, whatever the case; `{amount}` a sum typed with digits."""
    parts = []
    for piece in re.split(r"(\{amount\})", phrase.strip()):
        if piece == AMOUNT:
            parts.append(AMOUNT_PATTERN)
        elif piece.strip():
            parts.append(r"[\s\-]+".join(re.escape(word) for word in WORD.findall(piece.lower())))
    body = r"[\s\-]*".join(part for part in parts if part)
    return re.compile(rf"(?<![\w$]){body}(?![\w])", re.IGNORECASE)


def amount(digits: str, thousands: str | None) -> str | None:
    """The amount typed, as the filter reads it ("30,000" → "30000", "30k" → "30000")."""
    try:
        value = Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return None
    if thousands:
        value *= 1000
    if value > MAX_AMOUNT:
        return None
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def vocabulary(listing: str) -> list[tuple[str, str, str]]:
    """(phrase, parameter, value) of a list, longest phrase first: every list's words read in
    one query, cached until content changes."""

    def read() -> dict[str, list[tuple[str, str, str]]]:
        found: dict[str, list[tuple[str, str, str]]] = {}
        rows = FilterWord.objects.values_list("listing", "phrase", "parameter", "value")
        for key, phrase, parameter, value in rows:
            found.setdefault(key, []).append((phrase, parameter, value))
        for words in found.values():
            words.sort(key=lambda row: (-len(row[0]), row[0].lower()))
        return found

    return cached("filter-words", read).get(listing, [])


def understand(text: str, listing: str) -> Understood:
    """The filters the words of `text` name in the list `listing`, and the words left over."""
    rest, applied = text or "", []
    for phrase, parameter, value in vocabulary(listing):
        found = pattern(phrase).search(rest)
        if found is None:
            continue
        if AMOUNT in phrase:
            typed_amount = amount(found.group(1), found.group(2))
            if typed_amount is None:
                continue
            value = value.replace(AMOUNT, typed_amount)
        applied.append(Applied(found.group(0).strip(), parameter, value))
        rest = rest[: found.start()] + " " + rest[found.end() :]
    return Understood(" ".join(rest.split()), tuple(applied))
