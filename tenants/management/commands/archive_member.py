"""Take a member's site offline (data kept), or bring it back with --reactivate."""

from django.core.management.base import BaseCommand, CommandError

from tenants.models import Member
from tenants.services import member_get, member_update
from tenants.validation import ProvisioningError


class Command(BaseCommand):
    help = (
        "Archives a member: its site answers 410 'offline', its data stays. --reactivate undoes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--reactivate", action="store_true")

    def handle(self, *args, **options):
        try:
            member = member_get(options["slug"])
            state = Member.State.ACTIVE if options["reactivate"] else Member.State.ARCHIVED
            member_update(member, state=state)
        except ProvisioningError as error:
            raise CommandError(str(error)) from error
        if state == Member.State.ARCHIVED:
            self.stdout.write(
                f"„{member.name}“ ist archiviert: die Website ist offline, die Daten bleiben."
            )
        else:
            self.stdout.write(f"„{member.name}“ ist wieder aktiv: {member.url}")
