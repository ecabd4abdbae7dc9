"""Page types of the central network site (created in the public schema only)."""

from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Site

from core import caching, pagecache
from core.models import (
    EventIndexPageBase,
    EventPageBase,
    HomePageBase,
    NewsIndexPageBase,
    NewsPageBase,
    SitePage,
    StandardPageBase,
    not_over_at,
    paginate,
)
from sites.highlights import selectors
from sites.highlights.models import Highlight
from sites.highlights.services import HIGHLIGHTS_TOPIC
from sites.network.member_map import member_map
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
    """The network calendar: the network's events (this page's children) and the
    members' approved and featured event highlights in one list by date, filterable by
    organiser and month, ten to a page; past events on request (?past=1). The same list
    is the iCal feed ``feeds:calendar`` (``sites.network.feeds``)."""

    for_network = True
    parent_page_types = ["network.NetworkHomePage"]
    subpage_types = ["network.NetworkEventPage"]
    template = "pages/network_event_index_page.html"
    page_cache_topics = (HIGHLIGHTS_TOPIC, MEMBERS_TOPIC)  # purged when they change

    class Meta:
        verbose_name = _("Veranstaltungsübersicht Netzwerk")

    def calendar(self, request, *, past: bool = False, moment=None) -> list["CalendarEntry"]:
        """This page's events and the members' that are not over at ``moment`` (default:
        now), soonest first; with ``past`` those that are over, the latest first."""
        moment = moment or timezone.now()
        pages = self.live_children().defer_streamfields()
        if past:
            pages, highlights = pages.exclude(not_over_at(moment)), selectors.events_over(moment)
        else:
            pages, highlights = pages.filter(not_over_at(moment)), selectors.events_not_over(moment)
        return calendar_entries(
            pages,
            highlights,
            network_name(Site.find_for_request(request)),
            request,
            latest_first=past,
        )

    def get_context(self, request, *args, **kwargs):
        # IndexPageBase's context: this page lists more than EventIndexPageBase's children
        context = super(EventIndexPageBase, self).get_context(request, *args, **kwargs)
        show_past = request.GET.get("past") == "1"
        upcoming = self.calendar(request)
        entries = self.calendar(request, past=True) if show_past else upcoming
        form = CalendarFilterForm(request.GET, entries=entries)
        context.update(
            show_past=show_past,
            filter_form=form,
            items=paginate(request, form.selected(entries)),
        )
        # both lists change when the next upcoming event is over
        over = min((entry.end_or_start for entry in upcoming), default=None)
        pagecache.content_changes_at(request, over)
        return context


def network_name(site: Site | None) -> str:
    """Who organises the network's own events: the network site's name."""
    return (site.site_name if site else "") or settings.NETWORK_NAME


@dataclass
class CalendarEntry:
    """One event of the network calendar: a network event page (``page``) or a member's
    event highlight (``highlight``, localized), with what the list shows of either."""

    title: str
    url: str
    start: datetime
    end: datetime | None
    organiser: str
    teaser: str = ""
    page: "NetworkEventPage | None" = None
    highlight: Highlight | None = None

    @property
    def end_or_start(self) -> datetime:
        return self.end or self.start

    @property
    def month(self) -> str:
        """ "YYYY-MM" of the start, Europe/Berlin: the value of the month filter."""
        return timezone.localtime(self.start).strftime("%Y-%m")

    @property
    def organiser_key(self) -> str:
        """The value of the organiser filter that selects this entry."""
        return self.highlight.member.slug if self.highlight else NETWORK_CHOICE


def calendar_entries(
    pages, highlights, organiser: str, request=None, *, latest_first: bool = False
) -> list[CalendarEntry]:
    """Network event pages (organised by ``organiser``) and localized event highlights
    in one list by start, the soonest first (``latest_first``: the latest first)."""
    entries = [
        CalendarEntry(
            title=page.title,
            url=page.get_url(request),
            start=page.start,
            end=page.end,
            organiser=organiser,
            teaser=page.teaser,
            page=page,
        )
        for page in pages
    ]
    entries += [
        CalendarEntry(
            title=row.title,
            url=row.url,
            start=row.event_start,
            end=row.event_end,
            organiser=row.member.name,
            teaser=row.teaser,
            highlight=row,
        )
        for row in highlights
    ]
    entries.sort(key=lambda entry: entry.start, reverse=latest_first)
    return entries


# The organiser filter's value for the network's own events: a slug no member can have
# (tenants.validation.RESERVED_SLUGS).
NETWORK_CHOICE = "network"


class CalendarFilterForm(forms.Form):
    """GET filters of the network calendar, offering the organisers and months of the
    listed events; an unknown value is reported, not guessed."""

    member = forms.ChoiceField(label=_("Veranstalter"), required=False)
    month = forms.ChoiceField(label=_("Monat"), required=False)

    def __init__(self, data, *, entries: list[CalendarEntry]):
        super().__init__(data)
        members = {e.organiser_key: e.organiser for e in entries if e.highlight is not None}
        self.fields["member"].choices = [
            ("", _("Alle Veranstalter")),
            (NETWORK_CHOICE, _("Netzwerk")),
            *sorted(members.items(), key=lambda choice: choice[1].casefold()),
        ]
        months = sorted({entry.month for entry in entries})
        self.fields["month"].choices = [
            ("", _("Alle Monate")),
            *((month, _month_label(month)) for month in months),
        ]

    def selected(self, entries: list[CalendarEntry]) -> list[CalendarEntry]:
        """The entries the valid filters select; a field with an invalid value is left out."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        if cleaned.get("member"):
            entries = [e for e in entries if e.organiser_key == cleaned["member"]]
        if cleaned.get("month"):
            entries = [e for e in entries if e.month == cleaned["month"]]
        return entries


def _month_label(month: str) -> str:
    """ "2030-03" as "März 2030" (in the active language)."""
    year, number = (int(part) for part in month.split("-"))
    return date_format(date(year, number, 1), "F Y")


class NetworkEventPage(EventPageBase, RegistrationSettings):  # noqa: DJ008 - Page has __str__
    for_network = True
    content_panels = [*EventPageBase.content_panels, RegistrationSettings.registration_panel]
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
        "network.MembersAreaPage",
        # the pages every site must have (sites.legal)
        "legal.ImprintPage",
        "legal.PrivacyPage",
        "legal.AccessibilityStatementPage",
        "legal.EasyLanguagePage",
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
    parent_page_types = [
        "network.NetworkHomePage",
        "network.NetworkStandardPage",
        "network.MembersAreaPage",
    ]
    subpage_types = ["network.NetworkStandardPage"]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("Inhaltsseite Netzwerk")


class MemberDirectoryPage(SitePage):
    """Every active member with kind, microsite link, and contact and facts from its
    profile, ``PAGE_SIZE`` to a page; above the list a map of the members whose profile
    gives coordinates (``member_map``)."""

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
        context["member_map"] = member_map(selectors.member_places())
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


class MembersAreaPage(StandardPageBase):
    """The members' area ("Mitgliederbereich"): minutes, working papers and internal
    dates for the member municipalities' staff, behind "Login".

    It is always restricted to the group "Mitglieder" (``sites.member_area`` adds the
    view restriction when the page is created and keeps it), so neither it nor anything
    below it appears in menus, lists, feeds, sitemaps or the search. It lists its news
    and next dates; its children are its own navigation.
    """

    for_network = True
    parent_page_types = ["network.NetworkHomePage"]
    subpage_types = [
        "network.MembersNewsPage",
        "network.MembersEventPage",
        "network.NetworkStandardPage",
    ]
    max_count_per_parent = 1
    template = "pages/members_area_page.html"
    LIST_COUNT = 5

    class Meta:
        verbose_name = _("Mitgliederbereich")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = MembersNewsPage.objects.child_of(self).live().order_by("-date")
        events = MembersEventPage.objects.child_of(self).live()
        events = events.filter(not_over_at(timezone.now())).order_by("start")
        context["members_news"] = news[: self.LIST_COUNT]
        context["members_events"] = events[: self.LIST_COUNT]
        return context


class PrivateFilesOnly(models.Model):
    """A page of the members' area whose image and documents must lie in a restricted
    collection: a file of a public collection is served to everybody by its URL, even
    when only members see the page that links it."""

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        image = getattr(self, "image", None)
        if image is not None and not image.collection.get_view_restrictions().exists():
            errors["image"] = _public_file_message(image.title)
        public = [
            block.value.title
            for block in self.attachments
            if block.value is not None
            and not block.value.collection.get_view_restrictions().exists()
        ]
        if public:
            errors["attachments"] = _public_file_message(", ".join(public))
        if errors:
            raise ValidationError(errors)


def _public_file_message(titles: str) -> str:
    return _(
        "„%(titles)s“ liegt in einer öffentlichen Sammlung und wäre für alle abrufbar. "
        "Bitte in die Sammlung „Mitgliederbereich“ verschieben oder dort hochladen."
    ) % {"titles": titles}


class MembersNewsPage(PrivateFilesOnly, NewsPageBase):  # noqa: DJ008 - Page has __str__
    """News, minutes or a working paper of the members' area, with its documents."""

    for_network = True
    parent_page_types = ["network.MembersAreaPage"]
    subpage_types = []
    template = "pages/news_page.html"

    class Meta:
        verbose_name = _("Mitteilung im Mitgliederbereich")


class MembersEventPage(PrivateFilesOnly, EventPageBase):  # noqa: DJ008 - Page has __str__
    """An internal date of the members' area (no registration, no public .ics)."""

    for_network = True
    calendar_file = False
    parent_page_types = ["network.MembersAreaPage"]
    subpage_types = []
    template = "pages/event_page.html"

    class Meta:
        verbose_name = _("Termin im Mitgliederbereich")
