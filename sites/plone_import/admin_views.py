"""The network admin's Plone imports: the history of every site's imports, starting one
from an uploaded export, and a run's progress and report.

Registered for every schema (Wagtail hooks are global); the permission policy answers
"no" outside the public schema, so a member's admin never lists another site's imports.
Runs are only ever added through the upload form and never edited or deleted here.
"""

from django import forms
from django.core.validators import FileExtensionValidator
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from core.permissions import NetworkAdminOnlyPolicy
from sites.plone_import.background import import_run_start
from sites.plone_import.models import ImportRun
from sites.plone_import.services import NETWORK, ImportRefused, Options
from tenants.models import Member


def register_permission_policy() -> None:
    """Runs are viewed and added in the network admin only (``PloneImportConfig.ready``)."""
    policy_registry.register(
        ImportRun, NetworkAdminOnlyPolicy(ImportRun, refused=("change", "delete"))
    )


def site_choices() -> list[tuple[str, str]]:
    members = Member.objects.active().order_by("name")
    return [(NETWORK, _("Netzwerk-Website")), *((m.slug, m.name) for m in members)]


class ImportStartForm(WagtailAdminModelForm):
    target = forms.ChoiceField(label=_("Website"), choices=())
    export = forms.FileField(
        label=_("Export der Plone-Website"),
        help_text=_(
            "ZIP von plone.exportimport (@export) oder JSON-Datei von "
            "collective.exportimport mit eingebetteten Dateien (base64)."
        ),
        validators=[FileExtensionValidator(["zip", "json"])],
    )
    under = forms.CharField(
        label=_("Unter der Seite"),
        required=False,
        help_text=_("Pfad einer Inhaltsseite, z. B. /archiv; leer: unter der Startseite"),
    )
    language = forms.ChoiceField(
        label=_("Sprache von Inhalten ohne Sprachangabe"),
        choices=[("de", _("Deutsch")), ("en", _("Englisch"))],
    )
    private_as_members_only = forms.BooleanField(
        label=_("Private Seiten nur für angemeldete Personen veröffentlichen"),
        required=False,
        help_text=_("Sonst werden private Seiten als Entwürfe übernommen."),
    )
    dry_run = forms.BooleanField(
        label=_("Probelauf"), required=False, help_text=_("Nur prüfen und berichten.")
    )

    class Meta:
        model = ImportRun
        fields = []  # the run's row is written by the service, not by the form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = site_choices()


class ImportRunCreateView(generic.CreateView):
    page_title = _("Plone-Import starten")

    def form_valid(self, form):
        data = form.cleaned_data
        options = Options(
            language=data["language"],
            under=data["under"],
            dry_run=data["dry_run"],
            private_as_members_only=data["private_as_members_only"],
            started_by=self.request.user.get_username(),
        )
        try:
            self.object = import_run_start(
                site=data["target"], upload=data["export"], options=options
            )
        except ImportRefused as error:
            form.add_error("target", str(error))
            self.produced_error_message = self.get_error_message()  # as is_valid() sets it
            return self.form_invalid(form)
        return redirect("plone_imports:inspect", self.object.pk)


class ImportRunInspectView(generic.InspectView):
    template_name = "plone_import/run_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object.report or {}
        context["run"] = self.object
        context["report"] = report
        context["counts"] = sorted((report.get("counts") or {}).items())
        context["notes"] = [
            (_("Übersprungen"), report.get("skipped") or []),
            (_("Nicht übernommene Inhalte"), report.get("lost") or []),
            (_("Links ohne Ziel"), report.get("unresolved_links") or []),
            (_("Bitte prüfen"), report.get("review") or []),
        ]
        return context


class ImportRunViewSet(ModelViewSet):
    model = ImportRun
    icon = "download"
    menu_label = _("Plone-Import")
    menu_name = "plone-imports"
    menu_order = 160
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    add_view_class = ImportRunCreateView
    inspect_view_class = ImportRunInspectView
    form_class = ImportStartForm
    list_display = [
        Column("started_at", label=_("Gestartet"), accessor="started_at"),
        "site",
        "source_name",
        "state",
        Column("percent", label=_("Fortschritt (%)"), accessor="percent"),
        "started_by",
    ]
    list_filter = ["site", "state"]

    def get_form_class(self, for_update=False):
        return ImportStartForm
