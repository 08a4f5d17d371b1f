"""Reading the index: what matches, how well, and the results a page shows, marked.

- PostgreSQL: the stored weighted `tsvector` with its GIN index, `SearchRank` (ts_rank) for
  how well, `SearchHeadline` (ts_headline) to mark the words matched;
- SQLite: the FTS5 table, `bm25` with the same weights, the same words marked in Python.

Ranking is global: a search ranks every public match of a kind and keeps the best
settings.SEARCH_CANDIDATES (and one more, to know that more match; then the pages say "more
than"). Only what the public may see is ever found: each kind's `public()` decides.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection, models
from django.db.models import F, Q, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from search.index import Searchable, kind_of, kinds
from search.models import SearchDocument
from search.query import Query
from search.text import WORD

FTS_TABLE = "search_fts"
# bm25 column weights on SQLite, in the proportions of PostgreSQL's default ts_rank weights
# (D 0.1, C 0.2, B 0.4, A 1.0).
BM25_WEIGHTS = "10.0, 4.0, 2.0, 1.0"
# Where a matched word starts and ends in a marked text (search.templatetags.search turns
# them into <mark> once the rest is escaped); never part of a text itself.
START, STOP = "\x02", "\x03"
EXCERPT_WORDS = 30


def _tsquery(query: Query) -> SearchQuery:
    return SearchQuery(query.tsquery(), search_type="raw", config="english")


def documents(kind: Searchable, query: Query, public: bool = False) -> models.QuerySet:
    """The search documents of `kind` that match `query` (not yet run); with `public`, only
    those of entries public now."""
    found = SearchDocument.objects.filter(content_type=kind.content_type())
    if public:
        found = found.filter(public_from__lte=timezone.now())
    if connection.vendor == "postgresql":
        return found.filter(vector=_tsquery(query))
    return found.filter(
        id__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [query.fts5()])
    )


def matching(model: type[models.Model], query: Query) -> Q:
    """A condition on `model`'s rows: its document matches `query` (every match; the lists
    that ask show public entries only)."""
    return Q(pk__in=documents(kind_of(model), query).values("object_id"))


def rank(model: type[models.Model], query: Query) -> models.Subquery | RawSQL:
    """An expression: how well each row's document matches `query` (higher is better)."""
    kind = kind_of(model)
    if connection.vendor == "postgresql":
        scored = SearchDocument.objects.filter(
            content_type=kind.content_type(), object_id=models.OuterRef("pk")
        ).annotate(score=SearchRank(F("vector"), _tsquery(query)))
        return models.Subquery(scored.values("score")[:1], output_field=models.FloatField())
    table = SearchDocument._meta.db_table
    # bm25 is lower for better matches: negated, so that higher is better on both databases.
    return RawSQL(
        f"SELECT -bm25({FTS_TABLE}, {BM25_WEIGHTS}) FROM {FTS_TABLE} JOIN {table} document "
        f"ON document.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s "
        f"AND document.content_type_id = %s AND document.object_id = "
        f"{model._meta.db_table}.{model._meta.pk.column}",
        [query.fts5(), kind.content_type().pk],
        output_field=models.FloatField(),
    )


def ranked(kind: Searchable, query: Query) -> tuple[list[int], bool]:
    """The public entries of `kind` matching `query`, best first, as their primary keys; and
    whether more match than that (then there are settings.SEARCH_CANDIDATES of them).

    Every match is ranked, in the database, and the best kept: ranking is global. Equal
    matches come by title or name, as the lists are. One query.
    """
    cap = settings.SEARCH_CANDIDATES
    if connection.vendor == "postgresql":
        rows = list(
            documents(kind, query, public=True)
            .annotate(score=SearchRank(F("vector"), _tsquery(query)))
            .order_by("-score", "object_id")
            .values_list("object_id", "score", "a")[: cap + 1]
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT document.object_id, -bm25({FTS_TABLE}, {BM25_WEIGHTS}), document.a "
                f"FROM {FTS_TABLE} JOIN {SearchDocument._meta.db_table} document "
                f"ON document.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s "
                "AND document.content_type_id = %s AND document.public_from <= %s "
                f"ORDER BY bm25({FTS_TABLE}, {BM25_WEIGHTS}), document.object_id LIMIT %s",
                [query.fts5(), kind.content_type().pk, timezone.now(), cap + 1],
            )
            rows = cursor.fetchall()
    more = len(rows) > cap
    rows = rows[:cap]
    rows.sort(key=lambda row: (-(row[1] or 0.0), row[2].casefold(), row[0]))
    return [pk for pk, _, _ in rows], more


# --- The search page ---------------------------------------------------------------------


@dataclass
class Group:
    """One kind's results on the search page (plain data, so that it can be cached)."""

    key: str
    label: str
    count: int
    results: list = field(default_factory=list)
    more: bool = False  # more than `count` match (see `ranked`)
    all_results: str = ""  # the kind's list page searching the same words, if it has one
    page: object = None


def find(query: Query, only: str | None = None, limit: int = 5, offset: int = 0) -> list[Group]:
    """Per kind (or only kind `only`): how many public entries match (see `ranked`: at most
    SEARCH_CANDIDATES, with `more` when more do), and the best `limit`, from `offset`, as what
    a result shows, its matched words marked (`mark`).

    Matched and ranked in the index alone (which knows when each entry is public); only the
    entries shown are read, through the kind's `public()` again. One query a kind, two with
    results to show, and one to mark them all.
    """
    groups = []
    for kind in kinds().values():
        if only is not None and kind.key != only:
            continue
        best, more = ranked(kind, query)
        shown = best[offset : offset + limit] if limit else []
        by_pk = kind.public().in_bulk(shown) if shown else {}
        groups.append(
            Group(
                key=kind.key,
                label=kind.label,
                count=len(best),
                more=more,
                results=[kind.result(by_pk[pk]) for pk in shown if pk in by_pk],
                all_results=kind.all_results(query.text) if kind.all_results else "",
            )
        )
    mark(query, [result for group in groups for result in group.results])
    return groups


MARKED = ("title", "context", "text")


def mark(query: Query, results: list[dict]) -> None:
    """Each result's title, context and text with the words the query matched between START
    and STOP, as `marked_title` and so on; the text shortened to an excerpt around the first
    word marked (`excerpt`). The database marks what it matched (`_headlines`, PostgreSQL);
    SQLite's are found again here (`_marked_here`)."""
    texts = []
    for result in results:
        for name in MARKED:
            text = " ".join(
                str(result.get(name) or "").replace(START, "").replace(STOP, "").split()
            )
            texts.append((result, name, text))
    if not texts:
        return
    plain = [text for _, _, text in texts]
    if connection.vendor == "postgresql":
        marked = _headlines(query, plain)
    else:
        marked = [_marked_here(query, text) for text in plain]
    for (result, name, _), value in zip(texts, marked, strict=True):
        result[f"marked_{name}"] = excerpt(value) if name == "text" else value


def _headlines(query: Query, texts: list[str]) -> list[str]:
    """PostgreSQL's own marking (ts_headline, with its stemming), every word it matched, the
    whole text kept: one query for every text."""
    tsquery = _tsquery(query)
    annotations = {
        f"t{n}": SearchHeadline(
            Value(text),
            tsquery,
            config="english",
            start_sel=START,
            stop_sel=STOP,
            highlight_all=True,
        )
        for n, text in enumerate(texts)
    }
    # Any one row carries the expressions, which read nothing of it.
    found = SearchDocument.objects.annotate(**annotations).values(*annotations).first()
    if found is None:
        return texts
    return [found[f"t{n}"] or "" for n in range(len(texts))]


def excerpt(marked: str) -> str:
    """About EXCERPT_WORDS words of `marked` around its first marked word."""
    tokens = marked.split(" ")
    if len(tokens) <= EXCERPT_WORDS:
        return marked
    first = next((i for i, token in enumerate(tokens) if START in token), 0)
    start = max(0, min(first - EXCERPT_WORDS // 3, len(tokens) - EXCERPT_WORDS))
    end = start + EXCERPT_WORDS
    return (
        ("… " if start else "") + " ".join(tokens[start:end]) + (" …" if end < len(tokens) else "")
    )


# SQLite: the words matched, found again in the text by a rough English stem (FTS5 decided
# what matched, with Porter stemming; this only marks those words).
SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "es", "s", "al", "ed", "ly", "e")


def light_stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _matches(token: str, query: Query) -> bool:
    token, stem = token.lower(), light_stem(token.lower())
    for term in query.terms():
        if token == term.word or stem == light_stem(term.word):
            return True
        if term.prefix and (token.startswith(term.word) or stem.startswith(light_stem(term.word))):
            return True
    return False


def _marked_here(query: Query, text: str) -> str:
    parts, at = [], 0
    for match in WORD.finditer(text):
        if _matches(match.group(), query):
            parts += [text[at : match.start()], START, match.group(), STOP]
            at = match.end()
    return "".join([*parts, text[at:]])
