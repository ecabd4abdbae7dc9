"""The visitor's registration form, built from what the event asks.

Name and e-mail are always asked; organisation, role, remarks and up to three own
questions when the event says so. The only consent box is for the optional extra (the
participant list) and is never pre-ticked. ``website`` is a honeypot: people do not see
it, form-filling robots do.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.public_forms import HONEYPOT, HoneypotForm


class RegistrationForm(HoneypotForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_("An diese Adresse schicken wir den Link zur Bestätigung."),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    role = forms.CharField(label=_("Funktion"), max_length=200, required=False)
    remarks = forms.CharField(
        label=_("Anmerkungen"), max_length=2000, required=False, widget=forms.Textarea
    )
    list_consent = forms.BooleanField(
        label=_(
            "Ja, mein Name und meine Organisation dürfen auf der Teilnehmendenliste stehen, "
            "die die anderen Teilnehmenden erhalten (freiwillig, jederzeit widerrufbar)."
        ),
        required=False,
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        asked = {
            "organisation": event.ask_organisation,
            "role": event.ask_role,
            "remarks": event.ask_remarks,
            "list_consent": event.offer_participant_list,
        }
        for name, is_asked in asked.items():
            if not is_asked:
                del self.fields[name]
        self.questions = [q for q in (event.question_1, event.question_2, event.question_3) if q]
        for number, question in enumerate(self.questions, start=1):
            self.fields[f"question_{number}"] = forms.CharField(
                label=question, max_length=1000, required=False
            )
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if "organisation" in self.fields:
            self.fields["organisation"].widget.attrs["autocomplete"] = "organization"

    def registration_data(self) -> dict:
        """The cleaned fields as ``services.registration_create`` takes them."""
        data = dict(self.cleaned_data)
        data.pop(HONEYPOT, None)
        data["answers"] = [
            [question, data.pop(f"question_{number}", "").strip()]
            for number, question in enumerate(self.questions, start=1)
        ]
        return data
