"""The network admin's "Mitgliederbereich → Konten": central editors invite members'
staff, see them by member with their state, change their member, deactivate them or
invite them again.

Registered for every schema (Wagtail hooks are global); the permission policy answers
"no" outside the public schema, so a member's admin never lists the network's accounts.
Accounts are never deleted here (deactivate instead: their history stays readable).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from core.permissions import NetworkAdminOnlyPolicy
from sites.member_area.forms import MemberAccountEditForm, MemberAccountInviteForm
from sites.member_area.models import MemberAccount
from sites.member_area.services import (
    member_account_active_set,
    member_account_invite,
    member_account_reinvite,
)


def register_permission_policy() -> None:
    """Accounts are managed in the network admin only (``MemberAreaConfig.ready``)."""
    policy_registry.register(
        MemberAccount, NetworkAdminOnlyPolicy(MemberAccount, refused=("delete",))
    )


def _invitation_message(request, account, sent: bool) -> None:
    if sent:
        messages.success(
            request,
            _("Einladung an %(email)s gesendet; sie gilt bis %(date)s.")
            % {"email": account.email, "date": account.invitation_expires_at.strftime("%d.%m.%Y")},
        )
    else:
        messages.error(
            request,
            _(
                "Das Konto für %(email)s ist angelegt, aber die Einladung konnte nicht "
                "gesendet werden. Bitte die Mail-Einstellungen prüfen und die Einladung "
                "erneut senden."
            )
            % {"email": account.email},
        )


class MemberAccountInviteView(generic.CreateView):
    page_title = gettext_lazy("Person einladen")

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            self.object = member_account_invite(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                member=data["member"],
                language=data["language"],
                invited_by=self.request.user.get_username(),
            )
        except ValidationError as error:
            form.add_error(None, error)
            self.produced_error_message = self.get_error_message()  # as is_valid() sets it
            return self.form_invalid(form)
        _invitation_message(self.request, self.object, self.object.invitation_sent)
        return redirect("member_accounts:index")


class MemberAccountEditView(generic.EditView):
    def form_valid(self, form):
        account = form.save()
        if form.cleaned_data["active"] != account.user.is_active:
            member_account_active_set(account=account, active=form.cleaned_data["active"])
        if form.cleaned_data["reinvite"]:
            try:
                member_account_reinvite(
                    account=account, invited_by=self.request.user.get_username()
                )
            except ValidationError as error:
                messages.error(self.request, " ".join(error.messages))
                return redirect("member_accounts:edit", account.pk)
            _invitation_message(self.request, account, account.invitation_sent)
        else:
            messages.success(self.request, _("Konto %(name)s gespeichert.") % {"name": account})
        return redirect("member_accounts:index")


class MemberAccountViewSet(ModelViewSet):
    model = MemberAccount
    icon = "group"
    menu_label = gettext_lazy("Mitgliederbereich")
    menu_name = "member-accounts"
    menu_order = 170
    add_to_admin_menu = True
    copy_view_enabled = False
    add_view_class = MemberAccountInviteView
    edit_view_class = MemberAccountEditView
    list_display = [
        Column("name", label=gettext_lazy("Name"), accessor="name"),
        Column("email", label=gettext_lazy("E-Mail-Adresse"), accessor="email"),
        "member",
        Column("state", label=gettext_lazy("Zustand"), accessor="get_state_display"),
        DateColumn(
            "last_login", label=gettext_lazy("Letzte Anmeldung"), accessor="user.last_login"
        ),
    ]
    list_filter = ["member"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "member__name"]
    add_to_reference_index = False

    def get_form_class(self, for_update=False):
        return MemberAccountEditForm if for_update else MemberAccountInviteForm

    def get_queryset(self, request):
        return MemberAccount.objects.select_related("user", "member")
