from django.apps import AppConfig


class HighlightsConfig(AppConfig):
    name = "highlights"
    verbose_name = "Highlights"

    def ready(self):
        from highlights import signals  # noqa: F401
