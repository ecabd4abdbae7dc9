from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PloneImportConfig(AppConfig):
    name = "sites.plone_import"
    label = "plone_import"
    verbose_name = _("Plone-Import")

    def ready(self):
        from sites.plone_import import admin_views  # it imports models: loaded now

        admin_views.register_permission_policy()
