"""The "report a barrier" form of the accessibility statement (BITV 2.0 §7).

Spam is kept out without third parties. ``website`` is a honeypot: people do not see
it, form-filling robots do. ``token`` is signed with the time the form was rendered: a
form sent back within ``FEEDBACK_MIN_SECONDS`` was not filled in by a person, one without
a valid token was not rendered here. Old tokens stay valid, because the statement page
with its form is kept in the page cache for long. Messages full of links are refused.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.db import connection
from django.utils.translation import gettext_lazy as _

from core.public_forms import HoneypotForm

TOKEN = "token"  # noqa: S105 - a field name
MAX_LINKS = 3
_SALT = "sites.legal.feedback"


def _token_value(page) -> str:
    """What a token vouches for: the statement page of one schema."""
    return f"{connection.schema_name}/{page.pk}"


def feedback_token(page) -> str:
    """A new token for the form on ``page``, stamped with the current time."""
    return signing.TimestampSigner(salt=_SALT).sign(_token_value(page))


def token_age(token: str, page) -> float | None:
    """Seconds since ``token`` was made for ``page``'s form; None if it was not."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        value = signer.unsign(token)  # no max_age: a cached page's token stays good
    except signing.BadSignature:
        return None
    if value != _token_value(page):
        return None
    stamp = token.rsplit(signer.sep, 2)[1]
    return time.time() - signing.b62_decode(stamp)


class BarrierReportForm(HoneypotForm):
    message = forms.CharField(
        label=_("Ihre Nachricht"),
        max_length=5000,
        widget=forms.Textarea,
        help_text=_(
            "Welche Barriere ist Ihnen aufgefallen? Oder welche Information brauchen Sie "
            "in einer anderen Form?"
        ),
    )
    page_address = forms.CharField(
        label=_("Auf welcher Seite?"),
        max_length=500,
        required=False,
        help_text=_("Die Adresse oder der Titel der Seite, wenn Sie sie wissen."),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        required=False,
        help_text=_(
            "Freiwillig. Dann können wir Ihnen antworten, und Sie bekommen eine "
            "Eingangsbestätigung."
        ),
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_message(self) -> str:
        message = self.cleaned_data["message"]
        if message.lower().count("http") > MAX_LINKS:
            raise forms.ValidationError(
                _(
                    "Ihre Nachricht enthält mehr als %(count)s Links. Bitte lassen Sie "
                    "einige weg: So schützen wir uns vor Werbung."
                ),
                params={"count": MAX_LINKS},
                code="links",
            )
        return message

    def clean(self):
        cleaned = super().clean()
        age = token_age(self.data.get(TOKEN, ""), self.page)
        if age is None:
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "Das Formular war nicht mehr gültig. Bitte senden Sie es noch einmal "
                        "ab; Ihr Text ist noch da."
                    ),
                    code="token",
                ),
            )
        elif age < settings.FEEDBACK_MIN_SECONDS:
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "Das Formular wurde sehr schnell nach dem Laden der Seite abgeschickt. "
                        "Zum Schutz vor automatischen Nachrichten: Bitte senden Sie es noch "
                        "einmal ab; Ihr Text ist noch da."
                    ),
                    code="too_fast",
                ),
            )
        return cleaned

    def report_data(self) -> dict:
        """The cleaned fields as ``feedback.barrier_report_send`` takes them."""
        return {
            name: self.cleaned_data[name] for name in ("message", "page_address", "name", "email")
        }
