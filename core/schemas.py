"""Facts about schema names, and where each schema keeps its files.

Two schemas are not members: the public schema (the network site) and the template new
members are cloned from. Every question "is this a member?" is answered here.
"""

from pathlib import Path

from django.conf import settings


def system_schema_names() -> tuple[str, str]:
    """The schemas that hold no member: the network's and the template's."""
    return (settings.PUBLIC_SCHEMA_NAME, settings.MEMBER_TEMPLATE_SCHEMA)


def is_public_schema(schema_name: str) -> bool:
    return schema_name == settings.PUBLIC_SCHEMA_NAME


def is_system_schema(schema_name: str) -> bool:
    return schema_name in system_schema_names()


# The folders of a schema's media that ``/media/`` serves: Wagtail's original images and
# renditions, and the network's highlight copies. Documents ("documents/") are not among
# them: only Wagtail's document view may hand them out.
SERVED_MEDIA_FOLDERS = ("original_images", "images", "highlights")


def media_root(schema_name: str) -> Path:
    """The folder that holds the uploads of ``schema_name``.

    The same folder django-tenants' ``TenantFileSystemStorage`` writes to while the
    connection is in that schema (``MULTITENANT_RELATIVE_MEDIA_ROOT``), found without
    switching schema.
    """
    return Path(settings.MEDIA_ROOT) / (settings.MULTITENANT_RELATIVE_MEDIA_ROOT % schema_name)
