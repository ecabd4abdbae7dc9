"""Matching fast enough for the network (issue 14's query target).

0. The year of a row's date (in the network's time zone) is stored (generated): the
   year facet counts it for thousands of rows per query.

1. Every document vector carries its text search configuration as one more lexeme,
   ``§german``, ``§english`` or ``§simple`` (no parser ever makes a word with "§"), so
   that one tsquery can ask each row in its own configuration,
   ``('§german' & …) | ('§english' & …)``, and the GIN index answers the whole of it.
2. Narrow rows: the long columns (body, documents, teaser and the full vector) go to
   TOAST as soon as a row is over 128 bytes, the short ones that matching, facets and
   ranking read stay in the row (``STORAGE MAIN``). A common word's thousands of matches
   are then read from about 1,500 pages instead of 5,000, and never de-toasted.

The rows are rewritten once so that both apply to what is already indexed.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Cast

SCHEMA = '"%s"' % settings.PUBLIC_SCHEMA_NAME
TABLE = f"{SCHEMA}.search_searchentry"
IN_ROW = ["schema_name", "language", "page_type", "title", "url", "search_head", "title_folded"]
REWRITTEN = ["schema_name", "language", "page_type", "title", "url", "teaser", "body", "documents"]


def _document_function(marker: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.search_document(
    cfg regconfig, title text, teaser text, body text, documents text
) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector(cfg, {SCHEMA}.search_fold(cfg, title)), 'A')
        || setweight(to_tsvector(cfg, {SCHEMA}.search_fold(cfg, teaser)), 'B')
        || setweight(to_tsvector(cfg, {SCHEMA}.search_fold(cfg, concat_ws(' ', body, documents))), 'C')
        {marker}
$$;
"""


def _storage(toast_target: str, storage: str) -> str:
    columns = ", ".join(f"ALTER COLUMN {column} SET STORAGE {storage}" for column in IN_ROW)
    return f"ALTER TABLE {TABLE} {toast_target}, {columns};"


def _rewrite() -> str:
    """Every row written anew (new values: the storage above applies to them)."""
    columns = ", ".join(f"{column} = {column} || ''" for column in REWRITTEN)
    return f"UPDATE {TABLE} SET {columns}"


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0002_search_engine"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="year",
            field=models.GeneratedField(
                db_persist=True,
                expression=Cast(
                    models.Func(
                        models.Func(
                            models.Value(settings.TIME_ZONE), models.F("date"), function="timezone"
                        ),
                        template="EXTRACT(YEAR FROM %(expressions)s)",
                    ),
                    models.IntegerField(),
                ),
                output_field=models.IntegerField(),
            ),
        ),
        migrations.RunSQL(
            [
                _document_function("|| array_to_tsvector(ARRAY['§' || cfg::text])"),
                _storage("SET (toast_tuple_target = 128)", "MAIN"),
                _rewrite(),
            ],
            [
                _document_function(""),
                _storage("RESET (toast_tuple_target)", "EXTENDED"),
                _rewrite(),
            ],
        ),
    ]
