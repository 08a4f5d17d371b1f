"""What a reader typed, as a search: words, never operators, with the synonyms editors keep.

Quotes, `*`, `OR`, `NEAR` or a NUL byte are only characters; common words are dropped; a word
of five letters or more that the index does not know whole also matches the words it starts
("informat" finds "informatics"), and so does the last word typed; a phrase an editor entered
as a synonym matches its other side too ("NLP" finds "natural language processing"). A word
the index does not know is compared with the words of titles and names, by trigram
similarity, to say what was probably meant (`correction`).
"""

import hashlib
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Q

from core.cache import cached
from search.models import SearchWord, Synonym
from search.text import singular, words

MAX_QUERY_CHARS = 200
MAX_WORDS = 10
PREFIX_FROM = 5  # letters: a word this long also matches longer words it starts
SIMILAR_FROM = 0.3  # pg_trgm's default similarity threshold


@dataclass(frozen=True)
class Term:
    """One word to match. With `prefix`, also the longer words it starts ("informat")."""

    word: str
    prefix: bool = False

    def fts5(self) -> str:
        return f'"{self.word}"' + ("*" if self.prefix else "")

    def tsquery(self) -> str:
        return f"'{self.word}'" + (":*" if self.prefix else "")


Unit = tuple[tuple[Term, ...], ...]


@dataclass(frozen=True)
class Query:
    """What a reader typed, as a search: every unit must match; a unit matches if any of its
    alternatives does (a synonym's sides); an alternative matches if all its terms do."""

    text: str
    units: tuple[Unit, ...] = ()
    truncated: bool = False
    words: tuple[str, ...] = ()

    @classmethod
    def parse(
        cls,
        text: str | None,
        synonyms: dict[tuple[str, ...], set[tuple[str, ...]]] | None = None,
        known: set[str] | None = None,
    ) -> "Query":
        """`known`: the words the index knows whole. A long word that is not one of them, or
        the last word typed, also matches the words it starts; a known word matches as itself
        (and its inflections, by stemming), which an index answers far faster."""
        text = (text or "").replace("\x00", "")
        truncated = len(text) > MAX_QUERY_CHARS
        found = words(text[:MAX_QUERY_CHARS])[:MAX_WORDS]
        phrases = synonym_phrases() if synonyms is None else synonyms
        known = known or set()
        longest = max((len(p) for p in phrases), default=1)

        def term(word, last):
            long = len(word) >= PREFIX_FROM and not word.isdigit()
            return Term(word, prefix=long and (last or word not in known))

        units, i = [], 0
        while i < len(found):
            for n in range(min(longest, len(found) - i), 0, -1):
                alternatives = phrases.get(singular(tuple(found[i : i + n])))
                if alternatives:
                    units.append(
                        tuple(
                            tuple(term(w, False) for w in phrase) for phrase in sorted(alternatives)
                        )
                    )
                    i += n
                    break
            else:
                units.append(((term(found[i], i == len(found) - 1),),))
                i += 1
        return cls(text=text, units=tuple(units), truncated=truncated, words=tuple(found))

    def __bool__(self) -> bool:
        return bool(self.units)

    def fts5(self) -> str:
        """As SQLite's FTS5 query syntax."""
        return " AND ".join(
            "(" + " OR ".join("(" + " AND ".join(t.fts5() for t in alt) + ")" for alt in unit) + ")"
            for unit in self.units
        )

    def tsquery(self) -> str:
        """As PostgreSQL's `to_tsquery` syntax."""
        return " & ".join(
            "(" + " | ".join("(" + " & ".join(t.tsquery() for t in alt) + ")" for alt in unit) + ")"
            for unit in self.units
        )

    def terms(self) -> list[Term]:
        """Every term that may have matched."""
        return sorted({t for unit in self.units for alt in unit for t in alt}, key=lambda t: t.word)


def parse(text: str | None) -> Query:
    """What a reader typed, as a search, knowing which of its words the index knows whole."""
    found = tuple(sorted(set(words((text or "")[:MAX_QUERY_CHARS])[:MAX_WORDS])))
    known = (
        cached(
            "search:known:" + hashlib.sha256(" ".join(found).encode()).hexdigest()[:32],
            lambda: set(SearchWord.objects.filter(word__in=found).values_list("word", flat=True)),
        )
        if found
        else set()
    )
    return Query.parse(text, known=known)


def synonym_phrases() -> dict[tuple[str, ...], set[tuple[str, ...]]]:
    """Phrase (a tuple of words) → every phrase it means, itself included; from the admin's
    synonyms, cached until content changes."""

    def compute():
        phrases: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        for term, means in Synonym.objects.values_list("term", "means"):
            group = {tuple(words(term)), tuple(words(means))}
            group.discard(())
            for phrase in group:
                phrases.setdefault(singular(phrase), set()).update(group)
        return phrases

    return cached("search:synonyms", compute)


# --- What was meant ----------------------------------------------------------------------


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(one: str, other: str) -> float:
    first, second = trigrams(one), trigrams(other)
    return len(first & second) / len(first | second)


def known_words(candidates: set[str]) -> set[str]:
    """Those of `candidates` the index knows: a word of a name, the start of one, a synonym."""

    in_synonyms = {w for phrase in synonym_phrases() for w in phrase}
    known = {w for w in candidates if w in in_synonyms or singular((w,))[0] in in_synonyms}
    rest = [w for w in candidates if w not in known]
    if rest:
        condition = Q(word__in=rest)
        for w in rest:
            if len(w) >= PREFIX_FROM:
                condition |= Q(word__startswith=w)
        for word in SearchWord.objects.filter(condition).values_list("word", flat=True):
            known.update(
                w for w in rest if word == w or (len(w) >= PREFIX_FROM and word.startswith(w))
            )
    return known


def closest_word(word: str) -> str | None:
    """The known word most like `word`, if any is alike enough (trigram similarity ≥ 0.3):
    pg_trgm's word similarity with its GIN index on PostgreSQL, the same measure in Python
    over the (cached) vocabulary on SQLite."""
    if connection.vendor == "postgresql":
        best = (
            SearchWord.objects.filter(word__trigram_similar=word)
            .annotate(score=TrigramSimilarity("word", word))
            .order_by("-score", "word")
            .values_list("word", "score")
            .first()
        )
        return best[0] if best and best[1] >= SIMILAR_FROM else None
    vocabulary = cached(
        "search:vocabulary", lambda: list(SearchWord.objects.values_list("word", flat=True))
    )
    alike = [(-similarity(word, known), known) for known in vocabulary]
    closest = min(
        ((score, known) for score, known in alike if -score >= SIMILAR_FROM), default=None
    )
    return closest[1] if closest else None


def correction(query: Query) -> str | None:
    """The query with each unknown word replaced by the known word most like it, as text;
    None if every word is known or nothing alike is known."""
    if not query.words:
        return None
    known = known_words(set(query.words))
    replaced, changed = [], False
    for word in query.words:
        better = None if word in known else closest_word(word)
        replaced.append(better or word)
        changed |= bool(better)
    return " ".join(replaced) if changed else None
