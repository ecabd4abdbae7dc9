"""Delete a member for good, after writing its backup folder (restore_member reads it)."""

from django.core.management.base import BaseCommand, CommandError

from tenants.services import member_delete, member_get
from tenants.validation import ProvisioningError


class Command(BaseCommand):
    help = (
        "Backs up (like backup_member), then deletes a member's schema, domains, rows and "
        "media. Needs --yes."
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
            backup = member_delete(member, options["backup_dir"], progress=self.stdout.write)
        except ProvisioningError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Sicherung geschrieben: {backup}")
        self.stdout.write(f"Wiederherstellen: python manage.py restore_member {backup}")
        self.stdout.write(self.style.SUCCESS(f"„{member.name}“ ist gelöscht."))
