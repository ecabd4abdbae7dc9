from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "sites.network"
    label = "network"
    verbose_name = "Netzwerk-Website"
