"""Site-wide search: one index of every kind, the readers' words, and what they meant.

Each app declares its searchable kinds (`SearchKind`) and registers them in its
`AppConfig.ready()` (core.registry.register_searchable). An entry's text is written to one
`SearchDocument` in four weights, a to d: a title or name counts most; an institution, a
specialization or other titles next; a summary or a course title after; a place least.
Saving an entry (or what its text is made of) rewrites its document; the database keeps the
full-text index current from the document's columns:

- PostgreSQL: a stored `tsvector` (English stemming, weights A to D) filled by a trigger,
  with GIN indexes, each kind's in parts that a search reads in order until it has enough
  (`make_kind_indexes`), ranked by `ts_rank`;
- SQLite: an FTS5 table (Porter stemming) filled by triggers, ranked by `bm25` with the
  same weights.

What readers type is turned into the same query for both (`Query`): words, never operators,
so quotes, `*`, `OR`, `NEAR` or a NUL byte are only characters; common words are dropped; a
word of five letters or more also matches the words it starts ("informat" finds
"informatics"); and a phrase an editor entered as a synonym matches its other side too
("NLP" finds "natural language processing"). A word the index does not know is compared with
the words of titles and names, by trigram similarity (pg_trgm's, computed by PostgreSQL with
its index, or here in Python on SQLite), to say what was probably meant.

A search reads at most settings.SEARCH_CANDIDATES matches of a kind, and ranks those
(`ranked`): what a broad search costs does not grow with the catalogue, and past that many
the pages say "more than".

Only what the public may see is ever found: each kind's `public()` decides, at query time.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from core import registry
from core.cache import bump_content_version, cached

MAX_QUERY_CHARS = 200
MAX_WORDS = 10
PREFIX_FROM = 5  # letters: a word this long also matches longer words it starts
SIMILAR_FROM = 0.3  # pg_trgm's default similarity threshold
WORD_MAX_LENGTH = 60
FTS_TABLE = "portal_search_fts"
# bm25 column weights on SQLite, in the proportions of PostgreSQL's default ts_rank weights
# (D 0.1, C 0.2, B 0.4, A 1.0).
BM25_WEIGHTS = (10.0, 4.0, 2.0, 1.0)

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


def words(text):
    """The searchable words of `text`, lower-case, without the common ones."""
    return [w for w in WORD.findall(text.lower()) if w not in STOP_WORDS]


@dataclass(frozen=True)
class Term:
    """One word to match. With `prefix`, also the longer words it starts ("informat")."""

    word: str
    prefix: bool = False

    def fts5(self):
        return f'"{self.word}"' + ("*" if self.prefix else "")

    def tsquery(self):
        return f"'{self.word}'" + (":*" if self.prefix else "")


@dataclass(frozen=True)
class Query:
    """What a reader typed, as a search: every unit must match; a unit matches if any of its
    alternatives does (a synonym's sides); an alternative matches if all its terms do."""

    text: str
    units: tuple = ()
    truncated: bool = False
    words: tuple = ()

    @classmethod
    def parse(cls, text, synonyms=None, known=None):
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
                alternatives = phrases.get(singular(found[i : i + n]))
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

    def __bool__(self):
        return bool(self.units)

    def fts5(self):
        return " AND ".join(
            "(" + " OR ".join("(" + " AND ".join(t.fts5() for t in alt) + ")" for alt in unit) + ")"
            for unit in self.units
        )

    def tsquery(self):
        return " & ".join(
            "(" + " | ".join("(" + " & ".join(t.tsquery() for t in alt) + ")" for alt in unit) + ")"
            for unit in self.units
        )

    def terms(self):
        """Every term that may have matched, for marking them in the results."""
        return sorted({t for unit in self.units for alt in unit for t in alt}, key=lambda t: t.word)


def parse(text):
    """What a reader typed, as a search, knowing which of its words the index knows whole."""
    from core.models import SearchWord

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


def singular(phrase):
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in phrase)


def synonym_phrases():
    """Phrase (a tuple of words) → every phrase it means, itself included; from the admin's
    synonyms, cached until content changes."""

    def compute():
        from core.models import Synonym

        phrases = {}
        for term, means in Synonym.objects.values_list("term", "means"):
            group = {tuple(words(term)), tuple(words(means))}
            group.discard(())
            for phrase in group:
                phrases.setdefault(singular(phrase), set()).update(group)
        return phrases

    return cached("search:synonyms", compute)


# --- What each kind declares -------------------------------------------------------------


@dataclass
class SearchKind:
    """A kind the site-wide search finds.

    `document(entry)` gives its text as {"a": …, "b": …, "c": …, "d": …} (see SearchDocument);
    `public()` the entries the public may find, and `public_from(entry)` when one becomes
    public (None: not), which the index keeps so that it can count what the public may find;
    `rebuild()` every entry, with what `document()` reads prefetched; `depends` maps each
    model whose rows are part of an entry's text or publication to a function giving the
    entries a row belongs to; `result(entry)` what a result shows: {"title", "url",
    "context", "text"}; `all_results(q)` the address of every result of the kind, if a list
    page searches it (else the search page lists them).
    """

    key: str
    label: str
    model: type
    document: callable
    public: callable
    result: callable
    rebuild: callable = None
    depends: dict = field(default_factory=dict)
    all_results: callable = None
    position: int = 100  # where its group comes on the search page
    # When an entry is (or becomes) public; None: it is not. Publishable entries say so.
    public_from: callable = lambda entry: entry.public_from

    def content_type(self):
        return ContentType.objects.get_for_model(self.model, for_concrete_model=False)


def follow(kind):
    """Keep the index of `kind` (registered by core.registry.register_searchable) current."""
    label = kind.model._meta.label
    post_save.connect(_saved, sender=kind.model, dispatch_uid=f"search-{label}-save")
    post_delete.connect(_deleted, sender=kind.model, dispatch_uid=f"search-{label}-delete")
    for field_ in kind.model._meta.local_many_to_many:
        m2m_changed.connect(
            _links_changed,
            sender=field_.remote_field.through,
            dispatch_uid=f"search-{label}-{field_.name}",
        )
    for model in kind.depends:
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"search-{label}-{model}-s")
        pre_delete.connect(_part_leaving, sender=model, dispatch_uid=f"search-{label}-{model}-p")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"search-{label}-{model}-d")


def kinds():
    """Key → kind, in the order the search page shows them (core.registry)."""
    return registry.searchables()


def kind_of(model):
    return registry.searchable_for(model)


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index(instance)


def _deleted(sender, instance, **kwargs):
    from core.models import SearchDocument

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


def _part_leaving(sender, instance, **kwargs):
    # Its links are gone once it is deleted: remember whom it belonged to.
    instance._search_owners = _owners(sender, instance)


def _part_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    owners = getattr(instance, "_search_owners", None)
    for owner in _owners(sender, instance) if owners is None else owners:
        if type(owner).objects.filter(pk=owner.pk).exists():
            index(owner)


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A many-to-many link added or removed: both sides' documents, where they are kinds."""
    if action == "pre_clear":
        instance._search_cleared = _linked(sender, instance)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if kind_of(type(instance)):
        index(instance)
    if kind_of(model):
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


# --- Writing the index -------------------------------------------------------------------


def clean_text(value):
    return " ".join(str(part) for part in _flatten(value) if part).replace("\x00", "")


def _flatten(value):
    if isinstance(value, (list, tuple, set)):
        for item in value:
            yield from _flatten(item)
    elif value is not None:
        yield value


def index(entry):
    """Write (or rewrite) the search document of `entry`, and learn the words of its names."""
    from core.models import SearchDocument

    kind = kind_of(type(entry))
    texts = {column: clean_text(value) for column, value in kind.document(entry).items()}
    SearchDocument.objects.update_or_create(
        content_type=kind.content_type(),
        object_id=entry.pk,
        defaults={**texts, "public_from": kind.public_from(entry)},
    )
    learn_words(texts.get("a", "") + " " + texts.get("b", ""))


def learn_words(text):
    from core.models import SearchWord

    new = {w for w in WORD.findall(text.lower()) if 2 < len(w) <= WORD_MAX_LENGTH}
    if new:
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in sorted(new)], ignore_conflicts=True
        )


def rebuild():
    """Every kind's documents written afresh, and the words learnt again; returns counts."""
    counts = _rebuild()
    if connection.vendor == "postgresql":
        make_kind_indexes()
    bump_content_version()  # cached results read the old index
    return counts


@transaction.atomic
def _rebuild():
    from core.models import SearchDocument, SearchWord, Synonym

    SearchDocument.objects.all().delete()
    SearchWord.objects.all().delete()
    counts = {}
    for kind in kinds().values():
        entries = kind.rebuild() if kind.rebuild else kind.model.objects.all()
        content_type = kind.content_type()
        documents, names = [], []
        for entry in entries.iterator(chunk_size=2000) if hasattr(entries, "iterator") else entries:
            texts = {c: clean_text(v) for c, v in kind.document(entry).items()}
            documents.append(
                SearchDocument(
                    content_type=content_type,
                    object_id=entry.pk,
                    public_from=kind.public_from(entry),
                    **texts,
                )
            )
            names.append(texts.get("a", "") + " " + texts.get("b", ""))
        SearchDocument.objects.bulk_create(documents, batch_size=1000)
        learn_words(" ".join(names))
        counts[kind.key] = len(documents)
    learn_words(" ".join(f"{s.term} {s.means}" for s in Synonym.objects.all()))
    return counts


def rebuild_if_needed(**kwargs):
    """After `migrate`: each kind's index parts made again (PostgreSQL), the index rebuilt if
    an entry has no document (a new database with content, an index added by a migration,
    content loaded without signals), and what is cached retired: the code that made it, and
    the index it read, may have changed."""
    from core.models import SearchDocument

    if connection.vendor == "postgresql":
        make_kind_indexes()
    for kind in kinds().values():
        documents = SearchDocument.objects.filter(content_type=kind.content_type()).count()
        if documents != kind.model.objects.count():
            rebuild()
            return
    bump_content_version()


def make_kind_indexes():
    """PostgreSQL: each kind's entries indexed in parts, and the function that searches them.

    A kind's entries are indexed in parts by key, each a partial GIN index: the first part
    of settings.SEARCH_INDEX_PART keys, each next one twice as large (`part_starts`), the
    last open-ended, so that entries added since fall in it. The function
    `portal_search_matches(kind, query, public_at, wanted)` reads them in that order and
    stops once it has `wanted` matches (a broad search reads one part; with NULL, for a list
    that counts every match, it reads them all). It is written here,
    for these parts, so that PostgreSQL keeps one plan for each part's query; and made after
    `migrate` and after a rebuild, not in a migration, because the conditions name the
    kind's content type, whose number each database gives itself.
    """
    size = max(1, settings.SEARCH_INDEX_PART)
    branches, stale = [], []
    # One transaction: searches see the old parts and function, or the new ones. New parts
    # are made first (searches go on meanwhile), old ones dropped last: a dropped index
    # holds every search of the table until the transaction ends.
    with transaction.atomic(), connection.cursor() as cursor:
        # One process at a time (several machines may migrate at once).
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('portal_search_parts'))")
        # An index cannot be made while the transaction owes foreign-key checks (Django
        # defers them, as in a rebuild): checked now, and deferred again once made.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for kind in kinds().values():
            content_type = int(kind.content_type().pk)
            cursor.execute(
                "SELECT max(object_id) FROM portal_searchdocument WHERE content_type_id = %s",
                [content_type],
            )
            top = cursor.fetchone()[0] or 0
            parts = {}
            lows = part_starts(top, size)
            for low, high in zip(lows, [*lows[1:], None], strict=True):
                conditions = [f"(content_type_id = {content_type})", f"(object_id >= {low})"]
                if high is not None:
                    conditions.append(f"(object_id < {high})")
                name = f"portal_search_{kind.key}_{low}_{'on' if high is None else high}"
                parts[name[:63]] = " AND ".join(conditions)
            stale += _make_indexes(cursor, kind, parts)
            branches.append(
                f"IF kind = {content_type} THEN\n"
                + "".join(_search_part(condition) for condition in parts.values())
                + "    RETURN;\nEND IF;\n"
            )
        cursor.execute(f"DROP FUNCTION IF EXISTS {MATCHES_SIGNATURE}")
        cursor.execute(MATCHES.replace("-- parts", "".join(branches)))
        for name in stale:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def part_starts(top, first):
    """The first key of each part of an index whose highest key is `top`: the first part
    holds `first` keys, each next part twice as many as the one before, and the last runs
    on, open-ended. A broad search is answered by the small first part; a narrow one looks
    into a few parts however large the catalogue (six for 100,000 entries from 2,500)."""
    starts, size = [0], first
    while starts[-1] + size <= top:
        starts.append(starts[-1] + size)
        size *= 2
    return starts


def _make_indexes(cursor, kind, parts):
    """The part indexes of `kind` that `parts` ({name: condition}) names and are missing,
    made; returns the names of its others, to drop once the search no longer reads them."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname ~ %s",
        ["portal_searchdocument", f"^portal_search_{kind.key}_[0-9]+_([0-9]+|on)$"],
    )
    found = dict(cursor.fetchall())
    stale = []
    for name, definition in list(found.items()):
        if name in parts and not definition.endswith(f"WHERE ({parts[name]})"):
            # The same range of another content type's number (a restored database).
            cursor.execute(f'DROP INDEX "{name}"')
            del found[name]
        elif name not in parts:
            stale.append(name)
    for name, condition in parts.items():
        if name not in found:
            cursor.execute(
                f'CREATE INDEX "{name}" ON portal_searchdocument USING gin (vector) '
                f"WHERE {condition}"
            )
    return stale


# Every match wanted (NULL: a list that counts them) is not ranked: only its key is read.
SCORE = "CASE WHEN wanted IS NULL THEN NULL ELSE ts_rank(vector, query) END"


def _search_part(condition):
    return f"""    RETURN QUERY SELECT object_id, {SCORE}, a
        FROM portal_searchdocument WHERE {condition}
        AND public_from <= public_at AND vector @@ query LIMIT wanted;
    GET DIAGNOSTICS found = ROW_COUNT;
    wanted := wanted - found;
    IF wanted <= 0 THEN RETURN; END IF;
"""


# Bitmap scans of the part indexes only: PostgreSQL's estimates, made over every kind's
# entries together, would otherwise read the whole table for a word one kind uses often. One
# plan per part's query, made once (force_generic_plan): each query names its part's range,
# so the plan uses that part's index. A kind without parts (not yet made) is searched whole.
MATCHES_SIGNATURE = "portal_search_matches(integer, tsquery, timestamptz, integer)"
MATCHES = f"""
CREATE FUNCTION portal_search_matches(
    kind integer, query tsquery, public_at timestamptz, wanted integer
) RETURNS TABLE (object_id bigint, score real, title text)
LANGUAGE plpgsql STABLE
SET enable_seqscan = off
SET enable_indexscan = off
SET max_parallel_workers_per_gather = 0
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    found integer;
BEGIN
-- parts
    RETURN QUERY SELECT object_id, {SCORE}, a FROM portal_searchdocument
        WHERE content_type_id = kind AND public_from <= public_at AND vector @@ query
        LIMIT wanted;
END $$
"""


# --- Reading it --------------------------------------------------------------------------


def _documents(kind, query, public=False):
    """The search documents of `kind` that match `query` (a queryset, not yet run); with
    `public`, only those of entries public now."""
    from django.utils import timezone

    from core.models import SearchDocument

    documents = SearchDocument.objects.filter(content_type=kind.content_type())
    if public:
        documents = documents.filter(public_from__lte=timezone.now())
    if connection.vendor == "postgresql":
        return documents.filter(vector=_tsquery(query))
    return documents.filter(
        id__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [query.fts5()])
    )


def _tsquery(query):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(query.tsquery(), search_type="raw", config="english")


def matching(model, query):
    """A condition on `model`'s rows: its document matches `query` (and is public: the
    lists that ask show public entries only). On PostgreSQL, every match the search
    function reads in the kind's index parts (see make_kind_indexes), however many."""
    kind = kind_of(model)
    if connection.vendor == "postgresql":
        from django.utils import timezone

        return models.Q(
            pk__in=RawSQL(
                "SELECT object_id FROM portal_search_matches(%s, to_tsquery('english', %s), "
                "%s, NULL)",
                [kind.content_type().pk, query.tsquery(), timezone.now()],
            )
        )
    return Exists(_documents(kind, query).filter(object_id=OuterRef("pk")))


def rank(model, query):
    """An expression: how well each row's document matches `query` (higher is better)."""
    from core.models import SearchDocument

    kind = kind_of(model)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchRank

        documents = SearchDocument.objects.filter(
            content_type=kind.content_type(), object_id=OuterRef("pk")
        ).annotate(score=SearchRank(F("vector"), _tsquery(query)))
        return Subquery(documents.values("score")[:1], output_field=models.FloatField())
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    table = SearchDocument._meta.db_table
    # bm25 is lower for better matches: negated, so that higher is better on both databases.
    return RawSQL(
        f"SELECT -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} JOIN {table} document "
        f"ON document.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s "
        f"AND document.content_type_id = %s AND document.object_id = "
        f"{model._meta.db_table}.{model._meta.pk.column}",
        [query.fts5(), kind.content_type().pk],
        output_field=models.FloatField(),
    )


# --- What was meant ----------------------------------------------------------------------


def trigrams(word):
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(one, other):
    first, second = trigrams(one), trigrams(other)
    return len(first & second) / len(first | second)


def known_words(candidates):
    """Those of `candidates` the index knows: a word of a name, the start of one, a synonym."""
    from core.models import SearchWord

    phrases = synonym_phrases()
    in_synonyms = {w for phrase in phrases for w in phrase}
    known = {w for w in candidates if w in in_synonyms or singular((w,))[0] in in_synonyms}
    rest = [w for w in candidates if w not in known]
    if rest:
        condition = models.Q(word__in=rest)
        for w in rest:
            if len(w) >= PREFIX_FROM:
                condition |= models.Q(word__startswith=w)
        for word in SearchWord.objects.filter(condition).values_list("word", flat=True):
            known.update(
                w for w in rest if word == w or (len(w) >= PREFIX_FROM and word.startswith(w))
            )
    return known


def closest_word(word):
    """The known word most like `word`, if any is alike enough (pg_trgm similarity ≥ 0.3)."""
    from core.models import SearchWord

    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

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
    scored = [(similarity(word, known), known) for known in vocabulary]
    scored = [(-score, known) for score, known in scored if score >= SIMILAR_FROM]
    return min(scored)[1] if scored else None


def correction(query):
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


# --- The search page ---------------------------------------------------------------------


@dataclass
class Group:
    """One kind's results on the search page (plain data, so that it can be cached)."""

    key: str
    label: str
    count: int
    results: list
    more: bool = False  # more than `count` match (see `ranked`)
    all_results: str = ""  # the kind's list page searching the same words, if it has one
    page: object = None


def document_rank(query):
    """How well a search document matches `query`, higher is better (see `rank`)."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchRank

        return SearchRank(F("vector"), _tsquery(query))
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    return RawSQL(
        f"SELECT -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
        f"AND {FTS_TABLE}.rowid = portal_searchdocument.id",
        [query.fts5()],
        output_field=models.FloatField(),
    )


def ranked(kind, query):
    """The public entries of `kind` matching `query`, best first, as their primary keys; and
    whether more match than that (then there are settings.SEARCH_CANDIDATES of them).

    Bounded, so that a broad search costs what a narrow one does: at most SEARCH_CANDIDATES
    + 1 matches are read, in the order the index finds them (on PostgreSQL part after part of
    the kind's index, see make_kind_indexes, stopping there; on SQLite in the order entries
    were written), and those are ranked. Up to SEARCH_CANDIDATES matches, that is every
    match, ranked exactly; past it ("nursing" among 100,000 programs) the best of the first
    ones found, and the page says "more than". One query.
    """
    cap = settings.SEARCH_CANDIDATES
    if connection.vendor == "postgresql":
        from django.utils import timezone

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT object_id, score, title FROM portal_search_matches(%s, "
                "to_tsquery('english', %s), %s, %s)",
                [
                    kind.content_type().pk,
                    query.tsquery(),
                    timezone.now(),
                    cap + 1,
                ],
            )
            rows = cursor.fetchall()
    else:
        rows = list(
            _documents(kind, query, public=True)
            .annotate(score=document_rank(query))
            .values_list("object_id", "score", "a")[: cap + 1]
        )
    # Equal matches by title or name, as the lists are.
    rows.sort(key=lambda row: (-(row[1] or 0.0), row[2].casefold(), row[0]))
    return [pk for pk, _, _ in rows[:cap]], len(rows) > cap


def find(query, only=None, limit=5, offset=0):
    """Per kind (or only kind `only`): how many public entries match (see `ranked`: at most
    SEARCH_CANDIDATES, with `more` when more do), and the best `limit`, from `offset`, as what
    a result shows.

    Matched and ranked in the index alone (which knows when each entry is public); only the
    entries shown are read, through the kind's `public()` again. One query a kind, two with
    results to show.
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
    return groups


def highlight_terms(query):
    """Lower-case words and word starts to mark in the results: (word, is_prefix)."""
    return [(t.word, t.prefix) for t in query.terms()]


SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "es", "s", "al", "ed", "ly", "e")


def light_stem(word):
    """A rough English stem, for marking matched words (the databases' own stemmers decide
    what matches; this only finds those words again in the text)."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def marks(token, terms):
    """Whether `token` of a result's text is one of the words the query matched."""
    token, stem = token.lower(), light_stem(token.lower())
    for word, prefix in terms:
        if token == word or stem == light_stem(word):
            return True
        if prefix and (token.startswith(word) or stem.startswith(light_stem(word))):
            return True
    return False
