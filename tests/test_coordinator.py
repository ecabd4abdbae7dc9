"""A member's coordinator at work: upload an image, publish news with it, edit the site's
settings, and see nothing of another member or of the network."""

from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site
from wagtail.test.utils.form_data import querydict_from_html, rich_text

from core.models import SiteSettings
from sites.members.models import MemberHomePage, MemberNewsIndexPage, MemberNewsPage
from tests.conftest import HostClient
from tests.factories import (
    DocumentFactory,
    ImageFactory,
    MemberStandardPageFactory,
    UserFactory,
    member_home,
)

PARAGRAPH = ["bold", "italic", "link", "document-link", "ol", "ul"]


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def _publish_new_page(client, model, parent_id: int, fields: dict):
    """Fill the admin's "add page" form for ``model`` below ``parent_id`` and publish."""
    add_url = f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent_id}/"
    form = client.get(add_url)
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="page-edit-form").dict()
    data.update(fields)
    data["action-publish"] = "action-publish"
    return client.post(add_url, data)


def test_coordinator_uploads_an_image_and_publishes_news_with_it(alpha, beta):
    client = alpha.logged_in_client()

    form = client.get("/admin/images/add/")
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="w-editor-form").dict()
    data.update(
        title="Ausbildungsmesse 2025",
        description="Jugendliche am Stand eines Handwerksbetriebs",
        file=SimpleUploadedFile("messe.png", get_test_image_file().file.getvalue()),
    )
    response = client.post("/admin/images/add/", data)
    assert response.status_code == 302
    with schema_context(alpha.schema):
        image = Image.objects.get(title="Ausbildungsmesse 2025")
        assert image.description == "Jugendliche am Stand eines Handwerksbetriebs"
        assert "/alpha/" in image.file.path
        home = MemberHomePage.objects.get()
        assert not MemberNewsIndexPage.objects.exists()
    with schema_context(beta.schema):
        assert not Image.objects.filter(title="Ausbildungsmesse 2025").exists()

    response = _publish_new_page(
        client,
        MemberNewsIndexPage,
        home.pk,
        {"title": "Aktuelles", "slug": "aktuelles", "intro": rich_text("<p>Neues aus Alpha.</p>")},
    )
    assert response.status_code == 302
    with schema_context(alpha.schema):
        index = MemberNewsIndexPage.objects.get(slug="aktuelles")
        assert index.live

    response = _publish_new_page(
        client,
        MemberNewsPage,
        index.pk,
        {
            "title": "Messe mit 40 Betrieben",
            "slug": "messe",
            "date": "2025-03-14",
            "teaser": "Rund 800 Jugendliche kamen.",
            "image": str(image.pk),
            "body-count": "1",
            "body-0-type": "paragraph",
            "body-0-value": rich_text("<p>Die Messe war ein Erfolg.</p>", features=PARAGRAPH),
            "body-0-order": "0",
            "body-0-deleted": "",
            "attachments-count": "0",
        },
    )
    assert response.status_code == 302
    with schema_context(alpha.schema):
        news = MemberNewsPage.objects.get(slug="messe")
        assert news.live and news.image_id == image.pk
        assert news.get_parent().pk == index.pk

    visitor = alpha.client()
    listing = visitor.get("/de/aktuelles/")
    assert listing.status_code == 200
    assert "/de/aktuelles/messe/" in [a.get("href") for a in _soup(listing)("a")]

    page = visitor.get("/de/aktuelles/messe/")
    assert page.status_code == 200
    soup = _soup(page)
    assert soup.h1.get_text(strip=True) == "Messe mit 40 Betrieben"
    assert "Die Messe war ein Erfolg." in soup.get_text()
    shown = [img for img in soup("img") if img["src"].startswith("/media/alpha/images/")]
    assert len(shown) == 1, "the news page shows its image from alpha's media"
    assert shown[0]["alt"] == "Jugendliche am Stand eines Handwerksbetriebs"
    assert visitor.get(shown[0]["src"]).status_code == 200
    assert beta.client().get(shown[0]["src"]).status_code == 404
    assert beta.client().get("/de/aktuelles/messe/").status_code == 404


def _make_content(member, prefix: str) -> dict:
    """A page, an image, a document and a user in ``member``'s schema; returns their ids."""
    with schema_context(member.schema):
        page = MemberStandardPageFactory(
            parent=member_home(), title=f"{prefix} Berufsorientierung", slug="bo"
        )
        image = ImageFactory(title=f"{prefix} Foto", description="Ein Foto")
        document = DocumentFactory(title=f"{prefix} Flyer")
        user = UserFactory(username=f"redaktion-{prefix.lower()}")
    return {"page": page.pk, "image": image.pk, "document": document.pk, "user": user.pk}


def test_coordinator_sees_only_their_own_members_content(alpha, beta):
    beta_ids = _make_content(beta, "Beta")
    _make_content(alpha, "Alpha")
    client = alpha.logged_in_client()
    beta_words = ("Beta Berufsorientierung", "Beta Foto", "Beta Flyer", "redaktion-beta")

    with schema_context(alpha.schema):
        home_id = MemberHomePage.objects.get().pk
    listings = {
        f"/admin/pages/{home_id}/": "Alpha Berufsorientierung",
        "/admin/pages/search/?q=Berufsorientierung": "Alpha Berufsorientierung",
        "/admin/images/": "Alpha Foto",
        "/admin/images/chooser/?q=Foto": "Alpha Foto",
        "/admin/documents/": "Alpha Flyer",
        "/admin/documents/chooser/?q=Flyer": "Alpha Flyer",
    }
    for url, own in listings.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert own in html, url
        assert not [word for word in beta_words if word in html], url

    # Ids are counted per schema: beta's ids, asked for on alpha, are alpha's objects or none.
    for url in (
        f"/admin/pages/{beta_ids['page']}/edit/",
        f"/admin/images/{beta_ids['image']}/",
        f"/admin/documents/edit/{beta_ids['document']}/",
    ):
        response = client.get(url)
        assert response.status_code in (200, 302, 404), url
        assert not [word for word in beta_words if word in response.content.decode()], url

    for url in ("/admin/users/", "/admin/groups/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/admin/", "refused with a message on the dashboard"
    # An id that exists in alpha is refused the same way; one that does not is a 404
    # (after LocaleMiddleware's redirect to /de/…, as for every unknown address).
    response = client.get(f"/admin/users/edit/{beta_ids['user']}/", follow=True)
    refused = [url for url, _status in response.redirect_chain] == ["/admin/"]
    assert refused or response.status_code == 404
    assert not [word for word in beta_words if word in response.content.decode()]
    assert "redaktion-beta" not in response.content.decode()
    refused = client.get("/admin/users/", follow=True)
    assert "Sie haben leider keinen Zugang zu diesem Bereich." in refused.content.decode()
    assert "redaktion-beta" not in refused.content.decode()


def test_coordinator_account_and_session_work_only_in_their_own_admin(alpha, beta):
    client = alpha.logged_in_client()
    assert client.get("/admin/").status_code == 200
    session = client.cookies["sessionid"].value
    credentials = {"username": alpha.coordinator, "password": alpha.password}

    for other in (beta.client(), HostClient("localhost")):
        other.cookies["sessionid"] = session
        for url in ("/admin/", "/admin/pages/", "/admin/images/"):
            response = other.get(url)
            assert response.status_code == 302, (other.host, url)
            assert response["Location"].startswith("/admin/login/"), (other.host, url)
        login = other.post("/admin/login/", credentials)
        assert login.status_code == 200, "the login form is shown again"
        assert not getattr(login.cookies.get("sessionid"), "value", ""), "no session"
        assert other.get("/admin/").status_code == 302


def test_coordinator_edits_their_sites_settings(alpha, beta):
    client = alpha.logged_in_client()
    with schema_context(alpha.schema):
        site_id = Site.objects.get().pk
    url = f"/admin/settings/core/sitesettings/{site_id}/"
    assert client.get("/admin/settings/core/sitesettings/")["Location"] == url

    form = client.get(url)
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="w-editor-form").dict()
    assert data["accent_colour"] == "#005a8c"

    data["accent_colour"] = "#12345"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Farbe als #rrggbb angeben" in refused.content.decode()

    data.update(
        accent_colour="#7a1f5c",
        footer_contact="Koordinierungsstelle Alpha, Rathausplatz 1",
        contact_email="koordination@alpha.example",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == url
    with schema_context(alpha.schema):
        saved = SiteSettings.for_site(Site.objects.get())
        assert saved.accent_colour == "#7a1f5c"
        assert saved.footer_contact == "Koordinierungsstelle Alpha, Rathausplatz 1"
        assert saved.contact_email == "koordination@alpha.example"
    with schema_context(beta.schema):
        assert SiteSettings.for_site(Site.objects.get()).accent_colour == "#005a8c"
