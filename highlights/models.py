"""Highlights: what members propose for the network site (public schema only).

One row per proposed source page (a page in one locale of one member). The pipeline
(``highlights.services``) writes the content columns; central editors own ``state``,
``sort_order`` and ``changed_since_approval`` is how the pipeline tells them that an
approved source was edited.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Member


class HighlightQuerySet(models.QuerySet):
    def visible(self):
        """Approved or featured highlights of active members, as the network site shows them."""
        return self.filter(
            state__in=[Highlight.State.APPROVED, Highlight.State.FEATURED],
            member__state=Member.State.ACTIVE,
        )

    def waiting(self):
        return self.filter(state=Highlight.State.PROPOSED, member__state=Member.State.ACTIVE)


class Highlight(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("vorgeschlagen")
        APPROVED = "approved", _("freigegeben")
        FEATURED = "featured", _("hervorgehoben")
        REJECTED = "rejected", _("abgelehnt")

    class PageType(models.TextChoices):
        NEWS = "news", _("Nachricht")
        EVENT = "event", _("Veranstaltung")
        PROFILE = "profile", _("Kurzportrait")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="highlights", verbose_name=_("Mitglied")
    )
    source_page_id = models.PositiveIntegerField(_("Seiten-ID beim Mitglied"))
    locale = models.CharField(_("Sprache"), max_length=10)
    page_type = models.CharField(_("Art"), max_length=10, choices=PageType.choices)
    title = models.CharField(_("Titel"), max_length=255)
    teaser = models.TextField(_("Anreißer"), blank=True)
    url = models.URLField(_("Adresse"), max_length=500)
    image_url = models.CharField(_("Bild"), max_length=500, blank=True)
    image_alt = models.CharField(_("Alternativtext"), max_length=255, blank=True)
    event_start = models.DateTimeField(_("Beginn"), null=True, blank=True)
    event_end = models.DateTimeField(_("Ende"), null=True, blank=True)
    last_published_at = models.DateTimeField(_("zuletzt veröffentlicht"), null=True)
    state = models.CharField(
        _("Status"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    changed_since_approval = models.BooleanField(_("seit Freigabe geändert"), default=False)
    sort_order = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    created = models.DateTimeField(_("vorgeschlagen am"), auto_now_add=True)
    updated = models.DateTimeField(_("aktualisiert"), auto_now=True)

    objects = HighlightQuerySet.as_manager()

    class Meta:
        verbose_name = _("Highlight")
        verbose_name_plural = _("Highlights")
        ordering = ["sort_order", "-last_published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "source_page_id"], name="highlight_one_per_source_page"
            ),
        ]

    def __str__(self):
        return self.title
