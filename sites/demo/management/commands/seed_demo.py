"""A small demo network for development: a central editor, three members and the content
of the five seed pages (sites.demo): press release, events, news, Herten's profile. Some
pages also get English versions made with wagtail-localize (network home, Über uns,
Mitglieder, Aus den Mitgliedern; Herten's home and profile; Kreis Offenbach's home and news).

Idempotent: what exists is left as it is, what is missing is added (a member that exists
is completed, not duplicated). Known demo passwords make the demo easy to try; the
command refuses to run without DEBUG unless --force is given.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from sites.demo.builder import DemoContentError, build_member, build_network
from sites.demo.members_area import build_members_area, herten_staff_ensure
from sites.highlights.models import Highlight
from sites.highlights.services import highlight_curate, member_content_sync
from tenants.models import Member
from tenants.services import EDITORIAL_GROUP, member_create, network_ensure

DEMO_MEMBERS = [
    ("herten", "Stadt Herten", Member.Kind.CITY),
    ("kiel", "Landeshauptstadt Kiel", Member.Kind.CITY),
    ("kreis-offenbach", "Kreis Offenbach", Member.Kind.COUNTY),
]
FEATURED_MEMBERS = {"kiel"}


def coordinator_demo_password(slug: str) -> str:
    """The known password of a demo member's coordinator (it passes the validators)."""
    return f"{slug}-demo-2026"


# The network's accounts: an administrator, and a central editor whose rights come
# from the group "Redaktion" alone (what a real editorial team gets).
NETWORK_ACCOUNTS = [
    ("redaktion", "redaktion-demo-2026", True),
    ("redakteurin", "redakteurin-demo-2026", False),
]


class Command(BaseCommand):
    help = (
        "Creates the demo network (central editor, Herten, Kiel, Kreis Offenbach) and its "
        "pages, English translations, images and documents where missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="only when there are no members yet"
        )
        parser.add_argument("--force", action="store_true", help="run even without DEBUG")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo-Daten mit bekannten Passwörtern nur mit DEBUG (oder --force).")
        if options["if_empty"] and Member.objects.members().exists():
            self.stdout.write("Es gibt schon Mitglieder; keine Demo-Daten angelegt.")
            return
        network = network_ensure()
        network_admin = f"http://{network.primary_domain}:{settings.PUBLIC_PORT}/admin/"
        rows = []
        with schema_context(settings.PUBLIC_SCHEMA_NAME):
            for username, password, superuser in NETWORK_ACCOUNTS:
                self._network_account_ensure(username, password, superuser=superuser)
                role = "Netzwerk (Admin)" if superuser else "Netzwerk (Redaktion)"
                rows.append((role, network_admin, username, password))
        members = []
        for slug, name, kind in DEMO_MEMBERS:
            email, demo_password = f"koordination@{slug}.example", coordinator_demo_password(slug)
            member = Member.objects.filter(slug=slug).first()
            if member is None:
                member = member_create(
                    name=name,
                    slug=slug,
                    kind=kind,
                    domain=f"{slug}.{settings.MEMBER_DOMAIN_SUFFIX}",
                    coordinator_email=email,
                    coordinator_password=demo_password,
                ).member
                self.stdout.write(f"Angelegt: {name}")
            members.append(member)
            rows.append((name, f"{member.url}admin/", email, demo_password))
        try:
            self._report("Netzwerk", build_network())
            self._report("Mitgliederbereich", build_members_area())
            newly_built = []
            for member in members:
                created = build_member(member)
                self._report(member.name, created)
                if created:
                    newly_built.append(member)
        except DemoContentError as error:
            raise CommandError(str(error)) from error
        self._curate_highlights(newly_built)
        if staff := herten_staff_ensure():
            login = f"http://{network.primary_domain}:{settings.PUBLIC_PORT}/de/login/"
            rows.append(("Mitgliederbereich (Herten)", login, *staff))
        self.stdout.write("\nDemo-Zugänge:")
        for site, url, user, secret in rows:
            self.stdout.write(f"  {site:<28} {url:<45} {user} / {secret}")

    def _network_account_ensure(self, username: str, password: str, *, superuser: bool) -> None:
        """An account of the public schema: a superuser, or a member of "Redaktion"."""
        users = get_user_model().objects
        if users.filter(username=username).exists():
            return
        email = f"{username}@netzwerk.example"
        validate_password(password, user=get_user_model()(username=username, email=email))
        if superuser:
            users.create_superuser(username, email, password)
        else:
            user = users.create_user(username, email, password)
            user.groups.add(Group.objects.get(name=EDITORIAL_GROUP))

    def _curate_highlights(self, newly_built: list[Member]) -> None:
        """Bring the proposals in now (no worker needs to run) and curate the new ones:
        Kiel's meeting is featured, the others wait in the editors' queue."""
        report = member_content_sync()
        featured = Highlight.objects.filter(
            member__in=[m for m in newly_built if m.slug in FEATURED_MEMBERS],
            state=Highlight.State.PROPOSED,
        )
        highlight_curate(featured, state=Highlight.State.FEATURED)
        self.stdout.write(f"Aus den Mitgliedern: {report}")

    def _report(self, site: str, created: list[str]) -> None:
        if created:
            self.stdout.write(f"Inhalte {site}: {', '.join(created)}")
        else:
            self.stdout.write(f"Inhalte {site}: vollständig")
