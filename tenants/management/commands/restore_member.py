"""Bring a deleted member back from the folder delete_member or backup_member wrote."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenants.services import member_restore
from tenants.validation import ProvisioningError


class Command(BaseCommand):
    help = (
        "Restores a member from its backup folder: schema (pg_restore), public rows, media. "
        "Refused while a member, schema, domain or media folder of that name exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="e.g. backups/herten-20261202-101500")

    def handle(self, *args, **options):
        try:
            member = member_restore(Path(options["folder"]), progress=self.stdout.write)
        except ProvisioningError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"„{member.name}“ ist wiederhergestellt: {member.url}")
        )
