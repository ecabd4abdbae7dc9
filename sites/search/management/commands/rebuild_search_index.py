"""``manage.py rebuild_search_index [--member SLUG]``: the network search index afresh."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sites.search.indexing import UnknownSite, index_rebuild, index_sites


class Command(BaseCommand):
    help = (
        "Indexes every live, public page of the network site and of every active member "
        "(or of one member) for the network search. Safe to repeat; rows of pages that "
        "are gone, private or unpublished and of archived members are removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--member", metavar="SLUG", help="only this member's microsite")

    def handle(self, *args, member=None, **options):
        try:
            sites = index_sites(member)
        except UnknownSite as error:
            raise CommandError(f"{error} (manage.py list_members shows the slugs)") from None
        started = time.monotonic()
        show = options["verbosity"] > 0
        with tqdm(total=len(sites), unit=" sites", disable=not show, file=sys.stderr) as bar:

            def done(schema_name, report):
                bar.set_postfix_str(f"{schema_name}: {report}")
                bar.update(1)

            report = index_rebuild(member, done=done)
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index: {len(sites)} sites, {report.written} pages indexed, "
                f"{report.removed} removed, in {seconds:.1f} s."
            )
        )
