"""Provisioning and lifecycle of members: the one place that creates, changes and removes them.

Every function here switches schema itself and says in its docstring which schemas it
touches. Member creation by cloning is one transaction (PostgreSQL DDL is transactional),
so a failure rolls back schema, rows and Wagtail content together; creation by
migrations cannot be, and removes what it made by hand. Media folders are removed by hand.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tarfile
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import serializers
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import quote_schema_name, schema_context, schema_exists
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)

from core.models import HomePageBase
from core.schemas import is_system_schema, media_root, schema_check_forget
from tenants.cloning import CloneError, pg_command, schema_clone
from tenants.migrations_status import schemas_behind
from tenants.models import Domain, Member
from tenants.validation import (
    ProvisioningError,
    schema_name_for,
    validate_coordinator_email,
    validate_coordinator_password,
    validate_hostname,
    validate_member_kind,
    validate_member_name,
    validate_member_slug,
    validate_member_state,
)

# Key of the PostgreSQL advisory lock that lets one provisioning run check and write at a time.
PROVISIONING_LOCK = 0x4B4E_0001
COORDINATION_GROUP = "Koordination"
EDITORIAL_GROUP = "Redaktion"
EDITORIAL_MEMBER_PERMISSIONS = [
    ("tenants", "view_member"),
    ("tenants", "add_member"),
    ("tenants", "change_member"),
    ("highlights", "view_highlight"),
    ("highlights", "change_highlight"),
    ("plone_import", "view_importrun"),
    ("plone_import", "add_importrun"),
    ("member_area", "view_memberaccount"),
    ("member_area", "add_memberaccount"),
    ("member_area", "change_memberaccount"),
]
COORDINATION_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
# Translating pages (wagtail-localize) and enabling further languages for the own site.
LANGUAGE_PERMISSIONS = [
    ("wagtail_localize", "submit_translation"),
    ("wagtailcore", "add_locale"),
    ("wagtailcore", "change_locale"),
]
# Organisers' lists of their events' registrations (sites.registrations' admin: seeing and
# exporting; cancelling, moving up, mailing participants), named here, never imported.
REGISTRATION_PERMISSIONS = [
    ("registrations", "view_registration"),
    ("registrations", "change_registration"),
]
COORDINATION_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


@dataclass
class MemberCreated:
    member: Member
    coordinator_username: str | None = None
    coordinator_password: str | None = None  # shown once, never stored in clear


# --- Site setup inside one schema ---------------------------------------------------


def _locales_ensure() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code in settings.DEFAULT_CONTENT_LOCALES
    }


_site_content_providers: list = []


def site_content_register(provider) -> None:
    """Let ``provider(network=…)`` add the pages every site must have to the *current*
    schema's site (the legal pages live in a higher layer and register from their
    ``AppConfig.ready()``). Providers must leave what exists alone: they run for the
    network, for each new member and, after the migrations, from ``setup_platform``."""
    if provider not in _site_content_providers:
        _site_content_providers.append(provider)


def site_content_ensure(*, network: bool) -> None:
    """Run every registered provider in the *current* schema."""
    for provider in _site_content_providers:
        provider(network=network)


def site_prepare(*, network: bool, title: str, hostname: str, site_name: str) -> Page:
    """Give the *current* schema its locales, its home page (of the network's or a
    microsite's home page type) and one default Site.

    Replaces Wagtail's welcome page. Idempotent: an existing home page keeps its content
    and an existing Site keeps its root page (editors may have re-rooted it; running
    ``setup_platform`` again must not move a site).
    """
    home_page_class = HomePageBase.of_site(network=network)
    locales = _locales_ensure()
    default_locale = locales[settings.LANGUAGE_CODE]
    root = Page.get_first_root_node()
    home = home_page_class.objects.filter(locale=default_locale).first()
    if home is None:
        for page in root.get_children().exclude(
            content_type__model=home_page_class._meta.model_name
        ):
            page.delete()
        home = root.add_child(
            instance=home_page_class(title=title, slug="start", locale=default_locale)
        )
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        site = Site(root_page=home)
    site.hostname = hostname
    site.port = settings.PUBLIC_PORT
    site.site_name = site_name
    site.is_default_site = True
    site.save()
    Site.objects.exclude(pk=site.pk).delete()
    return home


def editors_group_ensure(name: str, home: Page, extra_permissions=()) -> Group:
    """A group of the *current* schema that edits, publishes and translates the pages below
    ``home`` and its language versions, images and documents, this site's settings and
    languages, and handles the registrations of its events; no users, nothing beyond the
    schema."""
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="core", codename="change_sitesettings"),
        *(
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in [
                *LANGUAGE_PERMISSIONS,
                *REGISTRATION_PERMISSIONS,
                *extra_permissions,
            ]
        ),
    )
    for codename in COORDINATION_PAGE_PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        for version in home.get_translations(inclusive=True):
            GroupPagePermission.objects.get_or_create(
                group=group, page=version, permission=permission
            )
    root_collection = Collection.get_first_root_node()
    for app_label, codename in COORDINATION_COLLECTION_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=permission
        )
    return group


def home_translation_permissions_ensure(page: Page) -> None:
    """A new language version of a home page gets the page permissions of the home it
    translates, so the editors of the German site can write and publish the English one
    (wagtail-localize creates it as a sibling of the German home, outside their tree)."""
    if page.depth != 2:
        return
    granted = GroupPagePermission.objects.filter(
        page__translation_key=page.translation_key
    ).exclude(page=page)
    for grant in granted:
        GroupPagePermission.objects.get_or_create(
            group_id=grant.group_id, page=page, permission_id=grant.permission_id
        )


def _microsite_prepare(member: Member, hostname: str) -> Page:
    """Home page, Site and group of ``member``'s schema (member schema only)."""
    with schema_context(member.schema_name):
        home = site_prepare(
            network=False, title=member.name, hostname=hostname, site_name=member.name
        )
        if home.title != member.name:
            home.title = home.draft_title = member.name
            home.save(update_fields=["title", "draft_title"])
        editors_group_ensure(COORDINATION_GROUP, home)
    return home


# --- Schema creation ----------------------------------------------------------------


def schema_create_by_migrations(schema_name: str) -> None:
    """Create an empty schema and apply every tenant migration (~6 s)."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {quote_schema_name(schema_name)}")
    call_command("migrate_schemas", schema_name=schema_name, interactive=False, verbosity=0)
    connection.set_schema_to_public()


def schema_create_by_clone(schema_name: str) -> None:
    """Copy the template schema (~0.15 s) with every constraint and index name intact."""
    template = settings.MEMBER_TEMPLATE_SCHEMA
    if not schema_exists(template):
        raise ProvisioningError(
            _(
                "Die Vorlage für neue Mitglieder fehlt: bitte zuerst "
                "`python manage.py setup_platform` ausführen."
            )
        )
    schema_clone(template, schema_name)
    connection.set_schema_to_public()


# --- Platform -----------------------------------------------------------------------


def network_ensure() -> Member:
    """The network site: public tenant row, network host names, home page and Site.

    Touches the public schema only. Idempotent.
    """
    hosts = [validate_hostname(h) if "." in h else h.lower() for h in settings.NETWORK_HOSTS]
    with transaction.atomic(), schema_context(settings.PUBLIC_SCHEMA_NAME):
        network, _created = Member.objects.get_or_create(
            schema_name=settings.PUBLIC_SCHEMA_NAME,
            defaults={"name": settings.NETWORK_NAME, "slug": "network", "kind": Member.Kind.OTHER},
        )
        for host in hosts:
            domain, _created = Domain.objects.get_or_create(
                domain=host, defaults={"tenant": network, "is_primary": host == hosts[0]}
            )
            if domain.tenant_id != network.pk:
                raise ProvisioningError(
                    _(
                        "Der Netzwerk-Host „%(host)s“ ist bereits dem Mitglied „%(member)s“ "
                        "zugeordnet; NETWORK_HOSTS oder die Domain des Mitglieds ändern."
                    )
                    % {"host": host, "member": domain.tenant}
                )
        home = site_prepare(
            network=True,
            title=settings.NETWORK_NAME,
            hostname=hosts[0],
            site_name=settings.NETWORK_NAME,
        )
        editors_group_ensure(EDITORIAL_GROUP, home, extra_permissions=EDITORIAL_MEMBER_PERMISSIONS)
        site_content_ensure(network=True)
    return network


def template_ensure() -> Member:
    """The schema new members are cloned from, created by migrations when missing.

    Touches the public schema (tenant row) and the template schema (content).
    """
    template, _created = Member.objects.get_or_create(
        schema_name=settings.MEMBER_TEMPLATE_SCHEMA,
        defaults={
            "name": "Vorlage für neue Mitglieder",
            "slug": "template",
            "kind": Member.Kind.OTHER,
        },
    )
    if not schema_exists(template.schema_name):
        try:
            schema_create_by_migrations(template.schema_name)
        except BaseException:
            connection.set_schema_to_public()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DROP SCHEMA IF EXISTS {quote_schema_name(template.schema_name)} CASCADE"
                )
            raise
    with transaction.atomic():
        _microsite_prepare(template, hostname="template.invalid")
        if not schemas_behind([template.schema_name]):  # else after the migrations
            with schema_context(template.schema_name):
                site_content_ensure(network=False)
    return template


# --- Members ------------------------------------------------------------------------


def _coordinator_create(email: str, password: str | None) -> tuple[str, str]:
    """A coordinator account in the *current* member schema, in the "Koordination" group."""
    password = password or secrets.token_urlsafe(12)
    user = get_user_model().objects.create_user(username=email, email=email, password=password)
    user.groups.add(Group.objects.get(name=COORDINATION_GROUP))
    return email, password


def member_create(
    *,
    name: str,
    slug: str,
    domain: str,
    kind: str = Member.Kind.CITY,
    coordinator_email: str | None = None,
    coordinator_password: str | None = None,
    clone: bool = True,
) -> MemberCreated:
    """Create a member with its schema, Site, home page, locales, group and media folder.

    Touches the public schema (rows) and the new member's schema. On any failure
    nothing remains: no schema, no domain, no row, no media folder.
    """
    name = validate_member_name(name)
    slug = validate_member_slug(slug)
    domain = validate_hostname(domain)
    kind = validate_member_kind(kind)
    coordinator_email = validate_coordinator_email(coordinator_email)
    coordinator_password = validate_coordinator_password(coordinator_password, coordinator_email)
    schema_name = schema_name_for(slug)
    connection.set_schema_to_public()
    with provisioning_lock():
        return _member_create(
            name=name,
            slug=slug,
            domain=domain,
            kind=kind,
            schema_name=schema_name,
            coordinator_email=coordinator_email,
            coordinator_password=coordinator_password,
            clone=clone,
        )


@contextmanager
def provisioning_lock():
    """Let one provisioning run at a time check and write members, domains and schemas.

    Two runs for the same slug or domain would otherwise both pass the checks and the
    loser would end with an ``IntegrityError`` instead of the usual refusal. A session
    advisory lock of PostgreSQL (released here, or when the connection ends), so it
    holds across processes and across the migrations path, which is not one transaction.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [PROVISIONING_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [PROVISIONING_LOCK])


def _member_create(
    *,
    name: str,
    slug: str,
    domain: str,
    kind: str,
    schema_name: str,
    coordinator_email: str | None,
    coordinator_password: str | None,
    clone: bool,
) -> MemberCreated:
    """member_create's checks and writes, under the provisioning lock."""
    if Member.objects.filter(slug=slug).exists() or schema_exists(schema_name):
        raise ProvisioningError(
            _("Ein Mitglied mit dem Kürzel „%(slug)s“ gibt es schon.") % {"slug": slug}
        )
    _domain_free_ensure(domain)
    media_dir = media_root(schema_name)
    if media_dir.exists():
        raise ProvisioningError(
            _(
                "Der Medienordner %(folder)s existiert schon (Rest eines gelöschten "
                "Mitglieds?); bitte sichern und entfernen."
            )
            % {"folder": media_dir}
        )

    # Cloning runs in one transaction. Migrations cannot (Wagtail's data migrations leave
    # pending trigger events), so that path removes what it made by hand on failure.
    member = None
    try:
        with transaction.atomic() if clone else nullcontext():
            member = Member.objects.create(name=name, slug=slug, kind=kind, schema_name=schema_name)
            Domain.objects.create(domain=domain, tenant=member, is_primary=True)
            if clone:
                schema_create_by_clone(schema_name)
            else:
                schema_create_by_migrations(schema_name)
            _microsite_prepare(member, hostname=domain)
            with schema_context(schema_name):
                site_content_ensure(network=False)
            result = MemberCreated(member=member)
            if coordinator_email:
                with schema_context(schema_name):
                    result.coordinator_username, result.coordinator_password = _coordinator_create(
                        coordinator_email, coordinator_password
                    )
            media_dir.mkdir(parents=True)
    except BaseException:
        connection.set_schema_to_public()
        if member is not None and not clone:
            _schema_and_rows_remove(member)
        shutil.rmtree(media_dir, ignore_errors=True)
        raise
    return result


def _schema_and_rows_remove(member: Member) -> None:
    """Drop a member's schema and its public rows (no backup: used to undo a failed creation)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {quote_schema_name(member.schema_name)} CASCADE")
        Domain.objects.filter(tenant_id=member.pk).delete()
        Member.objects.filter(pk=member.pk).delete()


def _domain_free_ensure(domain: str, member: Member | None = None) -> None:
    """Refuse a host name that routes to another member (or the network) already."""
    taken = Domain.objects.filter(domain=domain)
    if member is not None:
        taken = taken.exclude(tenant=member)
    if taken.exists():
        raise ProvisioningError(
            _("Die Domain „%(domain)s“ ist bereits vergeben.") % {"domain": domain}
        )


def member_site_sync(member: Member) -> None:
    """Keep the member's Wagtail Site on its primary domain and name (ARCHITECTURE.md,
    trap 2). Saved, not updated, so that the caches keyed on the Site are renewed.

    Touches the member's schema.
    """
    with schema_context(member.schema_name):
        for site in Site.objects.filter(is_default_site=True):
            site.hostname = member.primary_domain
            site.port = settings.PUBLIC_PORT
            site.site_name = member.name
            site.save()


def member_sites_port_sync() -> list[Member]:
    """Put every member's Site on ``PUBLIC_PORT`` where it is on another (after a switch
    to https, say: Wagtail writes https URLs only for port 443); returns those changed.
    Sites already right are not saved, so their caches stay."""
    changed = []
    for member in Member.objects.members().prefetch_related("domains").order_by("slug"):
        with schema_context(member.schema_name):
            stale = Site.objects.filter(is_default_site=True).exclude(port=settings.PUBLIC_PORT)
            if stale.exists():
                member_site_sync(member)
                changed.append(member)
    return changed


def member_sites_content_sync() -> None:
    """Give the template's and every member's site what ``site_content_register``'s
    providers add (sites made before a provider existed); what exists is kept. Member
    schemas only; run after their migrations."""
    members = Member.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME)
    for member in members.order_by("slug"):
        with schema_context(member.schema_name):
            site_content_ensure(network=False)


def member_update(
    member: Member,
    *,
    name: str | None = None,
    kind: str | None = None,
    state: str | None = None,
    domain: str | None = None,
    user=None,
) -> Member:
    """Change a member's name, kind, state (archived: site offline, data kept; or active
    again) and primary domain; ``None`` keeps a value. A new domain becomes the primary
    one; the old one keeps routing to the member. ``user`` is named in the admin's log.

    Every check runs before anything is saved: refused input raises ProvisioningError
    and changes nothing. Touches the public schema and, for a name or domain, the
    member's Site.
    """
    if is_system_schema(member.schema_name):
        raise ProvisioningError(
            _("Das Netzwerk und die Vorlage sind keine Mitglieder; sie werden hier nicht geändert.")
        )
    changes = {}
    if name is not None:
        changes["name"] = validate_member_name(name)
    if kind is not None:
        changes["kind"] = validate_member_kind(kind)
    if state is not None:
        changes["state"] = validate_member_state(state)
    if domain is not None:
        domain = validate_hostname(domain)
        if domain == member.primary_domain:
            domain = None
    with provisioning_lock() if domain else nullcontext(), transaction.atomic():
        if domain is not None:
            _domain_free_ensure(domain, member)
        if changes:
            for field, value in changes.items():
                setattr(member, field, value)
            member.save(update_fields=list(changes))
        if domain is not None:
            Domain.objects.update_or_create(
                domain=domain, defaults={"tenant": member, "is_primary": True}
            )
            getattr(member, "_prefetched_objects_cache", {}).pop("domains", None)
        if domain is not None or "name" in changes:
            member_site_sync(member)
        log(instance=member, action="wagtail.edit", user=user)
    return member


def member_get(slug: str) -> Member:
    member = Member.objects.members().filter(slug=slug).first()
    if member is None:
        raise ProvisioningError(
            _(
                "Kein Mitglied mit dem Kürzel „%(slug)s“; "
                "`python manage.py list_members` zeigt alle."
            )
            % {"slug": slug}
        )
    return member


# --- Backups ------------------------------------------------------------------------
#
# A backup is one folder, BACKUP_ROOT/<slug>-<time>/, readable by its owner only:
#   schema.dump    pg_dump (custom format) of the member's schema: pages, images,
#                  documents, users, groups, settings, …
#   public.json    the member's rows in the public schema (Django's serializer format):
#                  its Member and Domain rows and what other apps registered
#                  (curation, directory entry: ``member_public_data_register``)
#   media.tar.gz   its media folder and the registered public folders, named
#                  relative to MEDIA_ROOT (absent when there are no files)

BACKUP_SCHEMA = "schema.dump"
BACKUP_ROWS = "public.json"
BACKUP_MEDIA = "media.tar.gz"


@dataclass(frozen=True)
class MemberPublicData:
    """What an app of a higher layer keeps about one member in the public schema."""

    rows: list  # model instances, saved again in this order on restore
    folders: list[Path]  # folders below MEDIA_ROOT that belong to the member


_public_data_providers: list = []


def member_public_data_register(provider) -> None:
    """Let ``provider(member) -> MemberPublicData`` add rows and files to every backup.

    Apps above ``tenants`` (the highlights' curation and directory) register from their
    ``AppConfig.ready()``, so backups carry their rows without tenants importing them.
    """
    if provider not in _public_data_providers:
        _public_data_providers.append(provider)


def _member_public_data(member: Member) -> MemberPublicData:
    rows, folders = [member, *member.domains.order_by("pk")], [media_root(member.schema_name)]
    for provider in _public_data_providers:
        data = provider(member)
        rows.extend(data.rows)
        folders.extend(data.folders)
    return MemberPublicData(rows=rows, folders=folders)


def _private_file(path: Path) -> Path:
    """An empty file only its owner can read, for a writer that keeps the mode it finds."""
    path.touch(mode=0o600)
    path.chmod(0o600)
    return path


def member_backup(
    member: Member, backup_root: Path | None = None, progress=lambda message: None
) -> Path:
    """Write the member's backup folder (schema dump, public rows, media); returns it.

    Reads the member's schema (pg_dump, a separate process: committed data only) and
    public rows. Folder 0700, files 0600: they hold accounts and unpublished content.
    Nothing is left behind when a step fails.
    """
    if is_system_schema(member.schema_name):
        raise ProvisioningError(_("Das Netzwerk und die Vorlage werden hier nicht gesichert."))
    connection.set_schema_to_public()
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    folder = Path(backup_root or settings.BACKUP_ROOT) / f"{member.slug}-{stamp}"
    try:
        command, env = pg_command("pg_dump")
    except CloneError as error:
        raise ProvisioningError(
            _("Keine Sicherung möglich: %(error)s") % {"error": error}
        ) from error
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        raise ProvisioningError(
            _("Den Sicherungsordner %(folder)s gibt es schon; bitte gleich noch einmal.")
            % {"folder": folder}
        ) from None
    try:
        progress(_("Schema %(schema)s wird gesichert …") % {"schema": member.schema_name})
        dump = _private_file(folder / BACKUP_SCHEMA)
        command += ["--format=custom", f"--schema={member.schema_name}", f"--file={dump}"]
        completed = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
        if completed.returncode != 0:
            raise ProvisioningError(
                _("pg_dump ist fehlgeschlagen: %(error)s") % {"error": completed.stderr.strip()}
            )
        data = _member_public_data(member)
        progress(
            _("%(count)s Zeilen im Public-Schema werden gesichert …") % {"count": len(data.rows)}
        )
        rows = _private_file(folder / BACKUP_ROWS)
        rows.write_text(serializers.serialize("json", data.rows, indent=1), encoding="utf-8")
        folders = [f for f in data.folders if f.is_dir()]
        if folders:
            progress(_("Medien werden gesichert …"))
            archive = _private_file(folder / BACKUP_MEDIA)
            with tarfile.open(archive, "w:gz") as tar:
                for media in folders:
                    tar.add(media, arcname=str(media.relative_to(settings.MEDIA_ROOT)))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def _backup_read(folder: Path) -> tuple[Member, list]:
    """The Member and the other rows of a backup folder, checked but not saved."""
    if not (folder / BACKUP_SCHEMA).is_file() or not (folder / BACKUP_ROWS).is_file():
        raise ProvisioningError(
            _(
                "%(folder)s ist kein Sicherungsordner eines Mitglieds (erwartet: %(files)s); "
                "delete_member und backup_member nennen ihn."
            )
            % {"folder": folder, "files": f"{BACKUP_SCHEMA}, {BACKUP_ROWS}"}
        )
    text = (folder / BACKUP_ROWS).read_text(encoding="utf-8")
    objects = [o.object for o in serializers.deserialize("json", text, ignorenonexistent=True)]
    members = [o for o in objects if isinstance(o, Member)]
    if len(members) != 1 or is_system_schema(members[0].schema_name):
        raise ProvisioningError(
            _("%(file)s enthält nicht genau ein Mitglied.") % {"file": folder / BACKUP_ROWS}
        )
    return members[0], objects


def _restore_refusal(member: Member, objects: list) -> str | None:
    """Why this backup cannot be restored now (something of the same name exists)."""
    if Member.objects.filter(slug=member.slug).exists():
        return _("Ein Mitglied mit dem Kürzel „%(slug)s“ gibt es schon.") % {"slug": member.slug}
    if schema_exists(member.schema_name):
        return _("Das Schema „%(schema)s“ gibt es schon.") % {"schema": member.schema_name}
    for domain in (o for o in objects if isinstance(o, Domain)):
        if Domain.objects.filter(domain=domain.domain).exists():
            return _("Die Domain „%(domain)s“ ist bereits vergeben.") % {"domain": domain.domain}
    if media_root(member.schema_name).exists():
        return _("Der Medienordner %(folder)s existiert schon; bitte sichern und entfernen.") % {
            "folder": media_root(member.schema_name)
        }
    return None


def _media_folders_made(tar: tarfile.TarFile, member: Member) -> list[Path]:
    """The folders below MEDIA_ROOT that unpacking ``tar`` will make. Every name must lie
    in a folder of this member (``<schema>/…``, ``public/highlights/<schema>/…``): an
    edited archive cannot write elsewhere."""
    root = Path(settings.MEDIA_ROOT)
    folders = set()
    for name in tar.getnames():
        parts = PurePosixPath(name).parts
        if member.schema_name not in parts:
            raise ProvisioningError(
                _("%(file)s enthält fremde Dateien (%(name)s).") % {"file": tar.name, "name": name}
            )
        folders.add(root.joinpath(*parts[: parts.index(member.schema_name) + 1]))
    return [folder for folder in folders if not folder.exists()]


def member_restore(folder: Path, progress=lambda message: None) -> Member:
    """Bring a deleted member back from its backup folder: schema, public rows, media.

    Refused, with nothing changed, while a member, schema, domain or media folder of the
    same name exists. A dump older than the code is migrated. Touches the public schema
    and creates the member's schema; on any failure both are as before.
    """
    folder = Path(folder)
    member, objects = _backup_read(folder)
    connection.set_schema_to_public()
    with provisioning_lock():
        refusal = _restore_refusal(member, objects)
        if refusal:
            raise ProvisioningError(refusal)
        command, env = pg_command("pg_restore")
        command += [
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(folder / BACKUP_SCHEMA),
        ]
        progress(_("Schema %(schema)s wird wiederhergestellt …") % {"schema": member.schema_name})
        completed = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
        if completed.returncode != 0:
            raise ProvisioningError(
                _("pg_restore ist fehlgeschlagen, nichts wurde wiederhergestellt: %(error)s")
                % {"error": completed.stderr.strip()}
            )
        made: list[Path] = []
        try:
            progress(
                _("%(count)s Zeilen im Public-Schema werden wiederhergestellt …")
                % {"count": len(objects)}
            )
            try:
                with transaction.atomic():
                    for row in objects:
                        row.save_base(raw=True, force_insert=True)  # never over another row
            except IntegrityError as error:
                raise ProvisioningError(
                    _("Die Zeilen der Sicherung passen nicht zu dieser Datenbank: %(error)s")
                    % {"error": str(error).strip()}
                ) from error
            if schemas_behind([member.schema_name]):
                progress(_("Schema %(schema)s wird migriert …") % {"schema": member.schema_name})
                call_command(
                    "migrate_schemas",
                    schema_name=member.schema_name,
                    interactive=False,
                    verbosity=0,
                )
                connection.set_schema_to_public()
            if (folder / BACKUP_MEDIA).is_file():
                progress(_("Medien werden wiederhergestellt …"))
                with tarfile.open(folder / BACKUP_MEDIA, "r:gz") as tar:
                    made = _media_folders_made(tar, member)
                    tar.extractall(settings.MEDIA_ROOT, filter="data")
        except BaseException:
            connection.set_schema_to_public()
            _schema_and_rows_remove(member)
            for path in made:
                shutil.rmtree(path, ignore_errors=True)
            raise
    schema_check_forget(member.schema_name)
    return Member.objects.get(pk=member.pk)


def member_delete(
    member: Member, backup_root: Path | None = None, progress=lambda message: None
) -> Path:
    """Back the member up, then drop its schema, rows and media. Returns the backup folder.

    Touches the public schema and drops the member's schema. Nothing is deleted when the
    backup fails. Rows of other apps that refer to the member go with its row (cascade).
    """
    if is_system_schema(member.schema_name):
        raise ProvisioningError(_("Das Netzwerk und die Vorlage können nicht gelöscht werden."))
    try:
        backup = member_backup(member, backup_root, progress)
    except ProvisioningError as error:
        raise ProvisioningError(
            _("%(error)s – nichts wurde gelöscht.") % {"error": str(error).rstrip(".")}
        ) from error
    progress(_("Mitglied wird gelöscht …"))
    connection.set_schema_to_public()
    _schema_and_rows_remove(member)
    shutil.rmtree(media_root(member.schema_name), ignore_errors=True)
    return backup


def timed(function, *args, **kwargs):
    """Run ``function`` and return (result, seconds); used by commands and benchmarks."""
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started
