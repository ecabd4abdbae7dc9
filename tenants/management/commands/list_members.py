"""List the network's members: slug, domains, state, pages."""

from django.core.management.base import BaseCommand

from tenants.models import Member
from tenants.selectors import member_page_counts


class Command(BaseCommand):
    help = "Lists members with their domains, state and number of pages."

    def handle(self, *args, **options):
        members = list(Member.objects.members().prefetch_related("domains").order_by("slug"))
        if not members:
            self.stdout.write(
                "Noch keine Mitglieder. Anlegen mit: python manage.py create_member …"
            )
            return
        pages = member_page_counts(members)
        rows = [("SLUG", "NAME", "DOMAINS", "STATUS", "SEITEN")]
        for m in members:
            domains = ", ".join(
                d.domain for d in sorted(m.domains.all(), key=lambda d: not d.is_primary)
            )
            count = pages[m.schema_name]
            rows.append(
                (
                    m.slug,
                    m.name,
                    domains,
                    m.get_state_display(),
                    "?" if count is None else str(count),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
        self.stdout.write(f"{len(members)} Mitglieder")
