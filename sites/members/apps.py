from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "sites.members"
    label = "members"
    verbose_name = "Mitglieder-Websites"

    def ready(self):
        from sites.members import signals  # noqa: F401
