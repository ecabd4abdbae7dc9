"""Members of the network (tenants) and the host names that route to them.

Lives in the public schema only. Two rows are not members but system schemas: the
public schema itself (the network site) and the template schema new members are
cloned from; :meth:`MemberQuerySet.members` leaves them out.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from core.schemas import system_schema_names

# Page cache topic (core.pagecache) of the network pages that show members: names, kinds,
# microsite links. Purged when a member or one of its domains changes.
MEMBERS_TOPIC = "members"


class MemberQuerySet(models.QuerySet):
    def members(self):
        """Real member municipalities: neither the network nor the template schema."""
        return self.exclude(schema_name__in=system_schema_names())

    def active(self):
        return self.members().filter(state=Member.State.ACTIVE)


class Member(TenantMixin):
    """A member municipality; its microsite's data lives in schema ``schema_name``."""

    class Kind(models.TextChoices):
        CITY = "city", _("Stadt")
        COUNTY = "county", _("Kreis")
        OTHER = "other", _("Sonstige")

    class State(models.TextChoices):
        ACTIVE = "active", _("aktiv")
        ARCHIVED = "archived", _("archiviert")

    name = models.CharField(_("Name"), max_length=100)
    slug = models.SlugField(_("Kürzel"), max_length=40, unique=True)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.CITY)
    state = models.CharField(
        _("Status"), max_length=10, choices=State.choices, default=State.ACTIVE
    )
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)

    # Schemas are created by tenants.services (clone or migrate, then repaired), never
    # implicitly on save.
    auto_create_schema = False
    auto_drop_schema = False

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitglied")
        verbose_name_plural = _("Mitglieder")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    @property
    def primary_domain(self) -> str | None:
        primary = [d for d in self.domains.all() if d.is_primary]
        return primary[0].domain if primary else None

    @property
    def url(self) -> str:
        """Address of the microsite as visitors type it."""
        port = "" if settings.PUBLIC_PORT in (80, 443) else f":{settings.PUBLIC_PORT}"
        return f"{settings.PUBLIC_SCHEME}://{self.primary_domain}{port}/"


class Domain(DomainMixin):
    """A host name routed to a member (or, for network hosts, to the public schema)."""

    class Meta:
        verbose_name = _("Domain")
        verbose_name_plural = _("Domains")

    def __str__(self):
        return self.domain
