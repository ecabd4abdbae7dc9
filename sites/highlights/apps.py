from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HighlightsConfig(AppConfig):
    name = "sites.highlights"
    label = "highlights"  # table names and migrations keep the label
    verbose_name = _("Highlights")

    def ready(self):
        from sites.highlights import checks, signals, views  # they import models: loaded now

        checks.register()
        views.register_permission_policy()
        signals.connect()
