"""Abstract page bases and the per-site settings shared by network and microsites.

Each site app (sites.network, sites.members) makes concrete page types from these
bases; the bases hold the fields, panels and listing logic. Wagtail gives every concrete
page class its own default template name, so the concrete types name the shared
template (``pages/news_page.html`` etc.) themselves.
"""

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import Min
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from core import caching, pagecache
from core.accessibility import PublishCheckedPageForm, page_problems, problems_errors
from core.blocks import BodyBlock
from core.languages import page_language
from core.recurrence import describe as describe_recurrence
from core.recurrence import normalize as normalize_recurrence
from core.schemas import is_public_schema
from core.theme import DEFAULT_ACCENT, hex_colour_validator

PAGE_SIZE = 10
HOME_TEASER_COUNT = 3


def not_over_at(moment) -> models.Q:
    """Events still running or yet to come at ``moment`` (one without an end ends at its start)."""
    return models.Q(end__gte=moment) | models.Q(end__isnull=True, start__gte=moment)


IMAGE_LABEL = _("Bild")
IMAGE_HELP = _("Das Bild braucht eine Beschreibung (Alternativtext) in der Bildverwaltung.")


def public_only(pages):
    """``pages`` without those behind a view restriction (members' area, passwords):
    lists on public pages are kept by the page cache and must never show them. No
    query is added in a schema without private pages (the usual case)."""
    return pages.public() if caching.schema_has_view_restrictions() else pages


def image_field(verbose_name=IMAGE_LABEL, help_text=IMAGE_HELP):
    """An optional image of a page; the field is emptied when the image is deleted."""
    return models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


def body_field():
    return StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)


def attachments_field():
    return StreamField(
        [("document", DocumentChooserBlock(label=_("Dokument")))],
        verbose_name=_("Dokumente"),
        blank=True,
    )


def _routes_by_children(page) -> bool:
    """Whether Wagtail would route below ``page`` by child slug (no custom ``route``)."""
    model = page.specific_class
    return model is not None and model.route in (SitePage.route, Page.route)


class SitePage(Page):
    """Base of every page type.

    ``for_network``: network page tables exist in every schema (see settings), but a
    network page type can only be created in the public schema and a microsite page
    type only in member schemas.
    Images chosen for a page must carry alternative text before it can be saved. Its
    StreamFields must be free of the problems of ``core.accessibility`` (images without
    alternative text, empty headings, skipped heading levels) before it is published;
    the admin saves drafts with such problems (:class:`PublishCheckedPageForm`).

    Serving is tuned for few queries per view: :meth:`route` finds the page of a URL in
    one query whatever its depth, and :meth:`get_view_restrictions` skips its two
    queries in a schema without private pages.
    """

    for_network = False

    base_form_class = PublishCheckedPageForm

    class Meta:
        abstract = True

    def route(self, request, path_components):
        """Wagtail's routing, but one query for all levels of the URL.

        Wagtail walks the URL one level at a time: a child query plus a ``.specific``
        query per level. The pages of a URL are also the pages whose ``url_path`` is
        this page's plus the first 1, 2, … path components, so one query fetches the
        whole chain. Its result is used only when it is exactly what the walk would
        find (one page per level, each a child of the one before with the requested
        slug) and no page on the way routes its subpaths itself; otherwise, and for
        URLs with a missing level (404s), Wagtail's walk runs unchanged. The final page
        still decides with its own ``route`` (live or 404); view restrictions are
        checked by Wagtail afterwards, as before. The chain is kept on the page for the
        breadcrumbs.
        """
        if not path_components:
            return super().route(request, path_components)
        chain = self._route_chain(path_components)
        if chain is None:
            return super().route(request, path_components)
        target = chain[-1].specific
        target._cached_parent_obj = chain[-2] if len(chain) > 1 else self
        target.route_ancestors = [self, *chain[:-1]]
        return target.route(request, [])

    def _route_chain(self, path_components):
        url_paths, url_path = [], self.url_path
        for slug in path_components:
            url_path += f"{slug}/"
            url_paths.append(url_path)
        found = Page.objects.filter(
            slug__in=set(path_components),
            url_path__in=url_paths,
            depth__gt=self.depth,
            depth__lte=self.depth + len(path_components),
            path__startswith=self.path,
        ).order_by("depth")
        chain, parent = [], self
        for page in found:
            level = len(chain)
            if (
                level == len(path_components)
                or page.depth != parent.depth + 1
                or page.slug != path_components[level]
                or not page.path.startswith(parent.path)
            ):
                return None  # duplicates or an inconsistent url_path: let Wagtail walk
            if level < len(path_components) - 1 and not _routes_by_children(page):
                return None  # this page routes its own subpaths
            chain.append(page)
            parent = page
        return chain if len(chain) == len(path_components) else None

    def serve_preview(self, request, mode_name):
        """A preview speaks the page's language (texts, dates, <html lang dir>), not the
        editor's admin language: an Arabic page is previewed right to left."""
        with translation.override(page_language(self)):
            return super().serve_preview(request, mode_name)

    def get_view_restrictions(self):
        """No queries when no page of this schema is private (the usual case)."""
        if not caching.schema_has_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    @classmethod
    def can_create_at(cls, parent):
        in_public = is_public_schema(connection.schema_name)
        return in_public == cls.for_network and super().can_create_at(parent)

    def clean(self):
        super().clean()
        errors = {}
        for field in self._meta.concrete_fields:
            if field.is_relation and field.related_model._meta.label == "wagtailimages.Image":
                image = getattr(self, field.name)
                if image is not None and not (image.description or "").strip():
                    errors[field.name] = _(
                        "Das Bild „%(title)s“ hat keinen Alternativtext. Bitte in der "
                        "Bildverwaltung eine Beschreibung ergänzen."
                    ) % {"title": image.title}
        if not getattr(self, "accessibility_deferred", False):
            errors.update(problems_errors(page_problems(self)))
        if errors:
            raise ValidationError(errors)


class HomePageBase(SitePage):
    """Start page: lead text, image and content; lists are added by the concrete types."""

    lead = models.TextField(_("Einleitung"), blank=True)
    image = image_field()
    body = body_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("body")]
    # The site's news and event page types: the home lists their newest and next items,
    # the site's feeds publish them (``core.feeds``). Set by each concrete home page.
    news_model: type[Page]
    event_model: type[Page]

    class Meta:
        abstract = True

    @classmethod
    def of_site(cls, *, network: bool) -> type["HomePageBase"]:
        """The home page type of the network site (``network=True``) or of a microsite.

        Provisioning creates sites with it without knowing the site apps; each kind of
        site has exactly one concrete home page type (``for_network`` tells which).
        """
        found = [m for m in get_page_models() if issubclass(m, cls) and m.for_network == network]
        if len(found) != 1:
            kind = "network" if network else "member"
            raise ImproperlyConfigured(f"Expected one {kind} home page type, found {found}")
        return found[0]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lists = caching.site_data(f"home-lists:{self.pk}", self.home_lists, expires=_first_over)
        context.update(lists)
        pagecache.content_changes_at(request, _first_over(lists))
        return context

    def home_lists(self) -> dict:
        """What the home lists below its own content: the newest news and the next events
        (with their images). Kept in the site data (any page change retires
        it) until the first listed event is over."""
        news = public_only(self.news_model.objects.descendant_of(self).live()).order_by("-date")
        events = public_only(self.event_model.objects.descendant_of(self).live())
        events = events.filter(not_over_at(timezone.now())).order_by("start")
        return {
            "latest_news": list(_with_images(news)[:HOME_TEASER_COUNT]),
            "upcoming_events": list(_with_images(events)[:HOME_TEASER_COUNT]),
        }


def _with_images(pages):
    """Their images along (renditions come from Wagtail's rendition cache)."""
    return pages.select_related("image")


def _first_over(lists: dict):
    """When the first event of a home's lists is over (None: it lists none)."""
    return min((event.end_or_start for event in lists["upcoming_events"]), default=None)


class StandardPageBase(SitePage):
    """A plain content page."""

    lead = models.TextField(_("Einleitung"), blank=True)
    body = body_field()

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("body")]

    class Meta:
        abstract = True


def paginate(request, queryset, per_page=PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class IndexPageBase(SitePage):
    """A page with an introduction that lists its children of one type."""

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        abstract = True

    def live_children(self):
        """Live children of the index's single allowed subpage type, as that type."""
        model = self.allowed_subpage_models()[0]
        return public_only(model.objects.child_of(self).live())


class NewsIndexPageBase(IndexPageBase):
    """Lists its news pages, newest first, ten to a page."""

    class Meta:
        abstract = True

    def news(self):
        return self.live_children().order_by("-date", "-first_published_at")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = paginate(request, self.news().select_related("image"))
        return context


class NewsPageBase(SitePage):
    """News or press release: date, teaser, image, content and downloads."""

    date = models.DateField(_("Datum"), default=timezone.localdate)
    teaser = models.TextField(
        _("Anreißer"), blank=True, help_text=_("Zwei, drei Sätze für Listen.")
    )
    image = image_field()
    image_caption = models.CharField(_("Bildunterschrift"), max_length=250, blank=True)
    body = body_field()
    attachments = attachments_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("teaser"),
        FieldPanel("image"),
        FieldPanel("image_caption"),
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("teaser"), index.SearchField("body")]

    class Meta:
        abstract = True


class EventIndexPageBase(IndexPageBase):
    """Upcoming events first (soonest on top); past events on request (?past=1)."""

    class Meta:
        abstract = True

    def upcoming(self):
        return self.live_children().filter(not_over_at(timezone.now())).order_by("start")

    def past(self):
        return self.live_children().exclude(pk__in=self.upcoming().values("pk")).order_by("-start")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["show_past"] = request.GET.get("past") == "1"
        events = self.past() if context["show_past"] else self.upcoming()
        context["items"] = paginate(request, events)
        # both lists change when the next upcoming event is over
        over = self.upcoming().aggregate(first=Min(Coalesce("end", "start")))["first"]
        pagecache.content_changes_at(request, over)
        return context


class EventPageBase(SitePage):
    """An event: when (Europe/Berlin), where (venue or online), who organises, seats."""

    # The page links its own .ics download (``feeds:event``, public events only).
    calendar_file = True

    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"), null=True, blank=True)
    whole_day = models.BooleanField(
        _("Ganztägig"),
        default=False,
        help_text=_("Nur die Tage von Beginn und Ende zählen; Uhrzeiten werden nicht gezeigt."),
    )
    recurrence = models.TextField(
        _("Wiederholung"),
        blank=True,
        help_text=_(
            "Regel im iCalendar-Format (RRULE), z. B. „FREQ=WEEKLY;BYDAY=MO“ für jeden "
            "Montag; meist vom Import gesetzt. Leer: keine Wiederholung."
        ),
    )
    teaser = models.TextField(_("Anreißer"), blank=True)
    image = image_field()
    venue_name = models.CharField(_("Ort"), max_length=200, blank=True)
    venue_address = models.TextField(_("Anschrift"), blank=True)
    online = models.BooleanField(_("Online-Veranstaltung"), default=False)
    online_url = models.URLField(
        _("Online-Zugang"), blank=True, help_text=_("Wird nur angezeigt, wenn gesetzt.")
    )
    organiser_name = models.CharField(_("Veranstalter / Kontakt"), max_length=200, blank=True)
    organiser_email = models.EmailField(_("E-Mail"), blank=True)
    organiser_phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    seats = models.PositiveIntegerField(
        _("Plätze"), null=True, blank=True, help_text=_("Leer: unbegrenzt")
    )
    registration = RichTextField(
        _("Anmeldung"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("Wie man sich anmeldet"),
    )
    body = body_field()
    attachments = attachments_field()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("whole_day"),
                FieldPanel("recurrence"),
            ],
            heading=_("Zeit"),
        ),
        FieldPanel("teaser"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldPanel("venue_name"),
                FieldPanel("venue_address"),
                FieldPanel("online"),
                FieldPanel("online_url"),
            ],
            heading=_("Ort"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("organiser_name"),
                FieldPanel("organiser_email"),
                FieldPanel("organiser_phone"),
            ],
            heading=_("Veranstalter"),
        ),
        FieldPanel("seats"),
        FieldPanel("registration"),
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("teaser"), index.SearchField("body")]
    # the rule is the same in every language: "Synchronisieren" copies it, nobody translates it
    override_translatable_fields = [SynchronizedField("recurrence")]

    class Meta:
        abstract = True

    @property
    def end_or_start(self):
        return self.end or self.start

    @property
    def recurrence_text(self) -> str:
        """The repetition in words in the active language ("Monatlich am ersten Mittwoch")."""
        return describe_recurrence(self.recurrence)

    def clean(self):
        super().clean()
        errors = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = _("Das Ende liegt vor dem Beginn.")
        if not self.online and not (self.venue_name or self.venue_address):
            errors["venue_name"] = _("Bitte einen Ort angeben oder „Online“ wählen.")
        try:
            self.recurrence = normalize_recurrence(self.recurrence or "")
        except ValidationError as error:
            errors["recurrence"] = error
        if errors:
            raise ValidationError(errors)


class ContactFieldsMixin(models.Model):
    """A contact person with role, phone, e-mail and address."""

    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_role = models.CharField(_("Funktion"), max_length=200, blank=True)
    contact_phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    contact_address = models.TextField(_("Anschrift"), blank=True)

    contact_panel = MultiFieldPanel(
        [
            FieldPanel("contact_name"),
            FieldPanel("contact_role"),
            FieldRowPanel([FieldPanel("contact_phone"), FieldPanel("contact_email")]),
            FieldPanel("contact_address"),
        ],
        heading=_("Kontakt"),
    )

    class Meta:
        abstract = True


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Look and footer of one site: each member edits its own in its own admin."""

    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accent_colour = models.CharField(
        _("Akzentfarbe"),
        max_length=7,
        default=DEFAULT_ACCENT,
        validators=[hex_colour_validator],
        help_text=_("Muss auf Weiß gut lesbar sein (Kontrast mindestens 4,5:1)."),
    )
    footer_contact = models.TextField(_("Kontakt im Fußbereich"), blank=True)
    # The legal pages (sites.legal) and the privacy notice of the forms show these.
    controller = models.TextField(
        _("Verantwortliche Stelle"),
        blank=True,
        help_text=_(
            "Name und Anschrift der Stelle, die die Website anbietet und für die Daten "
            "verantwortlich ist."
        ),
    )
    representative = models.CharField(
        _("Vertreten durch"),
        max_length=200,
        blank=True,
        help_text=_("Zum Beispiel: Bürgermeisterin Maria Muster."),
    )
    contact_email = models.EmailField(
        _("E-Mail-Adresse der Website"),
        blank=True,
        help_text=_("Steht im Impressum; Meldungen von Barrieren gehen an diese Adresse."),
    )
    contact_phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    supervisory_authority = models.TextField(
        _("Aufsichtsbehörde"),
        blank=True,
        help_text=_("Die Kommunalaufsicht, zum Beispiel der Kreis oder die Bezirksregierung."),
    )
    data_protection_contact = models.TextField(
        _("Datenschutzbeauftragte Person (Kontakt)"), blank=True
    )
    registration_retention_days = models.PositiveSmallIntegerField(
        _("Anmeldedaten löschen (Tage nach Veranstaltungsende)"),
        default=30,
        help_text=_("Gilt für jede Veranstaltung, die keinen eigenen Wert hat."),
    )

    panels = [
        FieldPanel("logo"),
        FieldPanel("accent_colour"),
        FieldPanel("footer_contact"),
        MultiFieldPanel(
            [
                FieldPanel("controller"),
                FieldPanel("representative"),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
                FieldPanel("supervisory_authority"),
                FieldPanel("data_protection_contact"),
            ],
            heading=_("Pflichtangaben (Impressum, Datenschutz, Barrierefreiheit)"),
        ),
        FieldPanel("registration_retention_days"),
    ]

    class Meta:
        verbose_name = _("Website-Einstellungen")
