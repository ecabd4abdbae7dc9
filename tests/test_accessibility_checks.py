"""Accessibility as part of publishing: a page with an image without alternative text, an
empty heading or a skipped heading level is not published, and the message names the
block; drafts may keep such problems; the editor's checker runs our rules."""

import json
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from core.accessibility import CHECKER_RULES
from core.blocks import BodyBlock
from tests.conftest import NETWORK_HOST, HostClient
from tests.factories import (
    ImageFactory,
    MemberStandardPageFactory,
    NetworkStandardPageFactory,
    member_home,
    network_home,
)


@dataclass
class Site:
    kind: str
    schema: str
    host: str
    factory: type

    def parent(self):
        return member_home() if self.kind == "member" else network_home()


@pytest.fixture(params=["member", "network"])
def site(request, alpha) -> Site:
    if request.param == "member":
        return Site("member", alpha.schema, alpha.host, MemberStandardPageFactory)
    return Site("network", "public", NETWORK_HOST, NetworkStandardPageFactory)


def heading(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def paragraph(html):
    return ("paragraph", RichText(html))


def _publish(site: Site, body, **fields):
    """A page with ``body`` below the site's home, published as code publishes."""
    with schema_context(site.schema):
        image = ImageFactory()
        body = [(kind, value(image) if callable(value) else value) for kind, value in body]
        return site.factory(parent=site.parent(), body=body, **fields)


REFUSED = {
    "image block without alt text": (
        [heading("Rückblick"), ("image", lambda image: {"image": image, "alt_text": " "})],
        "Inhalt, Block 2 „Bild“: Das Bild hat keinen Alternativtext.",
    ),
    "empty heading block": (
        [heading("  "), paragraph("<p>Text</p>")],
        "Inhalt, Block 1 „Überschrift“: Die Überschrift ist leer.",
    ),
    "empty heading in a text": (
        [heading("Angebote"), paragraph("<h3>&nbsp;</h3><p>Beratung</p>")],
        "Inhalt, Block 2 „Text“: Die Überschrift ist leer.",
    ),
    "h2 then h4": (
        [heading("Angebote"), paragraph("<p>Einleitung</p>"), paragraph("<h4>Beratung</h4>")],
        "Inhalt, Block 3 „Text“ (Ebene 4) überspringt Ebene 3 nach Block 1 „Überschrift“.",
    ),
    "h3 right after the title": (
        [heading("Details", level="h3")],
        "Inhalt, Block 1 „Überschrift“ (Ebene 3) überspringt Ebene 2 nach dem Seitentitel.",
    ),
    "img without alt in a text": (
        [paragraph('<p>So sieht es aus: <img src="/media/werkstatt.png"></p>')],
        "Inhalt, Block 1 „Text“: Ein Bild im Text hat keinen Alternativtext.",
    ),
    "image embed with empty alt in a text": (
        [paragraph('<p>Text</p><embed embedtype="image" id="1" format="left" alt=""/>')],
        "Inhalt, Block 1 „Text“: Ein Bild im Text hat keinen Alternativtext.",
    ),
    "agenda day without date or title": (
        [("agenda", {"title": "Programm", "days": [{"date": None, "title": "", "items": []}]})],
        "Inhalt, Block 1 „Programm“, Tag 1: Der Tag braucht ein Datum oder einen Titel "
        "(seine Überschrift).",
    ),
}


@pytest.mark.parametrize("body, message", REFUSED.values(), ids=REFUSED.keys())
def test_publishing_is_refused_with_a_message_naming_the_block(site, body, message):
    with pytest.raises(ValidationError) as refused:
        _publish(site, body, slug="barrieren")

    assert refused.value.message_dict == {"body": [message]}
    with schema_context(site.schema):
        assert not site.factory._meta.model.objects.filter(slug="barrieren", live=True).exists()


def test_every_problem_of_a_page_is_named(site):
    body = [heading("Details", level="h3"), heading(""), paragraph("<p><img></p>")]

    with pytest.raises(ValidationError) as refused:
        _publish(site, body)

    (text,) = refused.value.message_dict["body"]
    assert text == (
        "Inhalt, Block 1 „Überschrift“ (Ebene 3) überspringt Ebene 2 nach dem Seitentitel. "
        "Inhalt, Block 2 „Überschrift“: Die Überschrift ist leer. "
        "Inhalt, Block 3 „Text“: Ein Bild im Text hat keinen Alternativtext."
    )


def test_the_image_block_itself_requires_alt_text():
    """The editor's form refuses the image block without alternative text as well; the
    server's check covers what reaches a page otherwise (imports, code)."""
    image_block = BodyBlock().child_blocks["image"]
    with pytest.raises(ValidationError):
        image_block.clean(image_block.to_python({"image": None, "alt_text": "", "caption": ""}))


def test_a_well_built_page_is_published(site):
    """Headings the block templates add count too: after a call to action (its title is
    an h2) an h3 follows properly; an agenda's days are h3 below its h2 title."""
    body = [
        heading("Angebote"),
        paragraph("<h3>Beratung</h3><p>Montags im Rathaus.</p>"),
        ("image", lambda image: {"image": image, "alt_text": "Jugendliche in einer Werkstatt"}),
        (
            "call_to_action",
            {
                "title": "Jetzt anmelden",
                "text": "",
                "link": {"label": "Anmeldung", "url": "https://example.org"},
            },
        ),
        heading("Termine", level="h3"),
        (
            "agenda",
            {"title": "Ablauf", "days": [{"date": None, "title": "Erster Tag", "items": []}]},
        ),
        paragraph('<h4>Anfahrt</h4><p><img src="/media/karte.png" alt="Karte"></p>'),
    ]

    page = _publish(site, body)

    assert page.live
    assert HostClient(site.host).get(page.url).status_code == 200


# --- through the admin --------------------------------------------------------------------


def _editor(site: Site, alpha, request) -> HostClient:
    if site.kind == "member":
        return alpha.logged_in_client()  # the member's coordinator
    return request.getfixturevalue("redaktion_client")  # a central editor


def _edit_form(client, page, body) -> dict:
    edit_url = f"/admin/pages/{page.pk}/edit/"
    data = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    data = data.dict()
    data.update(nested_form_data({"body": streamfield(body)}))
    return data


def _body_errors(response) -> dict:
    """The errors the editor shows in and above the blocks of the field "Inhalt"."""
    field = BeautifulSoup(response.content.decode(), "html.parser").find(
        attrs={"data-controller": "w-block", "id": "body"}
    )
    _value, errors = json.loads(field["data-w-block-arguments-value"])
    return errors


def test_publishing_in_the_admin_is_refused_with_the_message_at_the_block(site, alpha, request):
    """The editor's form lets an h3 right after the title pass; the check names it."""
    message = "Inhalt, Block 1 „Überschrift“ (Ebene 3) überspringt Ebene 2 nach dem Seitentitel."
    body = [heading("Details", level="h3")]
    page = _publish(site, [heading("Entwurf")], publish=False)
    client = _editor(site, alpha, request)
    data = _edit_form(client, page, body)
    data["action-publish"] = "action-publish"

    response = client.post(f"/admin/pages/{page.pk}/edit/", data)

    assert response.status_code == 200
    errors = _body_errors(response)
    assert errors["messages"] == [message]
    assert errors["blockErrors"]["0"]["messages"] == [message]
    with schema_context(site.schema):
        page.refresh_from_db()
        assert not page.live
        assert page.first_published_at is None


def test_an_image_block_without_alt_text_is_refused_in_the_admin(site, alpha, request):
    page = _publish(site, [heading("Entwurf")], publish=False)
    with schema_context(site.schema):
        image = ImageFactory()
    client = _editor(site, alpha, request)
    data = _edit_form(client, page, [("image", {"image": image.pk, "alt_text": "", "caption": ""})])
    data["action-publish"] = "action-publish"

    response = client.post(f"/admin/pages/{page.pk}/edit/", data)

    assert response.status_code == 200
    assert "alt_text" in _body_errors(response)["blockErrors"]["0"]["blockErrors"]
    with schema_context(site.schema):
        page.refresh_from_db()
        assert not page.live


def test_a_draft_with_problems_is_saved_and_refused_when_published(site, alpha, request):
    """Work in progress is never lost: Wagtail saves drafts with required fields still
    empty, and the checks wait for publishing in the same way."""
    page = _publish(site, [heading("Entwurf")], publish=False)
    client = _editor(site, alpha, request)
    data = _edit_form(client, page, [heading("Details", level="h3")])

    saved = client.post(f"/admin/pages/{page.pk}/edit/", data)

    assert saved.status_code == 302
    with schema_context(site.schema):
        page.refresh_from_db()
        draft = page.get_latest_revision_as_object()
        assert draft.body[0].value["level"] == "h3"
        assert not page.specific_class.objects.get(pk=page.pk).live
    data["action-publish"] = "action-publish"
    assert client.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 200
    with schema_context(site.schema):
        assert not page.specific_class.objects.get(pk=page.pk).live

    # the page listing's bulk "Publish" names the page instead of publishing it
    bulk = client.post(
        f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next=/admin/pages/", follow=True
    )
    assert bulk.status_code == 200
    assert "Nichts veröffentlicht" in bulk.content.decode()
    with schema_context(site.schema):
        assert not page.specific_class.objects.get(pk=page.pk).live


# --- the checker in the editor ----------------------------------------------------------


def test_the_editor_checks_with_our_rules(site, alpha, request):
    page = _publish(site, [heading("Angebote")])
    client = _editor(site, alpha, request)

    response = client.get(f"/admin/pages/{page.pk}/edit/")

    soup = BeautifulSoup(response.content.decode(), "html.parser")
    configuration = json.loads(soup.find(id="checker-axe-configuration").string)
    run_only = configuration["options"]["runOnly"]
    assert run_only == CHECKER_RULES
    assert {"image-alt", "empty-heading", "heading-order", "link-name"} <= set(run_only)
    assert {"th-has-data-cells", "td-has-header", "scope-attr-valid"} <= set(run_only)
    assert [rule["id"] for rule in configuration["spec"]["rules"]] == ["alt-text-quality"]
    assert configuration["messages"]["image-alt"]["error_name"] == "Bild ohne Alternativtext"
