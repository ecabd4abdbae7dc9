"""Build the demo network's pages, images and documents from ``sites.demo.content``.

Every function switches to the schema it writes to. Idempotent: pages are looked up by
slug under their parent (pages allowed once per parent also by type), images and
documents by title; what exists is left as it is, only what is missing is created, so a
second run changes nothing. Each site is built in one transaction.

Some pages also get an English version, made the way an editor makes one with
wagtail-localize: the page is submitted for translation, every string gets its English
text (``content``), the translation is saved and published. A page that has an English
version already keeps it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import asdict
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django_tenants.utils import schema_context
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from core.models import SiteSettings
from sites.demo import content as c
from sites.members.models import (
    MemberContactPage,
    MemberEventIndexPage,
    MemberEventPage,
    MemberNewsIndexPage,
    MemberNewsPage,
    ProfilePage,
)
from sites.network.models import (
    HighlightIndexPage,
    MemberDirectoryPage,
    NetworkEventIndexPage,
    NetworkEventPage,
    NetworkStandardPage,
    PressIndexPage,
    PressReleasePage,
)
from tenants.models import Member

ENGLISH = "en"


class DemoContentError(Exception):
    """The demo cannot be completed without overwriting something an editor made, or its
    texts do not fit together (a German string without its English text)."""


# --- Rich text and stream values -----------------------------------------------------


def _inline_html(text: str, links=(), documents=None) -> str:
    """Escaped text in which the first occurrence of each link text becomes a link."""
    html = escape(text)
    for label, target in links:
        label_html = escape(label)
        if label_html not in html:
            raise ValueError(f"Link text {label!r} is not in {text!r}")
        if target == c.PRESS_DOCUMENT_LINK:
            anchor = f'<a linktype="document" id="{documents[target].pk}">{label_html}</a>'
        else:
            anchor = f'<a href="{escape(target)}">{label_html}</a>'
        html = html.replace(label_html, anchor, 1)
    return html


def _paragraphs_html(paragraphs, documents=None) -> str:
    return "".join(f"<p>{_inline_html(p.text, p.links, documents)}</p>" for p in paragraphs)


def _list_html(block: c.BulletList) -> str:
    items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
    return f"<p>{escape(block.intro)}</p><ul>{items}</ul>"


def _contact_value(contact: c.Contact) -> dict:
    return {
        "name": contact.name,
        "role": contact.role,
        "organisation": contact.organisation,
        "phone": contact.phone,
        "email": contact.email,
        "address": contact.address,
    }


def _agenda_value(agenda: c.Agenda) -> dict:
    return {
        "title": agenda.title,
        "days": [
            {
                "date": day.date,
                "title": day.title,
                "items": [
                    {
                        "start": item.start,
                        "end": item.end,
                        "title": item.title,
                        "description": RichText(item.description),
                    }
                    for item in day.items
                ],
            }
            for day in agenda.days
        ],
    }


def body_stream(blocks, documents=None) -> list[tuple[str, object]]:
    """``BodyBlock`` content as (block type, value) pairs for a StreamField."""
    stream = []
    for block in blocks:
        if isinstance(block, c.Heading):
            stream.append(("heading", {"text": block.text, "level": block.level}))
        elif isinstance(block, c.Paragraph):
            stream.append(("paragraph", RichText(_paragraphs_html([block], documents))))
        elif isinstance(block, c.BulletList):
            stream.append(("paragraph", RichText(_list_html(block))))
        elif isinstance(block, c.Agenda):
            stream.append(("agenda", _agenda_value(block)))
        elif isinstance(block, c.Contact):
            stream.append(("contact", _contact_value(block)))
        else:
            raise TypeError(f"No block for {block!r}")
    return stream


# --- Generated files -------------------------------------------------------------------

BANNER_SIZE = (1200, 400)


def _font(size: int):
    return ImageFont.load_default(size=size)


def _draw_anniversary(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    colours = ["#f2a900", "#e4572e", "#76b041", "#17bebb", "#ffc914"]
    step = width // 11
    for i in range(10):
        x = step * (i + 1)
        draw.ellipse((x - 40, 250 - 40, x + 40, 250 + 40), fill=colours[i % len(colours)])


def _draw_town_hall(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    ground = height - 60
    draw.rectangle((0, ground, width, height), fill="#3b3b3b")
    draw.rectangle((840, 170, 1140, ground), fill="#c8553d")  # hall
    draw.rectangle((900, 40, 970, ground), fill="#a23e2b")  # tower
    draw.polygon([(890, 40), (935, -5), (980, 40)], fill="#2f5d50")  # spire
    draw.ellipse((915, 70, 955, 110), fill="#f4f1de")  # clock
    for row in range(3):
        for col in range(4):
            x, y = 995 + col * 35, 190 + row * 50
            draw.rectangle((x, y, x + 18, y + 28), fill="#f4f1de")


def _draw_pithead(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    draw.ellipse((1040, 30, 1140, 130), fill="#ffd23f")  # sun
    draw.ellipse((500, 260, 1300, 560), fill="#5aa64b")  # hills
    draw.ellipse((-100, 290, 800, 600), fill="#3f8f3a")
    # pithead frame with its winding wheel
    draw.line((700, 330, 780, 120), fill="#263238", width=12)
    draw.line((860, 330, 780, 120), fill="#263238", width=12)
    draw.line((730, 250, 830, 250), fill="#263238", width=8)
    draw.ellipse((750, 90, 810, 150), outline="#263238", width=8)
    # wind turbine
    draw.line((1000, 330, 1000, 160), fill="#eceff1", width=10)
    for end in ((1000, 60), (915, 205), (1085, 205)):
        draw.line((1000, 160, *end), fill="#eceff1", width=8)


MOTIFS: dict[str, Callable] = {
    "anniversary": _draw_anniversary,
    "town_hall": _draw_town_hall,
    "pithead": _draw_pithead,
}


def banner_png(banner: c.Banner) -> bytes:
    """A simple drawn banner: coloured background, the motif and the caption."""
    width, height = BANNER_SIZE
    picture = PILImage.new("RGB", BANNER_SIZE, banner.colour)
    draw = ImageDraw.Draw(picture)
    MOTIFS[banner.motif](draw, width, height)
    draw.text((60, 60), banner.caption, font=_font(64), fill="#ffffff")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
# Run properties per line style: bold/italic and size in half points.
DOCX_STYLES = {
    "title": '<w:b/><w:sz w:val="36"/>',
    "subtitle": '<w:i/><w:sz w:val="24"/>',
    "heading": '<w:b/><w:sz w:val="26"/>',
    "text": '<w:sz w:val="22"/>',
}


def docx_bytes(lines) -> bytes:
    """A minimal valid Word document (.docx) with one paragraph per (style, text) line."""
    paragraphs = "".join(
        "<w:p><w:r><w:rPr>"
        f'{DOCX_STYLES[style]}<w:lang w:val="de-DE"/>'
        f'</w:rPr><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r></w:p>'
        for style, text in lines
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{paragraphs}<w:sectPr/></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (
            ("[Content_Types].xml", DOCX_CONTENT_TYPES),
            ("_rels/.rels", DOCX_RELS),
            ("word/document.xml", document),
        ):
            # A fixed timestamp keeps the file identical from run to run.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2018, 11, 25, 0, 0, 0)), data)
    return buffer.getvalue()


# --- Getting or creating things in the current schema ----------------------------------


class Builder:
    """Creates what is missing in the *current* schema and remembers what it created."""

    def __init__(self):
        self.created: list[str] = []

    def image(self, banner: c.Banner):
        image_model = get_image_model()
        image = image_model.objects.filter(title=banner.title).first()
        if image is None:
            image = image_model(
                title=banner.title,
                description=banner.description,
                file=ImageFile(io.BytesIO(banner_png(banner)), name=banner.filename),
            )
            image._set_image_file_metadata()
            image.save()
            self.created.append(f"Bild „{banner.title}“")
        elif not image.description.strip():
            image.description = banner.description
            image.save(update_fields=["description"])
        return image

    def document(self, title: str, filename: str, data: bytes, collection=None):
        """The document ``title``, created (in ``collection``, default the root) when missing."""
        document_model = get_document_model()
        document = document_model.objects.filter(title=title).first()
        if document is None:
            document = document_model(title=title, file=ContentFile(data, name=filename))
            if collection is not None:
                document.collection = collection
            document._set_document_file_metadata()
            document.save()
            self.created.append(f"Dokument „{title}“")
        return document

    def child(self, parent: Page, model, slug: str, build: Callable[[], dict]) -> Page:
        """The child of ``parent`` with this slug (or the only one of a once-per-parent
        type); created from ``build()`` and published when missing."""
        children = parent.get_children()
        existing = children.filter(slug=slug).first()
        if existing is None and model.max_count_per_parent == 1:
            existing = children.type(model).first()
        if existing is not None:
            existing = existing.specific
            if not isinstance(existing, model):
                raise DemoContentError(
                    f"Unter „{parent.title}“ gibt es schon eine Seite „{slug}“ eines anderen "
                    f"Typs ({existing.specific_class._meta.verbose_name}); bitte umbenennen."
                )
            return existing
        page = model(slug=slug, **build())
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created.append(f"Seite „{page.title}“")
        return page

    def complete_home(self, home: Page, *, lead: str = "", banner: c.Banner | None = None):
        """Fill the home page's lead and image if they are empty; publish only on change.
        A home page with an editor's unpublished draft is left alone."""
        if home.has_unpublished_changes:
            return
        changed = []
        if lead and not home.lead:
            home.lead = lead
            changed.append("Einleitung")
        if banner is not None and home.image_id is None:
            home.image = self.image(banner)
            changed.append("Bild")
        if changed:
            home.save_revision().publish()
            self.created.append(f"Startseite: {' und '.join(changed)}")

    def translate(self, page: Page, english: Mapping[str, str], *, name: str = "") -> None:
        """Give ``page`` its published English version, made with wagtail-localize from the
        English texts in ``english`` (German string -> English); ``name``, the site's own
        name, may stay as it is. A page with an English version is left alone.

        Every string of the page must have its English text, or nothing is translated: an
        English page with German sentences in it would go unnoticed. The parent must have
        its English version first; wagtail-localize would otherwise put an untranslated
        copy of it there.
        """
        locale = Locale.objects.filter(language_code=ENGLISH).first()
        if locale is None:
            raise DemoContentError(f"Diese Website hat keine Sprache „{ENGLISH}“.")
        existing = page.get_translation_or_none(locale)
        if existing is not None and existing.alias_of_id is None:
            return
        parent = page.get_parent()
        english_parent = parent.get_translation_or_none(locale) if page.depth > 2 else parent
        if english_parent is None or english_parent.alias_of_id is not None:
            raise DemoContentError(
                f"„{page.title}“ kann erst übersetzt werden, wenn „{parent.title}“ eine "
                "englische Fassung hat."
            )
        texts = {name: name, **english} if name else english
        source, _created = TranslationSource.update_or_create_from_instance(page)
        segments = list(
            StringSegment.objects.filter(source=source)
            .select_related("string", "context")
            .order_by("order")
        )
        missing = [s.string.data for s in segments if s.string.data not in texts]
        if missing:
            more = f" (und {len(missing) - 1} weitere)" if len(missing) > 1 else ""
            raise DemoContentError(
                f"„{page.title}“: kein englischer Text für „{missing[0]}“{more}; bitte in "
                "sites/demo/content.py ergänzen."
            )
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=locale
        )
        for segment in segments:
            german = segment.string.data
            string_translation, _created = StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": texts[german],
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                    "has_error": False,
                    "field_error": "",
                },
            )
            if string_translation.has_error:  # wagtail-localize would fall back to German
                raise DemoContentError(
                    f"„{page.title}“: der englische Text für „{german}“ ist kein gültiges "
                    f'HTML oder ändert die Links (<a id="a1">…</a>): „{texts[german]}“'
                )
        # save_target(publish=True) would publish when the outermost transaction commits,
        # in whatever schema is current then; so the draft is saved and published here.
        translation.save_target(publish=False)
        target = page.get_translation(locale)
        target.get_latest_revision().publish()
        self.created.append(f"Übersetzung „{target.title}“ ({ENGLISH})")


def legal_settings_complete(name: str, contact: c.Contact, email: str) -> None:
    """Fill the empty legal details of the *current* schema's site settings: who offers
    the site and where to reach it (imprint, privacy policy, "report a barrier"). The
    address is a ``.example`` one, so no demo report reaches a real person. Who represents
    the body and the data-protection officer stay for the editors, so the demo's
    dashboard shows what a new site still lacks."""
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    values = {
        "controller": "\n".join(part for part in (name, contact.address) if part),
        "contact_email": email,
        "contact_phone": contact.phone,
    }
    changed = [key for key, value in values.items() if value and not getattr(site_settings, key)]
    for key in changed:
        setattr(site_settings, key, values[key])
    if changed:
        site_settings.save(update_fields=changed)


def site_home() -> Page:
    """The home page of the current schema's site, as its own type."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise DemoContentError("Diese Website hat noch keine Startseite.")
    return site.root_page.specific


def _index_fields(index: c.IndexPage) -> dict:
    return {
        "title": index.title,
        "intro": f"<p>{escape(index.intro)}</p>" if index.intro else "",
        "show_in_menus": True,
    }


def _news_fields(builder: Builder, news: c.NewsItem, documents=None) -> dict:
    fields = {
        "title": news.title,
        "date": news.date,
        "teaser": news.teaser,
        "body": body_stream(news.body, documents),
    }
    if news.banner:
        fields["image"] = builder.image(news.banner)
    if documents:
        fields["attachments"] = [("document", document) for document in documents.values()]
    return fields


def _event_fields(builder: Builder, event: c.EventItem) -> dict:
    """A new event page's fields: the demo's events move into the coming weeks and open
    their registration form (``c.in_coming_weeks``; a page that exists keeps its dates)."""
    event = c.in_coming_weeks(event, timezone.localdate())
    fields = {
        "title": event.title,
        "start": event.start,
        "end": event.end,
        "teaser": event.teaser,
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "online": event.online,
        "organiser_name": event.organiser.name,
        "organiser_email": event.organiser.email,
        "organiser_phone": event.organiser.phone,
        "seats": event.seats,
        "registration": _paragraphs_html(event.registration),
        "body": body_stream(event.body),
    }
    if event.banner:
        fields["image"] = builder.image(event.banner)
    if event.registration_form:
        fields.update(asdict(event.registration_form))
    return fields


def _contact_fields(contact: c.Contact) -> dict:
    return {
        "contact_name": contact.name,
        "contact_role": contact.role,
        "contact_phone": contact.phone,
        "contact_email": contact.email,
        "contact_address": contact.address,
    }


# --- The sites ---------------------------------------------------------------------------


def build_network() -> list[str]:
    """Network site: Über uns, Presse with the press release and its .docx, Veranstaltungen
    with the video conference, the member directory and the highlights page; home, Über
    uns, directory and highlights page also in English. Public schema only."""
    builder = Builder()
    with schema_context(settings.PUBLIC_SCHEMA_NAME), transaction.atomic():
        home = site_home()
        builder.complete_home(home, lead=c.MISSION_LEAD)
        about = builder.child(
            home,
            NetworkStandardPage,
            c.ABOUT_PAGE.slug,
            lambda: {
                "title": c.ABOUT_PAGE.title,
                "lead": c.MISSION_LEAD,
                "body": body_stream(c.MISSION_BODY),
                "show_in_menus": True,
            },
        )
        press = builder.child(
            home, PressIndexPage, c.PRESS_INDEX.slug, lambda: _index_fields(c.PRESS_INDEX)
        )

        def press_release_fields():
            document = builder.document(
                c.PRESS_RELEASE_DOCUMENT_TITLE,
                c.PRESS_RELEASE_DOCUMENT_FILENAME,
                docx_bytes(c.press_release_document_lines()),
            )
            documents = {c.PRESS_DOCUMENT_LINK: document}
            return _news_fields(builder, c.PRESS_RELEASE, documents)

        builder.child(press, PressReleasePage, c.PRESS_RELEASE.slug, press_release_fields)
        events = builder.child(
            home,
            NetworkEventIndexPage,
            c.NETWORK_EVENT_INDEX.slug,
            lambda: _index_fields(c.NETWORK_EVENT_INDEX),
        )
        builder.child(
            events,
            NetworkEventPage,
            c.VIDEO_CONFERENCE.slug,
            lambda: _event_fields(builder, c.VIDEO_CONFERENCE),
        )
        directory = builder.child(
            home,
            MemberDirectoryPage,
            c.DIRECTORY_PAGE.slug,
            lambda: {
                "title": c.DIRECTORY_PAGE.title,
                "intro": c.DIRECTORY_PAGE.intro,
                "show_in_menus": True,
            },
        )
        highlights = builder.child(
            home,
            HighlightIndexPage,
            c.HIGHLIGHT_PAGE.slug,
            lambda: {
                "title": c.HIGHLIGHT_PAGE.title,
                "intro": c.HIGHLIGHT_PAGE.intro,
                "show_in_menus": True,
            },
        )
        legal_settings_complete(
            c.NETWORK_FULL_NAME, c.Contact(), "barrierefreiheit@netzwerk.example"
        )
        builder.translate(home, c.NETWORK_HOME_EN, name=home.title)
        builder.translate(about, c.ABOUT_PAGE_EN)
        builder.translate(directory, c.DIRECTORY_PAGE_EN)
        builder.translate(highlights, c.HIGHLIGHT_PAGE_EN)
    return builder.created


def build_member(member: Member) -> list[str]:
    """A member's microsite: Aktuelles, Termine, Kontakt and, for the demo members, their
    seed page (Herten's profile, which fills the network directory, Kiel's meeting,
    Kreis Offenbach's news; news and events are proposed as network highlights), and the
    English versions the member's content has. Member schema, and the directory entry in
    the public schema."""
    plan = c.member_content(member.slug, member.name)
    builder = Builder()
    with schema_context(member.schema_name), transaction.atomic():
        home = site_home()
        builder.complete_home(home, lead=plan.home_lead, banner=plan.home_banner)
        pages = {}  # by the slug in ``plan``, in tree order: parents before children
        if plan.profile is not None:
            profile = plan.profile
            pages[profile.slug] = builder.child(
                home,
                ProfilePage,
                profile.slug,
                lambda: {
                    "title": profile.title,
                    "lead": profile.lead,
                    "body": body_stream(profile.body),
                    "facts": [
                        ("fact", {"label": fact.label, "value": fact.value})
                        for fact in profile.facts
                    ],
                    "further_links": [
                        ("link", {"label": link.label, "url": link.url, "page": None})
                        for link in profile.further_links
                    ],
                    "show_in_menus": True,
                    "latitude": profile.latitude,
                    "longitude": profile.longitude,
                    **_contact_fields(profile.contact),
                },
            )
        news_index = builder.child(
            home, MemberNewsIndexPage, plan.news_index.slug, lambda: _index_fields(plan.news_index)
        )
        pages[plan.news_index.slug] = news_index
        for news in plan.news:
            pages[news.slug] = builder.child(
                news_index,
                MemberNewsPage,
                news.slug,
                lambda news=news: {**_news_fields(builder, news), "propose_highlight": True},
            )
        event_index = builder.child(
            home,
            MemberEventIndexPage,
            plan.event_index.slug,
            lambda: _index_fields(plan.event_index),
        )
        pages[plan.event_index.slug] = event_index
        for event in plan.events:
            pages[event.slug] = builder.child(
                event_index,
                MemberEventPage,
                event.slug,
                lambda event=event: {**_event_fields(builder, event), "propose_highlight": True},
            )
        contact = plan.contact_page
        pages[contact.slug] = builder.child(
            home,
            MemberContactPage,
            contact.slug,
            lambda: {
                "title": contact.title,
                "lead": contact.lead,
                "body": body_stream(contact.body),
                "show_in_menus": True,
                **_contact_fields(contact.contact),
            },
        )
        legal_settings_complete(
            member.name, contact.contact, f"barrierefreiheit@{member.slug}.example"
        )
        _translate_member_pages(builder, plan, home, pages)
    return builder.created


def _translate_member_pages(builder: Builder, plan: c.MemberContent, home: Page, pages: dict):
    """The English versions in ``plan``: the home page first, then the others in tree order."""
    if plan.home_english is None:
        if plan.english:
            raise DemoContentError("Englische Seiten brauchen eine englische Startseite.")
        return
    unknown = set(plan.english) - set(pages)
    if unknown:
        raise DemoContentError(
            f"Englische Texte für unbekannte Seiten: {', '.join(sorted(unknown))}"
        )
    builder.translate(home, plan.home_english, name=home.title)
    for slug, page in pages.items():
        if slug in plan.english:
            builder.translate(page, plan.english[slug])
