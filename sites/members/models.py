"""Page types of a member's microsite (member schemas)."""

from core.models import HomePageBase


class MemberHomePage(HomePageBase):
    """Start page of a member municipality's microsite."""

    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "Startseite Mitglied"
