"""Long words that wrap at their syllables: `{{ text|hyphenate }}`.

A narrow column (the comparison on a phone) breaks a long word only where a dictionary
hyphenates it (pyphen, English), with soft hyphens the browser shows as "-" at a line's end
and hides elsewhere; never mid-syllable ("concentratio|n"), whatever the browser's own
hyphenation dictionaries.
"""

import re
from functools import lru_cache

import pyphen
from django import template

register = template.Library()

SOFT_HYPHEN = "\u00ad"
LONGER_THAN = 7  # letters: shorter words never need breaking
WORD = re.compile(rf"[^\W\d_]{{{LONGER_THAN + 1},}}")

_dictionary = pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=4096)
def syllables(word: str) -> str:
    return _dictionary.inserted(word, hyphen=SOFT_HYPHEN)


@register.filter
def hyphenate(text: object) -> str:
    """`text` with soft hyphens between the syllables of its long words (escaped later, by
    the template, as any text)."""
    return WORD.sub(lambda match: syllables(match.group()), str(text if text is not None else ""))
