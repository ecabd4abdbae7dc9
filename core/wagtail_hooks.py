"""Admin additions that every schema's admin shares."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.userbar import ContentCheckerItem
from wagtail.admin.viewsets import viewsets
from wagtail.models import Locale
from wagtail.permissions import locale_permission_policy

from core.accessibility import ContentChecker, page_problems


class LanguagesMenuItem(MenuItem):
    """wagtail-localize shows its "Locales" item only to users who may edit Sites, which
    coordinators may not (the platform manages hostnames). Enabling a language for the
    own site needs only the locale permissions."""

    def is_shown(self, request):
        return locale_permission_policy.user_has_any_permission(request.user, ["add", "change"])


@hooks.register("register_settings_menu_item")
def register_languages_menu_item():
    return LanguagesMenuItem(
        _("Sprachen"),
        reverse("wagtaillocales:index"),
        name="languages",
        icon_name="site",
        order=603,
    )


@hooks.register("construct_settings_menu")
def hide_localize_locales_item(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name != "locales"]


def _unless_default_locale(action: str):
    """wagtail-localize's locale ``action`` view ("edit" or "delete"), refused for the
    default language, whoever asks: every site's original content is German, and pages,
    URLs (``/de/``) and the copy pipeline rely on that locale keeping its code."""

    def view(request, pk):
        if Locale.all_objects.filter(pk=pk, language_code=settings.LANGUAGE_CODE).exists():
            messages.error(
                request,
                _(
                    "Deutsch ist die Ausgangssprache aller Inhalte dieser Website; "
                    "diese Sprache kann weder geändert noch gelöscht werden."
                ),
            )
            return redirect("wagtaillocales:index")
        locales = next(viewset for viewset in viewsets.viewsets if viewset.name == "wagtaillocales")
        return getattr(locales, f"{action}_view")(request, pk=pk)

    return view


@hooks.register("register_admin_urls", order=-1)  # before the viewsets' URLs, which it shadows
def register_default_locale_guard():
    return [
        path("locales/edit/<str:pk>/", _unless_default_locale("edit")),
        path("locales/delete/<str:pk>/", _unless_default_locale("delete")),
    ]


@hooks.register("construct_wagtail_userbar")
def use_our_content_checker(request, items, page):
    """Our rules in the checker of every site: in the userbar of pages and previews and
    in the editor's "Checks" panel, which takes its configuration from this hook."""
    items[:] = [
        ContentChecker(in_editor=item.in_editor) if isinstance(item, ContentCheckerItem) else item
        for item in items
    ]


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_pages_with_problems(request, action_type, objects, action):
    """The page listing's bulk "Publish" publishes drafts without the edit form: a draft
    whose content the publishing checks refuse is named here instead, and nothing is
    published (else the checks would end the request with a server error)."""
    if action_type != "publish":
        return None
    refused = [
        page.title
        for page in objects
        if page_problems(page.specific.get_latest_revision_as_object())
    ]
    if not refused:
        return None
    messages.error(
        request,
        _(
            "Nichts veröffentlicht: %(pages)s – der Inhalt hat Barrieren. Bitte die Seite "
            "öffnen; der Editor zeigt, welcher Block zu korrigieren ist."
        )
        % {"pages": ", ".join(f"„{title}“" for title in refused)},
    )
    return redirect(action.next_url)
