"""The pages every public-sector site must have, on the network and on every microsite.

Imprint (DDG §5), privacy policy (GDPR Art. 13), accessibility statement with its
feedback form (BITV 2.0 §7) and an explanation in Leichte Sprache (BITV 2.0 §4). The
legal pages are created with the site (``services.legal_pages_ensure``); what the site's
settings know (responsible body, representative, contact, data-protection officer) is
rendered from the settings, so a change there shows on every language version at once.
The texts the templates bring mark what editors must complete with ``[Bitte ergänzen:``;
the admin dashboard warns while any is left (``selectors.legal_problems``).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core.models import SitePage, body_field

HOME_PAGE_TYPES = ["members.MemberHomePage", "network.NetworkHomePage"]
# What a template text leaves for the editors, in every language the texts come in.
PLACEHOLDER_MARKS = ("[Bitte ergänzen", "[Please complete")
LEGAL_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class BothSitesPage(SitePage):
    """A page type of the network and of every microsite alike, made from a template
    text that may leave parts for the editors to complete."""

    class Meta:
        abstract = True

    @classmethod
    def can_create_at(cls, parent):
        return Page.can_create_at.__func__(cls, parent)

    def editable_texts(self) -> list[str]:
        """The stored texts an editor may still have to complete."""
        return [str(self.body.raw_data)]

    def has_placeholders(self) -> bool:
        return any(mark in text for text in self.editable_texts() for mark in PLACEHOLDER_MARKS)


class LegalPage(BothSitesPage):
    """One of the three legal pages: at most one of each kind below each language's home,
    linked from the footer of every page of the site (in ``site_link_order``)."""

    site_link = ""  # the page frame links it under this name (core.templatetags.site_tags)
    site_link_order = 0
    in_network_search = False  # every site has one: the footer leads there, not the search
    body = body_field()

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = HOME_PAGE_TYPES
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        abstract = True


class ImprintPage(LegalPage):  # noqa: DJ008 - Page has __str__
    site_link = "imprint"
    site_link_order = 1
    template = "legal/imprint_page.html"

    class Meta:
        verbose_name = _("Impressum")
        verbose_name_plural = _("Impressen")


class PrivacyPage(LegalPage):  # noqa: DJ008 - Page has __str__
    site_link = "privacy"
    site_link_order = 2
    template = "legal/privacy_page.html"

    class Meta:
        verbose_name = _("Datenschutzerklärung")
        verbose_name_plural = _("Datenschutzerklärungen")


class AccessibilityStatementPage(LegalPage):  # noqa: DJ008 - Page has __str__
    """The statement in the structure of the BITV 2.0 model, with the feedback form."""

    class Conformance(models.TextChoices):
        FULL = "full", _("vollständig vereinbar")
        PARTIAL = "partial", _("teilweise vereinbar")
        NONE = "none", _("nicht vereinbar")

    class Method(models.TextChoices):
        SELF = "self", _("Selbstbewertung")
        EXTERNAL = "external", _("Prüfung durch Dritte")

    site_link = "accessibility"
    site_link_order = 3
    template = "legal/accessibility_statement_page.html"

    conformance = models.CharField(
        _("Stand der Vereinbarkeit"),
        max_length=10,
        choices=Conformance.choices,
        default=Conformance.PARTIAL,
        help_text=_("Mit den Anforderungen der BITV 2.0 (WCAG 2.1, Stufe AA)."),
    )
    non_accessible_content = RichTextField(
        _("Nicht barrierefreie Inhalte"),
        features=LEGAL_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Welche Inhalte nicht barrierefrei sind, warum, und welche Alternativen es gibt."
        ),
    )
    prepared_on = models.DateField(_("Erstellt am"), null=True, blank=True)
    method = models.CharField(
        _("Grundlage"), max_length=10, choices=Method.choices, default=Method.SELF
    )
    reviewed_on = models.DateField(_("Zuletzt überprüft am"), null=True, blank=True)
    enforcement = RichTextField(
        _("Schlichtungsverfahren"),
        features=LEGAL_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Die Schlichtungsstelle für diese Website. Für Kommunen ist es meist die Stelle "
            "des Landes, nicht die des Bundes."
        ),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("conformance"),
                FieldPanel("non_accessible_content"),
                FieldRowPanel(
                    [FieldPanel("prepared_on"), FieldPanel("method"), FieldPanel("reviewed_on")]
                ),
            ],
            heading=_("Stand der Barrierefreiheit"),
        ),
        FieldPanel("enforcement"),
        FieldPanel("body"),
    ]
    search_fields = [*LegalPage.search_fields, index.SearchField("non_accessible_content")]

    class Meta:
        verbose_name = _("Erklärung zur Barrierefreiheit")
        verbose_name_plural = _("Erklärungen zur Barrierefreiheit")

    def editable_texts(self) -> list[str]:
        return [*super().editable_texts(), self.non_accessible_content, self.enforcement]


class EasyLanguagePage(BothSitesPage):  # noqa: DJ008 - Page has __str__
    """A page in Leichte Sprache (easy-to-read German).

    Below the home it explains the site (BITV 2.0 §4); with ``explains`` set it is the
    Leichte-Sprache version of that page, which the language switcher then offers.
    """

    site_link = "easy_language"  # the header's "Leichte Sprache" (the site's overview)
    site_link_order = 4
    easy_language_of = "explains"  # the switcher's version of that page (core.languages)
    site_link_from_default_language = True  # German: one overview for every language
    in_network_search = False  # the same template text on every site would crowd results

    explains = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Leichte Sprache für die Seite"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Leer lassen für die Seite, die die ganze Website in Leichter Sprache erklärt."
        ),
    )
    body = body_field()

    content_panels = [*Page.content_panels, PageChooserPanel("explains"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = [*HOME_PAGE_TYPES, "legal.EasyLanguagePage"]
    subpage_types = ["legal.EasyLanguagePage"]
    template = "legal/easy_language_page.html"

    class PageForm(BothSitesPage.base_form_class):
        """Tells a new page its parent before it is added, so that :meth:`clean` can
        check where it goes (Wagtail's form knows the parent, the page does not yet)."""

        def _post_clean(self):
            if not self.instance.path:
                self.instance.parent_when_added = self.parent_page
            super()._post_clean()

    base_form_class = PageForm

    class Meta:
        verbose_name = _("Seite in Leichter Sprache")
        verbose_name_plural = _("Seiten in Leichter Sprache")

    def clean(self):
        """One overview below each home, the versions of single pages below it, and each
        page explained by at most one page, which is not itself in Leichte Sprache."""
        super().clean()
        errors = {}
        explains = self.explains
        if explains is not None and explains.pk == self.pk:
            errors["explains"] = _("Eine Seite kann nicht sich selbst erklären.")
        elif explains is not None and issubclass(explains.specific_class, EasyLanguagePage):
            errors["explains"] = _(
                "Bitte eine Seite in Alltagssprache wählen, keine Seite in Leichter Sprache."
            )
        elif explains is not None:
            # the switcher offers one version on every translation of the page
            same_page = {"explains__translation_key": explains.translation_key}
            other = EasyLanguagePage.objects.filter(**same_page).exclude(pk=self.pk).first()
            if other is not None:
                errors["explains"] = _(
                    "Die Seite „%(page)s“ hat schon eine Seite in Leichter Sprache: „%(other)s“."
                ) % {"page": explains.title, "other": other.title}
        parent = self.get_parent() if self.path else getattr(self, "parent_when_added", None)
        problem = self._placement_problem(parent) if parent is not None else None
        if problem is not None:
            field, message = problem
            errors.setdefault(field, message)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def overviews_below(cls, home: Page):
        """The pages below ``home`` that explain the whole site (``explains`` empty)."""
        return cls.objects.child_of(home).filter(explains__isnull=True)

    def can_move_to(self, parent):
        return super().can_move_to(parent) and self._placement_problem(parent) is None

    def _placement_problem(self, parent: Page) -> tuple[str, str] | None:
        """What is wrong with this page directly below ``parent``: (field, message)."""
        if issubclass(parent.specific_class, EasyLanguagePage):
            return None  # below the overview (or another page in Leichte Sprache)
        if self.explains_id is not None:
            return "explains", _(
                "Eine Seite in Leichter Sprache, die eine andere Seite erklärt, gehört unter "
                "die Übersicht in Leichter Sprache, nicht direkt unter die Startseite."
            )
        if EasyLanguagePage.overviews_below(parent).exclude(pk=self.pk).exists():
            return NON_FIELD_ERRORS, _(
                "Unter dieser Startseite gibt es schon eine Übersicht in Leichter Sprache. "
                "Weitere Seiten in Leichter Sprache gehören unter diese Übersicht."
            )
        return None


# The three legal pages every language of every site has, in the footer's order.
LEGAL_PAGE_MODELS = [ImprintPage, PrivacyPage, AccessibilityStatementPage]
