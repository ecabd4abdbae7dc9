"""Test data, built one way.

Members are made by the provisioning service, as central editors make them. Everything
else (users, images, documents, pages) is made in the *current* schema: wrap the call
in ``schema_context(member.schema)`` for a member's data. Page factories take the
parent as ``parent=`` and publish the page the way an editor does (a revision, then
``publish()``, so the page signals fire); ``publish=False`` leaves a draft.
"""

import uuid
from datetime import timedelta

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Collection, Locale, Page

from sites.highlights.models import Highlight
from sites.legal import models as legal
from sites.members import models as members
from sites.network import models as network
from tenants.models import Member
from tenants.services import member_create


class MemberFactory(factory.Factory):
    """A member with its own schema, Site, home page and (optional) coordinator."""

    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    slug = factory.Sequence(lambda n: f"gemeinde-{n}")
    domain = factory.LazyAttribute(lambda member: f"{member.slug}.localhost")
    kind = Member.Kind.CITY
    coordinator_email = None
    coordinator_password = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return member_create(**kwargs).member


class UserFactory(factory.django.DjangoModelFactory):
    """An account of the current schema; ``groups=["Koordination"]`` adds it to groups,
    ``superuser=True`` makes it an administrator of that schema's admin."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    class Params:
        superuser = factory.Trait(is_superuser=True, is_staff=True)

    username = factory.Sequence(lambda n: f"person-{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("Sicheres-Passwort-1")  # passes the validators

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.add(*(Group.objects.get(name=name) for name in names))


class ImageFactory(wagtail_factories.ImageFactory):
    """An image in the schema's root collection, with alternative text (our pages refuse
    images without it; pass ``description=""`` to test that)."""

    collection = factory.LazyFunction(Collection.get_first_root_node)
    title = factory.Sequence(lambda n: f"Bild {n}")
    description = "Jugendliche in einer Werkstatt"
    file = factory.django.ImageField(width=1200, height=800, color="teal", format="PNG")


class DocumentFactory(wagtail_factories.DocumentFactory):
    """A document in the schema's root collection; ``file__data`` and ``file__filename``
    give it content and a type."""

    collection = factory.LazyFunction(Collection.get_first_root_node)
    title = factory.Sequence(lambda n: f"Dokument {n}")


class HighlightFactory(factory.django.DjangoModelFactory):
    """A Highlight row as the copy pipeline writes it for one of the member's pages, last
    published ``age_days`` ago: curation and display tests need rows, not the pipeline."""

    class Meta:
        model = Highlight

    class Params:
        age_days = 1

    member = factory.SubFactory(MemberFactory)
    translation_key = factory.LazyFunction(uuid.uuid4)
    source_page_id = factory.Sequence(lambda n: 10_000 + n)
    locale = "de"
    page_type = Highlight.PageType.NEWS
    title = factory.Sequence(lambda n: f"Highlight {n}")
    teaser = factory.LazyAttribute(lambda row: f"Anreißer zu {row.title}")
    url = factory.LazyAttribute(
        lambda row: f"{row.member.url}de/aktuelles/seite-{row.source_page_id}/"
    )
    last_published_at = factory.LazyAttribute(
        lambda row: timezone.now() - timedelta(days=row.age_days)
    )
    state = Highlight.State.APPROVED


# --- Pages ------------------------------------------------------------------------------


class PageFactory(wagtail_factories.PageFactory):
    """Creates the page below ``parent`` as a draft, then publishes it like an editor."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True  # publish() saved it; a second save adds nothing

    live = False

    @factory.post_generation
    def publish(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.save_revision().publish()
            self.refresh_from_db()


class MemberHomePageFactory(PageFactory):
    """A second home page (every member has one from provisioning): for tree rules."""

    class Meta:
        model = members.MemberHomePage

    title = factory.Sequence(lambda n: f"Startseite {n}")
    slug = factory.Sequence(lambda n: f"start-{n}")


class ProfilePageFactory(PageFactory):
    class Meta:
        model = members.ProfilePage

    title = "Kurzportrait"
    lead = "Übergänge gestalten „vor Ort“."


class MemberNewsPageFactory(PageFactory):
    class Meta:
        model = members.MemberNewsPage

    title = factory.Sequence(lambda n: f"Ausbildungsmesse {n}")
    slug = factory.Sequence(lambda n: f"nachricht-{n}")
    teaser = "Jetzt anmelden."
    propose_highlight = False


class EventPageFactory(PageFactory):
    """An event in a month's time; at the town hall unless it is ``online``: an event
    needs a venue or the online switch."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Berufsorientierungstag {n}")
    slug = factory.Sequence(lambda n: f"termin-{n}")
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    online = False
    venue_name = factory.LazyAttribute(lambda event: "" if event.online else "Rathaus")


class MemberEventPageFactory(EventPageFactory):
    class Meta:
        model = members.MemberEventPage

    propose_highlight = False


class MemberStandardPageFactory(PageFactory):
    class Meta:
        model = members.MemberStandardPage

    title = factory.Sequence(lambda n: f"Inhaltsseite {n}")
    slug = factory.Sequence(lambda n: f"seite-{n}")


class NetworkHomePageFactory(PageFactory):
    """A second network home page (the network has one from ``network_ensure``)."""

    class Meta:
        model = network.NetworkHomePage

    title = factory.Sequence(lambda n: f"Netzwerk-Startseite {n}")
    slug = factory.Sequence(lambda n: f"netzwerk-start-{n}")


class PressReleasePageFactory(PageFactory):
    class Meta:
        model = network.PressReleasePage

    title = factory.Sequence(lambda n: f"Pressemitteilung {n}")
    slug = factory.Sequence(lambda n: f"pressemitteilung-{n}")


class NetworkEventPageFactory(EventPageFactory):
    class Meta:
        model = network.NetworkEventPage


class NetworkStandardPageFactory(PageFactory):
    class Meta:
        model = network.NetworkStandardPage

    title = factory.Sequence(lambda n: f"Netzwerkseite {n}")
    slug = factory.Sequence(lambda n: f"netzwerkseite-{n}")


class MembersNewsPageFactory(PageFactory):
    class Meta:
        model = network.MembersNewsPage

    title = factory.Sequence(lambda n: f"Protokoll {n}")
    slug = factory.Sequence(lambda n: f"protokoll-{n}")


class MembersEventPageFactory(EventPageFactory):
    class Meta:
        model = network.MembersEventPage


def _single_page_factory(model: type[Page], title: str) -> type[PageFactory]:
    """The factory of a page type a parent has one of (an index, the contact page): one
    title, and the slug made from it."""
    return factory.make_factory(model, FACTORY_CLASS=PageFactory, title=title)


MemberNewsIndexPageFactory = _single_page_factory(members.MemberNewsIndexPage, "Aktuelles")
MemberEventIndexPageFactory = _single_page_factory(members.MemberEventIndexPage, "Termine")
MemberContactPageFactory = _single_page_factory(members.MemberContactPage, "Kontakt")
PressIndexPageFactory = _single_page_factory(network.PressIndexPage, "Presse")
NetworkEventIndexPageFactory = _single_page_factory(
    network.NetworkEventIndexPage, "Veranstaltungen"
)
MemberDirectoryPageFactory = _single_page_factory(network.MemberDirectoryPage, "Mitglieder")
HighlightIndexPageFactory = _single_page_factory(network.HighlightIndexPage, "Aus den Mitgliedern")
MembersAreaPageFactory = _single_page_factory(network.MembersAreaPage, "Mitgliederbereich")
ImprintPageFactory = _single_page_factory(legal.ImprintPage, "Impressum")
PrivacyPageFactory = _single_page_factory(legal.PrivacyPage, "Datenschutz")
AccessibilityStatementPageFactory = _single_page_factory(
    legal.AccessibilityStatementPage, "Barrierefreiheit"
)
EasyLanguagePageFactory = _single_page_factory(legal.EasyLanguagePage, "Leichte Sprache")


def page_factory_for(model: type[Page]) -> type[PageFactory]:
    """The factory of page type ``model``, for tests that go through every type."""
    return next(
        found
        for found in (*PageFactory.__subclasses__(), *EventPageFactory.__subclasses__())
        if found._meta.model is model
    )


def translation_publish(page: Page, language: str = "en", **fields) -> Page:
    """``page`` translated into ``language`` as wagtail-localize lays it out (missing
    parents become aliases of the originals), with ``fields`` set, published."""
    locale = Locale.objects.get_or_create(language_code=language)[0]
    translated = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated.specific_class.objects.get(pk=translated.pk)


# --- The pages every member or the network has, and the indexes tests add to ----------


def member_home() -> members.MemberHomePage:
    """The German home page of the current member schema."""
    return members.MemberHomePage.objects.get(locale__language_code="de")


def member_news_index() -> members.MemberNewsIndexPage:
    """The current member's news index, made on first use."""
    home = member_home()
    index = members.MemberNewsIndexPage.objects.child_of(home).first()
    return index or MemberNewsIndexPageFactory(parent=home)


def member_event_index() -> members.MemberEventIndexPage:
    """The current member's event index, made on first use."""
    home = member_home()
    index = members.MemberEventIndexPage.objects.child_of(home).first()
    return index or MemberEventIndexPageFactory(parent=home)


def network_home() -> network.NetworkHomePage:
    """The German home page of the network site (call it in the public schema)."""
    return network.NetworkHomePage.objects.get(locale__language_code="de")


def users_remove(users) -> None:
    """Delete network users with SQL: the ORM's cascade would also look into tables
    that exist only in member schemas (tests.constraint_app) and fail in ``public``.
    What refers to them loses the reference (nullable) or goes with them."""
    ids = list(users.values_list("pk", flat=True))
    if not ids:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.conrelid::regclass::text, a.attname, a.attnotnull
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.confrelid = 'auth_user'::regclass"""
        )
        for table, column, required in cursor.fetchall():
            column = connection.ops.quote_name(column)
            if required:
                cursor.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", [ids])
            else:
                cursor.execute(
                    f"UPDATE {table} SET {column} = NULL WHERE {column} = ANY(%s)", [ids]
                )
        cursor.execute("DELETE FROM auth_user WHERE id = ANY(%s)", [ids])
