"""migrate_schemas that skips member schemas with nothing to apply.

Same options as django-tenants' command. When asked to bring all tenant schemas to the
latest state, it first finds the schemas that are behind with one SQL query per 50
schemas and hands only those to the executor (ARCHITECTURE.md, trap 10). It prints how
many were up to date; a failing schema stops the run with its name, and running the
command again resumes with the schemas still behind. Last it names every member schema
that still lacks tables: their sites answer 503 (``core.schemas``).
"""

import time

from django_tenants.management.commands import SyncCommon
from django_tenants.management.commands.migrate_schemas import (
    GET_EXECUTOR_FUNCTION,
    MigrateSchemasCommand,
)
from django_tenants.utils import get_public_schema_name, get_tenant_model

from core.schemas import schema_check_forget, schemas_missing_tables
from tenants.migrations_status import schemas_behind


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options):
        SyncCommon.handle(self, *args, **options)
        partial = any(options.get(key) for key in ("app_label", "fake", "plan", "schema_name"))
        if partial or not self.sync_tenant:
            return super().handle(*args, **options)

        public = get_public_schema_name()
        executor = GET_EXECUTOR_FUNCTION(codename=self.executor)(self.args, self.options)
        if self.sync_public:
            executor.run_migrations(tenants=[public])
        started = time.perf_counter()
        schemas = list(
            get_tenant_model()
            .objects.exclude(schema_name=public)
            .order_by("schema_name")
            .values_list("schema_name", flat=True)
        )
        behind = schemas_behind(schemas)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{len(schemas) - len(behind)} of {len(schemas)} member schemas are up to date "
                f"(checked in {time.perf_counter() - started:.2f} s); migrating {len(behind)}."
            )
        if behind:
            executor.run_migrations(tenants=behind)
            for schema in behind:
                schema_check_forget(schema)
        self.report_incomplete(schemas)

    def report_incomplete(self, schemas):
        """Name the schemas that lack tables although nothing is left to migrate (a
        table dropped by hand, a schema restored from elsewhere): migrations cannot
        repair them."""
        for schema, missing in schemas_missing_tables(schemas).items():
            shown = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
            self.stderr.write(
                self.style.ERROR(
                    f"Schema {schema} lacks {len(missing)} tables ({shown}): its site answers "
                    "503. Restore the member from its backup (restore_member) or recreate "
                    "the tables."
                )
            )
