"""Delete a member for good, after writing a pg_dump of its schema to the backups folder."""

from django.core.management.base import BaseCommand, CommandError

from tenants.services import member_delete, member_get
from tenants.validation import ProvisioningError


class Command(BaseCommand):
    help = (
        "Backs up (pg_dump), then deletes a member's schema, domains, row and media. Needs --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--yes", action="store_true", help="really delete")
        parser.add_argument("--backup-dir", help="where to write the backup (default: BACKUP_ROOT)")

    def handle(self, *args, **options):
        try:
            member = member_get(options["slug"])
            if not options["yes"]:
                raise ProvisioningError(
                    f"„{member.name}“ wird endgültig gelöscht; zum Bestätigen --yes angeben "
                    "(vorher wird eine Sicherung geschrieben)."
                )
            backups = member_delete(member, options["backup_dir"])
        except ProvisioningError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Sicherung geschrieben: {', '.join(str(p) for p in backups)}")
        self.stdout.write(
            f"Wiederherstellen: pg_restore --dbname=… {backups[0]} (Schema {member.schema_name})"
        )
        self.stdout.write(self.style.SUCCESS(f"„{member.name}“ ist gelöscht."))
