"""The page cache (core.pagecache): a second anonymous view is served without SQL, and
every change a visitor could see shows on the very next anonymous request.

The page cache is neither read nor written inside a transaction, so these tests work on
committed data: members "kappa" and "lamda" with news, made once for the module, and the
network's directory and highlight pages; all removed at the module's end. Each change is
made as an editor makes it (publish, unpublish, move, delete, settings, curation, the copy
pipeline), then the next anonymous request is checked, and where the change is exact, a
page it does not show is checked to still come from the cache.
"""

import http.server
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page, PageViewRestriction

from core.feeds import RECENT_EVENTS
from core.models import SiteSettings
from sites.highlights.models import DirectoryEntry, Highlight
from sites.highlights.services import highlight_curate, member_content_sync_page
from sites.members.models import MemberNewsIndexPage, MemberNewsPage, ProfilePage
from tenants.models import Domain, Member
from tenants.services import member_delete, member_update
from tests.conftest import NETWORK_HOST, HostClient, MemberFixture
from tests.factories import (
    HighlightIndexPageFactory,
    MemberDirectoryPageFactory,
    MemberEventPageFactory,
    MemberNewsIndexPageFactory,
    MemberNewsPageFactory,
    MemberStandardPageFactory,
    ProfilePageFactory,
    member_event_index,
    member_home,
    network_home,
    translation_publish,
)

NEWS = "/de/aktuelles/nachricht/"
INDEX = "/de/aktuelles/"
PROFILE = "/de/kurzportrait/"


def _member(slug: str, name: str) -> MemberFixture:
    fixture = MemberFixture.create(slug, name)
    with schema_context(fixture.schema):
        home = member_home()
        index = MemberNewsIndexPageFactory(parent=home, show_in_menus=True)
        MemberNewsPageFactory(
            parent=index, title=f"Nachricht aus {name}", slug="nachricht", propose_highlight=True
        )
        ProfilePageFactory(parent=home, lead=f"{name} stellt sich vor.", contact_name="Erika")
    connection.set_schema_to_public()
    return fixture


@pytest.fixture(scope="module")
def pair(refuse_a_non_test_database, platform, django_db_blocker, tmp_path_factory):
    """kappa and lamda, and the network's directory and highlight pages, committed."""
    with django_db_blocker.unblock():
        members = (_member("kappa", "Stadt Kappa"), _member("lamda", "Kreis Lamda"))
        with schema_context("public"):
            home = network_home()
            network_pages = [
                MemberDirectoryPageFactory(parent=home).pk,
                HighlightIndexPageFactory(parent=home).pk,
                translation_publish(home, "en", title="Network", slug="start-en").pk,
            ]
    yield members
    backups = tmp_path_factory.mktemp("backups")
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for pk in reversed(network_pages):
            Page.objects.get(pk=pk).delete()
        for fixture in members:
            member = Member.objects.filter(pk=fixture.member.pk).first()
            if member is not None:
                member_delete(member, backup_root=backups)
        connection.set_schema_to_public()


@pytest.fixture
def kappa(pair, committed) -> MemberFixture:
    return pair[0]


@pytest.fixture
def lamda(pair, committed) -> MemberFixture:
    return pair[1]


def view(host: str, path: str, **headers):
    """One anonymous view (a new client: no cookies) and the SQL queries it made."""
    with CaptureQueriesContext(connection) as captured:
        response = HostClient(host).get(path, **headers)
    response.queries = len(captured.captured_queries)
    response.text = response.content.decode()
    return response


def cached(host: str, path: str):
    """View ``path`` until it comes from the page cache; that response."""
    view(host, path)
    response = view(host, path)
    assert response["X-Cache"] == "hit", f"{host}{path} was not cached"
    return response


def republish(page, **fields):
    page = page.specific_class.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


# --- Hits ---------------------------------------------------------------------------------


def test_nothing_is_cached_inside_a_transaction(alpha):
    """What a transaction reads may be its own uncommitted rows. (First in the module: it
    asks for ``db``, which makes pytest-django set up the test database.)"""
    for _ in range(2):
        response = view(alpha.host, "/de/")
        assert response.status_code == 200
        assert response["X-Cache"] == "bypass"


def test_second_anonymous_view_comes_from_the_cache_without_sql(kappa):
    first = view(kappa.host, NEWS)
    assert first.status_code == 200
    assert first["X-Cache"] in ("miss", "hit")
    second = view(kappa.host, NEWS)
    assert second["X-Cache"] == "hit"
    assert second.queries == 0
    assert second.text == first.text
    assert "Nachricht aus Stadt Kappa" in second.text
    # the stored policy still matches the body (the accent style is allowed by hash)
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "public" in second["Cache-Control"] and "s-maxage=" in second["Cache-Control"]


def test_a_matching_etag_gets_304_without_a_body(kappa):
    etag = cached(kappa.host, NEWS)["ETag"]
    assert etag
    response = view(kappa.host, NEWS, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert view(kappa.host, NEWS, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_cached_page_never_crosses_hosts(kappa, lamda):
    for _ in range(2):
        assert "Nachricht aus Stadt Kappa" in cached(kappa.host, NEWS).text
        assert "Nachricht aus Kreis Lamda" in cached(lamda.host, NEWS).text
        assert "Stadt Kappa" not in cached(lamda.host, NEWS).text


def test_feeds_sitemap_and_404_pages_are_cached_too(kappa):
    for path in ("/de/feeds/news.rss", "/de/feeds/events.ics", "/sitemap.xml"):
        assert cached(kappa.host, path).status_code == 200
    missing = cached(kappa.host, "/de/gibt-es-nicht/")
    assert missing.status_code == 404


# --- Who never gets or puts a cached page --------------------------------------------------


def test_a_logged_in_editor_never_gets_a_cached_page_nor_puts_one_in(kappa):
    cached(kappa.host, PROFILE)
    editor = kappa.logged_in_client()
    with schema_context(kappa.schema):
        profile = ProfilePage.objects.get(slug="kurzportrait")
        profile.save_revision()  # a draft: the public page stays as it is
    response = editor.get(PROFILE)
    assert response.status_code == 200
    assert response["X-Cache"] == "bypass"
    assert "private" in response["Cache-Control"]

    with schema_context(kappa.schema):
        profile = republish(profile, lead="Neu für alle.")
    try:
        for _ in range(2):
            assert editor.get(PROFILE)["X-Cache"] == "bypass"
        # the editor's views stored nothing: the first anonymous view renders
        assert view(kappa.host, PROFILE)["X-Cache"] == "miss"
        assert "Neu für alle." in view(kappa.host, PROFILE).text
    finally:
        with schema_context(kappa.schema):
            republish(profile, lead="Stadt Kappa stellt sich vor.")


def test_a_password_protected_page_is_never_cached(kappa):
    cached(kappa.host, PROFILE)
    with schema_context(kappa.schema):
        profile = ProfilePage.objects.get(slug="kurzportrait")
        restriction = PageViewRestriction.objects.create(
            page=profile, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
        )
    try:
        for _ in range(2):
            response = view(kappa.host, PROFILE)
            assert response.status_code == 200
            assert "stellt sich vor" not in response.text  # the password form
            assert response["X-Cache"] != "hit"
    finally:
        with schema_context(kappa.schema):
            restriction.delete()
    assert "stellt sich vor" in view(kappa.host, PROFILE).text


# --- Page changes: exactly what shows them --------------------------------------------------


def test_publishing_shows_on_the_page_its_index_and_home_and_nowhere_else(kappa, lamda):
    for path in (NEWS, INDEX, "/de/", PROFILE, "/de/feeds/news.rss"):
        cached(kappa.host, path)
    cached(lamda.host, NEWS)
    with schema_context(kappa.schema):
        news = republish(MemberNewsPage.objects.get(slug="nachricht"), title="Neuer Titel Kappa")
    try:
        for path in (NEWS, INDEX, "/de/", "/de/feeds/news.rss"):
            assert "Neuer Titel Kappa" in view(kappa.host, path).text, path
        # exact: the profile shows nothing of the news, the other member nothing of kappa
        assert view(kappa.host, PROFILE)["X-Cache"] == "hit"
        assert view(lamda.host, NEWS)["X-Cache"] == "hit"
    finally:
        with schema_context(kappa.schema):
            republish(news, title="Nachricht aus Stadt Kappa")


def test_unpublishing_and_republishing_show_at_once(kappa):
    cached(kappa.host, NEWS)
    cached(kappa.host, INDEX)
    with schema_context(kappa.schema):
        news = MemberNewsPage.objects.get(slug="nachricht")
        news.unpublish()
    assert view(kappa.host, NEWS).status_code == 404
    assert "Nachricht aus Stadt Kappa" not in view(kappa.host, INDEX).text
    with schema_context(kappa.schema):
        news.save_revision().publish()
    assert view(kappa.host, NEWS).status_code == 200
    assert "Nachricht aus Stadt Kappa" in view(kappa.host, INDEX).text


def test_a_new_page_replaces_a_cached_404_and_deleting_it_brings_the_404_back(kappa):
    path = "/de/aktuelles/ganz-neu/"
    assert cached(kappa.host, path).status_code == 404
    with schema_context(kappa.schema):
        page = MemberNewsPageFactory(
            parent=MemberNewsIndexPage.objects.get(), title="Ganz neu", slug="ganz-neu"
        )
    assert view(kappa.host, path).status_code == 200
    assert "Ganz neu" in view(kappa.host, INDEX).text
    with schema_context(kappa.schema):
        Page.objects.get(pk=page.pk).delete()
    assert view(kappa.host, path).status_code == 404
    assert "Ganz neu" not in view(kappa.host, INDEX).text


def test_moving_and_renaming_show_under_the_new_address_only(kappa):
    with schema_context(kappa.schema):
        page = MemberStandardPageFactory(parent=member_home(), title="Beratung", slug="beratung")
    try:
        assert cached(kappa.host, "/de/beratung/").status_code == 200
        with schema_context(kappa.schema):
            page = republish(page, slug="beratung-neu")
        # the old address leads to the new one (Wagtail's automatic redirect), not to a
        # cached copy of the page
        old = view(kappa.host, "/de/beratung/")
        assert (old.status_code, old["Location"]) == (301, "/de/beratung-neu/")
        assert view(kappa.host, "/de/beratung-neu/").status_code == 200
        cached(kappa.host, "/de/beratung-neu/")
        with schema_context(kappa.schema):
            Page.objects.get(pk=page.pk).move(MemberNewsIndexPage.objects.get(), pos="last-child")
        old = view(kappa.host, "/de/beratung-neu/")
        assert (old.status_code, old["Location"]) == (301, "/de/aktuelles/beratung-neu/")
        assert view(kappa.host, "/de/aktuelles/beratung-neu/").status_code == 200
    finally:
        with schema_context(kappa.schema):
            Page.objects.get(pk=page.pk).delete()


def test_a_menu_page_change_shows_on_every_page_of_the_site(kappa):
    cached(kappa.host, PROFILE)
    with schema_context(kappa.schema):
        index = republish(MemberNewsIndexPage.objects.get(), title="Neuigkeiten")
    try:
        assert "Neuigkeiten" in view(kappa.host, PROFILE).text  # the main menu
    finally:
        with schema_context(kappa.schema):
            republish(index, title="Aktuelles")


def test_site_settings_show_on_every_page_of_that_member_only(kappa, lamda):
    cached(kappa.host, NEWS)
    cached(lamda.host, NEWS)
    with schema_context(kappa.schema):
        settings = SiteSettings.objects.get_or_create(site=member_home().get_site())[0]
        settings.accent_colour = "#7a1f5c"
        settings.save()
    try:
        assert "--accent: #7a1f5c" in view(kappa.host, NEWS).text
        assert view(lamda.host, NEWS)["X-Cache"] == "hit"
    finally:
        with schema_context(kappa.schema):
            settings.delete()


def test_a_translation_shows_in_both_languages(kappa):
    cached(kappa.host, NEWS)
    with schema_context(kappa.schema):
        news = MemberNewsPage.objects.get(slug="nachricht", locale__language_code="de")
        english = translation_publish(news, title="News from Kappa", slug="news")
    try:
        english_path = "/en/aktuelles/news/"
        response = view(kappa.host, english_path)
        assert response.status_code == 200 and "News from Kappa" in response.text
        assert english_path in view(kappa.host, NEWS).text  # the German page's switcher
        with schema_context(kappa.schema):
            republish(english, title="Fresh news from Kappa")
        assert "Fresh news from Kappa" in view(kappa.host, english_path).text
    finally:
        with schema_context(kappa.schema):
            Page.objects.filter(locale__language_code="en").exclude(depth__lte=2).delete()


def test_events_leave_the_cached_lists_and_calendar_when_their_time_is_up(kappa):
    """The lists show events that are not over; the calendar those of the last months."""
    soon = timezone.now() + timedelta(seconds=3)
    with schema_context(kappa.schema):
        index = member_event_index()
        events = [
            MemberEventPageFactory(
                parent=index, title="Gleich vorbei", start=soon - timedelta(hours=1), end=soon
            ),
            MemberEventPageFactory(
                parent=index,
                title="Lange her",
                start=soon - RECENT_EVENTS - timedelta(hours=1),
                end=soon - RECENT_EVENTS,
            ),
        ]
    try:
        for path in ("/de/", "/de/termine/"):
            assert "Gleich vorbei" in cached(kappa.host, path).text, path
        assert "Lange her" in cached(kappa.host, "/de/feeds/events.ics").text
        time.sleep(4)
        for path in ("/de/", "/de/termine/"):
            assert "Gleich vorbei" not in view(kappa.host, path).text, path
        assert "Gleich vorbei" in view(kappa.host, "/de/termine/?past=1").text
        assert "Lange her" not in view(kappa.host, "/de/feeds/events.ics").text
    finally:
        with schema_context(kappa.schema):
            for event in events:
                Page.objects.get(pk=event.pk).delete()
            Page.objects.get(pk=index.pk).delete()


# --- Members: domains and state --------------------------------------------------------------


def test_renamed_domain_and_archived_member_show_on_the_next_request(kappa):
    cached(kappa.host, NEWS)
    domain = Domain.objects.get(domain=kappa.host)
    domain.domain = "kappa-neu.localhost"
    domain.save()
    try:
        assert view(kappa.host, NEWS).status_code == 404  # unknown host now
        assert view("kappa-neu.localhost", NEWS).status_code == 200
    finally:
        domain.domain = kappa.host
        domain.save()
    cached(kappa.host, NEWS)
    member_update(Member.objects.get(pk=kappa.member.pk), state=Member.State.ARCHIVED)
    try:
        assert view(kappa.host, NEWS).status_code == 410
    finally:
        member_update(Member.objects.get(pk=kappa.member.pk), state=Member.State.ACTIVE)
    assert view(kappa.host, NEWS).status_code == 200


# --- Across schemas: highlights and the directory --------------------------------------------


def _highlight_of(member: MemberFixture) -> Highlight:
    with schema_context(member.schema):
        news = MemberNewsPage.objects.get(slug="nachricht", locale__language_code="de")
    member_content_sync_page(member.schema, news.translation_key)
    return Highlight.objects.get(member=member.member, translation_key=news.translation_key)


def test_curation_and_a_member_edit_reach_the_network_pages_at_once(kappa, settings):
    highlight_index = "/de/aus-den-mitgliedern/"
    highlight = _highlight_of(kappa)
    shown = ("/de/", "/en/", highlight_index, "/de/feeds/highlights.rss")
    for path in shown:
        assert "Nachricht aus Stadt Kappa" not in cached(NETWORK_HOST, path).text
    cached(NETWORK_HOST, "/de/mitglieder/")
    highlight_curate([highlight], state=Highlight.State.APPROVED)
    try:
        for path in shown:
            assert "Nachricht aus Stadt Kappa" in view(NETWORK_HOST, path).text, path
        assert view(NETWORK_HOST, "/de/mitglieder/")["X-Cache"] == "hit"  # shows no highlight

        settings.HIGHLIGHTS_TRUST_MEMBER_EDITS = True
        with schema_context(kappa.schema):
            news = republish(MemberNewsPage.objects.get(slug="nachricht"), title="Kappa bewegt")
        member_content_sync_page(kappa.schema, news.translation_key)  # the worker's step
        for path in ("/de/", highlight_index):
            assert "Kappa bewegt" in view(NETWORK_HOST, path).text, path
    finally:
        with schema_context(kappa.schema):
            republish(
                MemberNewsPage.objects.get(slug="nachricht"), title="Nachricht aus Stadt Kappa"
            )
        Highlight.objects.filter(member=kappa.member).delete()
    assert "Kappa bewegt" not in view(NETWORK_HOST, "/de/").text


def test_a_profile_edit_reaches_the_directory_at_once(kappa):
    with schema_context(kappa.schema):
        profile = ProfilePage.objects.get(slug="kurzportrait")
    member_content_sync_page(kappa.schema, profile.translation_key)
    try:
        assert "Erika" in cached(NETWORK_HOST, "/de/mitglieder/").text
        with schema_context(kappa.schema):
            profile = republish(profile, contact_name="Petra Beispiel")
        member_content_sync_page(kappa.schema, profile.translation_key)
        assert "Petra Beispiel" in view(NETWORK_HOST, "/de/mitglieder/").text
    finally:
        with schema_context(kappa.schema):
            republish(profile, contact_name="Erika")
        DirectoryEntry.objects.filter(member=kappa.member).delete()


# --- A CDN or caching proxy in front ----------------------------------------------------------


class PurgeRecorder(http.server.BaseHTTPRequestHandler):
    """A caching proxy's purge endpoint (Varnish, nginx): records what it is told."""

    received: list[tuple[str, str, str]] = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.received.append((self.command, self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_configured_frontend_cache_is_purged_with_the_same_urls(kappa, settings):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    PurgeRecorder.received.clear()
    try:
        with schema_context(kappa.schema):
            republish(MemberNewsPage.objects.get(slug="nachricht"))
    finally:
        server.shutdown()
        server.server_close()
    purged = {(host, path) for _method, host, path in PurgeRecorder.received}
    for path in (NEWS, INDEX, "/de/", "/de/feeds/news.rss", "/sitemap.xml"):
        assert (kappa.host, path) in purged, path
    assert (kappa.host, PROFILE) not in purged
    assert not [host for host, _path in purged if host != kappa.host]


# --- Redis unreachable ------------------------------------------------------------------------


def _unreachable_page_cache(tmp_path):
    """The page cache pointed at a socket nobody listens on: every command fails."""
    pages = {**django_settings.CACHES["pages"], "LOCATION": f"unix://{tmp_path}/nobody.sock"}
    return override_settings(CACHES={**django_settings.CACHES, "pages": pages})


def test_a_purge_lost_while_redis_was_unreachable_leaves_no_stale_page(kappa, tmp_path):
    cached(kappa.host, PROFILE)
    with _unreachable_page_cache(tmp_path):
        with schema_context(kappa.schema):
            profile = republish(ProfilePage.objects.get(slug="kurzportrait"), lead="Während")
        response = view(kappa.host, PROFILE)  # served uncached, the save went through
        assert response.status_code == 200 and "Während" in response.text
    # Redis is back, with the entry from before the change: it must not be served
    try:
        assert "Während" in view(kappa.host, PROFILE).text
        assert "Während" in cached(kappa.host, PROFILE).text
    finally:
        with schema_context(kappa.schema):
            republish(profile, lead="Stadt Kappa stellt sich vor.")
