"""Test data, built one way.

Members are made by the provisioning service, as central editors make them. Everything
else (users, images, documents, pages) is made in the *current* schema: wrap the call
in ``schema_context(member.schema)`` for a member's data. Page factories take the
parent as ``parent=`` and publish the page the way an editor does (a revision, then
``publish()``, so the page signals fire); ``publish=False`` leaves a draft.
"""

from datetime import timedelta

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Collection

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
    password = factory.django.Password("Passwort-1")

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
    collection = factory.LazyFunction(Collection.get_first_root_node)
    title = factory.Sequence(lambda n: f"Dokument {n}")


class PageFactory(wagtail_factories.PageFactory):
    """Creates the page below ``parent`` as a draft, then publishes it like an editor."""

    class Meta:
        abstract = True

    live = False

    @factory.post_generation
    def publish(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.save_revision().publish()
            self.refresh_from_db()


class MemberNewsIndexPageFactory(PageFactory):
    class Meta:
        model = members.MemberNewsIndexPage

    title = "Aktuelles"
    slug = "aktuelles"


class MemberNewsPageFactory(PageFactory):
    class Meta:
        model = members.MemberNewsPage

    title = factory.Sequence(lambda n: f"Ausbildungsmesse {n}")
    slug = factory.Sequence(lambda n: f"nachricht-{n}")
    teaser = "Jetzt anmelden."
    propose_highlight = False


class MemberEventIndexPageFactory(PageFactory):
    class Meta:
        model = members.MemberEventIndexPage

    title = "Termine"
    slug = "termine"


class MemberEventPageFactory(PageFactory):
    class Meta:
        model = members.MemberEventPage

    title = factory.Sequence(lambda n: f"Berufsorientierungstag {n}")
    slug = factory.Sequence(lambda n: f"termin-{n}")
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    venue_name = "Rathaus"
    propose_highlight = False


class ProfilePageFactory(PageFactory):
    class Meta:
        model = members.ProfilePage

    title = "Kurzportrait"
    slug = "kurzportrait"
    lead = "Übergänge gestalten „vor Ort“."


class MemberStandardPageFactory(PageFactory):
    class Meta:
        model = members.MemberStandardPage

    title = factory.Sequence(lambda n: f"Inhaltsseite {n}")
    slug = factory.Sequence(lambda n: f"seite-{n}")


class NetworkStandardPageFactory(PageFactory):
    class Meta:
        model = network.NetworkStandardPage

    title = factory.Sequence(lambda n: f"Netzwerkseite {n}")
    slug = factory.Sequence(lambda n: f"netzwerkseite-{n}")


def member_home() -> members.MemberHomePage:
    """The German home page of the current member schema."""
    return members.MemberHomePage.objects.get(locale__language_code="de")


def member_news_index() -> members.MemberNewsIndexPage:
    """The current member's news index, made on first use."""
    home = member_home()
    index = members.MemberNewsIndexPage.objects.child_of(home).first()
    return index or MemberNewsIndexPageFactory(parent=home)
