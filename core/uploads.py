"""Upload limits of the admin: a storage quota per member on top of Wagtail's size limits.

Wagtail refuses single files that are too large (``WAGTAILIMAGES_MAX_UPLOAD_SIZE``,
``WAGTAILDOCS_MAX_UPLOAD_SIZE``). The quota (``MEMBER_MEDIA_QUOTA`` bytes, 0 for none)
caps what one member keeps in its media folder, renditions included, so that one
microsite cannot fill the disk all members share. The forms below are Wagtail's image
and document forms with that check (``WAGTAILIMAGES_IMAGE_FORM_BASE``,
``WAGTAILDOCS_DOCUMENT_FORM_BASE``); the single and the multiple upload both use them.
"""

import os

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from core.schemas import is_system_schema, media_root


def media_usage(schema_name: str) -> int:
    """Bytes the files below the schema's media folder take up."""
    total = 0
    for folder, _dirs, files in os.walk(media_root(schema_name)):
        total += sum(os.path.getsize(os.path.join(folder, name)) for name in files)
    return total


def quota_check(upload) -> None:
    """Refuse ``upload`` if it would take the current member past its quota."""
    quota = settings.MEMBER_MEDIA_QUOTA
    schema = connection.schema_name
    if not quota or not isinstance(upload, UploadedFile) or is_system_schema(schema):
        return
    used = media_usage(schema)
    if used + upload.size > quota:
        raise forms.ValidationError(
            _(
                "Der Speicherplatz dieser Website ist voll: %(used)s von %(quota)s sind "
                "belegt, die Datei braucht %(size)s. Bitte löschen Sie nicht mehr benötigte "
                "Bilder oder Dokumente oder wenden Sie sich an die Netzwerk-Redaktion."
            )
            % {
                "used": filesizeformat(used),
                "quota": filesizeformat(quota),
                "size": filesizeformat(upload.size),
            },
            code="quota",
        )


class QuotaFormMixin:
    """Checks the quota after the form's own validation (file type, size, model): an
    error raised earlier would make Wagtail's model check report a missing file too."""

    def full_clean(self):
        super().full_clean()
        upload = getattr(self, "cleaned_data", {}).get("file")
        if upload is not None and not self.has_error("file"):
            try:
                quota_check(upload)
            except forms.ValidationError as error:
                self.add_error("file", error)


class QuotaImageForm(QuotaFormMixin, BaseImageForm):
    pass


class QuotaDocumentForm(QuotaFormMixin, BaseDocumentForm):
    pass
