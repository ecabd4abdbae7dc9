"""The forms of the members' area: login, password reset, setting one's password, and
the network admin's invitation."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from sites.member_area.models import MemberAccount
from sites.member_area.selectors import member_area_access
from tenants.models import Member


class MemberLoginForm(AuthenticationForm):
    """E-mail address and password; refuses accounts that may not enter the area (with
    the same words for "unknown" and "no access", so the form reveals no accounts)."""

    username = forms.CharField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "E-Mail-Adresse oder Passwort stimmen nicht. Bitte prüfen Sie beides; "
            "Groß- und Kleinschreibung zählt beim Passwort."
        ),
        "inactive": _("Dieses Konto ist deaktiviert. Bitte wenden Sie sich an die Redaktion."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not member_area_access(user):
            raise self.get_invalid_login_error()


class MemberPasswordResetForm(PasswordResetForm):
    """Mails a reset link only to active accounts of the members' area (and answers the
    same for every address)."""

    def get_users(self, email):
        return [user for user in super().get_users(email) if member_area_access(user)]


class InvitationPasswordForm(SetPasswordForm):
    """The invited person's own password, checked by the site's password rules."""


class MemberAccountInviteForm(WagtailAdminModelForm):
    """The network admin's invitation: who, for which member, in which language. The
    service (``member_account_invite``) checks the address; the view shows its errors
    at the fields."""

    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    email = forms.EmailField(label=_("E-Mail-Adresse"))

    class Meta:
        model = MemberAccount
        fields = ["member", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.members().order_by("name")


class MemberAccountEditForm(WagtailAdminModelForm):
    """Change the member, deactivate or reactivate, or invite again."""

    active = forms.BooleanField(
        label=_("Aktiv"),
        required=False,
        help_text=_("Ein deaktiviertes Konto kann sich nicht mehr anmelden."),
    )
    reinvite = forms.BooleanField(
        label=_("Einladung erneut senden"),
        required=False,
        help_text=_(
            "Nur für Konten ohne Passwort; der Link der alten Einladung gilt dann nicht mehr."
        ),
    )

    class Meta:
        model = MemberAccount
        fields = ["member", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.members().order_by("name")
        if self.instance.pk:
            self.fields["active"].initial = self.instance.user.is_active
