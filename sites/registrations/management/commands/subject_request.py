"""A data-subject request from the command line: find, export and delete every
registration of one e-mail address on the network site and every member's site."""

import getpass
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from sites.registrations.subject_requests import (
    address_normalise,
    subject_registrations_delete,
    subject_registrations_export,
    subject_registrations_find,
)


class Command(BaseCommand):
    help = (
        "Auskunfts- und Löschanfragen / data-subject requests: lists every registration of "
        "EMAIL on the network site and every member (archived ones too); --export FILE "
        "(or - for standard output) writes them as JSON, --delete --yes deletes them "
        "(freed seats go to the waiting list). Export and deletion are logged per site, "
        "without the address."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="die E-Mail-Adresse / the e-mail address")
        parser.add_argument("--export", metavar="FILE", help="JSON-Datei, - für stdout")
        parser.add_argument("--delete", action="store_true", help="alle Anmeldungen löschen")
        parser.add_argument("--yes", action="store_true", help="Löschen ohne Rückfrage bestätigen")
        parser.add_argument("--by", help="wer die Anfrage bearbeitet (für das Protokoll)")

    def handle(self, *args, **options):
        try:
            address = address_normalise(options["email"])
        except ValidationError:
            raise CommandError(
                f"„{options['email']}“ ist keine gültige E-Mail-Adresse / not a valid address."
            ) from None
        handled_by = options["by"] or self._operator()
        # with the export on stdout, the table goes to stderr so the JSON stays clean
        self.out = self.stderr if options["export"] == "-" else self.stdout

        sites = subject_registrations_find(email=address)
        self._table(
            ["Website", "Host", "Anmeldungen"],
            [[site.name, site.host, str(site.count)] for site in sites if site.count],
        )
        total = sum(site.count for site in sites)
        self.out.write(f"{total} Anmeldung(en) auf {len(sites)} durchsuchten Websites.")
        unavailable = [site for site in sites if site.unavailable]
        for site in unavailable:
            self.stderr.write(f"Nicht durchsucht (Schema unvollständig): {site.name} ({site.host})")

        if options["export"]:
            self._export(address, handled_by, options["export"])
        if options["delete"]:
            if not options["yes"]:
                raise CommandError(
                    "Nichts gelöscht. Zum Löschen --delete --yes angeben / add --yes to delete."
                )
            self._delete(address, handled_by)
        if unavailable:
            raise CommandError(f"{len(unavailable)} Website(s) nicht durchsucht, siehe oben.")

    def _export(self, address: str, handled_by: str, target: str) -> None:
        data = subject_registrations_export(email=address, handled_by=handled_by)
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n"
        if target == "-":
            self.stdout.write(text, ending="")
            return
        try:
            with open(target, "w", encoding="utf-8") as file:
                file.write(text)
        except OSError as error:
            raise CommandError(f"Export nicht geschrieben: {error}") from error
        self.out.write(self.style.SUCCESS(f"Export geschrieben: {target}"))

    def _delete(self, address: str, handled_by: str) -> None:
        done = subject_registrations_delete(email=address, handled_by=handled_by)
        self._table(
            ["Website", "Host", "gelöscht", "nachgerückt"],
            [[s.name, s.host, str(s.deleted), str(s.moved_up)] for s in done if s.deleted],
        )
        deleted = sum(site.deleted for site in done)
        self.out.write(self.style.SUCCESS(f"{deleted} Anmeldung(en) gelöscht."))

    def _table(self, header: list[str], rows: list[list[str]]) -> None:
        if not rows:
            return
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for number, row in enumerate([header, *rows]):
            self.out.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            )
            if number == 0:
                self.out.write("  ".join("-" * width for width in widths))

    @staticmethod
    def _operator() -> str:
        try:
            return f"{getpass.getuser()} (manage.py)"
        except (KeyError, OSError):
            return "manage.py"
