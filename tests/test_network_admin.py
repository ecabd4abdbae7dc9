"""Central editors manage members in the network site's Wagtail admin."""

from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context
from wagtail.models import Site
from wagtail.test.utils.form_data import querydict_from_html

from tenants.models import Member
from tests.conftest import HostClient


def test_central_editor_lists_members(editor_client):
    response = editor_client.get("/admin/members/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stadt Alpha" in html and "Kreis Beta" in html
    assert "alpha.localhost" in html
    assert "Vorlage für neue Mitglieder" not in html
    assert '"url": "/admin/members/"' in editor_client.get("/admin/").content.decode()


def test_central_editor_creates_a_member_from_the_form(editor_client):
    form_page = editor_client.get("/admin/members/new/")
    assert form_page.status_code == 200
    data = querydict_from_html(form_page.content.decode(), form_id="w-editor-form")
    data.update(
        {
            "name": "Stadt Kiel",
            "slug": "kiel",
            "kind": "city",
            "domain": "kiel.localhost",
            "coordinator_email": "koordination@kiel.example",
        }
    )
    response = editor_client.post("/admin/members/new/", data, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mitglied „Stadt Kiel“ angelegt" in page
    assert "Passwort (nur jetzt sichtbar)" in page

    member = Member.objects.get(slug="kiel")
    assert member.primary_domain == "kiel.localhost"
    with schema_context("kiel"):
        assert Site.objects.get().hostname == "kiel.localhost"
        assert get_user_model().objects.filter(username="koordination@kiel.example").exists()
    assert "Stadt Kiel" in HostClient("kiel.localhost").get("/de/").content.decode()


def test_invalid_form_input_shows_the_error_and_creates_nothing(editor_client):
    data = {"name": "Öffentlich", "slug": "public", "kind": "city", "domain": "alpha.localhost"}
    response = editor_client.post("/admin/members/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ist reserviert" in html
    assert not Member.objects.filter(name="Öffentlich").exists()


def test_member_admins_have_no_member_management(member_superuser_client):
    assert '"url": "/admin/members/"' not in member_superuser_client.get("/admin/").content.decode()
    response = member_superuser_client.get("/admin/members/")
    assert response.status_code in (302, 403)
    assert "Kreis Beta" not in response.content.decode()
    assert member_superuser_client.get("/admin/members/new/").status_code in (302, 403)


def test_coordinator_cannot_reach_the_network_admin_with_own_session(alpha):
    client = alpha.logged_in_client()
    network = HostClient("localhost")
    network.cookies["sessionid"] = client.cookies["sessionid"].value
    response = network.get("/admin/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_changing_a_members_domain_moves_its_site(editor_client, alpha):
    edit_url = f"/admin/members/edit/{alpha.member.pk}/"
    form_page = editor_client.get(edit_url)
    assert form_page.status_code == 200
    data = querydict_from_html(form_page.content.decode(), form_id="w-editor-form")
    data["domain"] = "alpha-neu.localhost"
    assert editor_client.post(edit_url, data).status_code == 302

    assert Member.objects.get(pk=alpha.member.pk).primary_domain == "alpha-neu.localhost"
    with schema_context(alpha.schema):
        assert Site.objects.get().hostname == "alpha-neu.localhost"
    assert "Stadt Alpha" in HostClient("alpha-neu.localhost").get("/de/").content.decode()


def test_renaming_a_member_renames_its_site(editor_client, alpha):
    edit_url = f"/admin/members/edit/{alpha.member.pk}/"
    data = querydict_from_html(
        editor_client.get(edit_url).content.decode(), form_id="w-editor-form"
    )
    data["name"] = "Stadt Alpha am See"
    assert editor_client.post(edit_url, data).status_code == 302
    with schema_context(alpha.schema):
        assert Site.objects.get().site_name == "Stadt Alpha am See"
