"""The organisers' admin of event registrations: the site's events with their counts, one
event's registrations with every answer, cancel and move up by hand, a message to all
confirmed participants, and the list as CSV or XLSX.

Everything works in the *current* schema, the admin's site: a coordinator's events and
registrations are the member's own, whatever id a URL names. Two permissions are needed
for each event: the model permission of this app (``view_registration`` to see and
export, ``change_registration`` to act) and the right to edit the event page, so a group
limited to one part of the page tree sees only its events. Seats are the services'
business; after each change ``notify`` sends the mails.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.models import Page, get_page_models

from sites.registrations.exports import csv_bytes, registration_table, xlsx_bytes
from sites.registrations.models import Registration, RegistrationSettings
from sites.registrations.notify import outcome_notify, participants_message
from sites.registrations.services import (
    RegistrationRefused,
    registration_cancel,
    registration_move_up,
    seats_taken,
)

Status = Registration.Status
NAMESPACE = "registrations_admin"  # "registrations" is the visitors' (confirm, cancel)
VIEW = "registrations.view_registration"
CHANGE = "registrations.change_registration"


# --- Who may see what ------------------------------------------------------------------


def may_view_registrations(user) -> bool:
    return user.has_perm(VIEW)


def event_models() -> list[type[Page]]:
    """The page types that take registrations (events of the network and of members)."""
    return [model for model in get_page_models() if issubclass(model, RegistrationSettings)]


def takes_registrations(page) -> bool:
    return isinstance(page, RegistrationSettings)


def organiser_may(user, event, permission: str = VIEW) -> bool:
    """The app's model permission and the right to edit the event page."""
    return user.has_perm(permission) and event.permissions_for_user(user).can_edit()


def _event_for(request, event_id: int, permission: str = VIEW):
    """The event ``event_id`` of this site, or 404; refused without both permissions."""
    event = get_object_or_404(Page, pk=event_id).specific
    if not takes_registrations(event):
        raise Http404
    if not organiser_may(request.user, event, permission):
        raise PermissionDenied
    return event


def organised_events(user) -> list[Page]:
    """The site's events whose registration is open or that have registrations, which
    ``user`` may see, by start."""
    found = []
    for model in event_models():
        events = model.objects.filter(
            Q(registration_open=True) | Q(registrations__isnull=False)
        ).distinct()
        found.extend(event for event in events if organiser_may(user, event))
    # language versions share their original's list (``registration_event``)
    originals = {event.registration_event().pk: event.registration_event() for event in found}
    return sorted(originals.values(), key=lambda event: (event.start, event.pk))


def seat_summary(event) -> dict:
    """Seats taken and offered (None: unlimited) and the length of the waiting list."""
    waiting = Registration.objects.filter(event_id=event.pk, status=Status.WAITING).count()
    return {"taken": seats_taken(event), "seats": event.seats, "waiting": waiting}


def seats_label(event) -> str:
    """The button's label: seats taken of seats offered (only taken when unlimited)."""
    taken = seats_taken(event)
    if event.seats is None:
        return _("Anmeldungen (%(taken)d)") % {"taken": taken}
    return _("Anmeldungen (%(taken)d / %(seats)d)") % {"taken": taken, "seats": event.seats}


def event_url(event) -> str:
    return reverse(f"{NAMESPACE}:event", args=[event.pk])


# --- Views -----------------------------------------------------------------------------


class OrganiserViewMixin(WagtailAdminTemplateMixin):
    header_icon = "group"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{NAMESPACE}:index"), "label": _("Anmeldungen")},
        ]


class EventsIndexView(OrganiserViewMixin, TemplateView):
    """The site's events with registration, with their counts."""

    template_name = "registrations/admin/index.html"
    page_title = _("Anmeldungen")

    def dispatch(self, request, *args, **kwargs):
        if not may_view_registrations(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        events = [
            {"event": event, "url": event_url(event), **seat_summary(event)}
            for event in organised_events(self.request.user)
        ]
        return super().get_context_data(events=events, **kwargs)


class EventRegistrationsView(OrganiserViewMixin, TemplateView):
    """One event's registrations with their answers, and what organisers can do."""

    template_name = "registrations/admin/event.html"
    page_title = _("Anmeldungen")

    def dispatch(self, request, *args, **kwargs):
        self.event = _event_for(request, kwargs["event_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.event.title

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.event.title}]

    @cached_property
    def may_change(self) -> bool:
        return organiser_may(self.request.user, self.event, CHANGE)

    def get_header_buttons(self):
        pk = self.event.pk
        buttons = [
            HeaderButton(
                _("CSV"), reverse(f"{NAMESPACE}:export", args=[pk, "csv"]), icon_name="download"
            ),
            HeaderButton(
                _("Excel (XLSX)"),
                reverse(f"{NAMESPACE}:export", args=[pk, "xlsx"]),
                icon_name="download",
            ),
        ]
        if self.may_change:
            buttons.append(
                HeaderButton(
                    _("Nachricht an Teilnehmende"),
                    reverse(f"{NAMESPACE}:message", args=[pk]),
                    icon_name="mail",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        registrations = Registration.objects.filter(event_id=self.event.pk).order_by("id")
        table = registration_table(self.event, registrations)
        rows = [
            {
                "registration": registration,
                "cells": cells,
                "position": _waiting_position(registration, table.registrations),
            }
            for registration, cells in zip(table.registrations, table.rows, strict=True)
        ]
        return super().get_context_data(
            event=self.event,
            header=table.header,
            rows=rows,
            summary=seat_summary(self.event),
            may_change=self.may_change,
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.event.pk]),
            **kwargs,
        )


def _waiting_position(registration, registrations) -> int | None:
    """Place on the waiting list, counted in the listed rows (no query per row)."""
    if registration.status != Status.WAITING:
        return None
    waiting = [r.pk for r in registrations if r.status == Status.WAITING]
    return waiting.index(registration.pk) + 1


class ExportView(View):
    """The event's registrations as a file (``kind``: csv or xlsx)."""

    def get(self, request, event_id, kind):
        if kind not in ("csv", "xlsx"):
            raise Http404
        event = _event_for(request, event_id)
        table = registration_table(
            event, Registration.objects.filter(event_id=event.pk).order_by("id")
        )
        name = f"anmeldungen-{event.slug}"
        if kind == "csv":
            response = HttpResponse(csv_bytes(table), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                xlsx_bytes(table, title=event.title),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
        return response


def _report_cancelled(request, outcome) -> None:
    name = outcome.registration.name
    if not outcome.mails:
        messages.info(request, _("„%(name)s“ war bereits abgemeldet.") % {"name": name})
        return
    messages.success(
        request, _("„%(name)s“ ist abgemeldet und wird benachrichtigt.") % {"name": name}
    )
    if outcome.moved_up:
        names = ", ".join(f"„{r.name}“" for r in outcome.moved_up)
        messages.success(
            request,
            _("Von der Warteliste nachgerückt und benachrichtigt: %(names)s") % {"names": names},
        )


def _report_moved_up(request, outcome) -> None:
    messages.success(
        request,
        _("„%(name)s“ ist nachgerückt, hat einen Platz und wird benachrichtigt.")
        % {"name": outcome.registration.name},
    )


class RegistrationActionView(View):
    """Apply ``service`` to one registration by hand (POST only), send the mails, say what
    happened (``report``) and go back to the list."""

    http_method_names = ["post"]
    service: Callable  # a service of sites.registrations.services returning an Outcome
    report: Callable  # (request, outcome): the admin messages

    def post(self, request, pk):
        registration = get_object_or_404(Registration, pk=pk)
        event = _event_for(request, registration.event_id, CHANGE)
        try:
            outcome = self.service(registration=registration)
        except RegistrationRefused as refused:
            messages.error(request, refused.message)
        else:
            outcome_notify(outcome)
            self.report(request, outcome)
        return redirect(event_url(event))


class CancelView(OrganiserViewMixin, RegistrationActionView):
    """GET asks for confirmation (the person is told at once), POST cancels."""

    http_method_names = ["get", "post"]
    service = staticmethod(registration_cancel)
    report = staticmethod(_report_cancelled)
    template_name = "registrations/admin/confirm_cancel.html"
    page_title = _("Anmeldung abmelden")

    def get(self, request, pk):
        registration = get_object_or_404(Registration, pk=pk)
        self.event = _event_for(request, registration.event_id, CHANGE)
        if registration.status == Status.CANCELLED:
            messages.info(
                request, _("„%(name)s“ war bereits abgemeldet.") % {"name": registration.name}
            )
            return redirect(event_url(self.event))
        context = self.get_context_data(
            registration=registration, event=self.event, back_url=event_url(self.event)
        )
        return self.render_to_response(context)

    def get_page_subtitle(self):
        return self.event.title

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": event_url(self.event), "label": self.event.title},
            {"url": "", "label": self.page_title},
        ]


class MoveUpView(RegistrationActionView):
    """A waiting person gets a seat by hand."""

    service = staticmethod(registration_move_up)
    report = staticmethod(_report_moved_up)


class ParticipantsMessageForm(forms.Form):
    subject = forms.CharField(label=_("Betreff"), max_length=150)
    body = forms.CharField(
        label=_("Nachricht"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Die E-Mail nennt die Veranstaltung und enthält den Abmeldelink jeder Person."),
    )


class ParticipantsMessageView(OrganiserViewMixin, FormView):
    """A message by e-mail to every confirmed participant of the event."""

    template_name = "registrations/admin/message.html"
    form_class = ParticipantsMessageForm
    page_title = _("Nachricht an Teilnehmende")

    def dispatch(self, request, *args, **kwargs):
        self.event = _event_for(request, kwargs["event_id"], CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.event.title

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": event_url(self.event), "label": self.event.title},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        confirmed = Registration.objects.filter(event_id=self.event.pk, status=Status.CONFIRMED)
        return super().get_context_data(
            event=self.event,
            recipients=confirmed.count(),
            back_url=event_url(self.event),
            **kwargs,
        )

    def form_valid(self, form):
        count = participants_message(
            event=self.event,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        )
        if count:
            messages.success(
                self.request,
                ngettext(
                    "Die Nachricht geht an %(count)d bestätigte Person.",
                    "Die Nachricht geht an %(count)d bestätigte Personen.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.warning(
                self.request,
                _("Es gibt keine bestätigten Teilnehmenden: die Nachricht ging an niemanden."),
            )
        return redirect(event_url(self.event))


# --- The viewset: URLs and the menu item ---------------------------------------------


class RegistrationsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_registrations(request.user)


class RegistrationsViewSet(ViewSet):
    """Below /admin/registrations/, in the main menu for those who may see registrations."""

    name = NAMESPACE
    icon = "group"
    menu_label = _("Anmeldungen")
    menu_name = "registrations"
    menu_order = 150
    add_to_admin_menu = True
    menu_item_class = RegistrationsMenuItem

    @property
    def url_prefix(self):
        return "registrations"

    def get_urlpatterns(self):
        return [
            path("", EventsIndexView.as_view(), name="index"),
            path("event/<int:event_id>/", EventRegistrationsView.as_view(), name="event"),
            path(
                "event/<int:event_id>/export/<str:kind>/",
                ExportView.as_view(),
                name="export",
            ),
            path(
                "event/<int:event_id>/message/",
                ParticipantsMessageView.as_view(),
                name="message",
            ),
            path("<int:pk>/cancel/", CancelView.as_view(), name="cancel"),
            path("<int:pk>/move-up/", MoveUpView.as_view(), name="move_up"),
        ]
