"""Copies of member content in the public schema: highlights and directory entries.

Rows are written by the copy pipeline (``sites.highlights.services``) from what member
pages offer (``sites.members.offers``); the network site reads only these tables.

Highlights: one row per translation group of a member: a page and its translations
(wagtail-localize, same ``translation_key``) are curated once. The row's content columns
describe the group's original (the German page if it is proposed, else the group's
oldest page); ``translations`` holds title, teaser and URL of its other live proposed
languages. The pipeline writes the content columns; central editors own ``state``,
``sort_order`` and their message to the member, ``editor_note`` (through
``highlight_curate``). ``image`` is a copy of the member's image in public media, made
and removed by the pipeline (``sites.highlights.images``).

Review of later edits: once a row is approved or featured, the network keeps showing
the approved content. A member's later edit waits in ``pending`` (same field names as the
content columns) with ``changed_since_approval`` set, until an editor accepts it
(``highlight_change_accept``). With ``HIGHLIGHTS_TRUST_MEMBER_EDITS`` the edit goes live
at once and only the flag tells the editors.

A source that leaves (unpublished, private, no longer proposed, deleted) does not take
its row along: the row is *withdrawn* (``withdrawn_at``), hidden with its curation, and
comes back in its old state when the page returns. Withdrawn rows older than
``HIGHLIGHTS_WITHDRAWN_KEEP_DAYS`` are deleted by the reconciliation.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tenants.models import Member


class HighlightQuerySet(models.QuerySet):
    def present(self):
        """Rows whose source page is still offered by an active member."""
        return self.filter(withdrawn_at__isnull=True, member__state=Member.State.ACTIVE)

    def visible(self):
        """Approved or featured highlights of active members, as the network site shows them."""
        return self.present().filter(state__in=Highlight.SHOWN_STATES)

    def waiting(self):
        """Proposals waiting for an editor's decision."""
        return self.present().filter(state=Highlight.State.PROPOSED)

    def changes_waiting(self):
        """Shown rows whose member's later edit waits for an editor's review."""
        return self.present().filter(pending__isnull=False)


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
    translation_key = models.UUIDField(_("Übersetzungsgruppe"))
    source_page_id = models.PositiveIntegerField(_("Seiten-ID beim Mitglied"))
    locale = models.CharField(_("Sprache"), max_length=10)
    page_type = models.CharField(_("Art"), max_length=10, choices=PageType.choices)
    title = models.CharField(_("Titel"), max_length=255)
    teaser = models.TextField(_("Anreißer"), blank=True)
    url = models.URLField(_("Adresse"), max_length=500)
    # The member's original ("original_images/…" in its schema) and our teaser-sized copy.
    image_source = models.CharField(_("Bild beim Mitglied"), max_length=500, blank=True)
    image = models.FileField(_("Bild"), max_length=500, blank=True)
    image_alt = models.CharField(_("Alternativtext"), max_length=255, blank=True)
    event_start = models.DateTimeField(_("Beginn"), null=True, blank=True)
    event_end = models.DateTimeField(_("Ende"), null=True, blank=True)
    last_published_at = models.DateTimeField(_("zuletzt veröffentlicht"), null=True)
    # {"en": {"title": …, "teaser": …, "url": …}, …}: the group's other live proposed pages
    translations = models.JSONField(_("Übersetzungen"), default=dict, blank=True)
    state = models.CharField(
        _("Status"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    changed_since_approval = models.BooleanField(_("seit Freigabe geändert"), default=False)
    # What the member changed after approval, waiting for review: {field name: value}.
    pending = models.JSONField(_("Änderung des Mitglieds"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)
    # The editors' message to the member: why a row was rejected, or, on a row that is
    # not rejected, which change they ask for (sites.highlights.desk shows it).
    # A database default too: the pipeline's INSERT names only the columns it writes.
    editor_note = models.TextField(
        _("Nachricht an das Mitglied"), blank=True, default="", db_default=""
    )
    editor_note_at = models.DateTimeField(_("Nachricht vom"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    created = models.DateTimeField(_("vorgeschlagen am"), auto_now_add=True)
    updated = models.DateTimeField(_("aktualisiert"), auto_now=True)

    objects = HighlightQuerySet.as_manager()

    # What the network site shows; approving or featuring a row also reviews its content.
    SHOWN_STATES = (State.APPROVED, State.FEATURED)

    class Meta:
        verbose_name = _("Highlight")
        verbose_name_plural = _("Highlights")
        ordering = ["sort_order", "-last_published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "translation_key"], name="highlight_one_per_translation_group"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if hasattr(self, "shown_language"):
            raise ValueError("A highlight localized for display cannot be saved.")
        super().save(*args, **kwargs)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def change_requested(self) -> bool:
        """The editors asked for a change that the member has not published since."""
        if not self.editor_note or self.state == self.State.REJECTED:
            return False
        published = self.last_published_at
        return published is None or self.editor_note_at is None or published <= self.editor_note_at

    def pending_apply(self) -> "Highlight":
        """Put the member's waiting change into this instance's fields (not saved)."""
        for name, value in (self.pending or {}).items():
            setattr(self, name, self._meta.get_field(name).to_python(value))
        return self

    def localize(self, language: str | None = None) -> "Highlight":
        """Show this row in ``language`` (default: the active one) where the member
        translated the page, else in the original's language. For display only: title,
        teaser and url are replaced on this instance, which must not be saved afterwards.

        Sets ``shown_language`` and, when that is not the page's language,
        ``language_note`` ("auf Deutsch") for the visible marker.
        """
        language = _language_code(language or get_language())
        translated = self.translations.get(language) if language != self.locale else None
        if translated:
            self.title = translated.get("title") or self.title
            self.teaser = translated.get("teaser", "")
            self.url = translated.get("url") or self.url
            self.shown_language = language
        else:
            self.shown_language = self.locale
        self.language_note = (
            None if self.shown_language == language else language_note(self.shown_language)
        )
        return self


# Shown after a title that is not in the page's language: "(auf Deutsch)".
LANGUAGE_NOTES = {
    "de": _("auf Deutsch"),
    "en": _("auf Englisch"),
    "tr": _("auf Türkisch"),
    "ar": _("auf Arabisch"),
    "uk": _("auf Ukrainisch"),
}


def _language_code(language: str | None) -> str:
    """Content locales are plain language codes: "en-us" is shown as "en"."""
    return (language or settings.LANGUAGE_CODE).split("-")[0].lower()


def language_note(language: str) -> str:
    note = LANGUAGE_NOTES.get(language)
    return str(note) if note is not None else language


class DirectoryEntry(models.Model):
    """A member's profile as the network's member directory shows it: one row per member,
    so that the directory reads one table instead of every member's schema."""

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, primary_key=True, related_name="directory_entry"
    )
    lead = models.TextField(blank=True)
    facts = models.JSONField(default=list, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_role = models.CharField(max_length=200, blank=True)
    contact_phone = models.CharField(max_length=50, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_address = models.TextField(blank=True)
    latitude = models.DecimalField(
        _("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    profile_url = models.URLField(blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Verzeichniseintrag")
        verbose_name_plural = _("Verzeichniseinträge")

    def __str__(self):
        return self.member.name
