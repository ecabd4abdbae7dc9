"""Page types of the central network site (created in the public schema only)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from core import caching, pagecache
from core.models import (
    EventIndexPageBase,
    EventPageBase,
    HomePageBase,
    NewsIndexPageBase,
    NewsPageBase,
    SitePage,
    StandardPageBase,
    paginate,
)
from sites.highlights import selectors
from sites.highlights.services import HIGHLIGHTS_TOPIC
from sites.registrations.models import RegistrationSettings
from tenants.models import MEMBERS_TOPIC


class PressIndexPage(NewsIndexPageBase):
    for_network = True
    parent_page_types = ["network.NetworkHomePage"]
    subpage_types = ["network.PressReleasePage"]
    template = "pages/news_index_page.html"

    class Meta:
        verbose_name = _("Presseübersicht")


class PressReleasePage(NewsPageBase):
    """Press release with downloads (.docx, PDF) and press contact (seed 000)."""

    for_network = True
    parent_page_types = ["network.PressIndexPage"]
    subpage_types = []
    template = "pages/news_page.html"

    class Meta:
        verbose_name = _("Pressemitteilung")


class NetworkEventIndexPage(EventIndexPageBase):
    for_network = True
    parent_page_types = ["network.NetworkHomePage"]
    subpage_types = ["network.NetworkEventPage"]
    template = "pages/event_index_page.html"

    class Meta:
        verbose_name = _("Veranstaltungsübersicht Netzwerk")


class NetworkEventPage(EventPageBase, RegistrationSettings):  # noqa: DJ008 - Page has __str__
    for_network = True
    parent_page_types = ["network.NetworkEventIndexPage"]
    subpage_types = []
    template = "pages/event_page.html"

    class Meta:
        verbose_name = _("Netzwerk-Veranstaltung")


class NetworkHomePage(HomePageBase):
    """Start page of the network site."""

    for_network = True
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "network.PressIndexPage",
        "network.NetworkEventIndexPage",
        "network.NetworkStandardPage",
        "network.MemberDirectoryPage",
        "network.HighlightIndexPage",
    ]
    template = "pages/network_home_page.html"
    page_cache_topics = (HIGHLIGHTS_TOPIC, MEMBERS_TOPIC)  # purged when they change
    news_model = PressReleasePage
    event_model = NetworkEventPage

    class Meta:
        verbose_name = _("Startseite Netzwerk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        shown = caching.site_data(
            f"highlight-lists:{self.pk}:{get_language()}",
            self.highlight_context,
            expires=_first_start,
        )
        context.update(shown)
        pagecache.content_changes_at(request, _first_start(shown))
        return context

    def highlight_context(self) -> dict:
        """What the members contribute: featured then newest approved highlights, their
        upcoming events, and the page that lists them all (if there is one). Kept in the
        public schema's site data, which highlight and member changes retire
        (``pagecache.purge_topic``), until the first listed event starts."""
        return {
            "highlights": selectors.home_highlights(),
            "highlight_events": selectors.upcoming_events(),
            "highlight_index": HighlightIndexPage.objects.child_of(self).live().public().first(),
        }


def _first_start(shown: dict):
    """The members' events leave the home's list when they start."""
    return min((event.event_start for event in shown["highlight_events"]), default=None)


class NetworkStandardPage(StandardPageBase):
    for_network = True
    parent_page_types = ["network.NetworkHomePage", "network.NetworkStandardPage"]
    subpage_types = ["network.NetworkStandardPage"]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("Inhaltsseite Netzwerk")


class MemberDirectoryPage(SitePage):
    """Every active member with kind, microsite link, and contact and facts from its
    profile, ``PAGE_SIZE`` to a page."""

    PAGE_SIZE = 24

    for_network = True
    intro = models.TextField(_("Einleitung"), blank=True)

    content_panels = [*SitePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["network.NetworkHomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "pages/member_directory_page.html"
    page_cache_topics = (MEMBERS_TOPIC,)  # members and their profiles

    class Meta:
        verbose_name = _("Mitgliederverzeichnis")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["entries"] = paginate(request, selectors.member_directory(), self.PAGE_SIZE)
        return context


class HighlightIndexPage(SitePage):
    """The page "Aus den Mitgliedern": the members' approved and featured highlights,
    filterable by member and type, ten to a page. Reads the public Highlight table only."""

    for_network = True
    intro = models.TextField(_("Einleitung"), blank=True)

    content_panels = [*SitePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["network.NetworkHomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "pages/highlight_index_page.html"
    page_cache_topics = (HIGHLIGHTS_TOPIC, MEMBERS_TOPIC)

    class Meta:
        verbose_name = _("Aus den Mitgliedern")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["filter_form"], highlights = selectors.filtered_highlights(request.GET)
        context["items"] = paginate(request, highlights)
        return context
