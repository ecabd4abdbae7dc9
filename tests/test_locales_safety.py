"""The default German locale stays as it is, and ``setup_platform`` never moves a site.

Every site's original content is German: renaming or deleting that locale would cut the
``/de/`` pages, the translations and the copy pipeline from their source.
"""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django_tenants.utils import schema_context
from wagtail.models import Locale, Site

from tests.factories import (
    MemberStandardPageFactory,
    NetworkStandardPageFactory,
    member_home,
    network_home,
)

REFUSED = "Deutsch ist die Ausgangssprache aller Inhalte dieser Website"


def locales(schema: str) -> dict[int, str]:
    with schema_context(schema):
        return dict(Locale.all_objects.values_list("pk", "language_code"))


@pytest.fixture(params=["superuser", "coordinator"])
def locale_editor(request, editor_client, alpha):
    """A network superuser, then a member's coordinator (who may edit languages)."""
    if request.param == "superuser":
        return editor_client, "public"
    return alpha.logged_in_client(), alpha.schema


def test_the_default_locale_cannot_be_renamed_or_deleted(locale_editor):
    client, schema = locale_editor
    before = locales(schema)
    german = next(pk for pk, code in before.items() if code == settings.LANGUAGE_CODE)

    for action in ("edit", "delete"):
        url = f"/admin/locales/{action}/{german}/"
        shown = client.get(url, follow=True)
        assert shown.redirect_chain[-1][0] == "/admin/locales/", url
        assert REFUSED in shown.content.decode(), url
        sent = client.post(url, {"language_code": "tr"}, follow=True)
        assert REFUSED in sent.content.decode(), url

    assert locales(schema) == before


def test_other_locales_are_still_edited(member_superuser_client, alpha):
    english = next(pk for pk, code in locales(alpha.schema).items() if code == "en")
    response = member_superuser_client.get(f"/admin/locales/edit/{english}/")
    assert response.status_code == 200
    assert REFUSED not in response.content.decode()


def test_setup_platform_keeps_the_root_page_of_every_site(platform, db):
    """An editor gave the network site (and someone the template) another root page."""
    roots = {}
    for schema, factory, home in (
        ("public", NetworkStandardPageFactory, network_home),
        (settings.MEMBER_TEMPLATE_SCHEMA, MemberStandardPageFactory, member_home),
    ):
        with schema_context(schema):
            roots[schema] = factory(parent=home(), title="Neue Startseite").pk
            Site.objects.filter(is_default_site=True).update(root_page=roots[schema])

    call_command("setup_platform", stdout=io.StringIO())

    for schema, root in roots.items():
        with schema_context(schema):
            assert Site.objects.get(is_default_site=True).root_page_id == root, schema
