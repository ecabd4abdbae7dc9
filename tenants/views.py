"""The network admin's member views: list, create and edit, each through a provisioning
service.

Registered for every schema (Wagtail hooks are global), but the permission policy
answers "no" outside the public schema, so a member's admin never shows them. Every
view finds real members only: the network's own row and the template are no members,
so their edit, history, usage and delete addresses answer 404 for every user (archiving
the network would take every site offline, the admin included).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from core.permissions import NetworkAdminOnlyPolicy
from tenants.forms import MemberCreateForm, MemberEditForm
from tenants.models import Member
from tenants.services import member_create, member_update
from tenants.validation import ProvisioningError


def register_permission_policy() -> None:
    """Members are managed in the network admin only, and deleted only by the command,
    which writes a backup first (called by ``TenantsConfig.ready()``)."""
    policy_registry.register(Member, NetworkAdminOnlyPolicy(Member, refused=("delete",)))


def _refused(view, form, error: ProvisioningError):
    """The form again, with the service's refusal shown as Wagtail shows form errors."""
    form.add_error(None, str(error))
    view.produced_error_message = view.get_error_message()
    return view.form_invalid(form)


class MemberIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Member.objects.members().prefetch_related("domains")


class MemberCreateView(generic.CreateView):
    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = member_create(
                name=data["name"],
                slug=data["slug"],
                domain=data["domain"],
                kind=data["kind"],
                coordinator_email=data.get("coordinator_email") or None,
            )
        except ProvisioningError as error:
            return _refused(self, form, error)
        self.object = result.member
        message = _("Mitglied „%(name)s“ angelegt: %(url)s") % {
            "name": result.member.name,
            "url": result.member.url,
        }
        if result.coordinator_username:
            message += " " + _(
                "Konto der Koordination: %(user)s, Passwort (nur jetzt sichtbar): %(password)s"
            ) % {"user": result.coordinator_username, "password": result.coordinator_password}
        messages.success(self.request, message)
        return redirect(self.index_url_name)


class MemberEditView(generic.EditView):
    def get_queryset(self):
        """Real members only: the system rows answer 404 (so do delete, history and
        usage below; Django's single-object views ask ``get_queryset``, Wagtail's object
        views ``get_base_object_queryset``)."""
        return Member.objects.members()

    def form_valid(self, form):
        """Saved (and logged) by the service, whose checks run before anything is written:
        a refused change shows its error in the form, and nothing is saved."""
        data = form.cleaned_data
        try:
            self.object = member_update(
                Member.objects.members().get(pk=self.object.pk),
                name=data["name"],
                kind=data["kind"],
                state=data["state"],
                domain=data["domain"],
                user=self.request.user,
            )
        except ProvisioningError as error:
            return _refused(self, form, error)
        self.form = form
        response = self.save_action()
        return self.run_after_hook() or response


class MemberDeleteView(generic.DeleteView):
    def get_queryset(self):
        return Member.objects.members()


class MemberHistoryView(history.HistoryView):
    def get_base_object_queryset(self):
        return Member.objects.members()


class MemberUsageView(usage.UsageView):
    def get_base_object_queryset(self):
        return Member.objects.members()


class MemberViewSet(ModelViewSet):
    model = Member
    icon = "site"
    menu_label = gettext_lazy("Mitglieder")
    menu_name = "members"  # fixed: derived from the label it would follow the language
    menu_order = 150
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = MemberIndexView
    add_view_class = MemberCreateView
    edit_view_class = MemberEditView
    delete_view_class = MemberDeleteView
    history_view_class = MemberHistoryView
    usage_view_class = MemberUsageView
    list_display = [
        "name",
        "slug",
        "kind",
        "state",
        Column("primary_domain", label=gettext_lazy("Domain")),
        "created",
    ]
    list_filter = ["kind", "state"]
    search_fields = ["name", "slug"]

    def get_form_class(self, for_update=False):
        return MemberEditForm if for_update else MemberCreateForm
