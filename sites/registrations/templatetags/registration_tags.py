"""The registration box of an event page: seats, the form, and its answer."""

from dataclasses import dataclass, field

from django import template
from django.urls import reverse
from django.utils import timezone

from core import pagecache
from core.models import SiteSettings
from sites.registrations.forms import RegistrationForm
from sites.registrations.models import RegistrationSettings
from sites.registrations.services import registration_refusal, seats_taken

register = template.Library()


@dataclass
class RegistrationBox:
    """What the event page shows about registering (``None`` from the tag: nothing)."""

    event: RegistrationSettings
    action: str
    refusal: str = ""
    seats_left: int | None = None
    form: RegistrationForm | None = None
    done: str = ""  # "confirm" or "waiting" after a successful POST
    email: str = ""
    position: int | None = None
    retention_days: int = 30
    settings: SiteSettings | None = None
    errors: list = field(default_factory=list)

    @property
    def controller(self) -> str:
        """Who is responsible for the data (GDPR Art. 13): the site setting, else the
        site's name with its footer contact."""
        if self.settings is None:
            return ""
        if self.settings.controller:
            return self.settings.controller
        parts = (self.settings.site.site_name, self.settings.footer_contact)
        return "\n".join(part for part in parts if part)

    @property
    def full(self) -> bool:
        return self.seats_left == 0

    @property
    def hides_access(self) -> bool:
        """The online link goes to confirmed participants only, not onto the page."""
        return self.event.registration_open and self.event.access_for_confirmed_only


@register.simple_tag(takes_context=True)
def registration_box(context, event):
    if not isinstance(event, RegistrationSettings):
        return None
    if not (event.registration_open or context.get("registration_refusal_message")):
        return None
    request = context.get("request")
    site_settings = SiteSettings.for_request(request) if request is not None else None
    retention = event.retention_days
    if retention is None:
        retention = site_settings.registration_retention_days if site_settings else 30
    seats_left = None
    if event.seats is not None:  # shared by the event's language versions
        seats_left = max(event.seats - seats_taken(event.registration_event()), 0)
    refusal = context.get("registration_refusal_message") or registration_refusal(event) or ""
    if request is not None and timezone.now() < event.registration_closes_at():
        pagecache.content_changes_at(request, event.registration_closes_at())
    form = context.get("registration_form") or RegistrationForm(event=event)
    box = RegistrationBox(
        event=event,
        action=reverse("registrations:register", kwargs={"page_id": event.pk}),
        refusal=str(refusal),
        seats_left=seats_left,
        form=form,
        done=context.get("registration_done", ""),
        email=context.get("registration_email", ""),
        position=context.get("registration_position"),
        retention_days=retention,
        settings=site_settings,
    )
    if form.is_bound and form.errors:
        box.errors = [(form[name], errors) for name, errors in form.errors.items()]
    return box
