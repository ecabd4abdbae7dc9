"""The seams between apps: receivers wired by the apps themselves, member offers read
through the models' ``_meta``, one owner for media folders and home page types, and the
PostgreSQL tools taken from the server's installation."""

import dataclasses
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from core.models import HomePageBase
from core.schemas import media_root
from sites.highlights.checks import offer_problems
from sites.highlights.models import DirectoryEntry, Highlight
from sites.highlights.services import member_content_sync
from sites.highlights.sources import highlight_select
from sites.members.models import MemberHomePage, MemberNewsPage
from sites.members.offers import HIGHLIGHT_OFFERS
from sites.network.models import NetworkHomePage
from tenants.cloning import CloneError, pg_tool
from tenants.services import member_delete
from tenants.validation import ProvisioningError
from tests.factories import MemberFactory, MemberNewsPageFactory, member_news_index

NEWS_OFFER = next(offer for offer in HIGHLIGHT_OFFERS if offer.model is MemberNewsPage)

RECEIVERS_AFTER_SETUP = """
import django
django.setup()
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published
from sites.members.models import MemberHomePage, MemberNewsPage, MemberStandardPage
from sites.network.models import NetworkStandardPage

def names(signal, sender):
    return sorted(f"{r.__module__}.{r.__name__}" for r in signal._live_receivers(sender)[0])

print(names(page_published, MemberNewsPage))
print(names(page_published, MemberStandardPage))
print(names(post_delete, NetworkStandardPage))
print(names(post_save, MemberHomePage))
"""


def test_each_app_connects_its_receivers_in_ready_with_explicit_senders():
    """Django's setup alone (no view, URLconf or admin module imported) wires everything;
    the copy pipeline listens to the page types that offer content and to no others."""
    result = subprocess.run(
        [sys.executable, "-c", RECEIVERS_AFTER_SETUP],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "core.settings.test"},
    )
    news, standard, network_delete, home_save = result.stdout.splitlines()
    assert "sites.highlights.signals.page_changed" in news
    assert "core.caching._site_content_changed" in news
    assert "sites.highlights.signals.page_changed" not in standard
    assert "core.caching._site_content_changed" in standard
    assert "sites.highlights.signals.page_changed" not in network_delete
    assert "tenants.signals.home_page_created" in home_save


def test_the_highlight_read_follows_a_renamed_column(alpha, beta):
    """A migration that renames a proposing field's column: the model's ``_meta`` says so,
    and the set-based read follows it, in every member."""
    with schema_context(alpha.schema):
        page = MemberNewsPageFactory(
            parent=member_news_index(), propose_highlight=True, highlight_teaser="Kurz gesagt"
        )
    field = MemberNewsPage._meta.get_field("highlight_teaser")
    with connection.cursor() as cursor:
        for schema in (alpha.schema, beta.schema):
            cursor.execute(
                f'ALTER TABLE "{schema}".members_membernewspage '
                "RENAME COLUMN highlight_teaser TO kurzfassung"
            )
    # Without the model knowing, the member's read fails: the schema is skipped as broken.
    assert member_content_sync([alpha.member]).skipped == [alpha.member.slug]

    with mock.patch.object(field, "column", "kurzfassung"):
        sql = highlight_select(NEWS_OFFER, alpha.schema, one_group=False)
        assert 'x."kurzfassung"' in sql and "highlight_teaser" not in sql
        report = member_content_sync()
    assert report.skipped == []
    assert Highlight.objects.get(source_page_id=page.pk).teaser == "Kurz gesagt"


def test_check_names_an_offer_that_no_longer_fits_its_model():
    assert offer_problems() == []
    renamed = dataclasses.replace(NEWS_OFFER, teaser=("kurzfassung", "teaser"), kind="blog")
    problems = offer_problems(highlight_offers=[renamed])
    assert "members.MemberNewsPage has no field 'kurzfassung'" in problems
    assert "members.MemberNewsPage: unknown highlight kind 'blog'" in problems
    wrong_type = dataclasses.replace(NEWS_OFFER, image=("title",))
    assert offer_problems(highlight_offers=[wrong_type]) == [
        "members.MemberNewsPage.title is not a foreign key to the image model"
    ]


def test_media_root_is_where_the_storage_writes_in_that_schema(alpha):
    for schema in (alpha.schema, settings.PUBLIC_SCHEMA_NAME):
        with schema_context(schema):
            assert (
                media_root(schema).resolve()
                == (media_root(schema).parent / default_storage.location.split("/")[-1]).resolve()
            )
            assert str(media_root(schema)) == default_storage.location


def test_each_kind_of_site_has_one_home_page_type():
    assert HomePageBase.of_site(network=True) is NetworkHomePage
    assert HomePageBase.of_site(network=False) is MemberHomePage
    assert MemberHomePage.news_model is MemberNewsPage


def test_pg_tools_come_from_pg_bin_dir_or_path(tmp_path, monkeypatch):
    """Production has no embedded server: its tools are the installation's, on PATH."""
    empty, installed = tmp_path / "empty", tmp_path / "bin"
    empty.mkdir()
    installed.mkdir()
    (installed / "pg_dump").write_text("#!/bin/sh\n")
    (installed / "pg_dump").chmod(0o755)
    with override_settings(PG_BIN_DIR=str(installed)):
        assert pg_tool("pg_dump") == str(installed / "pg_dump")
    with override_settings(PG_BIN_DIR=str(empty)), pytest.raises(CloneError, match="PG_BIN_DIR"):
        pg_tool("pg_dump")
    monkeypatch.setenv("PATH", str(installed))
    with override_settings(PG_BIN_DIR=""):
        assert pg_tool("pg_dump") == str(installed / "pg_dump")
    monkeypatch.setenv("PATH", str(empty))
    with override_settings(PG_BIN_DIR=""), pytest.raises(CloneError, match="on PATH"):
        pg_tool("pg_dump")


def test_a_member_is_not_deleted_when_pg_dump_is_missing(committed, tmp_path):
    member = MemberFactory(name="Gemeinde Ohnedump", slug="ohnedump")
    try:
        with (
            override_settings(PG_BIN_DIR=str(tmp_path)),
            pytest.raises(ProvisioningError, match="nichts wurde gelöscht"),
        ):
            member_delete(member, tmp_path)
        with schema_context(member.schema_name):
            assert MemberHomePage.objects.exists()
    finally:
        member_delete(member, tmp_path)


def test_the_copies_live_in_the_public_schema_only(alpha):
    """sites.highlights is a shared-only app: no member schema has its tables, so a member
    schema's search path can only ever reach the public ones (which its admin refuses)."""
    tables = [Highlight._meta.db_table, DirectoryEntry._meta.db_table]
    with connection.cursor() as cursor:
        for schema, exists in (("public", True), (alpha.schema, False), ("member_template", False)):
            for table in tables:
                cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f'"{schema}".{table}'])
                assert cursor.fetchone()[0] is exists, (schema, table)
