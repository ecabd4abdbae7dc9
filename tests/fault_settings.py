"""Settings of the gunicorn that tests/test_faults.py serves from while the database
drops its connections: the test settings, with connections kept open as production
keeps them (``core.settings.test`` closes them after every request)."""

from core.settings.test import *  # noqa: F403
from core.settings.test import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 60
