"""Who may have an uploaded file of a private collection, and how its answer is marked.

Wagtail restricts collections (``CollectionViewRestriction``: login, groups, shared
password; a restriction covers the collection's descendants too) but checks them only in
its document view. Images and their renditions reach visitors through ``/media/``
(``core.views.schema_media``), which asks :func:`image_file_access` here, so a private
image answers only to those its restrictions accept, by every URL that reaches it.
Editors who may change or choose the image in the admin see it too: the admin shows its
images by the same URLs, and they have the image there anyway.

Answers that hand over a restricted file are marked by :func:`response_private`, so no
shared cache (proxy, CDN) keeps them and the browser asks again before each reuse.
"""

from enum import Enum

from django.utils.cache import patch_cache_control, patch_vary_headers
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction
from wagtail.permissions import policy_registry

# The folders below a schema's media root that hold the files of image rows.
ORIGINALS_FOLDER = "original_images"
RENDITIONS_FOLDER = "images"


class FileAccess(Enum):
    PUBLIC = "public"  # in no restricted collection: served as before
    GRANTED = "granted"  # restricted, and this request may have it: served as private
    REFUSED = "refused"  # restricted, and this request may not: as if it did not exist


def image_file_access(request, name: str) -> FileAccess:
    """What ``request`` may do with the file ``name`` (relative to the schema's media
    root, normalised) of the current schema.

    A schema without any collection restriction costs one small query and no look-up of
    the file. A file that belongs to no image (a highlight copy, a stray file) is public.
    """
    if not CollectionViewRestriction.objects.exists():
        return FileAccess.PUBLIC
    restricted = [
        (image, restrictions)
        for image in _images_of_file(name)
        if (restrictions := list(image.collection.get_view_restrictions()))
    ]
    if not restricted:
        return FileAccess.PUBLIC
    if all(_image_accepts(request, image, restrictions) for image, restrictions in restricted):
        return FileAccess.GRANTED
    return FileAccess.REFUSED


def document_restricted(document_id: int) -> bool:
    """Whether the document lies in a restricted collection (Wagtail's document view
    checks who may have it; this only decides how its answer is marked)."""
    if not CollectionViewRestriction.objects.exists():
        return False
    document = (
        get_document_model().objects.select_related("collection").filter(pk=document_id).first()
    )
    return document is not None and document.collection.get_view_restrictions().exists()


def response_private(response) -> None:
    """Mark the answer that hands over a restricted file.

    ``private``: no shared cache may keep it, so it never reaches another visitor.
    ``no-cache``: the browser asks again before each reuse (a cheap 304 when unchanged),
    so a logout or a lost group membership takes effect on the next view; this is also
    what the page cache sends for pages served to a session. ``Vary: Cookie``: the
    answer depends on who asks. Stricter words already there (``no-store`` on Wagtail's
    password form) stay.
    """
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))


def _images_of_file(name: str) -> list:
    """The image rows whose original or rendition is the file ``name`` (normally one)."""
    image_model = get_image_model()
    images = image_model.objects.select_related("collection")
    folder = name.split("/", 1)[0]
    if folder == ORIGINALS_FOLDER:
        return list(images.filter(file=name))
    if folder == RENDITIONS_FOLDER:
        renditions = image_model.get_rendition_model().objects.filter(file=name)
        return list(images.filter(pk__in=renditions.values("image_id")))
    return []


def _image_accepts(request, image, restrictions) -> bool:
    """Whether every restriction of the image's collection (its own and its ancestors')
    lets the request through, or the user may change or choose the image in the admin."""
    if all(restriction.accept_request(request) for restriction in restrictions):
        return True
    policy = policy_registry.get_by_type(type(image))
    return policy.user_has_any_permission_for_instance(request.user, ["change", "choose"], image)
