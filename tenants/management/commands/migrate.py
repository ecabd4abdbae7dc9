"""`migrate` is `migrate_schemas` in a django-tenants project (test runners call it)."""

from tenants.management.commands.migrate_schemas import Command  # noqa: F401
