from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Mitglieder")

    def ready(self):
        from tenants import signals, views  # they import models, which are loaded only now

        views.register_permission_policy()
        signals.connect()
