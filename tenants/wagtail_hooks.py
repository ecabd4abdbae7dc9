from wagtail import hooks
from wagtail.permissions import register_permission_policy

from tenants.models import Member
from tenants.views import MemberViewSet, NetworkAdminPermissionPolicy

register_permission_policy(Member, NetworkAdminPermissionPolicy(Member))


@hooks.register("register_admin_viewset")
def register_member_viewset():
    return MemberViewSet("members")
