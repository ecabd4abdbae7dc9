from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "sites.network"
    label = "network"
    verbose_name = _("Netzwerk-Website")

    def ready(self):
        from core import pagecache
        from sites.highlights.services import HIGHLIGHTS_TOPIC
        from tenants.models import MEMBERS_TOPIC

        # The highlights feed and the network calendar show what the network pages of
        # these topics show.
        for topic in (HIGHLIGHTS_TOPIC, MEMBERS_TOPIC):
            pagecache.topic_urls_register(topic, "feeds:highlights", "feeds:calendar")
