"""Views that belong to no page type."""

from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import Http404
from django.views.static import serve


def schema_media(request, schema, path):
    """Serve uploaded files of the schema this host belongs to, and only those.

    A file of member A requested through member B's host is a 404, so one member's
    host can never be used to read another member's uploads.
    """
    if schema != connection.schema_name:
        raise Http404("Datei nicht gefunden")
    return serve(request, path, document_root=Path(settings.MEDIA_ROOT) / schema)
