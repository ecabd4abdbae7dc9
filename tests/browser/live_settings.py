"""Settings of the browser tests' gunicorn and Celery worker (tests/browser/conftest.py).

The test settings, with two differences a real browser needs: generated absolute URLs
(Site ports, highlight links, the member directory) carry the live server's port, and
static files are served (the admin's scripts, the theme's CSS) straight from the apps'
folders, without collectstatic.
"""

import os

from core.settings.test import *  # noqa: F403
from core.settings.test import MIDDLEWARE

# core.settings.test pins PUBLIC_PORT to 80; the live server has a port of its own.
PUBLIC_PORT = int(os.environ["LIVE_PUBLIC_PORT"])
_SECURITY = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
MIDDLEWARE = [
    *MIDDLEWARE[: _SECURITY + 1],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_SECURITY + 1 :],
]
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # nothing collected: whitenoise finds the files in the apps
# Wagtail saves the editor's form in the background every 0.5 s; a test types and then
# publishes at machine speed, and an autosave landing in between creates the page first,
# so the publish of the "new" page fails on its now-taken slug. The journeys publish
# explicitly, as the coordinator does.
WAGTAIL_AUTOSAVE_INTERVAL = 0
