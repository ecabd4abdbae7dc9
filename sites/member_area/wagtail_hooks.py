from wagtail import hooks

from sites.member_area.admin_views import MemberAccountViewSet


@hooks.register("register_admin_viewset")
def register_member_account_viewset():
    return MemberAccountViewSet("member_accounts")
