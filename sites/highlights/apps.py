from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HighlightsConfig(AppConfig):
    name = "sites.highlights"
    label = "highlights"  # table names and migrations keep the label
    verbose_name = _("Highlights")

    def ready(self):
        # they import models: loaded now
        from sites.highlights import backups, checks, signals, views
        from tenants.services import member_public_data_register

        checks.register()
        member_public_data_register(backups.member_public_data)
        views.register_permission_policy()
        signals.connect()
