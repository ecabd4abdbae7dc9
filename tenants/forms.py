"""Forms of the network admin's member views; validation is the provisioning service's."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from tenants.models import Member
from tenants.validation import (
    ProvisioningError,
    validate_coordinator_email,
    validate_hostname,
    validate_member_name,
    validate_member_slug,
)


def _checked(validator, value):
    try:
        return validator(value)
    except ProvisioningError as error:
        raise forms.ValidationError(str(error)) from None


class MemberCreateForm(WagtailAdminModelForm):
    domain = forms.CharField(
        label=_("Domain"), help_text=_("Hostname der Mikrosite, z. B. herten.example.org")
    )
    coordinator_email = forms.EmailField(
        label=_("E-Mail der Koordination"),
        required=False,
        help_text=_(
            "Legt ein Konto in der Gruppe „Koordination“ an; das Passwort wird einmal angezeigt."
        ),
    )

    class Meta:
        model = Member
        fields = ["name", "slug", "kind"]
        help_texts = {"slug": _("Kleinbuchstaben, Ziffern und Bindestriche; höchstens 40 Zeichen.")}

    def clean_name(self):
        return _checked(validate_member_name, self.cleaned_data["name"])

    def clean_slug(self):
        return _checked(validate_member_slug, self.cleaned_data["slug"])

    def clean_domain(self):
        return _checked(validate_hostname, self.cleaned_data["domain"])

    def clean_coordinator_email(self):
        return _checked(validate_coordinator_email, self.cleaned_data["coordinator_email"])


class MemberEditForm(WagtailAdminModelForm):
    domain = forms.CharField(label=_("Domain"), help_text=_("Primärer Hostname der Mikrosite"))

    class Meta:
        model = Member
        fields = ["name", "kind", "state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].initial = self.instance.primary_domain

    def clean_domain(self):
        return _checked(validate_hostname, self.cleaned_data["domain"])
