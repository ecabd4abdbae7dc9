"""What the browser tests look at: the demo network, committed to the test database.

``content_build`` runs ``seed_demo`` (network site, Herten, Kiel, Kreis Offenbach) with the
live server's port in ``PUBLIC_PORT``, so Sites, directory entries and highlight links
carry it; adds to Herten what the demo lacks (a news page, an event, a standard page);
makes sure Kiel's meeting takes registrations (seats, waiting list, in the coming weeks);
gives every page the accessibility checks visit an English version; and builds the search
index of all of it (``index_rebuild``). ``content_remove``
takes all of it away again and puts the network site back as the suite's ``platform``
fixture left it.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText
from wagtail_localize.models import TranslatableObject, TranslationSource

from sites.demo.management.commands.seed_demo import DEMO_MEMBERS as SEEDED_MEMBERS
from sites.demo.management.commands.seed_demo import coordinator_demo_password
from sites.members.models import (
    MemberContactPage,
    MemberEventIndexPage,
    MemberEventPage,
    MemberHomePage,
    MemberNewsIndexPage,
    MemberNewsPage,
    MemberStandardPage,
    ProfilePage,
)
from sites.network.models import (
    HighlightIndexPage,
    MemberDirectoryPage,
    NetworkEventIndexPage,
    NetworkEventPage,
    NetworkHomePage,
    NetworkStandardPage,
    PressIndexPage,
    PressReleasePage,
)
from sites.search.engine import search_words_refresh
from sites.search.indexing import index_rebuild
from sites.search.models import SearchEntry
from tenants.models import Member
from tenants.services import EDITORIAL_GROUP, member_delete, network_ensure
from tests.factories import (
    MemberEventPageFactory,
    MemberNewsPageFactory,
    MemberStandardPageFactory,
    UserFactory,
    member_home,
    users_remove,
)

DEMO_MEMBERS = [slug for slug, _name, _kind in SEEDED_MEMBERS]
MEMBER = "herten"  # the microsite whose pages are checked
REGISTRATION_MEMBER = "kiel"  # the microsite whose event takes registrations
REGISTRATION_EVENT = "facharbeitsgruppe-kiel-januar-2014"  # its slug (the demo's meeting)
REGISTRATION_SEATS = 25

# Every public page template, per kind of site: key -> page type. Parents come first, so
# that English versions can be made top-down.
MEMBER_PAGES = {
    "home": MemberHomePage,
    "profile": ProfilePage,
    "news-index": MemberNewsIndexPage,
    "news": MemberNewsPage,
    "event-index": MemberEventIndexPage,
    "event": MemberEventPage,
    "standard": MemberStandardPage,
    "contact": MemberContactPage,
}
NETWORK_PAGES = {
    "home": NetworkHomePage,
    "press-index": PressIndexPage,
    "press-release": PressReleasePage,
    "event-index": NetworkEventIndexPage,
    "event": NetworkEventPage,
    "standard": NetworkStandardPage,
    "directory": MemberDirectoryPage,
    "highlights": HighlightIndexPage,
}
LANGUAGES = ("de", "en")


@dataclass
class Account:
    username: str
    password: str


@dataclass
class Content:
    coordinator: Account  # Herten's "Koordination"
    kiel_coordinator: Account
    editor: Account  # the network's "Redaktion" (not a superuser)
    # ("member" | "network", key) -> {"de": absolute URL, "en": absolute URL}
    urls: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    # Kiel's meeting with its registration form: {"de": absolute URL, "en": absolute URL}
    registration_event: dict[str, str] = field(default_factory=dict)


@dataclass
class PublicState:
    """What the public schema held before the demo was added."""

    page_ids: set[int]
    image_ids: set[int]
    document_ids: set[int]
    user_ids: set[int]
    translatable_keys: set
    translation_source_ids: set[int]
    home_content: dict

    @classmethod
    def take(cls) -> PublicState:
        with schema_context(settings.PUBLIC_SCHEMA_NAME):
            home = NetworkHomePage.objects.get(locale__language_code=settings.LANGUAGE_CODE)
            return cls(
                page_ids=set(Page.objects.values_list("pk", flat=True)),
                image_ids=set(get_image_model().objects.values_list("pk", flat=True)),
                document_ids=set(get_document_model().objects.values_list("pk", flat=True)),
                user_ids=set(get_user_model().objects.values_list("pk", flat=True)),
                translatable_keys=set(TranslatableObject.objects.values_list("pk", flat=True)),
                translation_source_ids=set(TranslationSource.objects.values_list("pk", flat=True)),
                home_content=home.serializable_data(),
            )


def content_build() -> Content:
    """The demo network and the additions; call with the live port in PUBLIC_PORT."""
    if Member.objects.filter(slug__in=DEMO_MEMBERS).exists():
        raise RuntimeError("demo members exist already: a previous browser run left them")
    call_command("seed_demo", "--force", stdout=io.StringIO())
    with schema_context(Member.objects.get(slug=MEMBER).schema_name):
        _member_pages_complete()
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        editor = _central_editor()
    content = Content(
        coordinator=_demo_coordinator("herten"),
        kiel_coordinator=_demo_coordinator("kiel"),
        editor=editor,
    )
    for kind, pages, schema in (
        ("member", MEMBER_PAGES, Member.objects.get(slug=MEMBER).schema_name),
        ("network", NETWORK_PAGES, settings.PUBLIC_SCHEMA_NAME),
    ):
        with schema_context(schema):
            for key, model in pages.items():
                content.urls[(kind, key)] = _urls_in_both_languages(model)
    with schema_context(Member.objects.get(slug=REGISTRATION_MEMBER).schema_name):
        content.registration_event = _page_urls(_registration_event())
    connection.set_schema_to_public()
    index_rebuild()  # the search index holds every page above, with the live port
    return content


def _demo_coordinator(slug: str) -> Account:
    return Account(f"koordination@{slug}.example", coordinator_demo_password(slug))


def _member_pages_complete() -> None:
    """A news page, an upcoming event and a standard page in the current member schema,
    where the demo has none."""
    home = member_home()
    image = home.image
    if not MemberNewsPage.objects.exists():
        MemberNewsPageFactory(
            parent=MemberNewsIndexPage.objects.child_of(home).get(),
            title="Ferienjobs und Praktika im Sommer",
            slug="ferienjobs-und-praktika",
            teaser="Betriebe aus Herten bieten Plätze für Schülerinnen und Schüler an.",
            image=image,
            body=[("paragraph", RichText("<p>Die Liste der Plätze liegt im Rathaus aus.</p>"))],
        )
    if not MemberEventPage.objects.exists():
        start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
        MemberEventPageFactory(
            parent=MemberEventIndexPage.objects.child_of(home).get(),
            title="Ausbildungsbörse im Glashaus",
            slug="ausbildungsboerse",
            start=start + timedelta(days=30),
            end=start + timedelta(days=30, hours=6),
            teaser="Dreißig Betriebe stellen ihre Ausbildungsberufe vor.",
            image=image,
            venue_name="Glashaus Herten",
            venue_address="Hermannstraße 16\n45699 Herten",
            organiser_name="Kommunale Koordinierung Herten",
            organiser_email="koordination@herten.example",
            seats=300,
            registration="<p>Keine Anmeldung nötig.</p>",
        )
    if not MemberStandardPage.objects.exists():
        MemberStandardPageFactory(
            parent=home,
            title="Beratung in der Schule",
            slug="beratung",
            lead="Wer berät Jugendliche in Herten auf dem Weg in den Beruf?",
            show_in_menus=True,
            body=[
                ("heading", {"text": "Sprechstunden", "level": "h2"}),
                ("paragraph", RichText("<p>Jeden Dienstag im Berufsinformationszentrum.</p>")),
            ],
        )


def _registration_event() -> MemberEventPage:
    """Kiel's meeting (current member schema), open for registration with seats and a
    waiting list, some weeks ahead: as the demo makes it, or made so here."""
    event = MemberEventPage.objects.get(
        slug=REGISTRATION_EVENT, locale__language_code=settings.LANGUAGE_CODE
    )
    changes = {}
    if not event.registration_open:
        changes["registration_open"] = True
    if not event.waiting_list:
        changes["waiting_list"] = True
    if event.seats is None:
        changes["seats"] = REGISTRATION_SEATS
    if event.start < timezone.now() + timedelta(days=7):
        start = timezone.now().replace(hour=14, minute=0, second=0, microsecond=0)
        changes["start"] = start + timedelta(weeks=3)
        changes["end"] = start + timedelta(weeks=3, hours=23)
    deadline = event.registration_deadline
    if deadline is not None and deadline < timezone.now() + timedelta(days=1):
        changes["registration_deadline"] = None
    if changes:
        for name, value in changes.items():
            setattr(event, name, value)
        event.save_revision().publish()
        event.refresh_from_db()
    return event


def _central_editor() -> Account:
    """A network editor in the group "Redaktion" (no superuser): the role that curates."""
    account = Account("redaktion-browser", "Geheime-Browser-Passphrase-1")
    UserFactory(
        username=account.username,
        email="redaktion-browser@netzwerk.example",
        password=account.password,
        groups=[EDITORIAL_GROUP],
    )
    return account


def _urls_in_both_languages(model) -> dict[str, str]:
    """The first live German page of ``model`` and its English version (made and
    published here when the demo has none), as absolute URLs."""
    german = (
        model.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")
        .first()
    )
    if german is None:
        raise RuntimeError(f"no live {model.__name__} in schema {connection.schema_name}")
    return _page_urls(german)


def _page_urls(german: Page) -> dict[str, str]:
    """``german`` and its English version (made and published here when the demo has
    none), as absolute URLs."""
    english_locale = Locale.objects.get(language_code="en")
    english = german.get_translation_or_none(english_locale)
    if english is None:
        english = german.copy_for_translation(english_locale, copy_parents=True)
    for page in [*english.get_ancestors().filter(depth__gt=1), english]:
        page = page.specific
        if not page.live or page.has_unpublished_changes:
            page.save_revision().publish()
    english.refresh_from_db()
    return {"de": german.full_url, "en": english.full_url}


def content_remove(before: PublicState) -> None:
    """Remove the demo members and everything the demo added to the public schema;
    restore the network home and Site (run without the live port in PUBLIC_PORT)."""
    connection.set_schema_to_public()
    # the added users first, by SQL (see users_remove): the members' area accounts
    # among them are then gone before their member is deleted
    users_remove(get_user_model().objects.exclude(pk__in=before.user_ids))
    with tempfile.TemporaryDirectory() as backups:
        for member in Member.objects.filter(slug__in=DEMO_MEMBERS):
            member_delete(member, backups)  # directory entries and highlights go with it
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        added = Page.objects.exclude(pk__in=before.page_ids)
        for page in added.order_by("path"):
            if Page.objects.filter(pk=page.pk).exists():  # not gone with an ancestor
                page.delete()
        get_image_model().objects.exclude(pk__in=before.image_ids).delete()
        get_document_model().objects.exclude(pk__in=before.document_ids).delete()
        TranslationSource.objects.exclude(pk__in=before.translation_source_ids).delete()
        TranslatableObject.objects.exclude(pk__in=before.translatable_keys).delete()
        home = NetworkHomePage.objects.get(locale__language_code=settings.LANGUAGE_CODE)
        if _content_fields(home.serializable_data()) != _content_fields(before.home_content):
            home.with_content_json(before.home_content).save_revision().publish()
        # the members' index rows went with them; the network's added pages' go here
        SearchEntry.objects.filter(schema_name=settings.PUBLIC_SCHEMA_NAME).exclude(
            page_id__in=before.page_ids
        ).delete()
        search_words_refresh()
    network_ensure()  # the Site's port back to the suite's PUBLIC_PORT
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "public" / "highlights", ignore_errors=True)
    cache.clear()
    after = PublicState.take()
    assert (after.page_ids, after.image_ids, after.document_ids, after.user_ids) == (
        before.page_ids,
        before.image_ids,
        before.document_ids,
        before.user_ids,
    ), "the demo was not removed completely"
    assert not Member.objects.filter(slug__in=DEMO_MEMBERS).exists()


def _content_fields(content: dict) -> dict:
    """A page's serialised content without what publishing itself changes."""
    volatile = {"live", "has_unpublished_changes", "latest_revision", "live_revision",
                "latest_revision_created_at", "last_published_at", "first_published_at",
                "draft_title", "numchild"}  # fmt: skip
    return {key: value for key, value in content.items() if key not in volatile}
