"""Abstract bases shared by the network site's and the microsites' page types."""

from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from core.schemas import is_public_schema


class SitePage(Page):
    """Base of every page type: knows which kind of schema its table lives in.

    Network page tables exist only in the public schema and microsite page tables only
    in member schemas, but Wagtail lists every page type everywhere. ``for_network``
    keeps each type out of the other kind of admin.
    """

    for_network = False

    class Meta:
        abstract = True

    @classmethod
    def can_create_at(cls, parent):
        return is_public_schema(
            connection.schema_name
        ) == cls.for_network and super().can_create_at(parent)


class HomePageBase(SitePage):
    """Fields every home page has; network and microsite home pages build on it."""

    lead = models.TextField(_("Einleitung"), blank=True)
    body = RichTextField(_("Text"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]

    class Meta:
        abstract = True
