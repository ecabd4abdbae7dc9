"""Filling the network search index from the sites' own schemas (sites.search.indexing):
what a visitor can see goes in, with its text, documents and address; nothing else does,
and a member's run never touches another member's rows."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page, PageViewRestriction

from sites.search.indexing import UnknownSite, index_rebuild, page_group_index, site_index
from sites.search.models import SearchEntry
from tenants.models import Member
from tests.factories import (
    DocumentFactory,
    MemberNewsPageFactory,
    member_home,
    member_news_index,
    translation_publish,
)

BODY = [
    {"type": "paragraph", "value": "<p>Der <b>Übergang</b> von der Schule in die Ausbildung.</p>"}
]


def _news(**fields):
    return MemberNewsPageFactory(parent=member_news_index(), **fields)


def _rows(schema):
    with schema_context("public"):
        return {row.page_id: row for row in SearchEntry.objects.filter(schema_name=schema)}


@pytest.fixture
def news(alpha):
    with schema_context(alpha.schema):
        document = DocumentFactory(title="Positionspapier Kommunale Koordinierung")
        page = _news(
            title="Neue Wege in den Beruf",
            teaser="Ein Fachtag für Lehrkräfte.",
            body=json.dumps(BODY),
            attachments=json.dumps([{"type": "document", "value": document.pk}]),
        )
    return page


def test_a_live_page_is_indexed_with_its_text_documents_and_address(alpha, news):
    site_index(alpha.schema)
    row = _rows(alpha.schema)[news.pk]
    assert row.member == alpha.member
    assert row.title == "Neue Wege in den Beruf"
    assert row.teaser == "Ein Fachtag für Lehrkräfte."
    assert "Übergang von der Schule in die Ausbildung." in row.body
    assert "<" not in row.body
    assert row.documents == "Positionspapier Kommunale Koordinierung"
    assert row.url.startswith(f"http://{alpha.host}/de/") and row.url.endswith(f"/{news.slug}/")
    assert (row.language, row.page_type) == ("de", "members.membernewspage")
    assert timezone.localtime(row.date).date() == news.date  # the news date, Berlin time


def test_drafts_private_pages_and_aliases_stay_out(alpha, news):
    with schema_context(alpha.schema):
        draft = _news(title="Entwurf")
        draft.unpublish()
        private = _news(title="Nur für Angemeldete")
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        english_home = translation_publish(member_home(), "en", title="City of Alpha")
        english = translation_publish(news, "en", title="New paths into work")  # index: alias
    site_index(alpha.schema)
    rows = _rows(alpha.schema)
    assert {news.pk, english_home.pk, english.pk} <= set(rows)
    assert draft.pk not in rows and private.pk not in rows
    with schema_context(alpha.schema):
        aliases = list(Page.objects.filter(alias_of__isnull=False).values_list("pk", flat=True))
    assert aliases and not set(aliases) & set(rows)  # wagtail-localize's placeholders
    assert rows[english.pk].language == "en"


def test_unpublishing_removes_the_page_within_the_same_run(alpha, news):
    site_index(alpha.schema)
    with schema_context(alpha.schema):
        Page.objects.get(pk=news.pk).unpublish()
    report = page_group_index(alpha.schema, news.translation_key)
    assert report.removed == 1
    assert news.pk not in _rows(alpha.schema)


def test_a_rebuild_drops_archived_members_and_one_members_run_touches_no_other(alpha, beta, news):
    with schema_context(beta.schema):
        _news(title="Beta-Nachricht")
    index_rebuild()
    assert _rows(alpha.schema) and _rows(beta.schema)
    beta_rows = {pk: row.indexed_at for pk, row in _rows(beta.schema).items()}

    index_rebuild("alpha")
    assert {pk: row.indexed_at for pk, row in _rows(beta.schema).items()} == beta_rows

    Member.objects.filter(pk=beta.member.pk).update(state=Member.State.ARCHIVED)
    index_rebuild()
    assert _rows(beta.schema) == {} and _rows(alpha.schema)


def test_the_network_site_is_indexed_too(platform, db):
    index_rebuild()
    rows = _rows("public")
    assert rows and all(row.member is None for row in rows.values())


def test_only_active_sites_are_indexed(platform, db):
    for schema in ("member_template", "no_such_member"):
        with pytest.raises(UnknownSite):
            site_index(schema)


def test_the_command_reports_what_it_did_and_refuses_an_unknown_member(alpha, news, capsys):
    call_command("rebuild_search_index", "--member", "alpha")
    assert "1 sites" in capsys.readouterr().out
    assert news.pk in _rows(alpha.schema)
    with pytest.raises(CommandError, match="list_members"):
        call_command("rebuild_search_index", "--member", "gibt-es-nicht")
