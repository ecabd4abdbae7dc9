"""Create a member municipality with its own schema-isolated microsite."""

import os

from django.core.management.base import BaseCommand, CommandError

from tenants.models import Member
from tenants.services import member_create, timed
from tenants.validation import ProvisioningError

PASSWORD_ENV = "COORDINATOR_PASSWORD"  # noqa: S105 - the variable's name, not a password


class Command(BaseCommand):
    help = (
        "Creates a member: schema (cloned from the template), Site, home page, locales, "
        f'"Koordination" group and optionally a coordinator (password from ${PASSWORD_ENV} '
        "or generated and shown once)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help='e.g. "Stadt Herten"')
        parser.add_argument("--slug", required=True, help="e.g. herten (a-z, 0-9, -; max. 40)")
        parser.add_argument("--domain", required=True, help="e.g. herten.localhost")
        parser.add_argument("--kind", default=Member.Kind.CITY, choices=Member.Kind.values)
        parser.add_argument("--coordinator-email", help="creates a coordinator account")
        parser.add_argument(
            "--migrate", action="store_true", help="build the schema by migrations, not by cloning"
        )

    def handle(self, *args, **options):
        try:
            result, seconds = timed(
                member_create,
                name=options["name"],
                slug=options["slug"],
                domain=options["domain"],
                kind=options["kind"],
                coordinator_email=options["coordinator_email"],
                coordinator_password=os.environ.get(PASSWORD_ENV),
                clone=not options["migrate"],
            )
        except ProvisioningError as error:
            raise CommandError(str(error)) from error
        member = result.member
        self.stdout.write(
            self.style.SUCCESS(
                f"Mitglied „{member.name}“ angelegt in {seconds:.2f} s "
                f"(Schema {member.schema_name}): "
                f"{member.url} (Admin: {member.url}admin/)"
            )
        )
        if result.coordinator_username:
            self.stdout.write(f"Koordination: {result.coordinator_username}")
            if not os.environ.get(PASSWORD_ENV):
                self.stdout.write(
                    f"Passwort (wird nur jetzt angezeigt): {result.coordinator_password}"
                )
