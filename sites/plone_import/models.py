"""What the Plone import remembers.

``PloneObject`` lives in the schema of the site it was imported into (network or member):
each imported item keeps its Plone UID, so that an import run again updates what
changed, skips what did not and creates nothing twice. ``ImportRun`` is the import
history that central editors see; its rows are kept in the public schema only (the
table exists in every schema because the app is also a tenant app).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PloneObject(models.Model):
    """One Plone item and what it became here."""

    class Kind(models.TextChoices):
        PAGE = "page", _("Seite")
        DOCUMENT = "document", _("Dokument")
        IMAGE = "image", _("Bild")
        LINK = "link", _("Link")
        INDEX = "index", _("Übersicht")

    uid = models.CharField(_("Plone-UID"), max_length=64, unique=True)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    object_id = models.PositiveIntegerField(null=True, blank=True)
    plone_path = models.CharField(_("Alter Pfad"), max_length=1000)
    plone_type = models.CharField(_("Plone-Typ"), max_length=100)
    checksum = models.CharField(max_length=64)
    imported_at = models.DateTimeField(_("Importiert am"), auto_now=True)

    class Meta:
        verbose_name = _("Importiertes Plone-Objekt")
        verbose_name_plural = _("Importierte Plone-Objekte")

    def __str__(self):
        return f"{self.plone_type} {self.plone_path}"


class ImportRun(models.Model):
    """One import into one site: who started it, how far it got, what it reported."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Wartet")
        RUNNING = "running", _("Läuft")
        DONE = "done", _("Fertig")
        DONE_WITH_SKIPS = "skipped", _("Fertig, mit übersprungenen Objekten")
        FAILED = "failed", _("Abgebrochen")

    site = models.CharField(
        _("Website"), max_length=63, help_text=_("„network“ oder das Kürzel des Mitglieds")
    )
    source_name = models.CharField(_("Quelle"), max_length=255)
    started_by = models.CharField(_("Gestartet von"), max_length=150, blank=True)
    started_at = models.DateTimeField(_("Gestartet"), auto_now_add=True)
    finished_at = models.DateTimeField(_("Beendet"), null=True, blank=True)
    state = models.CharField(_("Stand"), max_length=10, choices=State.choices)
    dry_run = models.BooleanField(_("Probelauf"), default=False)
    done = models.PositiveIntegerField(_("Bearbeitet"), default=0)
    total = models.PositiveIntegerField(_("Gesamt"), default=0)
    report = models.JSONField(_("Bericht"), default=dict, blank=True)
    options = models.JSONField(default=dict, blank=True)  # language, under, … (services.Options)
    upload = models.CharField(max_length=500, blank=True)  # the uploaded export, until it ran

    class Meta:
        verbose_name = _("Plone-Import")
        verbose_name_plural = _("Plone-Importe")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.site}: {self.source_name} ({self.started_at:%d.%m.%Y %H:%M})"

    @property
    def finished(self) -> bool:
        return self.state not in (self.State.QUEUED, self.State.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
