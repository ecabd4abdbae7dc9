"""The network search index: one row per live, public page of every site, in the public
schema (a shared app: no member schema has these tables).

Rows are written by ``sites.search.indexing`` from the pages of each site's own schema;
searches read this table only, so one query covers the network and every member, and a
member's microsite search is the same query filtered by ``member``.

Rows are narrow (migration 0003): what matching, facets and ranking read stays in the
row, the long text and the full vector live in TOAST, read for a page of results only.

The text search lives in the database (``sites.search.engine`` queries it): ``search`` is
a stored, generated ``tsvector`` (title A, teaser B, body and documents C) in the text
search configuration of the row's language, over text folded by the SQL function
``search_fold`` (umlauts, ß, the digraphs ae/oe/ue, accents), both created by migration
0002; ``search_head`` the same for title and teaser (ranking). ``SearchWord`` holds
the index's words for typo tolerance.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchConfig, SearchVectorField
from django.db import models
from django.db.models import Case, F, Func, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

# Text search configuration per page language; any other language is searched "simple"
# (no stemming, no stop words). The one owner of this mapping: the generated columns
# below and every query of the engine are built from it.
SEARCH_CONFIGS = {"de": "german", "en": "english"}
DEFAULT_CONFIG = "simple"


def row_config() -> Case:
    """The row's text search configuration as an immutable SQL expression (a CASE over
    constants, so that it may appear in a generated column)."""
    return Case(
        *[When(language=code, then=SearchConfig(name)) for code, name in SEARCH_CONFIGS.items()],
        default=SearchConfig(DEFAULT_CONFIG),
    )


class SearchEntry(models.Model):
    """One page of one site as the search finds it (in the page's own language)."""

    member = models.ForeignKey(
        "tenants.Member",
        verbose_name=_("Mitglied"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_entries",
        help_text=_("Leer: eine Seite der Netzwerk-Website"),
    )
    schema_name = models.CharField(max_length=63)
    page_id = models.PositiveIntegerField()
    translation_key = models.UUIDField()
    language = models.CharField(_("Sprache"), max_length=10)
    page_type = models.CharField(_("Seitentyp"), max_length=100)  # model label, app.model
    title = models.CharField(_("Titel"), max_length=255)
    teaser = models.TextField(_("Anreißer"), blank=True)
    body = models.TextField(_("Text"), blank=True)
    documents = models.TextField(_("Dokumente"), blank=True)
    url = models.URLField(_("Adresse"), max_length=500)
    date = models.DateTimeField(_("Datum"), null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)
    # Computed by PostgreSQL on every write (SQL functions of migration 0002).
    search = models.GeneratedField(
        expression=Func(
            row_config(),
            F("title"),
            F("teaser"),
            F("body"),
            F("documents"),
            function="search_document",
            output_field=SearchVectorField(),
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # Title and teaser only: small enough to stay in the row, so that ranking thousands
    # of matches does not read every body's vector from TOAST.
    search_head = models.GeneratedField(
        expression=Func(
            row_config(),
            F("title"),
            F("teaser"),
            Value(""),
            Value(""),
            function="search_document",
            output_field=SearchVectorField(),
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The year of ``date`` in the network's time zone (the year facet).
    year = models.GeneratedField(
        expression=Cast(
            Func(
                Func(Value(settings.TIME_ZONE), F("date"), function="timezone"),
                template="EXTRACT(YEAR FROM %(expressions)s)",
            ),
            models.IntegerField(),
        ),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    title_folded = models.GeneratedField(
        expression=Func(
            row_config(), F("title"), function="search_fold", output_field=models.TextField()
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("Suchindex-Eintrag")
        constraints = [
            models.UniqueConstraint(fields=["schema_name", "page_id"], name="search_entry_page")
        ]
        indexes = [
            models.Index(fields=["member", "language"], name="search_entry_site"),
            GinIndex(fields=["search"], name="search_entry_search"),
            # Suggestions: titles containing the typed text (3 characters and more) ...
            GinIndex(
                OpClass(F("title_folded"), name="gin_trgm_ops"), name="search_entry_title_trgm"
            ),
            # ... and titles starting with it (shorter prefixes).
            models.Index(
                OpClass(F("title_folded"), name="text_pattern_ops"),
                name="search_entry_title_prefix",
            ),
        ]

    def __str__(self):
        return f"{self.schema_name}/{self.page_id}: {self.title}"


class SearchWord(models.Model):
    """A word (lexeme, folded and stemmed) of the index in one text search configuration:
    the vocabulary that a query word matching nothing is corrected against.

    Rebuilt as a whole by ``sites.search.engine.search_words_refresh``."""

    config = models.CharField(max_length=20)  # text search configuration, e.g. "german"
    word = models.CharField(max_length=100)
    documents = models.PositiveIntegerField(default=0)  # how many entries contain it

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["config", "word"], name="search_word_unique")
        ]
        indexes = [
            GinIndex(OpClass(F("word"), name="gin_trgm_ops"), name="search_word_trgm"),
        ]

    def __str__(self):
        return f"{self.config}: {self.word}"
