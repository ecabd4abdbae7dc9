from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MemberAreaConfig(AppConfig):
    name = "sites.member_area"
    label = "member_area"
    verbose_name = _("Mitgliederbereich")

    def ready(self):
        from sites.member_area import admin_views, signals

        signals.connect()
        admin_views.register_permission_policy()
