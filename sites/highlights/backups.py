"""What a member's backup carries from the highlights app: its curated highlights, its
directory entry and their image copies in public media (``tenants.services`` backups)."""

from pathlib import Path

from django.conf import settings

from core.schemas import media_root
from sites.highlights.images import FOLDER
from sites.highlights.models import DirectoryEntry, Highlight
from tenants.services import MemberPublicData


def member_public_data(member) -> MemberPublicData:
    """Rows and files of ``member`` in the public schema that restore_member brings back
    with their curation (state, order) as it was."""
    return MemberPublicData(
        rows=[
            *Highlight.objects.filter(member=member).order_by("pk"),
            *DirectoryEntry.objects.filter(member=member),
        ],
        folders=[Path(media_root(settings.PUBLIC_SCHEMA_NAME)) / FOLDER / member.schema_name],
    )
