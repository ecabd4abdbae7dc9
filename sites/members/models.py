"""Page types of a member's microsite (created in member schemas only)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import FactBlock, LinkBlock
from core.models import (
    ContactFieldsMixin,
    EventIndexPageBase,
    EventPageBase,
    HomePageBase,
    NewsIndexPageBase,
    NewsPageBase,
    SitePage,
    StandardPageBase,
    body_field,
    image_field,
)
from sites.registrations.models import RegistrationSettings


class HighlightProposal(models.Model):
    """The "propose as network highlight" switch of news, event and profile pages.

    Publishing with the switch on puts the page in front of the central editors
    (highlights app); teaser and image default to the page's own.
    """

    propose_highlight = models.BooleanField(
        _("Als Netzwerk-Highlight vorschlagen"),
        default=False,
        help_text=_("Die Netzwerk-Redaktion sieht die Seite nach dem Veröffentlichen."),
    )
    highlight_teaser = models.TextField(
        _("Anreißer für das Highlight"), blank=True, help_text=_("Leer: der Anreißer der Seite")
    )
    highlight_image = image_field(
        verbose_name=_("Bild für das Highlight"), help_text=_("Leer: das Bild der Seite")
    )

    highlight_panel = MultiFieldPanel(
        [
            FieldPanel("propose_highlight"),
            FieldPanel("highlight_teaser"),
            FieldPanel("highlight_image"),
        ],
        heading=_("Netzwerk-Highlight"),
    )

    class Meta:
        abstract = True


class ProfilePage(SitePage, HighlightProposal, ContactFieldsMixin):  # noqa: DJ008 - Page has __str__
    """The member's "Kurzportrait" (seed 004); feeds the network's member directory."""

    lead = models.TextField(_("Einleitung"), blank=True)
    body = body_field()
    facts = StreamField([("fact", FactBlock())], verbose_name=_("Eckdaten"), blank=True)
    further_links = StreamField(
        [("link", LinkBlock())], verbose_name=_("Weiterführende Links"), blank=True
    )
    latitude = models.DecimalField(
        _("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("body"),
        FieldPanel("facts"),
        ContactFieldsMixin.contact_panel,
        FieldPanel("further_links"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
            heading=_("Lage (optional)"),
        ),
        HighlightProposal.highlight_panel,
    ]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("body")]
    parent_page_types = ["members.MemberHomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "pages/profile_page.html"

    class Meta:
        verbose_name = _("Kurzportrait")


class MemberNewsIndexPage(NewsIndexPageBase):
    parent_page_types = ["members.MemberHomePage"]
    subpage_types = ["members.MemberNewsPage"]
    template = "pages/news_index_page.html"

    class Meta:
        verbose_name = _("Nachrichtenübersicht")


class MemberNewsPage(NewsPageBase, HighlightProposal):  # noqa: DJ008 - Page has __str__
    content_panels = [*NewsPageBase.content_panels, HighlightProposal.highlight_panel]
    parent_page_types = ["members.MemberNewsIndexPage"]
    subpage_types = []
    template = "pages/news_page.html"

    class Meta:
        verbose_name = _("Nachricht")


class MemberEventIndexPage(EventIndexPageBase):
    parent_page_types = ["members.MemberHomePage"]
    subpage_types = ["members.MemberEventPage"]
    template = "pages/event_index_page.html"

    class Meta:
        verbose_name = _("Veranstaltungsübersicht")


class MemberEventPage(EventPageBase, RegistrationSettings, HighlightProposal):  # noqa: DJ008
    content_panels = [
        *EventPageBase.content_panels,
        RegistrationSettings.registration_panel,
        HighlightProposal.highlight_panel,
    ]
    parent_page_types = ["members.MemberEventIndexPage"]
    subpage_types = []
    template = "pages/event_page.html"

    class Meta:
        verbose_name = _("Veranstaltung")


class MemberHomePage(HomePageBase):
    """Start page of a microsite: lead, image, latest news, upcoming events, contact."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "members.ProfilePage",
        "members.MemberNewsIndexPage",
        "members.MemberEventIndexPage",
        "members.MemberStandardPage",
        "members.MemberContactPage",
        # the pages every site must have (sites.legal)
        "legal.ImprintPage",
        "legal.PrivacyPage",
        "legal.AccessibilityStatementPage",
        "legal.EasyLanguagePage",
    ]
    template = "pages/member_home_page.html"
    news_model = MemberNewsPage
    event_model = MemberEventPage

    class Meta:
        verbose_name = _("Startseite Mitglied")

    def home_lists(self) -> dict:
        return {
            **super().home_lists(),
            "contact": MemberContactPage.objects.child_of(self).live().first(),
        }


class MemberStandardPage(StandardPageBase):
    parent_page_types = ["members.MemberHomePage", "members.MemberStandardPage"]
    subpage_types = ["members.MemberStandardPage"]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("Inhaltsseite")


class MemberContactPage(ContactFieldsMixin, SitePage):
    """How to reach the local coordination."""

    lead = models.TextField(_("Einleitung"), blank=True)
    body = body_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        ContactFieldsMixin.contact_panel,
        FieldPanel("body"),
    ]
    parent_page_types = ["members.MemberHomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "pages/contact_page.html"

    class Meta:
        verbose_name = _("Kontaktseite")
