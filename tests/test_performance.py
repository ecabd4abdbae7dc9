"""Queries per page view, and the caches that keep them low: fresh after every change,
never shared between members.

The shared caches (``core.caching``) are neither read nor written inside a transaction,
so these tests work on committed data: two members of their own, "tempo" and "takt",
made once for the module and deleted at its end. Media folders of non-platform members
are removed after every test (conftest), so images are made in the test that needs them.
"""

import re
import threading

import pytest
from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from redis.connection import AbstractConnection
from wagtail.images.models import Image
from wagtail.models import PageViewRestriction, Site

from core.models import SiteSettings
from sites.members.models import (
    MemberNewsIndexPage,
    MemberNewsPage,
    MemberStandardPage,
)
from tenants.models import Domain, Member
from tenants.services import member_delete, member_update
from tests.conftest import HostClient, MemberFixture
from tests.factories import (
    ImageFactory,
    MemberContactPageFactory,
    MemberNewsIndexPageFactory,
    MemberNewsPageFactory,
    MemberStandardPageFactory,
    ProfilePageFactory,
    member_home,
    translation_publish,
)

QUERY_LIMIT = 10
PATHS = {
    "home": "/de/",
    "news index": "/de/aktuelles/",
    "news page": "/de/aktuelles/nachricht-2/",
    "profile": "/de/kurzportrait/",
}


def _member_with_content(slug: str, name: str) -> MemberFixture:
    fixture = MemberFixture.create(slug, name)
    with schema_context(fixture.schema):
        home = member_home()
        index = MemberNewsIndexPageFactory(parent=home, show_in_menus=True)
        for number in (1, 2):
            MemberNewsPageFactory(
                parent=index,
                title=f"Nachricht {number} aus {name}",
                slug=f"nachricht-{number}",
                teaser="Neues aus dem Übergang Schule–Beruf.",
                body=[("heading", {"text": "Worum es geht", "level": "h2"})],
            )
        ProfilePageFactory(
            parent=home,
            show_in_menus=True,
            lead=f"{name} stellt sich vor.",
            facts=[("fact", {"label": "Schulen", "value": "18"})],
            contact_name="Erika Muster",
        )
        MemberContactPageFactory(parent=home, contact_name="Erika")
    connection.set_schema_to_public()
    return fixture


@pytest.fixture(scope="module")
def pair(refuse_a_non_test_database, platform, django_db_blocker, tmp_path_factory):
    """Members tempo and takt with committed pages; deleted (with a backup) afterwards."""
    with django_db_blocker.unblock():
        members = (
            _member_with_content("tempo", "Stadt Tempo"),
            _member_with_content("takt", "Kreis Takt"),
        )
    yield members
    backups = tmp_path_factory.mktemp("backups")
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for fixture in members:
            member_delete(Member.objects.get(pk=fixture.member.pk), backup_root=backups)
        connection.set_schema_to_public()


@pytest.fixture
def tempo(pair, committed) -> MemberFixture:
    return pair[0]


@pytest.fixture
def takt(pair, committed) -> MemberFixture:
    return pair[1]


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def nav_titles(client, path="/de/") -> list[str]:
    response = client.get(path)
    assert response.status_code == 200
    nav = soup(response).find("nav", attrs={"aria-label": re.compile("Hauptnavigation|Main")})
    return [a.get_text() for a in nav("a")] if nav else []


def accent(client) -> str:
    return re.search(r"--accent: (#[0-9a-f]{6});", client.get("/de/").content.decode()).group(1)


def queries_of(client, path) -> list[str]:
    """SQL of one page view after a warm-up view (templates, renditions, caches)."""
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


# --- Inside a transaction nothing is shared ---------------------------------------------


def test_nothing_is_cached_inside_a_transaction(alpha, monkeypatch):
    """What a transaction reads may be its own uncommitted (and later rolled back) rows."""
    written = []
    real_set = cache.set

    def recording_set(key, *args, **kwargs):
        written.append(key)
        return real_set(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    assert alpha.client().get("/de/aktuelles/").status_code in (200, 404)
    assert alpha.client().get("/de/").status_code == 200
    assert not [key for key in written if key.startswith(("routing:", "site-data:"))]


# --- Queries per page view --------------------------------------------------------------


def test_member_page_views_need_at_most_ten_queries(tempo, page_cache_off):
    with schema_context(tempo.schema):
        image = ImageFactory(title="Messe", description="Jugendliche am Messestand")
        news = MemberNewsPage.objects.get(slug="nachricht-2")
        news.image = image
        news.save_revision().publish()
    client = tempo.client()
    try:
        for label, path in PATHS.items():
            queries = queries_of(client, path)
            listing = "\n".join(f"{n:>3}. {sql[:400]}" for n, sql in enumerate(queries, 1))
            assert len(queries) <= QUERY_LIMIT, f"{label} {path}: {len(queries)}\n{listing}"
            # Routing comes from the cache: no domain lookup, at most one SET search_path,
            # the member's (none when the view needs no query: the profile is kept whole)
            assert not [sql for sql in queries if "tenants_domain" in sql], label
            search_paths = [sql for sql in queries if sql.startswith("SET search_path")]
            assert search_paths in ([], [f'SET search_path = "{tempo.schema}","public"']), label
            # No content type lookups (cached per schema) and no view restriction queries.
            assert not [sql for sql in queries if "django_content_type" in sql], label
            assert not [sql for sql in queries if "wagtailcore_pageviewrestriction" in sql], label
    finally:
        with schema_context(tempo.schema):
            news.image = None
            news.save_revision().publish()
            image.delete()


def test_breadcrumbs_of_a_routed_page_match_its_ancestors(tempo):
    page = soup(tempo.client().get(PATHS["news page"]))
    crumbs = page.find("nav", attrs={"aria-label": "Sie sind hier"})
    links = [(a.get_text(), a["href"]) for a in crumbs("a")]
    assert links == [("Stadt Tempo", "/de/"), ("Aktuelles", "/de/aktuelles/")]


def test_unknown_path_draft_and_deep_urls_route_as_wagtail_does(tempo):
    with schema_context(tempo.schema):
        draft = MemberNewsPageFactory(
            parent=MemberNewsIndexPage.objects.get(), title="Entwurf", slug="entwurf", publish=False
        )
    client = tempo.client()
    try:
        assert client.get("/de/aktuelles/entwurf/").status_code == 404
        assert client.get("/de/aktuelles/gibt-es-nicht/").status_code == 404
        assert client.get("/de/gibt-es-nicht/nachricht-1/").status_code == 404
        assert client.get("/de/aktuelles/nachricht-1/zu-tief/").status_code == 404
        assert client.get("/de/aktuelles/nachricht-1/").status_code == 200
    finally:
        with schema_context(tempo.schema):
            draft.delete()


# --- Content types per schema -----------------------------------------------------------


def _content_type_id_in_db(schema: str, model) -> int:
    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM django_content_type WHERE app_label = %s AND model = %s",
            [model._meta.app_label, model._meta.model_name],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def different_content_type_ids(tempo, takt):
    """Give MemberStandardPage another content type id in takt than in tempo (cloned
    members share the template's ids), with one live standard page in each."""
    with schema_context(takt.schema):
        ContentType.objects.filter(app_label="members", model="memberstandardpage").delete()
        ContentType.objects.clear_cache()
    pages = {}
    for member in (tempo, takt):
        with schema_context(member.schema):
            pages[member.schema] = MemberStandardPageFactory(
                parent=member_home(), title=f"Seite von {member.member.name}", slug="seite"
            )
    ids = {m.schema: _content_type_id_in_db(m.schema, MemberStandardPage) for m in (tempo, takt)}
    assert ids[tempo.schema] != ids[takt.schema]
    yield ids
    for member in (tempo, takt):
        with schema_context(member.schema):
            pages[member.schema].delete()


def test_each_member_gets_its_own_content_type_ids_when_requests_alternate(
    tempo, takt, different_content_type_ids
):
    for _ in range(3):
        for member in (tempo, takt, takt, tempo):
            response = member.client().get("/de/seite/")
            assert response.status_code == 200
            assert f"<h1>Seite von {member.member.name}</h1>" in response.content.decode()
            for schema, truth in different_content_type_ids.items():
                with schema_context(schema):
                    assert ContentType.objects.get_for_model(MemberStandardPage).pk == truth
                    assert ContentType.objects.get_for_id(truth).model_class() is MemberStandardPage


def test_content_type_ids_stay_per_schema_across_threads(tempo, takt, different_content_type_ids):
    """Threads share the process-wide cache; each must see its own schema's ids."""
    errors = []

    def work(order):
        try:
            for _ in range(200):
                for schema in order:
                    with schema_context(schema):
                        found = ContentType.objects.get_for_model(MemberStandardPage).pk
                    if found != different_content_type_ids[schema]:
                        errors.append((schema, found))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=([tempo.schema, takt.schema],)),
        threading.Thread(target=work, args=([takt.schema, tempo.schema],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


# --- Theme chrome: menu and settings ----------------------------------------------------


def test_menu_shows_a_newly_published_page_at_once_and_only_on_its_member(tempo, takt):
    assert nav_titles(tempo.client()) == ["Aktuelles", "Kurzportrait"]
    assert nav_titles(takt.client()) == ["Aktuelles", "Kurzportrait"]  # both cached now
    with schema_context(tempo.schema):
        page = MemberStandardPageFactory(
            parent=member_home(),
            title="Angebote in Tempo",
            slug="angebote",
            show_in_menus=True,
            publish=False,
        )
    try:
        assert nav_titles(tempo.client()) == ["Aktuelles", "Kurzportrait"], "a draft is no item"
        with schema_context(tempo.schema):
            page.save_revision().publish()
        assert nav_titles(tempo.client()) == ["Aktuelles", "Kurzportrait", "Angebote in Tempo"]
        assert nav_titles(takt.client()) == ["Aktuelles", "Kurzportrait"]
        with schema_context(tempo.schema):
            page.title = "Angebote"
            page.save_revision().publish()
        assert nav_titles(tempo.client())[-1] == "Angebote"
        with schema_context(tempo.schema):
            page.refresh_from_db()
            page.unpublish()
        assert nav_titles(tempo.client()) == ["Aktuelles", "Kurzportrait"]
    finally:
        with schema_context(tempo.schema):
            page.delete()
    assert nav_titles(tempo.client()) == ["Aktuelles", "Kurzportrait"]


def test_menu_follows_moves_and_deletions(tempo):
    with schema_context(tempo.schema):
        page = MemberStandardPageFactory(
            parent=member_home(), title="Wandert", slug="wandert", show_in_menus=True
        )
        target = MemberStandardPageFactory(parent=member_home(), title="Ziel", slug="ziel")
    client = tempo.client()
    try:
        assert "Wandert" in nav_titles(client)
        with schema_context(tempo.schema):
            page.move(target, pos="last-child")
        assert "Wandert" not in nav_titles(client)
        assert client.get("/de/wandert/").status_code != 200  # Wagtail redirects the old URL
        assert client.get("/de/ziel/wandert/").status_code == 200
        with schema_context(tempo.schema):
            page.refresh_from_db()
            page.move(member_home(), pos="last-child")
        assert "Wandert" in nav_titles(client)
        assert client.get("/de/wandert/").status_code == 200
        with schema_context(tempo.schema):
            page.refresh_from_db()
            page.delete()
        assert "Wandert" not in nav_titles(client)
        assert client.get("/de/wandert/").status_code != 200
    finally:
        with schema_context(tempo.schema):
            MemberStandardPage.objects.filter(slug__in=["wandert", "ziel"]).delete()


def test_private_page_is_protected_at_once_and_leaves_the_menu(tempo):
    with schema_context(tempo.schema):
        page = MemberStandardPageFactory(
            parent=member_home(), title="Intern", slug="intern", show_in_menus=True
        )
    client = tempo.client()
    try:
        assert client.get("/de/intern/").status_code == 200
        assert "Intern" in nav_titles(client)
        with schema_context(tempo.schema):
            restriction = PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.LOGIN
            )
        response = client.get("/de/intern/")
        assert response.status_code == 302
        assert "Intern" not in nav_titles(client)
        assert tempo.logged_in_client().get("/de/intern/").status_code == 200
        with schema_context(tempo.schema):
            restriction.delete()
        assert client.get("/de/intern/").status_code == 200
        assert "Intern" in nav_titles(client)
    finally:
        with schema_context(tempo.schema):
            page.delete()


def test_settings_change_shows_at_once_and_only_on_its_member(tempo, takt):
    before = {m.schema: accent(m.client()) for m in (tempo, takt)}
    with schema_context(tempo.schema):
        settings = SiteSettings.for_site(Site.objects.get())
        previous = settings.accent_colour
        settings.accent_colour = "#1d6b2f"
        settings.save()
    try:
        assert accent(tempo.client()) == "#1d6b2f"
        assert accent(takt.client()) == before[takt.schema]
        with schema_context(tempo.schema):
            logo = ImageFactory(title="Wappen", description="Wappen von Tempo")
            settings.logo = logo
            settings.save()
        assert soup(tempo.client().get("/de/")).find("img", class_="site-logo") is not None
        assert soup(takt.client().get("/de/")).find("img", class_="site-logo") is None
    finally:
        with schema_context(tempo.schema):
            settings.accent_colour = previous
            settings.logo = None
            settings.save()
            Image.objects.filter(title="Wappen").delete()
    assert accent(tempo.client()) == before[tempo.schema]


def test_menu_is_kept_per_language(tempo):
    with schema_context(tempo.schema):
        home_en = translation_publish(member_home(), "en")
        news = MemberNewsIndexPage.objects.get(locale__language_code="de")
        translation_publish(news, "en", title="News")
    client = tempo.client()
    try:
        assert nav_titles(client, "/de/") == ["Aktuelles", "Kurzportrait"]
        assert nav_titles(client, "/en/") == ["News"]
        assert nav_titles(client, "/de/") == ["Aktuelles", "Kurzportrait"]
    finally:
        with schema_context(tempo.schema):
            home_en.delete()


# --- Routing: host → member ----------------------------------------------------------


def test_renamed_domain_routes_under_its_new_name_only(tempo):
    assert tempo.client().get("/de/").status_code == 200  # cached under the old name
    domain = Domain.objects.get(domain=tempo.host)
    domain.domain = "tempo-neu.localhost"
    domain.save()
    try:
        old = tempo.client().get("/de/")
        assert old.status_code == 404
        assert "Diese Adresse gehört zu keiner Website des Netzwerks" in old.content.decode()
        assert HostClient("tempo-neu.localhost").get("/de/").status_code == 200
    finally:
        domain.domain = tempo.host
        domain.save()
    assert tempo.client().get("/de/").status_code == 200
    assert HostClient("tempo-neu.localhost").get("/de/").status_code == 404


def test_new_and_removed_domains_take_effect_at_once(tempo):
    client = HostClient("tempo-zwei.localhost")
    assert client.get("/de/").status_code == 404  # an unknown host is not remembered
    domain = Domain.objects.create(domain="tempo-zwei.localhost", tenant=tempo.member)
    try:
        response = client.get("/de/")
        assert response.status_code == 200
        assert "<h1>Stadt Tempo</h1>" in response.content.decode()
    finally:
        domain.delete()
    assert client.get("/de/").status_code == 404


def test_archived_member_is_offline_on_the_next_request(tempo, takt):
    assert tempo.client().get("/de/").status_code == 200
    connection.set_schema_to_public()  # the request left us in tempo's schema
    member = Member.objects.get(pk=tempo.member.pk)
    member_update(member, state=Member.State.ARCHIVED)
    try:
        response = tempo.client().get("/de/")
        assert response.status_code == 410
        assert "Stadt Tempo ist offline" in response.content.decode()
        assert takt.client().get("/de/").status_code == 200
    finally:
        connection.set_schema_to_public()
        member_update(member, state=Member.State.ACTIVE)
    assert tempo.client().get("/de/").status_code == 200


def test_each_host_is_served_from_its_own_schema(tempo, takt, page_cache_off):
    for _ in range(2):
        for member in (tempo, takt):
            response = member.client().get(PATHS["news page"])
            assert f"Nachricht 2 aus {member.member.name}" in response.content.decode()
            assert connection.schema_name == member.schema
    assert HostClient("niemand.localhost").get("/de/").status_code == 404


# --- Preview -----------------------------------------------------------------------------


def test_preview_stays_in_the_members_schema_with_warm_caches(tempo, takt):
    from wagtail.test.utils.form_data import querydict_from_html

    for member in (tempo, takt):
        member.client().get("/de/")  # menus and settings cached for both
    client = tempo.logged_in_client()
    with schema_context(tempo.schema):
        page = MemberStandardPageFactory(parent=member_home(), title="Vorschau", slug="vorschau")
        Site.objects.update(hostname=takt.host)  # wrong on purpose (ARCHITECTURE.md, trap 3)
    try:
        edit_url = f"/admin/pages/{page.pk}/edit/"
        data = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
        data["title"] = "Vorschau geändert"
        data["body-count"] = "0"  # the StreamField's form is drawn by JavaScript
        assert client.post(f"{edit_url}preview/", data).json()["is_valid"]
        preview = client.get(f"{edit_url}preview/")
        assert preview.status_code == 200
        assert "Vorschau geändert" in preview.content.decode()
        assert "Stadt Tempo" in preview.content.decode()
        assert "Kreis Takt" not in preview.content.decode()
        assert connection.schema_name == tempo.schema
    finally:
        with schema_context(tempo.schema):
            Site.objects.update(hostname=tempo.host)
            Site.clear_site_root_paths_cache()
            page.delete()


class RoundTrips:
    """Counts what redis-py sends (one write to the socket is one round trip) until the
    first template is rendered (the test client announces each rendering)."""

    def __init__(self, monkeypatch):
        self.sent = 0
        self.before_rendering: int | None = None
        real = AbstractConnection.send_packed_command

        def counting(connection, command, check_health=True):
            self.sent += 1
            return real(connection, command, check_health)

        monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
        template_rendered.connect(self.rendering, dispatch_uid="round-trips")

    def rendering(self, **kwargs):
        if self.before_rendering is None:
            self.before_rendering = self.sent

    def reset(self):
        self.sent, self.before_rendering = 0, None


@pytest.mark.parametrize("page_cache", ["on", "off"])
def test_a_page_view_makes_at_most_two_redis_round_trips_before_rendering(
    tempo, settings, monkeypatch, page_cache
):
    """Routing and site data: one generation read each, the values kept by the process
    (core.caching); with the page cache on, a miss's lookup brings the routing
    generation along."""
    if page_cache == "off":
        settings.PAGE_CACHE_SECONDS = 0
    trips = RoundTrips(monkeypatch)
    client = tempo.client()
    try:
        for label, path in PATHS.items():
            assert client.get(path + "?warm=1").status_code == 200
            trips.reset()
            response = client.get(path + "?measured=1")  # a miss: rendered
            assert response.status_code == 200
            assert response["X-Cache"] == ("miss" if page_cache == "on" else "bypass")
            assert trips.before_rendering is not None, label
            assert trips.before_rendering <= 2, f"{label}: {trips.before_rendering}"
    finally:
        template_rendered.disconnect(dispatch_uid="round-trips")
