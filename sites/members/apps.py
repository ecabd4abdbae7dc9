from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "sites.members"
    label = "members"
    verbose_name = "Mitglieder-Websites"
