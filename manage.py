#!/usr/bin/env python
"""Django's command-line utility; development settings by default in a checkout only."""

import sys

if __name__ == "__main__":
    from django.core.exceptions import ImproperlyConfigured

    try:
        from core.settings import settings_module_default

        settings_module_default()
    except ImproperlyConfigured as error:
        sys.exit(f"manage.py: {error}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
