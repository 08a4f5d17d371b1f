"""Words of a text, as the search counts them: letters and digits, lower-case, without the
common English words."""

import re

WORD_MAX_LENGTH = 60

# PostgreSQL's English stop words (tsearch_data/english.stop), dropped on both databases so
# that a query means the same on each.
_ENGLISH_STOP = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
her hers herself it its itself they them their theirs themselves what which who whom this that
these those am is are was were be been being have has had having do does did doing a an the and
but if or because as until while of at by for with about against between into through during
before after above below to from up down in out on off over under again further then once here
there when where why how all any both each few more most other some such no nor not only own
same so than too very s t can will just don should now
"""
STOP_WORDS = frozenset(_ENGLISH_STOP.split())

WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The searchable words of `text`, lower-case, without the common ones."""
    return [w for w in WORD.findall(text.lower()) if w not in STOP_WORDS]


def singular(phrase: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in phrase)
