"""The network admin's page for data-subject requests: the central data-protection
contact finds every registration of one address on every site, downloads them as JSON
and deletes them (after a confirmation step), and sees the log of past requests.

Registered for every schema (Wagtail hooks are global), but it exists only in the network
admin: in a member's admin it answers 404, so no member can reach other members'
participants. It needs the permission ``registrations.handle_subject_request``
(superusers have it). The address travels in POST bodies only, never in a URL (where it
would stay in logs and the browser's history).
"""

import json

from django import forms
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.schemas import is_public_schema
from sites.registrations.models import SubjectRequestLog
from sites.registrations.subject_requests import (
    address_digest,
    subject_registrations_delete,
    subject_registrations_export,
    subject_registrations_find,
)

PERMISSION = "registrations.handle_subject_request"
URL_NAME = "registrations_subject_requests"
LOG_ROWS_SHOWN = 200


def may_handle(user) -> bool:
    """Only in the network admin, and only with the permission."""
    return is_public_schema(connection.schema_name) and user.has_perm(PERMISSION)


class SubjectRequestForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-Mail-Adresse"), max_length=254)


class SubjectRequestView(WagtailAdminTemplateMixin, View):
    """GET: the form and the log. POST ``action``: "find" shows what each site holds,
    "export" downloads the JSON, "delete" asks for confirmation and, with
    ``confirmed=yes``, deletes."""

    template_name = "registrations/subject/index.html"
    confirm_template_name = "registrations/subject/confirm_delete.html"
    page_title = gettext_lazy("Auskunft und Löschung")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not is_public_schema(connection.schema_name):
            raise Http404
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=SubjectRequestForm()))

    def post(self, request):
        form = SubjectRequestForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        email = form.cleaned_data["email"]
        action = request.POST.get("action", "find")
        handled_by = request.user.get_username()
        if action == "export":
            return self._export(email, handled_by)
        if action == "delete" and request.POST.get("confirmed") == "yes":
            return self._delete(email, handled_by)
        sites = subject_registrations_find(email=email)
        context = self.get_context_data(
            form=form,
            email=form.cleaned_data["email"],
            found=[site for site in sites if site.count or site.unavailable],
            searched=len(sites),
            total=sum(site.count for site in sites),
            digest=address_digest(email),
        )
        if action == "delete":
            return self.response_class(
                request=request, template=[self.confirm_template_name], context=context
            )
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["log"] = list(SubjectRequestLog.objects.all()[:LOG_ROWS_SHOWN])
        return context

    def _export(self, email: str, handled_by: str) -> HttpResponse:
        data = subject_registrations_export(email=email, handled_by=handled_by)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="auskunft-anmeldungen-{day}.json"'
        response["Cache-Control"] = "no-store"
        return response

    def _delete(self, email: str, handled_by: str):
        done = subject_registrations_delete(email=email, handled_by=handled_by)
        deleted = sum(site.deleted for site in done)
        sites = sum(1 for site in done if site.deleted)
        moved = sum(site.moved_up for site in done)
        messages.success(
            self.request,
            _(
                "%(deleted)s Anmeldung(en) auf %(sites)s Website(s) gelöscht; "
                "%(moved)s Person(en) von der Warteliste nachgerückt."
            )
            % {"deleted": deleted, "sites": sites, "moved": moved},
        )
        unavailable = [site.name for site in done if site.unavailable]
        if unavailable:
            messages.error(
                self.request,
                _("Nicht durchsucht (Datenbankschema unvollständig): %(sites)s")
                % {"sites": ", ".join(unavailable)},
            )
        return redirect(URL_NAME)


class SubjectRequestMenuItem(MenuItem):
    def is_shown(self, request):
        return may_handle(request.user)


def admin_urls() -> list:
    return [path("subject-requests/", SubjectRequestView.as_view(), name=URL_NAME)]


def menu_item() -> MenuItem:
    return SubjectRequestMenuItem(
        gettext_lazy("Auskunft und Löschung"),
        reverse(URL_NAME),
        name="subject-requests",
        icon_name="user",
        order=650,
    )


def permissions():
    """The permission in the network admin's group editor; a member's offers none."""
    if not is_public_schema(connection.schema_name):
        return Permission.objects.none()
    app_label, codename = PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)
