"""Settings modules: ``base``, ``dev``, ``test``, ``production``.

``manage.py``, ``core.wsgi`` and ``core.celery`` call ``settings_module_default`` before
Django starts: development settings are a default only inside a checkout of the
repository; anywhere else (the Docker image has no ``.git``) a missing
``DJANGO_SETTINGS_MODULE`` stops the process instead of starting it with development
settings (debug pages, a known secret key, embedded databases).
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

CHECKOUT_MARKER = Path(__file__).resolve().parents[2] / ".git"  # a clone or a worktree


def settings_module_default() -> None:
    """Use ``core.settings.dev`` when no settings module is named, in a checkout only."""
    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        return
    if not CHECKOUT_MARKER.exists():
        raise ImproperlyConfigured(
            "DJANGO_SETTINGS_MODULE is not set. Outside a checkout of the repository "
            "there is no default: set DJANGO_SETTINGS_MODULE=core.settings.production "
            "(or core.settings.dev to develop)."
        )
    os.environ["DJANGO_SETTINGS_MODULE"] = "core.settings.dev"
