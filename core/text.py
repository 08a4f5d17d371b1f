"""Text that visitors and editors write, made safe to show beside the site's own words, in
calendars and e-mail headers, and in spreadsheets."""

import re
from decimal import Decimal
from typing import Any

# Embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069): invisible characters
# that reorder what follows them, so "U+202E evil" shows as "live" and a file name can pass
# for another. Right-to-left writing needs none of them; the marks U+200E and U+200F stay.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def without_bidi_controls(text: str) -> str:
    return text.translate(BIDI_CONTROLS) if text else text


# C0 and C1 control characters: a line break in a name breaks an e-mail header or a calendar
# line, and a NUL cannot even be stored by PostgreSQL. Tab is one too, in a one-line name.
CONTROL_CHARACTERS = frozenset([*map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0))])


def has_control_characters(text: str) -> bool:
    return bool(text) and not CONTROL_CHARACTERS.isdisjoint(text)


def one_line(text: str) -> str:
    """`text` on one line, its runs of white space and control characters each one space:
    for a header or a calendar line, whatever was stored."""
    return " ".join("".join(" " if c in CONTROL_CHARACTERS else c for c in str(text)).split())


# OWASP's rule for CSV injection: a spreadsheet may run a text cell starting with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# …but a cell that is only a number (-2.5, a fall in employment) is read as that number.
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text)


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula: text that starts like one gets a
    leading apostrophe; numbers, and text that is only a number, stay as they are."""
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if looks_like_formula(text) else text


def unsafe_cell(text: str) -> str:
    """What safe_cell wrote, read back (an export imported again is unchanged)."""
    return text[1:] if text.startswith("'") and looks_like_formula(text[1:]) else text
