"""Page types stay on their kind of site; scheduled publishing runs per schema."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page

from sites.members.models import MemberHomePage
from sites.network.models import NetworkHomePage
from tenants.tasks import publish_scheduled_pages
from tests.factories import MemberStandardPageFactory, member_home


def test_network_pages_cannot_be_created_in_a_member_and_vice_versa(alpha):
    with schema_context(alpha.schema):
        root = Page.get_first_root_node()
        assert MemberHomePage.can_create_at(root)
        assert not NetworkHomePage.can_create_at(root)
    with schema_context("public"):
        root = Page.get_first_root_node()
        assert NetworkHomePage.can_create_at(root)
        assert not MemberHomePage.can_create_at(root)


def test_every_cache_key_carries_the_schema():
    """All but the page cache's, whose keys carry the host (looked up before routing;
    tests/test_page_cache.py proves two members' same path never share an entry)."""
    for alias, config in settings.CACHES.items():
        if alias != "pages":
            assert config.get("KEY_FUNCTION") == "django_tenants.cache.make_key", alias


def test_scheduled_pages_go_live_in_every_member(alpha, beta):
    for member in (alpha, beta):
        with schema_context(member.schema):
            page = MemberStandardPageFactory(
                parent=member_home(),
                title=f"Geplant {member.schema}",
                slug="geplant",
                publish=False,
            )
            page.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))

    done = publish_scheduled_pages()

    assert {"public", alpha.schema, beta.schema} <= set(done)
    for member in (alpha, beta):
        with schema_context(member.schema):
            assert Page.objects.get(slug="geplant").live
            assert (
                f"Geplant {member.schema}" in member.client().get("/de/geplant/").content.decode()
            )
