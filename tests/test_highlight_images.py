"""Highlight images: a teaser-sized copy in public media that the network host serves, owned
by its highlight row, so deleting the row, the member's image or the member leaves no file
behind."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django_tenants.utils import schema_context
from PIL import Image as PILImage

from core.schemas import media_root
from sites.highlights.images import COPY_FILTER
from sites.highlights.models import Highlight
from sites.highlights.services import member_content_sync, member_content_sync_member
from tenants.services import member_delete
from tests.factories import (
    ImageFactory,
    MemberFactory,
    MemberNewsPageFactory,
    member_news_index,
)

COPY_SIZE = tuple(int(n) for n in COPY_FILTER.split("|")[0].removeprefix("fill-").split("x"))


def public_copies(schema: str) -> list[Path]:
    folder = media_root(settings.PUBLIC_SCHEMA_NAME) / "highlights" / schema
    return sorted(folder.iterdir()) if folder.exists() else []


def proposed_news_with_image(schema: str, **image_fields):
    with schema_context(schema):
        image = ImageFactory(**image_fields)
        page = MemberNewsPageFactory(
            parent=member_news_index(), image=image, propose_highlight=True
        )
    return page, image


@pytest.fixture(autouse=True)
def no_copies_left():
    """Files outlive the rolled-back test transaction: each test starts and ends empty."""
    folder = media_root(settings.PUBLIC_SCHEMA_NAME) / "highlights"
    shutil.rmtree(folder, ignore_errors=True)
    yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """``with committing():`` runs what the block leaves for after the commit (the
    pipeline's sweep of copies), as a real commit would; tests run in a transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_network_shows_a_small_copy_served_by_the_network_host(alpha, network_client):
    page, image = proposed_news_with_image(alpha.schema, description="Azubis an der Drehbank")
    member_content_sync([alpha.member])
    row = Highlight.objects.get(source_page_id=page.pk)
    assert row.image_alt == "Azubis an der Drehbank"
    assert row.image_source == image.file.name

    copy = Path(row.image.path)
    assert copy.parent == media_root(settings.PUBLIC_SCHEMA_NAME) / "highlights" / alpha.schema
    with PILImage.open(copy) as picture:
        assert (picture.size, picture.format) == (COPY_SIZE, "JPEG")  # not the 1200x800 PNG
    served = network_client.get(row.image.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == copy.read_bytes()
    # the member's original is not reachable through the network host
    with schema_context(alpha.schema):
        original_url = image.file.url
    assert network_client.get(original_url).status_code == 404


def test_a_second_sync_reuses_the_copy(alpha):
    proposed_news_with_image(alpha.schema)
    member_content_sync([alpha.member])
    [copy] = public_copies(alpha.schema)
    written = copy.stat().st_mtime_ns
    assert member_content_sync([alpha.member]).highlights.counts == (0, 0, 0)
    assert public_copies(alpha.schema) == [copy]
    assert copy.stat().st_mtime_ns == written


def test_a_withdrawn_row_keeps_its_copy_until_it_is_purged(alpha, committing, settings):
    page, _image = proposed_news_with_image(alpha.schema)
    member_content_sync([alpha.member])
    assert len(public_copies(alpha.schema)) == 1
    with schema_context(alpha.schema):
        page.unpublish()
    with committing():
        assert member_content_sync([alpha.member]).highlights.removed == 1
    assert len(public_copies(alpha.schema)) == 1  # back with its image if the page returns
    settings.HIGHLIGHTS_WITHDRAWN_KEEP_DAYS = 0
    with committing():
        assert member_content_sync([alpha.member]).highlights.purged == 1
    assert public_copies(alpha.schema) == []


def test_deleting_a_row_directly_removes_its_copy(alpha, committing):
    page, _image = proposed_news_with_image(alpha.schema)
    member_content_sync([alpha.member])
    with committing():
        Highlight.objects.get(source_page_id=page.pk).delete()
    assert public_copies(alpha.schema) == []


def test_deleting_or_replacing_the_members_image_replaces_the_copy(alpha, committing):
    page, image = proposed_news_with_image(alpha.schema)
    member_content_sync([alpha.member])
    [first] = public_copies(alpha.schema)

    with schema_context(alpha.schema):
        replacement = ImageFactory()
        page.image = replacement
        page.save_revision().publish()
        image.delete()
    with committing():
        member_content_sync_member(alpha.schema)
    [second] = public_copies(alpha.schema)
    assert second != first
    assert Highlight.objects.get(source_page_id=page.pk).image.name.endswith(second.name)

    with schema_context(alpha.schema):
        replacement.delete()  # the page's image field is emptied (SET_NULL)
    with committing():
        member_content_sync_member(alpha.schema)
    assert Highlight.objects.get(source_page_id=page.pk).image.name == ""
    assert public_copies(alpha.schema) == []


def test_an_unreadable_original_gives_a_highlight_without_image(alpha):
    page, image = proposed_news_with_image(alpha.schema)
    (media_root(alpha.schema) / image.file.name).write_bytes(b"kein Bild")
    report = member_content_sync([alpha.member])
    assert report.highlights.created == 1 and not report.skipped
    row = Highlight.objects.get(source_page_id=page.pk)
    assert (row.image.name, row.image_source) == ("", image.file.name)


def test_deleting_a_member_leaves_no_copies(committed, tmp_path):
    member = MemberFactory(name="Gemeinde Bildhausen", slug="bildhausen")
    try:
        proposed_news_with_image(member.schema_name)
        member_content_sync([member])
        assert len(public_copies(member.schema_name)) == 1
    finally:
        member_delete(member, tmp_path)
    assert public_copies(member.schema_name) == []
    assert not Highlight.objects.filter(member_id=member.pk).exists()
