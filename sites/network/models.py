"""Page types of the central network site (public schema)."""

from core.models import HomePageBase


class NetworkHomePage(HomePageBase):
    """Start page of the network site."""

    for_network = True
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "Startseite Netzwerk"
