from wagtail import hooks

from tenants.views import MemberViewSet


@hooks.register("register_admin_viewset")
def register_member_viewset():
    return MemberViewSet("members")
