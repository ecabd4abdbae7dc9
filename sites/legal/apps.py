from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "sites.legal"
    label = "legal"
    verbose_name = _("Pflichtseiten")

    def ready(self):
        from sites.legal import signals
        from sites.legal.services import legal_pages_ensure
        from tenants.services import site_content_register

        # Every site gets its legal pages when it is prepared (network, member template,
        # each new member) and when setup_platform brings existing sites up to date.
        site_content_register(legal_pages_ensure)
        signals.connect()
