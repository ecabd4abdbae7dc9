"""Images and documents of a restricted collection answer only to those its restrictions
accept, by every URL that reaches them (``/media/`` originals and renditions, the
document view), and their answers are private (``core/privacy.py``)."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail.models import Collection, CollectionViewRestriction

from tests.conftest import NETWORK_HOST, HostClient
from tests.factories import DocumentFactory, ImageFactory, UserFactory

MEMBERS_GROUP = "Mitglieder"
MINUTES = b"Protokoll der Mitgliederversammlung (nur fuer Mitglieder)"


@dataclass
class Site:
    """A host and its schema: the network site or a member's microsite."""

    schema: str
    host: str

    def client(self, user=None) -> HostClient:
        """A client of this host, logged in as ``user`` (a session of this schema)."""
        client = HostClient(self.host)
        if user is not None:
            with schema_context(self.schema):
                client.force_login(user)
        return client


@dataclass
class PrivateFiles:
    """What one site keeps in a restricted collection, and who may see it."""

    site: Site
    collection: Collection
    image: str  # the original's URL
    image_path: Path
    rendition: str
    document: str
    member: object  # in the group "Mitglieder"
    outsider: object  # logged in, in no group


def _private_collection(name: str, restriction_type: str, parent=None, **fields):
    collection = (parent or Collection.get_first_root_node()).add_child(name=name)
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=restriction_type, **fields
    )
    return collection, restriction


def _image_urls(collection) -> tuple[str, Path, str]:
    image = ImageFactory(collection=collection)
    return image.file.url, Path(image.file.path), image.get_rendition("width-200").url


def _private_files(site: Site) -> PrivateFiles:
    """A collection restricted to the group "Mitglieder" with an image (and a rendition)
    and a document, a user in the group and one outside it."""
    with schema_context(site.schema):
        group, _ = Group.objects.get_or_create(name=MEMBERS_GROUP)
        collection, restriction = _private_collection(
            "Nur für Mitglieder", CollectionViewRestriction.GROUPS
        )
        restriction.groups.add(group)
        image, image_path, rendition = _image_urls(collection)
        document = DocumentFactory(
            collection=collection, file__data=MINUTES, file__filename="protokoll.txt"
        )
        return PrivateFiles(
            site=site,
            collection=collection,
            image=image,
            image_path=image_path,
            rendition=rendition,
            document=document.url,
            member=UserFactory(groups=[MEMBERS_GROUP]),
            outsider=UserFactory(),
        )


@pytest.fixture(params=["network", "member"])
def site(request, platform, db) -> Site:
    if request.param == "network":
        return Site(schema="public", host=NETWORK_HOST)
    alpha = platform["alpha"]
    return Site(schema=alpha.schema, host=alpha.host)


@pytest.fixture
def private(site) -> PrivateFiles:
    return _private_files(site)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _assert_private(response) -> None:
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert "Cookie" in response["Vary"]


def _assert_refused(client, url: str) -> None:
    """404, exactly as for a file that does not exist."""
    response = client.get(url)
    missing = client.get(url.replace(".", "-nicht-da.", 1))
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content
    assert "private" not in response.get("Cache-Control", "")


def test_a_private_image_answers_only_to_the_group(private):
    site = private.site
    for url in (private.image, private.rendition):
        assert url.startswith(f"/media/{site.schema}/")
        _assert_refused(site.client(), url)
        _assert_refused(site.client(private.outsider), url)
        response = site.client(private.member).get(url)
        _assert_private(response)
        assert response["Content-Type"].startswith("image/")
    response = site.client(private.member).get(private.image)
    assert _body(response) == private.image_path.read_bytes()


def test_a_private_document_answers_only_to_the_group(private):
    site = private.site
    for visitor in (None, private.outsider):
        response = site.client(visitor).get(private.document)
        assert response.status_code == 302
        assert response["Location"].startswith("/_util/login/")
        assert MINUTES not in _body(response)

    response = site.client(private.member).get(private.document)
    _assert_private(response)
    assert _body(response) == MINUTES
    assert response["Content-Disposition"].startswith("attachment")


def test_files_of_public_collections_stay_public(private):
    """Restrictions elsewhere in the schema change nothing for the other files."""
    site = private.site
    with schema_context(site.schema):
        image = ImageFactory()
        urls = [image.file.url, image.get_rendition("width-200").url]
        urls.append(DocumentFactory(file__data=b"Flyer", file__filename="flyer.txt").url)
    for url in urls:
        response = site.client().get(url)
        assert response.status_code == 200
        assert "Cache-Control" not in response
        assert "Cookie" not in response.get("Vary", "")


def test_a_restriction_covers_the_collections_below_it(site):
    """An image below the members' collection is theirs too; one below it that is also
    restricted to logged-in users needs both restrictions to let a visitor through."""
    private = _private_files(site)
    with schema_context(site.schema):
        parent = private.collection
        inherited = _image_urls(parent.add_child(name="Fotos"))
        child, _ = _private_collection("Vorstand", CollectionViewRestriction.LOGIN, parent=parent)
        both = _image_urls(child)
    for original, _path, rendition in (inherited, both):
        for url in (original, rendition):
            _assert_refused(site.client(), url)
            _assert_refused(site.client(private.outsider), url)
            _assert_private(site.client(private.member).get(url))


def test_a_shared_password_opens_the_collection_for_its_session(site):
    with schema_context(site.schema):
        collection, restriction = _private_collection(
            "Partner", CollectionViewRestriction.PASSWORD, password="Partner-Passwort-1"
        )
        original, _path, rendition = _image_urls(collection)
        document = DocumentFactory(
            collection=collection, file__data=MINUTES, file__filename="partner.txt"
        ).url
    visitor = site.client()
    for url in (original, rendition):
        _assert_refused(visitor, url)
    assert MINUTES not in _body(visitor.get(document))

    response = visitor.post(
        f"/documents/authenticate_with_password/{restriction.pk}/",
        {"password": "Partner-Passwort-1", "return_url": document},
    )
    assert response.status_code == 302
    for url in (original, rendition):
        _assert_private(visitor.get(url))
    response = visitor.get(document)
    _assert_private(response)
    assert _body(response) == MINUTES
    for url in (original, rendition):  # another visitor has no such session
        _assert_refused(site.client(), url)


def test_one_members_login_opens_nothing_of_another(alpha, beta):
    """Alpha's member, with alpha's session, gets none of beta's private files: not on
    beta's host (the session does not exist there) and not through alpha's host."""
    alpha_files = _private_files(Site(schema=alpha.schema, host=alpha.host))
    beta_files = _private_files(Site(schema=beta.schema, host=beta.host))
    alpha_member = alpha_files.site.client(alpha_files.member)
    assert alpha_member.get(alpha_files.image).status_code == 200

    on_beta = beta.client()
    on_beta.cookies = alpha_member.cookies
    for url in (beta_files.image, beta_files.rendition):
        _assert_refused(on_beta, url)
        _assert_refused(alpha_member, url)
    assert MINUTES not in _body(on_beta.get(beta_files.document))


def test_editors_of_the_image_see_it_in_the_admin(alpha):
    """The admin shows images by their ``/media/`` URLs: a coordinator who may change the
    image sees it without being in the group the collection is restricted to."""
    private = _private_files(Site(schema=alpha.schema, host=alpha.host))
    coordinator = alpha.logged_in_client()
    for url in (private.image, private.rendition):
        _assert_private(coordinator.get(url))


def test_a_schema_without_restrictions_looks_up_no_file(beta):
    """The usual case costs one small query, not a look-up of the file's image."""
    with schema_context(beta.schema):
        CollectionViewRestriction.objects.all().delete()
        image = ImageFactory()
        urls = [image.file.url, image.get_rendition("width-200").url]
    client = beta.client()
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        looked_up = [q["sql"] for q in queries if "wagtailimages" in q["sql"]]
        assert looked_up == []
        assert sum("collectionviewrestriction" in q["sql"] for q in queries) == 1


def test_with_an_internal_location_the_private_answer_is_marked(private, settings):
    """In production the proxy sends the file; the app's headers name it private."""
    settings.MEDIA_INTERNAL_LOCATION = "/_media/"
    site = private.site
    for url in (private.image, private.rendition, private.document):
        response = site.client(private.member).get(url)
        _assert_private(response)
        assert response["X-Accel-Redirect"].startswith(f"/_media/{site.schema}/")
    _assert_refused(site.client(), private.image)
