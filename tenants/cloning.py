"""Copy the member template schema into a new schema, names and all.

django-tenants' ``clone_schema`` SQL function rebuilds every table from the catalog
(0.85 s a member here) and lets PostgreSQL rename unique, check and foreign-key
constraints, which breaks later ``RemoveConstraint`` migrations (ARCHITECTURE.md,
trap 9). ``pg_dump --schema-only`` of the template writes the DDL with every name as it
is; replayed under the new schema name it costs ~0.15 s and needs no repair:

1. pre-data DDL (schema, tables, sequences, defaults),
2. the template's rows (``INSERT … SELECT``, before indexes exist) and sequence values,
3. post-data DDL (primary keys, unique/check/foreign-key constraints, indexes).

The DDL is cached per template migration state, so it is dumped once per deployment.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import quote_schema_name, schema_context

SESSION_SETTING = re.compile(r"^(SET |SELECT pg_catalog\.set_config)")


class CloneError(RuntimeError):
    pass


def pg_tool(name: str) -> str:
    """Path of a PostgreSQL client program (pg_dump, pg_restore) of the server's version.

    From ``PG_BIN_DIR`` when it is set (the embedded server of development and tests
    sets it to its own tools), else from ``PATH``: in production, the client tools
    installed beside the server's major version.
    """
    folder = settings.PG_BIN_DIR
    path = str(Path(folder) / name) if folder else shutil.which(name)
    if not path or not os.access(path, os.X_OK):
        raise CloneError(
            f"{name} not found ({'in PG_BIN_DIR=' + folder if folder else 'on PATH'}): install "
            "the PostgreSQL client tools of the server's major version or set PG_BIN_DIR."
        )
    return path


def pg_command(tool: str) -> tuple[list[str], dict]:
    """Command line and environment reaching our database with a PostgreSQL client tool."""
    db = connection.settings_dict
    command = [pg_tool(tool), f"--dbname={db['NAME']}"]
    command.append(f"--username={db.get('USER') or 'postgres'}")
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host")
    if host:
        command.append(f"--host={host}")
    if db.get("PORT"):
        command.append(f"--port={db['PORT']}")
    return command, {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}


def _template_fingerprint(template: str) -> str:
    """Changes whenever a migration is applied to the template."""
    with connection.cursor() as cursor:
        table = f"{quote_schema_name(template)}.django_migrations"
        cursor.execute(f"SELECT count(*), max(id), max(applied) FROM {table}")  # noqa: S608
        return hashlib.sha1(repr(cursor.fetchone()).encode(), usedforsecurity=False).hexdigest()


def _dump_section(template: str, section: str) -> str:
    command, env = pg_command("pg_dump")
    command += [
        "--schema-only",
        f"--section={section}",
        f"--schema={template}",
        "--no-owner",
        "--no-privileges",
        "--no-comments",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise CloneError(f"pg_dump of the template failed: {completed.stderr.strip()}")
    return "\n".join(line for line in completed.stdout.splitlines() if _is_ddl(line))


def _is_ddl(line: str) -> bool:
    """Whether a line of pg_dump's output is SQL this connection should run.

    Not comments, not session settings (they would change this connection's
    search_path), and not psql meta-commands: pg_dump since the 2025 security releases
    (13.22, 14.19, 15.14, 16.10, 17.6) wraps its output in ``\\restrict``/``\\unrestrict``,
    which only psql understands.
    """
    return bool(line) and not line.startswith(("--", "\\")) and not SESSION_SETTING.match(line)


def template_ddl(template: str) -> tuple[str, str]:
    """(pre-data, post-data) DDL of the template, cached until its migrations change."""
    with schema_context("public"):
        key = f"template-ddl:{template}:{_template_fingerprint(template)}"
        ddl = cache.get(key)
        if ddl is None:
            ddl = (_dump_section(template, "pre-data"), _dump_section(template, "post-data"))
            cache.set(key, ddl, timeout=None)
    return ddl


def _renamed(ddl: str, template: str, schema: str) -> str:
    target = quote_schema_name(schema)
    ddl = ddl.replace(f"CREATE SCHEMA {template};", f"CREATE SCHEMA {target};")
    return re.sub(rf"(?<![\w\"]){re.escape(template)}\.", f"{target}.", ddl)


def schema_clone(template: str, schema: str) -> None:
    """Create ``schema`` as a copy of ``template`` (structure, names, rows, sequences)."""
    pre_data, post_data = template_ddl(template)
    source, target = quote_schema_name(template), quote_schema_name(schema)
    with connection.cursor() as cursor:
        cursor.execute(_renamed(pre_data, template, schema))
        cursor.execute(
            "SELECT c.relname, c.relkind, s.last_value FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_sequences s ON s.schemaname = n.nspname AND s.sequencename = c.relname "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'S')",
            [template],
        )
        for name, kind, last_value in cursor.fetchall():
            if kind == "r":
                cursor.execute(f'INSERT INTO {target}."{name}" SELECT * FROM {source}."{name}"')  # noqa: S608
            elif last_value is not None:
                cursor.execute("SELECT setval(%s, %s, true)", [f"{target}.{name}", last_value])
        cursor.execute(_renamed(post_data, template, schema))
