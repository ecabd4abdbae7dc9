"""Uploads reach visitors only through the app's checks: ``/media/`` serves images,
Wagtail's document view serves documents (privacy checked, as attachments), and in
production the proxy sends the bytes (X-Accel-Redirect) after the app said yes."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context
from wagtail.models import Collection, CollectionViewRestriction

from tests.factories import (
    DocumentFactory,
    ImageFactory,
    MemberNewsPageFactory,
    UserFactory,
    member_news_index,
)

PROTOCOL = b"%PDF-1.4 Protokoll der Steuerungsgruppe (vertraulich)"


@pytest.fixture
def private_document(alpha):
    """A PDF in a collection of alpha that only logged-in users may see."""
    with schema_context(alpha.schema):
        collection = Collection.get_first_root_node().add_child(name="Intern")
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
        document = DocumentFactory(
            collection=collection,
            title="Protokoll",
            file__data=PROTOCOL,
            file__filename="protokoll.pdf",
        )
        return {"media_url": document.file.url, "url": document.url, "pk": document.pk}


def _logged_in(alpha):
    client = alpha.client()
    with schema_context(alpha.schema):
        client.force_login(UserFactory(groups=[Group.objects.get(name="Koordination").name]))
    return client


def test_documents_are_not_served_under_media(alpha, private_document):
    url = private_document["media_url"]
    assert url.startswith("/media/alpha/documents/")
    for client in (alpha.client(), _logged_in(alpha)):
        response = client.get(url)
        assert response.status_code == 404
        assert PROTOCOL not in b"".join(getattr(response, "streaming_content", [response.content]))
    # nor by walking out of the image folder
    walked_out = url.replace("/documents/", "/images/../documents/")
    assert alpha.client().get(walked_out).status_code == 404


def test_document_view_applies_the_collection_privacy(alpha, private_document):
    anonymous = alpha.client().get(private_document["url"])
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/_util/login/")

    response = _logged_in(alpha).get(private_document["url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PROTOCOL
    assert response["Content-Disposition"].startswith("attachment")  # even for a PDF
    assert response["X-Content-Type-Options"] == "nosniff"


def test_images_and_renditions_are_still_served_under_media(alpha):
    with schema_context(alpha.schema):
        image = ImageFactory()
        original, rendition = image.file.url, image.get_rendition("width-200").url
    for url in (original, rendition):
        response = alpha.client().get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("image/")


def test_with_an_internal_location_the_proxy_sends_the_files(alpha, beta, settings):
    """Django checks host and permission, then names the file for the proxy
    (nginx ``internal`` location in docker-compose.yml) instead of streaming it."""
    settings.MEDIA_INTERNAL_LOCATION = "/_media/"
    with schema_context(alpha.schema):
        image = ImageFactory()
        document = DocumentFactory(file__data=b"Tagesordnung", file__filename="tagesordnung.txt")
        image_url, image_name, doc_url, doc_name = (
            image.file.url,
            image.file.name,
            document.url,
            document.file.name,
        )

    response = alpha.client().get(image_url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_media/alpha/{image_name}"
    assert response["Content-Type"].startswith("image/")
    assert response.content == b""

    response = alpha.client().get(doc_url)
    assert response["X-Accel-Redirect"] == f"/_media/alpha/{doc_name}"
    assert response["Content-Disposition"].startswith("attachment")

    # the checks still come first: another member's host, and documents under /media/
    assert beta.client().get(image_url).status_code == 404
    assert alpha.client().get(f"/media/alpha/{doc_name}").status_code == 404


def test_pages_link_documents_through_the_document_view(alpha, private_document):
    with schema_context(alpha.schema):
        MemberNewsPageFactory(
            parent=member_news_index(),
            slug="protokoll",
            attachments=json.dumps([{"type": "document", "value": private_document["pk"]}]),
        )
    page = BeautifulSoup(alpha.client().get("/de/aktuelles/protokoll/").content, "html.parser")
    links = [a["href"] for a in page.select("section.attachments a")]
    assert links == [private_document["url"]]
    assert links[0].startswith("/documents/")
