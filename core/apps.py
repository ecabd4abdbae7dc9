from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Kern")

    def ready(self):
        from core import caching, pagecache

        caching.connect_receivers()
        pagecache.connect_receivers()
