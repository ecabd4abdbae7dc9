"""Registrations for events, kept in the schema of the event's site.

A member's registrations live in the member's schema, the network's in the public
schema, next to the event page they belong to: no query of one site can reach another
site's participants (the data-subject request, ``subject_requests``, is the one reader
across schemas, and says so).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

CONFIRMATION_HOURS = 48  # an unconfirmed registration is deleted after this long


class RegistrationSettings(models.Model):
    """What an event page asks and offers when visitors register through its form.

    Mixed into the event page types of both kinds of site; ``seats`` is the event's own
    field (empty: unlimited).
    """

    registration_open = models.BooleanField(
        _("Anmeldeformular anbieten"),
        default=False,
        help_text=_("Besucherinnen und Besucher melden sich auf der Seite an."),
    )
    registration_deadline = models.DateTimeField(
        _("Anmeldeschluss"), null=True, blank=True, help_text=_("Leer: bis zum Beginn")
    )
    waiting_list = models.BooleanField(
        _("Warteliste, wenn alle Plätze vergeben sind"), default=True
    )
    ask_organisation = models.BooleanField(_("Organisation abfragen"), default=False)
    ask_role = models.BooleanField(_("Funktion abfragen"), default=False)
    ask_remarks = models.BooleanField(_("Anmerkungen abfragen"), default=False)
    question_1 = models.CharField(_("Eigene Frage 1"), max_length=200, blank=True)
    question_2 = models.CharField(_("Eigene Frage 2"), max_length=200, blank=True)
    question_3 = models.CharField(_("Eigene Frage 3"), max_length=200, blank=True)
    offer_participant_list = models.BooleanField(
        _("Teilnehmendenliste anbieten"),
        default=False,
        help_text=_(
            "Teilnehmende können freiwillig einwilligen, dass Name und Organisation auf "
            "der Liste für die anderen Teilnehmenden stehen."
        ),
    )
    access_info = models.TextField(
        _("Zugangsdaten"),
        blank=True,
        help_text=_("Zum Beispiel Meeting-ID und Kenncode; nur per E-Mail verschickt."),
    )
    access_for_confirmed_only = models.BooleanField(
        _("Online-Zugang nur an bestätigte Teilnehmende"),
        default=True,
        help_text=_(
            "Der Link zur Online-Veranstaltung steht dann nicht auf der Seite, sondern nur "
            "in der Bestätigungs-E-Mail."
        ),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("Erinnerung (Tage vorher)"), null=True, blank=True, help_text=_("Leer: keine")
    )
    retention_days = models.PositiveSmallIntegerField(
        _("Anmeldedaten löschen (Tage nach dem Ende)"),
        null=True,
        blank=True,
        help_text=_("Leer: wie in den Website-Einstellungen (Standard 30 Tage)"),
    )

    registration_panel = MultiFieldPanel(
        [
            FieldPanel("registration_open"),
            FieldRowPanel([FieldPanel("registration_deadline"), FieldPanel("waiting_list")]),
            FieldRowPanel(
                [
                    FieldPanel("ask_organisation"),
                    FieldPanel("ask_role"),
                    FieldPanel("ask_remarks"),
                ]
            ),
            FieldPanel("question_1"),
            FieldPanel("question_2"),
            FieldPanel("question_3"),
            FieldPanel("offer_participant_list"),
            FieldPanel("access_info"),
            FieldPanel("access_for_confirmed_only"),
            FieldRowPanel([FieldPanel("reminder_days"), FieldPanel("retention_days")]),
        ],
        heading=_("Anmeldeformular"),
        classname="collapsed",
    )

    class Meta:
        abstract = True

    def registration_closes_at(self):
        return self.registration_deadline or self.start

    def registration_event(self):
        """The page registrations belong to: the original-language version of a
        translated event (all language versions share its seats and its list); an event
        without one is its own."""
        if self.locale.language_code == settings.LANGUAGE_CODE:
            return self
        original = (
            type(self)
            .objects.filter(
                translation_key=self.translation_key,
                locale__language_code=settings.LANGUAGE_CODE,
            )
            .first()
        )
        return original or self


class Registration(models.Model):
    """One person's registration for one event.

    ``pending`` and ``confirmed`` hold a seat; ``waiting`` is on the waiting list in
    ``id`` order; ``cancelled`` keeps the row (without a seat) until the retention
    period ends. ``email_confirmed_at`` is the double opt-in: until the person clicks
    the link in the mail the registration is deleted after ``CONFIRMATION_HOURS``.
    The ``key`` in the mails' links is the only authority over the registration.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Unbestätigt")
        CONFIRMED = "confirmed", _("Bestätigt")
        WAITING = "waiting", _("Warteliste")
        CANCELLED = "cancelled", _("Abgemeldet")

    SEAT_STATES = (Status.PENDING, Status.CONFIRMED)

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices)
    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail"))
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    role = models.CharField(_("Funktion"), max_length=200, blank=True)
    remarks = models.TextField(_("Anmerkungen"), blank=True)
    answers = models.JSONField(_("Antworten"), default=list, blank=True)  # [[question, answer]]
    list_consent = models.BooleanField(_("Auf der Teilnehmendenliste"), default=False)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    created_at = models.DateTimeField(_("Angemeldet am"), default=timezone.now)
    email_confirmed_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("Abgemeldet am"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("Erinnert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["id"]
        constraints = [
            # one address takes one place (seat or waiting list) per event
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(status="cancelled"),
                name="registration_one_per_address",
            )
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def waiting_position(self) -> int | None:
        """Place on the waiting list (1 = next to move up), None when not waiting."""
        if self.status != self.Status.WAITING:
            return None
        earlier = Registration.objects.filter(
            event_id=self.event_id, status=self.Status.WAITING, id__lt=self.id
        )
        return earlier.count() + 1


class RegistrationArchive(models.Model):
    """What is left of an event's registrations once they are deleted: counts only."""

    event = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="registration_archive"
    )
    confirmed = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)
    waiting = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    deleted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Gelöschte Anmeldungen (Anzahl)")

    def __str__(self):
        return f"{self.event_id}: {self.confirmed} confirmed"


class SubjectRequestLog(models.Model):
    """A data-subject request handled at network level, one row per site it touched.

    Written in the public schema. The address itself is not kept (it would outlive the
    deletion it documents); its keyed digest lets the contact recognise a repeat request.
    """

    class Action(models.TextChoices):
        EXPORT = "export", _("Auskunft (Export)")
        DELETE = "delete", _("Löschung")

    address_digest = models.CharField(max_length=64)
    site = models.CharField(_("Website"), max_length=200)
    schema_name = models.CharField(max_length=63)
    action = models.CharField(_("Aktion"), max_length=8, choices=Action.choices)
    count = models.PositiveIntegerField(_("Anmeldungen"))
    handled_by = models.CharField(_("Bearbeitet von"), max_length=150)
    handled_at = models.DateTimeField(_("Bearbeitet am"), default=timezone.now)

    class Meta:
        verbose_name = _("Auskunfts- oder Löschanfrage")
        ordering = ["-handled_at", "site"]
        permissions = [("handle_subject_request", _("Auskunfts- und Löschanfragen bearbeiten"))]

    def __str__(self):
        return f"{self.action} {self.site} ({self.count})"
