"""``manage.py import_plone SOURCE --site network|SLUG``: a Plone site's content moves in."""

import sys
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sites.plone_import.background import admin_indexes_queue
from sites.plone_import.services import ImportRefused, Options, plone_import, report_write


class Command(BaseCommand):
    help = (
        "Imports an export of a Plone site (plone.exportimport folder or ZIP, or a "
        "collective.exportimport JSON file) into the network site or a member's microsite: "
        "pages, news, events, files, images, translations, and redirects from every old "
        "address. Safe to run again: what changed is updated, nothing is created twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="export folder, .zip or .json file")
        parser.add_argument(
            "--site", required=True, metavar="network|SLUG", help="where the content goes"
        )
        parser.add_argument(
            "--under",
            default="",
            metavar="PAGE-PATH",
            help="path of a content page below which the pages go (default: the home page)",
        )
        parser.add_argument("--language", default="de", help="language of untagged items")
        parser.add_argument(
            "--blobs", type=Path, help="blobstorage folder of a collective export (blob_path)"
        )
        parser.add_argument(
            "--private-as-members-only",
            action="store_true",
            help="private pages become live pages for logged-in users instead of drafts",
        )
        parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        parser.add_argument("--report", type=Path, help="where the JSON report goes")

    def handle(self, *args, source, site, **options):
        opts = Options(
            language=options["language"],
            under=options["under"],
            dry_run=options["dry_run"],
            private_as_members_only=options["private_as_members_only"],
            started_by="manage.py import_plone",
        )
        show = options["verbosity"] > 0
        with tqdm(unit=" Objekte", disable=not show, file=sys.stderr) as bar:

            def progress(done, total):
                bar.total = total
                bar.update(done - bar.n)

            try:
                report = plone_import(
                    site=site,
                    location=source,
                    blobs=options["blobs"],
                    options=opts,
                    progress=progress,
                )
            except ImportRefused as error:
                raise CommandError(str(error)) from None
        if not opts.dry_run:
            admin_indexes_queue(site, report.page_ids)
        report_path = options["report"] or Path(
            f"plone-import-{site}-{datetime.now():%Y%m%d-%H%M%S}.json"
        )
        report_write(report, report_path)
        heading = "Probelauf (nichts geschrieben)" if opts.dry_run else "Import"
        self.stdout.write(f"{heading}: {source} -> {site} ({report.format})\n")
        self.stdout.write(report.table() + "\n")
        self.stdout.write(
            f"Weiterleitungen: {report.redirects}, nicht auflösbare Links: "
            f"{len(report.unresolved)}, verlorene Inhalte: {len(report.lost)}, "
            f"zu prüfen: {len(report.review)}\n"
        )
        for note in report.skipped:
            self.stdout.write(
                self.style.WARNING(f"übersprungen: {note.path} ({note.type}): {note.message}")
            )
        self.stdout.write(f"Bericht: {report_path}\n")
        if not report.ok:
            raise CommandError(
                f"{len(report.skipped)} Objekte übersprungen; Details im Bericht {report_path}"
            )
