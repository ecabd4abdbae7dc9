"""Event registration in Wagtail's admin menus, page explorer and group editor."""

from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button, ListingButton

from sites.registrations import subject_views
from sites.registrations.admin_views import (
    VIEW,
    RegistrationsViewSet,
    event_url,
    organiser_may,
    seats_label,
    takes_registrations,
)
from sites.registrations.models import Registration

# --- Organisers: registrations per event ------------------------------------------------


@hooks.register("register_admin_viewset")
def register_registrations_viewset():
    return RegistrationsViewSet()


@hooks.register("register_permissions")
def register_registration_permissions():
    """Seeing and handling registrations can be granted per group in the group editor."""
    return Permission.objects.filter(
        content_type__app_label="registrations",
        codename__in=["view_registration", "change_registration"],
    )


def _registrations_button(page, user, button_class, priority):
    """The event's registrations with the seats taken, "Anmeldungen (12 / 25)", for those
    who may see them; only on events that take or took registrations."""
    if not takes_registrations(page) or not user.has_perm(VIEW):
        return None
    page = page.registration_event()  # language versions share the original's list
    if not page.registration_open and not Registration.objects.filter(event_id=page.pk).exists():
        return None
    if not organiser_may(user, page):
        return None
    label = seats_label(page)
    return button_class(
        label,
        url=event_url(page),
        icon_name="group",
        attrs={
            "aria-label": _("%(label)s: Anmeldungen zu „%(title)s“")
            % {"label": label, "title": page.get_admin_display_title()},
            "data-registrations-button": "",
        },
        priority=priority,
    )


@hooks.register("register_page_listing_buttons")
def registrations_listing_button(page, user, next_url=None):
    button = _registrations_button(page, user, ListingButton, priority=15)
    return [button] if button else []


@hooks.register("register_page_header_buttons")
def registrations_header_button(page, user, view_name=None, next_url=None):
    button = _registrations_button(page, user, Button, priority=25)
    return [button] if button else []


# --- Data-subject requests ------------------------------------------------------------
# The central data-protection contact's page (subject_views): network admin only (404 in a
# member's admin); its menu item and its permission are shown there only.


@hooks.register("register_admin_urls")
def register_subject_request_urls():
    return subject_views.admin_urls()


@hooks.register("register_settings_menu_item")
def register_subject_request_menu_item():
    return subject_views.menu_item()


@hooks.register("register_permissions")
def register_subject_request_permissions():
    return subject_views.permissions()
