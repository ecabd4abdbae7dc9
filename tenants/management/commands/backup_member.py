"""Write a member's backup folder (schema, public rows, media) without deleting anything."""

from django.core.management.base import BaseCommand, CommandError

from tenants.services import member_backup, member_get
from tenants.validation import ProvisioningError


class Command(BaseCommand):
    help = (
        "Backs a member up into BACKUP_ROOT/<slug>-<time>/ (mode 0600): pg_dump of its "
        "schema, its rows in the public schema, its media. restore_member reads it."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--backup-dir", help="where to write the backup (default: BACKUP_ROOT)")

    def handle(self, *args, **options):
        try:
            member = member_get(options["slug"])
            folder = member_backup(member, options["backup_dir"], progress=self.stdout.write)
        except ProvisioningError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Sicherung von „{member.name}“: {folder}"))
