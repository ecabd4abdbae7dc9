"""Upload limits in a coordinator's admin: the size of one file, and the member's quota."""

import html
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from core.uploads import media_usage
from tests.factories import DocumentFactory, UserFactory


def _png(size: int = 300) -> bytes:
    """A PNG of noise: a few hundred kilobytes that do not compress away."""
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", (size, size), os.urandom(size * size * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def _coordinator_client(member, language="de"):
    client = member.client()
    with schema_context(member.schema):
        user = UserFactory(groups=["Koordination"])
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
        root = Collection.get_first_root_node().pk
        client.force_login(user)  # the session lives in the member's schema
    return client, root


def _upload(client, kind, collection, name, data):
    """What the admin's drag-and-drop upload sends; its JSON answer."""
    response = client.post(
        f"/admin/{kind}/multiple/add/",
        {"collection": collection, "files[]": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 200
    return response.json()


def test_images_and_documents_above_the_size_limit_are_refused(alpha, settings):
    """Documents have a limit by default (20 MB; Wagtail has none); images one that
    ``IMAGE_MAX_UPLOAD_MB`` sets (here made small)."""
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100 * 1024
    client, root = _coordinator_client(alpha)

    answer = _upload(client, "images", root, "gross.png", _png())
    assert answer["success"] is False
    assert "Maximale Dateigröße 100,0\xa0KB" in answer["error_message"]  # Wagtail's
    limit = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
    assert limit == 20 * 1024 * 1024
    answer = _upload(client, "documents", root, "lang.txt", b"x" * (limit + 1))
    assert answer["success"] is False
    assert "Maximale Dateigröße 20,0\xa0MB" in answer["error_message"]

    assert _upload(client, "documents", root, "kurz.txt", b"x" * 512)["success"] is True
    with schema_context(alpha.schema):
        assert not Image.objects.filter(title="gross.png").exists()
        assert list(Document.objects.values_list("title", flat=True)) == ["kurz.txt"]


@pytest.mark.parametrize(
    ("language", "message"),
    [("de", "Der Speicherplatz dieser Website ist voll"), ("en", "This site's storage is full")],
)
def test_uploads_beyond_the_members_quota_are_refused_with_a_clear_message(
    alpha, beta, settings, language, message
):
    with schema_context(alpha.schema):
        DocumentFactory(file__data=b"x" * 4000, file__filename="alt.txt")
    settings.MEMBER_MEDIA_QUOTA = media_usage(alpha.schema) + 1000
    client, root = _coordinator_client(alpha, language)

    for kind, name, data in (("documents", "neu.txt", b"y" * 2000), ("images", "neu.png", _png())):
        answer = _upload(client, kind, root, name, data)
        assert answer["success"] is False
        assert answer["error_message"].startswith(message)
        assert "\n" not in answer["error_message"], "one message, not a list of errors"
    # the single-file form says the same
    response = client.post(
        "/admin/documents/add/",
        {"title": "Neu", "collection": root, "file": SimpleUploadedFile("neu.txt", b"y" * 2000)},
    )
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())

    assert _upload(client, "documents", root, "klein.txt", b"z" * 500)["success"] is True
    # the quota is per member: beta's coordinator still has room
    other, other_root = _coordinator_client(beta, language)
    assert _upload(other, "documents", other_root, "neu.txt", b"y" * 2000)["success"] is True
