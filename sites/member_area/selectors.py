"""Reads of the members' area: who may enter it, and where it is."""

from django.db import connection
from django.utils.translation import get_language

from core import caching
from core.schemas import is_public_schema
from sites.member_area.services import MEMBERS_GROUP
from sites.network.models import MembersAreaPage


def member_area_access(user) -> bool:
    """Whether ``user`` may log in to the members' area: active, and a member of the group
    "Mitglieder" (members' staff) or a superuser. Central editors without the group use
    the admin's preview instead. (Staff of an archived member are not logged in at all:
    ``backends.AccountBackend``.)"""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=MEMBERS_GROUP).exists()


def _areas() -> list[tuple[str, int, str]]:
    """(tree path, id, language) of every live members' area of the network site."""
    pages = MembersAreaPage.objects.live().select_related("locale")
    return [(page.path, page.pk, page.locale.language_code) for page in pages]


def members_areas() -> list[tuple[str, int, str]]:
    """:func:`_areas`, kept in the site data (retired by every page change); none outside
    the public schema, where no members' area can exist."""
    if not is_public_schema(connection.schema_name):
        return []
    return caching.site_data("members-areas", _areas)


def members_area_for(language: str | None = None) -> MembersAreaPage | None:
    """The members' area in ``language`` (default: the active one), else the German one."""
    areas = {code: pk for _path, pk, code in members_areas()}
    pk = (
        areas.get(language or get_language()) or areas.get("de") or next(iter(areas.values()), None)
    )
    return MembersAreaPage.objects.filter(pk=pk).first() if pk else None


def members_area_around(page) -> MembersAreaPage | None:
    """The members' area ``page`` lies in (or is), if any."""
    path = getattr(page, "path", None)
    if not path:
        return None
    for area_path, pk, _code in members_areas():
        if path.startswith(area_path):
            return MembersAreaPage.objects.filter(pk=pk).first()
    return None
