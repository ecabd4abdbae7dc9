"""Admin additions that every schema's admin shares."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import locale_permission_policy


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
