"""What the visitors' forms share that run without a session (event registration, barrier
reports): their pages stay in the page cache, so they carry no CSRF cookie; the origin
check, a limit per address and a honeypot field take its place."""

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from core.logins import client_address


def same_origin(request) -> bool:
    """False when the request's ``Origin`` names another host (a form on a foreign page)."""
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return True
    return url_has_allowed_host_and_scheme(origin, allowed_hosts={request.get_host()})


def _address_key(_group, request) -> str:
    return client_address(request) or "unknown"


def too_many_posts(request, *, group: str, rate: str) -> bool:
    """Whether this POST passes ``rate`` ("5/h") per client address and site (cache keys
    carry the schema). While Redis is down nothing is counted rather than all refused."""
    return is_ratelimited(
        request, group=group, key=_address_key, rate=rate, method="POST", increment=True
    )


HONEYPOT = "website"


class HoneypotForm(forms.Form):
    """A visitor's form with ``website``, a field people do not see (the template hides
    it) and form-filling robots fill in."""

    website = forms.CharField(label=_("Bitte dieses Feld leer lassen"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    @property
    def is_spam(self) -> bool:
        """Filled in the field nobody sees: answered like a success, nothing kept or sent."""
        return bool(self.data.get(HONEYPOT))

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT]
