"""The highlight pipeline's service: proposals in member schemas become public rows.

Rows per translation group (a page and its translations): tests/test_highlights_languages.py.
"""

import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from sites.highlights.models import Highlight
from sites.highlights.services import UnknownSchema, member_content_sync, member_content_sync_page
from sites.members.models import MemberNewsPage
from tests.factories import MemberNewsPageFactory, member_news_index


def _news(member, title="Ausbildungsmesse „Zukunft“", propose=True, publish=True) -> MemberNewsPage:
    with schema_context(member.schema):
        return MemberNewsPageFactory(
            parent=member_news_index(), title=title, propose_highlight=propose, publish=publish
        )


def test_published_proposal_becomes_a_proposed_highlight(alpha, beta):
    page = _news(alpha)
    _news(beta, propose=False)
    report = member_content_sync_page(alpha.schema, page.translation_key)
    assert report.highlights.counts == (
        1,
        0,
        0,
    )
    row = Highlight.objects.get()
    assert (row.member, row.title, row.teaser, row.state, row.page_type, row.locale) == (
        alpha.member,
        "Ausbildungsmesse „Zukunft“",
        "Jetzt anmelden.",
        "proposed",
        "news",
        "de",
    )
    assert (row.translation_key, row.source_page_id, row.translations) == (
        page.translation_key,
        page.pk,
        {},
    )
    assert row.url == f"http://alpha.localhost/de/aktuelles/{page.slug}/"


def test_sync_twice_changes_nothing_and_edit_keeps_curation_state(alpha):
    page = _news(alpha)
    member_content_sync()
    assert str(member_content_sync()).startswith(
        "2 Mitglieder – Highlights 0 neu, 0 geändert, 0 entfernt"
    )
    with schema_context(alpha.schema):
        page.title = "Ausbildungsmesse 2027"
        page.save_revision().publish()
    report = member_content_sync_page(alpha.schema, page.translation_key)
    assert report.highlights.updated == 1
    row = Highlight.objects.get()
    assert (row.title, row.state, row.pending) == ("Ausbildungsmesse 2027", "proposed", None)


def test_unpublish_switch_off_and_delete_withdraw_the_row_with_its_curation(alpha):
    for action in ("unpublish", "switch_off", "delete"):
        page = _news(alpha)
        member_content_sync_page(alpha.schema, page.translation_key)
        Highlight.objects.filter(source_page_id=page.pk).update(state="featured")
        with schema_context(alpha.schema):
            if action == "unpublish":
                page.unpublish()
            elif action == "switch_off":
                page.propose_highlight = False
                page.save_revision().publish()
            else:
                page.delete()
        assert (
            member_content_sync_page(alpha.schema, page.translation_key).highlights.removed == 1
        ), action
        row = Highlight.objects.get(source_page_id=page.pk)
        assert (row.state, row.withdrawn_at is not None) == ("featured", True), action
        assert not Highlight.objects.visible().filter(pk=row.pk).exists(), action


def test_unknown_schema_or_malformed_group_key_is_refused_and_writes_nothing(alpha):
    _news(alpha)
    with pytest.raises(UnknownSchema):
        member_content_sync_page("gibtsnicht", uuid.uuid4())
    with pytest.raises(UnknownSchema):
        member_content_sync_page("member_template", uuid.uuid4())
    with pytest.raises(ValueError, match="UUID"):
        member_content_sync_page(alpha.schema, "12")
    assert not Highlight.objects.exists()


def test_a_broken_member_schema_is_skipped_and_the_others_still_aggregate(alpha, beta):
    _news(alpha)
    _news(beta)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE beta.members_membereventpage CASCADE")
    report = member_content_sync()
    assert report.skipped == ["beta"]
    assert list(Highlight.objects.values_list("member__slug", flat=True)) == ["alpha"]


def test_aggregate_command_reports_what_changed(alpha, capsys):
    _news(alpha)
    call_command("aggregate_highlights")
    assert "1 neu, 0 geändert, 0 entfernt" in capsys.readouterr().out
    call_command("aggregate_highlights", "--member", "alpha")
    assert "0 neu, 0 geändert, 0 entfernt" in capsys.readouterr().out
