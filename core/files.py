"""Handing uploaded files to visitors, after the app has decided that they may have them.

Two views serve uploads: ``core.views.schema_media`` (images and renditions of the
host's own schema) and Wagtail's document view (collection privacy, attachment
headers), which calls ``sendfile`` below as its ``SENDFILE_BACKEND``. With
``MEDIA_INTERNAL_LOCATION`` set (production, behind the proxy in
``docker-compose.yml``), both answer with an empty response whose ``X-Accel-Redirect``
header names the file below that internal location; the proxy then sends the file, so
no gunicorn worker is busy streaming it. Without it (development, tests) Django streams.
"""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from wagtail.utils import sendfile_streaming_backend


def sendfile(request, filename, **kwargs) -> HttpResponse:
    """The response that delivers ``filename`` (an absolute path below ``MEDIA_ROOT``).

    The caller has checked that the file exists and that the request may read it.
    """
    location = settings.MEDIA_INTERNAL_LOCATION
    if not location:
        return sendfile_streaming_backend.sendfile(request, filename, **kwargs)
    relative = Path(filename).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve())
    response = HttpResponse(content_type=kwargs.get("mimetype"))
    response["X-Accel-Redirect"] = quote(f"{location.rstrip('/')}/{relative.as_posix()}")
    return response
