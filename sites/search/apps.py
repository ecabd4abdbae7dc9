from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "sites.search"
    label = "search"
    verbose_name = _("Suche")

    def ready(self):
        from sites.search import signals  # it imports models: loaded now

        signals.connect()
