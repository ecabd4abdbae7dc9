"""Run the reconciliation of member content now (highlights and the member directory)
and say what it changed."""

import time

from django.core.management.base import BaseCommand, CommandError

from sites.highlights.services import member_content_sync
from tenants.services import member_get
from tenants.validation import ProvisioningError


class Command(BaseCommand):
    help = "Brings the network's highlights and member directory in line with what members offer."

    def add_arguments(self, parser):
        parser.add_argument("--member", help="only this member (slug)")

    def handle(self, *args, **options):
        members = None
        if options["member"]:
            try:
                members = [member_get(options["member"])]
            except ProvisioningError as error:
                raise CommandError(str(error)) from error
        started = time.perf_counter()
        report = member_content_sync(members)
        self.stdout.write(f"{report} ({time.perf_counter() - started:.2f} s)")
        if report.skipped:
            self.stderr.write(
                "Übersprungene Mitglieder: Log prüfen, Schema reparieren, erneut ausführen."
            )
