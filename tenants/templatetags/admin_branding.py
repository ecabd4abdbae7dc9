"""The admin in the colours of the site it edits: a member's admin names the member and
shows its logo, the network admin names the network (templates/wagtailadmin/)."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.db import connection
from wagtail.models import Site

from core.models import SiteSettings
from core.schemas import is_public_schema
from tenants.models import Member

register = template.Library()


@dataclass
class Branding:
    name: str
    logo: object = None  # the site's logo (an image of its own schema), if set
    member: Member | None = None


@register.simple_tag(takes_context=True)
def admin_branding(context) -> Branding:
    """Name and logo of the site whose admin this is; the network's name in the network
    admin (and wherever no member can be told)."""
    request = context.get("request")
    member = getattr(request, "tenant", None)
    if is_public_schema(connection.schema_name) or not isinstance(member, Member):
        return Branding(name=settings.WAGTAIL_SITE_NAME)
    site = Site.find_for_request(request)  # cached on the request, as are the settings
    logo = SiteSettings.for_request(request).logo if site is not None else None
    return Branding(name=member.name, logo=logo, member=member)
