"""A member's data, sessions, accounts and cache entries stay inside its own schema."""

import re

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import querydict_from_html

from sites.members.models import MemberHomePage
from tests.conftest import HostClient
from tests.factories import (
    DocumentFactory,
    ImageFactory,
    MemberStandardPageFactory,
    UserFactory,
    member_home,
)


def _content_in(schema: str) -> dict:
    with schema_context(schema):
        return {
            "pages": set(Page.objects.values_list("title", flat=True)),
            "images": set(Image.objects.values_list("title", flat=True)),
            "documents": set(Document.objects.values_list("title", flat=True)),
            "users": set(get_user_model().objects.values_list("username", flat=True)),
        }


def test_pages_images_documents_and_users_exist_only_in_their_schema(alpha, beta):
    with schema_context(alpha.schema):
        MemberStandardPageFactory(
            parent=member_home(), title="Übergang Schule–Beruf in Alpha", slug="uebergang"
        )
        image = ImageFactory(title="Alpha Foto")
        document = DocumentFactory(title="Alpha Protokoll")
        UserFactory(username="nur-in-alpha")
        image_path, document_path = image.file.path, document.file.path

    in_alpha = _content_in(alpha.schema)
    assert {"Übergang Schule–Beruf in Alpha", "Stadt Alpha"} <= in_alpha["pages"]
    assert "Alpha Foto" in in_alpha["images"]
    assert "Alpha Protokoll" in in_alpha["documents"]
    assert {"nur-in-alpha", alpha.coordinator} <= in_alpha["users"]

    for other in (beta.schema, "public"):
        elsewhere = _content_in(other)
        assert not {"Übergang Schule–Beruf in Alpha", "Stadt Alpha"} & elsewhere["pages"]
        assert "Alpha Foto" not in elsewhere["images"]
        assert "Alpha Protokoll" not in elsewhere["documents"]
        assert not {"nur-in-alpha", alpha.coordinator} & elsewhere["users"]

    assert "/alpha/" in image_path and "/alpha/" in document_path


def test_uploaded_file_is_served_only_on_its_members_host(alpha, beta):
    with schema_context(alpha.schema):
        image = ImageFactory(title="Alpha Bild")
        url = image.file.url
    assert url.startswith("/media/alpha/")
    assert alpha.client().get(url).status_code == 200
    assert beta.client().get(url).status_code == 404
    assert HostClient("localhost").get(url).status_code == 404


def test_session_cookie_of_one_member_is_anonymous_on_another(alpha, beta):
    client = alpha.logged_in_client()
    assert client.get("/admin/").status_code == 200
    session_cookie = client.cookies["sessionid"].value

    other = beta.client()
    other.cookies["sessionid"] = session_cookie
    response = other.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

    network = HostClient("localhost")
    network.cookies["sessionid"] = session_cookie
    assert network.get("/admin/").status_code == 302


def test_coordinator_cannot_log_in_on_another_member_or_the_network(alpha, beta):
    credentials = {"username": alpha.coordinator, "password": alpha.password}
    for client in (beta.client(), HostClient("localhost")):
        response = client.post("/admin/login/", credentials)
        assert response.status_code == 200, "login must be refused, not redirected"
        assert "sessionid" not in response.cookies
        assert client.get("/admin/").status_code == 302
    assert alpha.client().post("/admin/login/", credentials).status_code == 302


def test_preview_in_a_members_admin_stays_in_that_members_schema(alpha, beta):
    """Wagtail replays the middleware for previews; a wrong Site hostname must not
    switch the schema (ARCHITECTURE.md, trap 3)."""
    client = alpha.logged_in_client()
    with schema_context(alpha.schema):
        page = MemberStandardPageFactory(
            parent=member_home(), title="Vorschau Alpha", slug="vorschau"
        )
    for wrong_hostname in ("localhost", beta.host, "niemand.localhost"):
        with schema_context(alpha.schema):
            Site.objects.update(hostname=wrong_hostname)
        edit_url = f"/admin/pages/{page.pk}/edit/"
        edit_form = client.get(edit_url)
        assert edit_form.status_code == 200
        data = querydict_from_html(edit_form.content.decode(), form_id="page-edit-form")
        data["title"] = "Vorschau Alpha geändert"
        data["body-count"] = "0"  # the StreamField's form is drawn by JavaScript
        assert client.post(f"{edit_url}preview/", data).json()["is_valid"]
        preview = client.get(f"{edit_url}preview/")
        assert preview.status_code == 200, wrong_hostname
        assert "Vorschau Alpha geändert" in preview.content.decode()
        assert connection.schema_name == alpha.schema


def test_cache_keys_and_cached_site_root_paths_differ_per_member(alpha, beta):
    cache.clear()
    paths = {}
    for member in (alpha, beta):
        with schema_context(member.schema):
            paths[member.schema] = [p.root_url for p in Site.get_site_root_paths()]
            cache.set("marker", member.schema)
    assert paths[alpha.schema] == ["http://alpha.localhost"]
    assert paths[beta.schema] == ["http://beta.localhost"]
    for member in (alpha, beta):
        with schema_context(member.schema):
            assert cache.get("marker") == member.schema
            assert [p.root_url for p in Site.get_site_root_paths()] == paths[member.schema]
    with schema_context(alpha.schema):
        alpha_key = cache.make_key("marker")
    with schema_context(beta.schema):
        beta_key = cache.make_key("marker")
    assert alpha_key != beta_key
    assert re.match(r"^alpha:", alpha_key) and re.match(r"^beta:", beta_key)


def test_full_url_of_a_member_page_uses_its_own_domain(alpha, beta):
    for member in (alpha, beta):
        with schema_context(member.schema):
            assert MemberHomePage.objects.get().full_url == f"http://{member.host}/de/"
