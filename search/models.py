"""What the site-wide search keeps: one document per entry, the words it knows, the synonyms."""

from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres import indexes
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from search.text import words


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
