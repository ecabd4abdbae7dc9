"""Teaser-sized copies of members' images in public media, owned by the highlight rows.

A member's images live in its own media folder and are served on its own host only, so
a highlight's image needs a copy that the network host serves. The copy is made with
Wagtail's own image filters (focal point, orientation, format) from the original, at
the size the network's teasers show (``COPY_FILTER``), and named after the original
(``highlights/<schema>/<image id>-<original name>.<filter>.jpg``): a new original gets a
new copy, an unchanged one is not rendered again.

A copy exists only while a highlight row names it (withdrawn rows and changes waiting for
review included). :func:`highlight_copies_sweep`
removes the others of a member: after each pipeline write (rows removed, images
changed or deleted at the member) and after rows or members are deleted. Public media is
written in the public schema; every function here switches there itself.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from core.schemas import media_root
from sites.highlights.models import Highlight

logger = logging.getLogger(__name__)

COPY_FILTER = "fill-480x270|format-jpeg"  # the size of every teaser image of the theme
FOLDER = "highlights"


def _member_folder(schema: str) -> str:
    return f"{FOLDER}/{schema}"


def copy_name(schema: str, image_id: int, original: str) -> str:
    """The public copy's storage name for one original of one member."""
    stem = PurePosixPath(original).stem
    spec = COPY_FILTER.split("|")[0]
    return f"{_member_folder(schema)}/{image_id}-{stem}.{spec}.jpg"


def highlight_copy_ensure(schema: str, image) -> str:
    """The storage name of the public copy of ``image`` (a row of the member's image
    table as the pipeline read it), made now if it is missing; "" when there is no image
    or it cannot be read (logged: the highlight is then shown without one)."""
    if image is None or not image.file:
        return ""
    if image.file.lower().endswith(".svg"):
        return ""  # vector files are not served from public media (they may carry scripts)
    name = copy_name(schema, image.id, image.file)
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        if default_storage.exists(name):
            return name
        original = media_root(schema) / image.file
        try:
            with original.open("rb") as source:
                picture = get_image_model()(
                    width=image.width,
                    height=image.height,
                    focal_point_x=image.focal_point_x,
                    focal_point_y=image.focal_point_y,
                    focal_point_width=image.focal_point_width,
                    focal_point_height=image.focal_point_height,
                    file=image.file,
                )
                rendered = Filter(spec=COPY_FILTER).run(picture, io.BytesIO(), source=File(source))
            rendered.f.seek(0)
            return default_storage.save(name, File(rendered.f))
        except Exception:
            logger.warning(
                "Highlights: no copy of image %s of %s (%s)",
                image.id,
                schema,
                original,
                exc_info=True,
            )
            return ""


def highlight_copies_sweep(schemas: list[str]) -> int:
    """Delete the copies of these members that no highlight row names any more (a member
    that is gone has none). Returns how many files were deleted."""
    deleted = 0
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        rows = Highlight.objects.filter(member__schema_name__in=schemas)
        named = set(rows.exclude(image="").values_list("image", flat=True))
        named |= set(rows.filter(pending__isnull=False).values_list("pending__image", flat=True))
        for schema in schemas:
            folder = _member_folder(schema)
            _folders, files = default_storage.listdir(folder)
            for file_name in files:
                name = f"{folder}/{file_name}"
                if name not in named:
                    default_storage.delete(name)
                    deleted += 1
            with contextlib.suppress(OSError, NotImplementedError):
                os.rmdir(default_storage.path(folder))  # only when empty
    return deleted
