"""Bring a database to a working platform: migrations, network site, member template.

Safe to run again at any time; `make run` and `make test` call it.
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tenants.services import (
    member_sites_content_sync,
    member_sites_port_sync,
    network_ensure,
    template_ensure,
)
from tenants.validation import ProvisioningError


class Command(BaseCommand):
    help = "Migrates all schemas and ensures the network site and the template for new members."

    def handle(self, *args, **options):
        started = time.perf_counter()
        call_command("migrate_schemas", "--shared", interactive=False, verbosity=0)
        try:
            network = network_ensure()
            self.stdout.write(f"Network site: {', '.join(d.domain for d in network.domains.all())}")
            template_ensure()
        except ProvisioningError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("Template for new members: ready")
        call_command(
            "migrate_schemas", "--tenant", interactive=False, verbosity=options["verbosity"]
        )
        member_sites_content_sync()
        if moved := member_sites_port_sync():
            self.stdout.write(
                f"Member sites moved to port {settings.PUBLIC_PORT} (PUBLIC_PORT): "
                f"{', '.join(m.slug for m in moved)}"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Platform ready in {time.perf_counter() - started:.1f} s.")
        )
