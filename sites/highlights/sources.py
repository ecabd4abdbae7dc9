"""Set-based reads of what member schemas offer the network (``sites.members.offers``).

One ``UNION ALL`` statement reads a whole chunk of member schemas (names quoted). Every
table and column is taken from the models' ``_meta`` (the offered fields by the names
the offers give, Wagtail's page, locale, image and view restriction tables alike), so a
renamed field or table reaches this SQL by itself. Only pages a visitor can see count:
live, no alias (an alias in another locale is wagtail-localize's untranslated
placeholder, in the same locale a second address) and without a view restriction on
the page or above it.

Reads member schemas; never switches the connection's schema.
"""

from __future__ import annotations

from collections import namedtuple

from django.conf import settings
from django.db import connection
from django_tenants.utils import quote_schema_name
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction

from sites.members.offers import DIRECTORY_OFFER, HIGHLIGHT_OFFERS

IMAGE_FIELDS = [
    "id", "file", "description", "width", "height",
    "focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height",
]  # fmt: skip
OriginalImage = namedtuple("OriginalImage", IMAGE_FIELDS)
Proposal = namedtuple(
    "Proposal",
    "schema page_id translation_key kind title teaser url_path language published start end",
)
Profile = namedtuple("Profile", "schema page_id url_path fields facts")


class Table:
    """A model's table in one schema under an alias; ``table["field"]`` is the column."""

    def __init__(self, model, schema: str, alias: str):
        self.model = model
        self.alias = alias
        self.sql = f"{quote_schema_name(schema)}.{connection.ops.quote_name(model._meta.db_table)}"

    def __str__(self):
        return f"{self.sql} {self.alias}"

    def __getitem__(self, field_name: str) -> str:
        meta = self.model._meta
        field = meta.pk if field_name == "pk" else meta.get_field(field_name)
        return f"{self.alias}.{connection.ops.quote_name(field.column)}"


def _visible_pages(offered: Table, schema: str) -> tuple[str, str, Table, Table]:
    """Tables (``offered`` joined with its page and locale) and conditions of the offered
    pages a visitor can see; and the page and locale tables for the select list."""
    page, locale = Table(Page, schema, "p"), Table(Locale, schema, "l")
    restriction, restricted = Table(PageViewRestriction, schema, "r"), Table(Page, schema, "rp")
    tables = (
        f"{offered} JOIN {page} ON {page['id']} = {offered['pk']} "
        f"JOIN {locale} ON {locale['id']} = {page['locale']}"
    )
    visible = (
        f"{page['live']} AND {page['alias_of']} IS NULL AND NOT EXISTS ("  # noqa: S608
        f"SELECT 1 FROM {restriction} JOIN {restricted} ON {restricted['id']} = "
        f"{restriction['page']} WHERE {page['path']} LIKE {restricted['path']} || '%%')"
    )
    return tables, visible, page, locale


def _first_of(values: list[str]) -> str:
    return values[0] if len(values) == 1 else f"COALESCE({', '.join(values)})"


def highlight_select(offer, schema: str, *, one_group: bool) -> str:
    """The proposals of one offered page type in one schema (parameters: schema, kind,
    and the translation key with ``one_group``)."""
    offered = Table(offer.model, schema, "x")
    image = Table(get_image_model(), schema, "img")
    tables, visible, page, locale = _visible_pages(offered, schema)
    teaser = _first_of([f"NULLIF({offered[name]}, '')" for name in offer.teaser])
    image_id = _first_of([offered[name] for name in offer.image])
    start = offered[offer.start] if offer.start else "NULL::timestamptz"
    end = offered[offer.end] if offer.end else "NULL::timestamptz"
    group = f" AND {page['translation_key']} = %s::uuid" if one_group else ""
    image_columns = ", ".join(image[name] for name in IMAGE_FIELDS)
    return (
        f"SELECT %s, {page['id']}, {page['translation_key']}, %s, {page['title']}, {teaser}, "  # noqa: S608 - names quoted
        f"{page['url_path']}, {locale['language_code']}, {page['last_published_at']}, "
        f"{start}, {end}, {image_columns} "
        f"FROM {tables} LEFT JOIN {image} ON {image['id']} = {image_id} "
        f"WHERE {visible} AND {offered[offer.proposed]}{group}"
    )


def _union(statements: list[str], params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(statements), params)
        return cursor.fetchall()


def highlight_proposals(
    schemas: list[str], translation_key: str | None = None
) -> list[tuple[Proposal, OriginalImage | None]]:
    """Every proposed page of these schemas (with ``translation_key``: of that group only),
    each with its image as the member's image table holds it."""
    statements, params = [], []
    for schema in schemas:
        for offer in HIGHLIGHT_OFFERS:
            statements.append(
                highlight_select(offer, schema, one_group=translation_key is not None)
            )
            params += [schema, offer.kind, *([translation_key] if translation_key else [])]
    proposals = []
    for row in _union(statements, params):
        image = OriginalImage._make(row[len(Proposal._fields) :])
        proposals.append(
            (Proposal._make(row[: len(Proposal._fields)]), image if image.id else None)
        )
    return proposals


def directory_select(offer, schema: str) -> str:
    """The directory profile of one schema: its live, public original (parameters:
    schema, the default language)."""
    offered = Table(offer.model, schema, "x")
    tables, visible, page, locale = _visible_pages(offered, schema)
    fields = ", ".join(offered[source] for _entry, source in offer.fields)
    return (
        f"SELECT %s, {page['id']}, {page['url_path']}, {fields}, {offered[offer.facts]} "  # noqa: S608 - names quoted
        f"FROM {tables} WHERE {visible} AND {locale['language_code']} = %s"
    )


def directory_profiles(schemas: list[str]) -> list[Profile]:
    """The directory profile of each of these schemas that has one (lowest page id wins)."""
    statements, params = [], []
    for schema in schemas:
        statements.append(directory_select(DIRECTORY_OFFER, schema))
        params += [schema, settings.LANGUAGE_CODE]
    profiles = {}
    names = [entry for entry, _source in DIRECTORY_OFFER.fields]
    for schema, page_id, url_path, *values in sorted(_union(statements, params)):
        if schema not in profiles:
            *fields, facts = values
            profiles[schema] = Profile(
                schema, page_id, url_path, dict(zip(names, fields, strict=True)), facts
            )
    return list(profiles.values())
