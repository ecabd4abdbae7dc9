"""The network admin's curation of highlights: list, filter, change state one by one or
in bulk, order the featured ones, and a dashboard panel with the waiting proposals.

Like the member admin (tenants/views.py), everything is registered for every schema
(Wagtail hooks are global) and the permission policy (``core.permissions``) answers "no"
outside the public schema.

Rows are written by the pipeline; editors change ``state``, ``sort_order`` and their
message to the member (``editor_note``) only, and only through ``highlight_curate``, and
accept a member's waiting change (``highlight_change_accept``). Nobody adds or deletes a
row here. The member reads the state and the message on its own dashboard
(``sites.highlights.desk``).
"""

from __future__ import annotations

import copy

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django.views import View
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.compare import diff_text
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    DateColumn,
    StatusFlagColumn,
    StatusTagColumn,
)
from wagtail.admin.views import generic
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from core.permissions import NetworkAdminOnlyPolicy
from core.schemas import is_public_schema
from sites.highlights.models import Highlight
from sites.highlights.services import highlight_change_accept, highlight_curate
from tenants.models import Member

State = Highlight.State
FROM_THE_MEMBER = [
    "url",
    "member",
    "page_type",
    "locale",
    "title",
    "teaser",
    "translations",
    "image",
    "image_alt",
    "event_start",
    "event_end",
    "last_published_at",
    "created",
]


def register_permission_policy() -> None:
    """Curation in the network admin only; rows come from the pipeline, so nobody adds or
    deletes them here (called by ``HighlightsConfig.ready()``)."""
    policy_registry.register(
        Highlight, NetworkAdminOnlyPolicy(Highlight, refused=("add", "delete"))
    )


def curation_policy() -> NetworkAdminOnlyPolicy:
    return policy_registry.get_by_type(Highlight)


def can_curate(user) -> bool:
    return curation_policy().user_has_permission(user, "change")


# --- Listing ----------------------------------------------------------------------------


def _is_set_filter(field_name: str, label) -> django_filters.BooleanFilter:
    """Yes: rows where ``field_name`` is set; no: rows where it is empty."""
    return django_filters.BooleanFilter(
        field_name=field_name,
        lookup_expr="isnull",
        exclude=True,
        label=label,
        widget=forms.RadioSelect(
            choices=[("", _("Alle")), ("true", _("ja")), ("false", _("nein"))]
        ),
    )


class HighlightFilterSet(WagtailFilterSet):
    member = django_filters.ModelChoiceFilter(
        label=_("Mitglied"), queryset=Member.objects.members().order_by("name")
    )
    state = django_filters.ChoiceFilter(
        label=_("Status"), choices=State.choices, empty_label=_("Alle"), widget=forms.RadioSelect
    )
    page_type = django_filters.ChoiceFilter(
        label=_("Art"),
        choices=Highlight.PageType.choices,
        empty_label=_("Alle"),
        widget=forms.RadioSelect,
    )
    language = django_filters.ChoiceFilter(
        field_name="locale",
        label=_("Sprache"),
        choices=settings.WAGTAIL_CONTENT_LANGUAGES,
        empty_label=_("Alle"),
        widget=forms.RadioSelect,
    )
    waiting_change = _is_set_filter("pending", _("Änderung wartet auf Prüfung"))
    withdrawn = _is_set_filter("withdrawn_at", _("Vom Mitglied zurückgezogen"))
    member_state = django_filters.ChoiceFilter(
        field_name="member__state",
        label=_("Mitglied ist"),
        choices=Member.State.choices,
        empty_label=_("Alle"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Highlight
        fields = []


def filtered_rows(params):
    """The rows the listing shows for these GET parameters: filters and search."""
    rows = HighlightFilterSet(params, queryset=Highlight.objects.all()).qs
    if query := params.get("q", "").strip():
        rows = rows.filter(title__icontains=query)  # as the listing searches search_fields
    return rows


class HighlightIndexView(generic.IndexView):
    template_name = "highlights/admin/index.html"
    page_title = _("Highlights")

    def get_base_queryset(self):
        return Highlight.objects.select_related("member")

    def get_ordering(self):
        """Newest first; the featured list in the editors' order unless sorted by hand."""
        if self.is_explicitly_ordered:
            return super().get_ordering()
        if self.request.GET.get("state") == State.FEATURED:
            return ["sort_order", "-last_published_at"]
        return "-last_published_at"

    @cached_property
    def columns(self):
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type="highlight"), *super().columns]

    def _get_title_column(self, *args, **kwargs):
        return super()._get_title_column(
            *args, **kwargs, get_title_id=lambda row: f"highlight_{quote(row.pk)}_title"
        )


# --- Curating one row -----------------------------------------------------------------


def _display(highlight: Highlight, name: str):
    value = getattr(highlight, name)
    if name == "locale":
        return dict(settings.WAGTAIL_CONTENT_LANGUAGES).get(value, value)
    if name == "translations":
        languages = dict(settings.WAGTAIL_CONTENT_LANGUAGES)
        return format_html_join(
            "",
            '<p><span lang="{}">{}</span>: <a href="{}" target="_blank" rel="noopener" '
            'lang="{}">{}</a></p>',
            (
                (code, languages.get(code, code), shown["url"], code, shown["title"])
                for code, shown in sorted(value.items())
            ),
        )
    if name in ("page_type", "state"):
        return getattr(highlight, f"get_{name}_display")()
    if hasattr(value, "tzinfo"):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if name == "url":
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', value, value)
    if name == "image":
        return format_html('<img src="{}" alt="{}" width="320">', value.url, highlight.image_alt)
    return value


# Shown side by side when a member's change waits; texts get a word diff.
REVIEWED = [
    "title", "teaser", "translations", "image", "image_alt", "page_type", "locale",
    "event_start", "event_end",
]  # fmt: skip
DIFFED_TEXTS = {"title", "teaser", "image_alt"}


def _text_diff(old: str, new: str):
    """The new text with Wagtail's word diff as <del>/<ins> (read out by screen readers)."""
    tags = {"equal": "{}", "deletion": "<del>{}</del>", "addition": "<ins>{}</ins>"}
    return format_html_join(
        "", "{}", ((format_html(tags[kind], text),) for kind, text in diff_text(old, new).changes)
    )


def pending_changes(highlight: Highlight) -> list[tuple[str, object, object]]:
    """(label, shown now, proposed by the member) of each field the waiting change alters."""
    proposed = copy.copy(highlight).pending_apply()  # for display only, never saved
    changes = []
    for name in REVIEWED:
        old, new = getattr(highlight, name), getattr(proposed, name)
        if name == "image":
            old, new = str(old or ""), str(new or "")
        if old == new:
            continue
        label = capfirst(Highlight._meta.get_field(name).verbose_name)
        if name in DIFFED_TEXTS:
            shown, diffed = old or "", _text_diff(old or "", new or "")
        else:
            shown = _display(highlight, name) if old else "–"
            diffed = _display(proposed, name) if new else "–"
        changes.append((label, shown, diffed))
    return changes


class MemberContentPanel(Panel):
    """What the member wrote, read-only: the pipeline owns these columns. A change that
    waits for review is shown beside the approved version, with the button to accept it."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            highlight = self.instance
            notes = []
            if highlight.withdrawn_at:
                withdrawn = date_format(timezone.localtime(highlight.withdrawn_at))
                notes.append(
                    format_html(
                        '<p class="help-block help-warning">{}</p>',
                        _(
                            "Das Mitglied bietet die Seite nicht mehr an (zurückgezogen am "
                            "%(date)s). Kommt sie zurück, gilt Ihre Entscheidung wieder."
                        )
                        % {"date": withdrawn},
                    )
                )
            if highlight.pending:
                notes.append(self.review_html(highlight))
            elif highlight.changed_since_approval:
                notes.append(
                    format_html(
                        '<p class="help-block help-warning">{}</p>',
                        _("Das Mitglied hat die Seite seit der Freigabe geändert."),
                    )
                )
            note = format_html_join("", "{}", ((part,) for part in notes))
            names = [n for n in FROM_THE_MEMBER if getattr(highlight, n) not in (None, "", {})]
            rows = format_html_join(
                "",
                "<dt>{}</dt><dd>{}</dd>",
                (
                    (capfirst(Highlight._meta.get_field(n).verbose_name), _display(highlight, n))
                    for n in names
                ),
            )
            return format_html("{}<dl>{}</dl>", note, rows)

        def review_html(self, highlight: Highlight):
            rows = format_html_join(
                "",
                '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
                pending_changes(highlight),
            )
            accept_url = reverse("highlights:accept", args=[quote(highlight.pk)])
            return format_html(
                '<section class="help-block help-warning" aria-labelledby="pending-heading">'
                '<h3 id="pending-heading">{heading}</h3><p>{text}</p>'
                '<table class="listing"><thead><tr><th scope="col">{field}</th>'
                '<th scope="col">{shown}</th><th scope="col">{new}</th></tr></thead>'
                "<tbody>{rows}</tbody></table>"
                '<p><button type="submit" class="button" formaction="{url}" '
                "data-accept-change>{accept}</button></p></section>",
                heading=_("Änderung des Mitglieds wartet auf Ihre Prüfung"),
                text=_(
                    "Die Netzwerk-Website zeigt weiter die freigegebene Fassung, bis Sie die "
                    "Änderung übernehmen."
                ),
                field=_("Feld"),
                shown=_("Freigegeben (wird gezeigt)"),
                new=_("Neu vom Mitglied"),
                rows=rows,
                url=accept_url,
                accept=_("Änderung übernehmen"),
            )


class AcceptChangeView(View):
    """One click: the member's waiting change of one row goes live (POST only)."""

    def post(self, request, pk):
        row = get_object_or_404(Highlight, pk=pk)
        if not curation_policy().user_has_permission_for_instance(request.user, "change", row):
            raise PermissionDenied
        if highlight_change_accept([row], user=request.user):
            messages.success(request, _("Die Änderung ist jetzt auf der Netzwerk-Website."))
        else:
            messages.info(request, _("Es wartet keine Änderung (mehr) auf Prüfung."))
        return redirect("highlights:edit", quote(row.pk))


class HighlightEditView(generic.EditView):
    def get_page_subtitle(self):
        return self.object.title

    def form_valid(self, form):
        """Saved by the curation service: only the editors' columns change, so a pipeline
        update that lands while the form is open keeps its content."""
        self.form = form
        highlight_curate(
            [self.object],
            state=form.cleaned_data["state"],
            sort_order=form.cleaned_data["sort_order"],
            note=form.cleaned_data["editor_note"],
            user=self.request.user,
        )
        response = self.save_action()
        return self.run_after_hook() or response


# --- Bulk actions (Wagtail's bulk action bar on the listing) ---------------------------


class HighlightStateBulkAction(BulkAction):
    """Set the state of the selected rows; GET asks for confirmation, POST does it."""

    models = [Highlight]
    template_name = "highlights/admin/confirm_bulk_state.html"
    target_state: str = ""
    confirm_text = ""

    def dispatch(self, request, *args, **kwargs):
        if not can_curate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        ids = [value for value in object_ids if str(value).isdigit()]
        rows = list(model.objects.filter(pk__in=ids).select_related("member"))
        if not rows:
            raise Http404
        return rows

    def get_all_objects_in_listing_query(self, parent_id):
        """With "select all in listing", act on the filtered listing, never the table."""
        return filtered_rows(self.request.GET).values_list("pk", flat=True)

    def check_perm(self, obj):
        return curation_policy().user_has_permission_for_instance(self.request.user, "change", obj)

    def object_context(self, obj):
        return {"item": obj, "edit_url": AdminURLFinder(self.request.user).get_edit_url(obj)}

    def get_execution_context(self):
        return {"user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return highlight_curate(objects, state=cls.target_state, user=user), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.success_message % {"count": num_parent_objects}


class ApproveBulkAction(HighlightStateBulkAction):
    display_name = _("Freigeben")
    action_type = "approve"
    aria_label = _("Ausgewählte Highlights freigeben")
    action_priority = 10
    target_state = State.APPROVED
    confirm_text = _("Diese Highlights freigeben und auf der Netzwerk-Website zeigen?")
    success_message = ngettext_lazy(
        "%(count)d Highlight freigegeben.", "%(count)d Highlights freigegeben.", "count"
    )


class FeatureBulkAction(HighlightStateBulkAction):
    display_name = _("Hervorheben")
    action_type = "feature"
    aria_label = _("Ausgewählte Highlights hervorheben")
    action_priority = 20
    target_state = State.FEATURED
    confirm_text = _(
        "Diese Highlights hervorheben? Sie stehen dann vorn auf der Startseite, "
        "in der Reihenfolge, die Sie beim Bearbeiten festlegen."
    )
    success_message = ngettext_lazy(
        "%(count)d Highlight hervorgehoben.", "%(count)d Highlights hervorgehoben.", "count"
    )


class RejectBulkAction(HighlightStateBulkAction):
    display_name = _("Ablehnen")
    action_type = "reject"
    aria_label = _("Ausgewählte Highlights ablehnen")
    action_priority = 30
    classes = {"serious"}
    target_state = State.REJECTED
    confirm_text = _("Diese Highlights ablehnen? Die Netzwerk-Website zeigt sie dann nicht.")
    success_message = ngettext_lazy(
        "%(count)d Highlight abgelehnt.", "%(count)d Highlights abgelehnt.", "count"
    )


class AcceptChangesBulkAction(HighlightStateBulkAction):
    """Accept the members' waiting changes of the selected rows (the state stays)."""

    display_name = _("Änderungen übernehmen")
    action_type = "accept-changes"
    aria_label = _("Die wartenden Änderungen der ausgewählten Highlights übernehmen")
    action_priority = 40
    confirm_text = _(
        "Die Änderungen der Mitglieder an diesen Highlights übernehmen? Die Netzwerk-Website "
        "zeigt dann die neue Fassung."
    )
    success_message = ngettext_lazy(
        "%(count)d Änderung übernommen.", "%(count)d Änderungen übernommen.", "count"
    )

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return highlight_change_accept(objects, user=user), 0


BULK_ACTIONS = [ApproveBulkAction, FeatureBulkAction, RejectBulkAction, AcceptChangesBulkAction]


# --- Dashboard --------------------------------------------------------------------------


class WaitingHighlightsPanel(Component):
    name = "waiting_highlights"
    template_name = "highlights/admin/dashboard_panel.html"
    order = 90

    def __init__(self, count: int, changes: int = 0):
        self.count = count
        self.changes = changes

    def get_context_data(self, parent_context=None):
        index = reverse("highlights:index")
        query = urlencode({"state": State.PROPOSED, "member_state": Member.State.ACTIVE})
        changed = urlencode({"waiting_change": "true", "withdrawn": "false"})
        return {
            "count": self.count,
            "url": f"{index}?{query}",
            "changes": self.changes,
            "changes_url": f"{index}?{changed}",
        }


# --- The viewset ------------------------------------------------------------------------


class HighlightViewSet(ModelViewSet):
    model = Highlight
    icon = "pick"
    menu_label = _("Highlights")
    menu_order = 160
    add_to_admin_menu = True
    copy_view_enabled = False
    add_to_reference_index = False
    index_view_class = HighlightIndexView
    edit_view_class = HighlightEditView
    filterset_class = HighlightFilterSet
    search_fields = ["title"]  # filtered_rows() searches the same way
    list_per_page = 50
    list_display = [
        "title",
        "member",
        "page_type",
        StatusTagColumn(
            "get_state_display",
            label=_("Status"),
            sort_key="state",
            primary=lambda row: row.state == State.FEATURED,
        ),
        StatusFlagColumn(
            "changed_since_approval",
            label=_("Änderungen"),
            sort_key="changed_since_approval",
            true_label=_("seit Freigabe geändert"),
        ),
        StatusFlagColumn(
            "is_withdrawn",
            label=_("Beim Mitglied"),
            sort_key="withdrawn_at",
            true_label=_("zurückgezogen"),
        ),
        DateColumn(
            "last_published_at", label=_("zuletzt veröffentlicht"), sort_key="last_published_at"
        ),
        "sort_order",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("state"),
                    FieldPanel(
                        "sort_order",
                        help_text=_(
                            "Reihenfolge der hervorgehobenen Highlights auf der Startseite: "
                            "kleinere Zahlen stehen weiter vorn."
                        ),
                    ),
                    FieldPanel(
                        "editor_note",
                        help_text=_(
                            "Das Mitglied liest diese Nachricht auf seinem Dashboard. Beim "
                            "Ablehnen: warum. Bei einem Vorschlag, der nicht abgelehnt ist: "
                            "welche Änderung Sie erbitten (dort steht dann „Änderung "
                            "erbeten“). Leeren, wenn nichts mehr zu sagen ist."
                        ),
                    ),
                ],
                heading=_("Kuratierung"),
            ),
            MemberContentPanel(heading=_("Vom Mitglied (nur lesbar)")),
        ],
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("accept/<int:pk>/", AcceptChangeView.as_view(), name="accept"),
        ]

    def get_permissions_to_register(self):
        """The group editor offers viewing and curating (nobody adds or deletes rows);
        a member admin's group editor offers nothing."""
        if not is_public_schema(connection.schema_name):
            return Permission.objects.none()
        return Permission.objects.filter(
            content_type__app_label="highlights",
            codename__in=["view_highlight", "change_highlight"],
        )
