"""The network admin changes real members only: the network's own row (schema ``public``)
and the template are neither listed nor opened, whoever asks."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import querydict_from_html

from sites.demo.management.commands.seed_demo import NETWORK_ACCOUNTS
from tenants.models import Domain, Member
from tests.conftest import NETWORK_HOST, HostClient
from tests.test_demo import seed_demo

SYSTEM_SCHEMAS = ("public", "member_template")


@pytest.fixture(params=["redaktion_client", "editor_client"])
def admin_client(request) -> HostClient:
    """A non-superuser of the group "Redaktion", then a superuser: the rule is for both."""
    return request.getfixturevalue(request.param)


def system_rows() -> list[Member]:
    return list(Member.objects.filter(schema_name__in=SYSTEM_SCHEMAS).order_by("pk"))


def routing() -> list[tuple]:
    return sorted(Domain.objects.values_list("domain", "tenant__schema_name", "is_primary"))


def test_member_list_shows_no_system_row(admin_client, alpha):
    html = admin_client.get("/admin/members/").content.decode()
    assert f"/admin/members/edit/{alpha.member.pk}/" in html
    for row in system_rows():
        assert f"/admin/members/edit/{row.pk}/" not in html
    assert "Vorlage für neue Mitglieder" not in html


def answer(client, method: str, url: str, data=None) -> int:
    """The status the browser ends on (an admin 404 is first redirected to ``/de/…``
    by the locale middleware)."""
    return getattr(client, method)(url, data, follow=True).status_code


def test_system_rows_cannot_be_opened_archived_or_re_domained(admin_client, alpha):
    # A real form, taken from a real member's edit page, sent to the system rows' URLs.
    form = querydict_from_html(
        admin_client.get(f"/admin/members/edit/{alpha.member.pk}/").content.decode(),
        form_id="w-editor-form",
    )
    form.update({"state": "archived", "domain": "gekapert.localhost", "name": "Gekapert"})
    before = [(row.name, row.state) for row in system_rows()], routing()

    for row in system_rows():
        for view in ("edit", "history", "usage", "delete"):
            url = f"/admin/members/{view}/{row.pk}/"
            assert answer(admin_client, "get", url) == 404, url
        for view in ("edit", "delete"):
            url = f"/admin/members/{view}/{row.pk}/"
            assert answer(admin_client, "post", url, form) == 404, url

    assert ([(row.name, row.state) for row in system_rows()], routing()) == before
    assert HostClient(NETWORK_HOST).get("/de/").status_code == 200  # the network is online
    assert admin_client.get("/admin/").status_code == 200  # and so is its admin
    assert not Domain.objects.filter(domain="gekapert.localhost").exists()


def test_real_members_are_still_edited_by_the_redaktion(redaktion_client, alpha):
    url = f"/admin/members/edit/{alpha.member.pk}/"
    form = querydict_from_html(redaktion_client.get(url).content.decode(), form_id="w-editor-form")
    form["state"] = "archived"
    assert redaktion_client.post(url, form).status_code == 302
    assert Member.objects.get(pk=alpha.member.pk).state == "archived"
    assert alpha.client().get("/de/").status_code == 410
    assert redaktion_client.get(f"/admin/members/history/{alpha.member.pk}/").status_code == 200


def test_the_demo_has_a_redaktion_account_that_is_no_superuser(platform, db):
    seed_demo()
    username, password = next(
        (name, secret) for name, secret, superuser in NETWORK_ACCOUNTS if not superuser
    )
    user = get_user_model().objects.get(username=username)
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Redaktion"]

    client = HostClient(NETWORK_HOST)
    assert (
        client.post("/admin/login/", {"username": username, "password": password}).status_code
        == 302
    )
    assert client.get("/admin/members/").status_code == 200
    network = Member.objects.get(schema_name="public")
    assert answer(client, "get", f"/admin/members/edit/{network.pk}/") == 404
