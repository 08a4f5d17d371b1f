"""What the site-wide search keeps: one document per entry, the words it knows, the synonyms."""

from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres import indexes
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.http import QueryDict

from core import registry
from search.text import words

AMOUNT = "{amount}"


class GinIndex(indexes.GinIndex):
    """A GIN index, made on PostgreSQL. SQLite has no GIN: its search reads the FTS5 table
    the migration makes (search/migrations/0001_initial.py), and this index is a comment."""

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return f"-- no GIN index {self.name} on {schema_editor.connection.vendor}"
        return super().create_sql(model, schema_editor, using, **kwargs)

    def remove_sql(self, model: Any, schema_editor: Any, **kwargs: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return f"-- no GIN index {self.name} on {schema_editor.connection.vendor}"
        return super().remove_sql(model, schema_editor, **kwargs)


class SearchDocument(models.Model):
    """What the site-wide search reads about one entry, its text in four weights.

    `a` holds what counts most (a title, a name), `b` what names the entry's context (its
    institution, specializations, other titles), `c` what describes it (a summary, course
    titles), `d` the rest (a place). Written by search.index from each kind's declaration.
    On PostgreSQL `vector` is the weighted `tsvector` of the four, stored when the document
    is written (search.index.WEIGHTED) and indexed by GIN; on SQLite, triggers copy the four
    into the FTS5 table `search_fts`, and `vector` stays empty.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    a = models.TextField(blank=True)
    b = models.TextField(blank=True)
    c = models.TextField(blank=True)
    d = models.TextField(blank=True)
    # When the entry is (or becomes) public, from its kind's `public_from`; None: never found.
    public_from = models.DateTimeField(null=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["content_type", "public_from"], name="search_document_public"),
            GinIndex(fields=["vector"], name="search_document_vector"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="search_document_entry"
            )
        ]

    def __str__(self) -> str:
        return self.a[:80]

    def affects_public_pages(self) -> bool:
        # It changes with its entry, whose own save already retires the cached pages.
        return False


class SearchWord(models.Model):
    """A word of the titles and names the search knows: what a misspelling is compared with
    (by trigram similarity, with a trigram GIN index on PostgreSQL)."""

    word = models.CharField(max_length=60, unique=True)

    class Meta:
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="search_word_trgm")]

    def __str__(self) -> str:
        return self.word

    def affects_public_pages(self) -> bool:
        return False


class Synonym(models.Model):
    """Two ways readers write the same thing: "NLP" and "natural language processing".

    A search for either finds what is written with the other. Editors keep these in the admin.
    """

    term = models.CharField(
        max_length=60,
        help_text="Usually the short form, as readers type it: “NLP”, “CMU”, “RN”.",
    )
    means = models.CharField(
        max_length=120,
        help_text="What it stands for, as pages write it: “natural language processing”.",
    )

    class Meta:
        ordering = [Lower("term"), Lower("means")]
        constraints = [
            models.UniqueConstraint(Lower("term"), Lower("means"), name="search_synonym_pair")
        ]

    def __str__(self) -> str:
        return f"{self.term} ↔ {self.means}"

    def clean(self) -> None:
        if not words(self.term) or not words(self.means):
            raise ValidationError("Both sides need at least one word that can be searched for.")
        if words(self.term) == words(self.means):
            raise ValidationError("The two sides say the same thing.")


class FilterWord(models.Model):
    """Words readers type for a filter: "online", "part time", "no GRE", "under {amount}".

    Typed in a list's search box, or in the site search, they apply the filter `parameter` of
    the list `listing` with `value`, and the other words are searched for. In `phrase`,
    `{amount}` stands for a sum typed with digits ("$30,000", "30000", "30k"), and `value` may
    say `{amount}` to pass it on. Editors keep these in the admin, like the synonyms.
    """

    class Listing(models.TextChoices):
        PROGRAMS = "programs", "Program list"
        CAREERS = "careers", "Career list"
        CERTIFICATIONS = "certifications", "Certification list"

    phrase = models.CharField(
        max_length=80,
        help_text="As readers type it: “no GRE”, “part time”, “under {amount}”.",
    )
    listing = models.CharField(max_length=20, choices=Listing.choices, default=Listing.PROGRAMS)
    parameter = models.CharField(
        max_length=40,
        help_text="The filter it applies, as the list's address names it: “gre”, “pace”, "
        "“max_tuition”, “sort”…",
    )
    value = models.CharField(
        max_length=80, help_text="The filter's value: “not_required”, “part_time”, “{amount}”."
    )

    class Meta:
        ordering = ["listing", Lower("phrase")]
        constraints = [
            models.UniqueConstraint(
                "listing", Lower("phrase"), name="search_filter_word_once_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"“{self.phrase}” → {self.parameter}={self.value}"

    def clean(self) -> None:
        """The list exists, its search box takes filter words, and the value is one its
        filter accepts (an amount stands in for `{amount}`)."""
        kind = registry.searchable(self.listing)
        filters = getattr(kind, "list_filters", None)
        if filters is None:
            raise ValidationError({"listing": "That list has no filters to apply."})
        if self.parameter not in filters.base_filters or self.parameter in ("q", "page"):
            allowed = ", ".join(name for name in filters.base_filters if name not in ("q",))
            raise ValidationError({"parameter": f"Not a filter of that list; one of: {allowed}."})
        data = QueryDict(mutable=True)
        data[self.parameter] = self.value.replace(AMOUNT, "1000")
        form = filters(data, queryset=kind.model._default_manager.none()).form
        if not form.is_valid() and self.parameter in form.errors:
            raise ValidationError({"value": " ".join(form.errors[self.parameter])})
        if (AMOUNT in self.value) != (AMOUNT in self.phrase):
            raise ValidationError(f"Use {AMOUNT} in both the phrase and the value, or in neither.")
        if not words(self.phrase.replace(AMOUNT, "")) and AMOUNT not in self.phrase:
            raise ValidationError({"phrase": "Give at least one word readers type."})
