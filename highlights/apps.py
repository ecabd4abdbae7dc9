from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HighlightsConfig(AppConfig):
    name = "highlights"
    verbose_name = _("Highlights")

    def ready(self):
        from highlights import signals  # noqa: F401
