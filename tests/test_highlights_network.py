"""The network site shows the members' highlights: home page, "Aus den Mitgliedern", RSS.

Most tests write Highlight rows directly (the pipeline has its own tests); the last one
builds real proposals in alpha, runs the pipeline and then follows every link and image
of the network home page on the host it names.
"""

from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import views as staticfiles_views
from django.test import RequestFactory
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page

from sites.highlights.models import Highlight
from sites.highlights.services import member_content_sync
from sites.members.models import MemberHomePage
from sites.network.models import HighlightIndexPage, NetworkHomePage
from tenants.models import Member
from tests.conftest import NETWORK_HOST, HostClient
from tests.factories import (
    HighlightFactory,
    HighlightIndexPageFactory,
    ImageFactory,
    MemberEventIndexPageFactory,
    MemberEventPageFactory,
    MemberNewsIndexPageFactory,
    MemberNewsPageFactory,
    member_home,
    network_home,
)


def archive(member) -> None:
    Member.objects.filter(pk=member.member.pk).update(state=Member.State.ARCHIVED)


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def section_titles(soup: BeautifulSoup, heading_id: str) -> list[str]:
    section = soup.find("section", attrs={"aria-labelledby": heading_id})
    if section is None:
        return []
    return [h.get_text(strip=True) for h in section.select(".teaser-title")]


def index_page() -> HighlightIndexPage:
    with schema_context("public"):
        return HighlightIndexPageFactory(parent=network_home())


# --- Home page ------------------------------------------------------------------------


def test_home_shows_featured_in_order_then_newest_approved_only(network_client, alpha, beta):
    HighlightFactory(
        member=alpha.member, title="Zweites im Fokus", state="featured", sort_order=2, age_days=1
    )
    HighlightFactory(
        member=alpha.member,
        title="Erstes im Fokus",
        state="featured",
        sort_order=1,
        age_days=9,
        image="highlights/alpha/foto.fill-480x270.jpg",
        image_alt="Jugendliche in der Werkstatt",
    )
    HighlightFactory(member=alpha.member, title="Ältere Nachricht", state="approved", age_days=5)
    HighlightFactory(member=alpha.member, title="Neue Nachricht", state="approved", age_days=2)
    HighlightFactory(member=alpha.member, title="Nur vorgeschlagen", state="proposed")
    HighlightFactory(member=alpha.member, title="Abgelehnt", state="rejected")
    HighlightFactory(
        member=beta.member, title="Von archiviertem Mitglied", state="featured", sort_order=0
    )
    archive(beta)

    soup = soup_of(network_client.get("/de/"))
    assert section_titles(soup, "home-highlights") == [
        "Erstes im Fokus",
        "Zweites im Fokus",
        "Neue Nachricht",
        "Ältere Nachricht",
    ]
    html = str(soup)
    for hidden in ("Nur vorgeschlagen", "Abgelehnt", "Von archiviertem Mitglied"):
        assert hidden not in html
    first = soup.find("section", attrs={"aria-labelledby": "home-highlights"}).article
    assert "Stadt Alpha" in first.get_text()
    assert "Anreißer zu Erstes im Fokus" in first.get_text()
    assert first.img["src"] == "/media/public/highlights/alpha/foto.fill-480x270.jpg"
    assert first.img["alt"] == "Jugendliche in der Werkstatt"
    assert first.h3.a["href"].startswith("http://alpha.localhost/de/aktuelles/")
    assert first.find(class_="language-note") is None
    assert [h.get_text(strip=True) for h in soup("h1")] == [NetworkHomePage.objects.get().title]


def test_home_without_highlights_has_no_empty_sections(network_client, alpha):
    HighlightFactory(member=alpha.member, title="Wartet noch", state="proposed")
    soup = soup_of(network_client.get("/de/"))
    assert soup.find(id="home-highlights") is None
    assert soup.find(id="home-member-events") is None


def test_upcoming_member_events_strip_lists_future_events_soonest_first(network_client, alpha):
    now = timezone.now()
    event = {"page_type": "event"}
    HighlightFactory(
        member=alpha.member, title="Vorbei", event_start=now - timedelta(days=1), **event
    )
    HighlightFactory(
        member=alpha.member, title="In zehn Tagen", event_start=now + timedelta(days=10), **event
    )
    HighlightFactory(
        member=alpha.member,
        title="Übermorgen",
        state="featured",
        event_start=now + timedelta(days=2),
        **event,
    )
    HighlightFactory(
        member=alpha.member,
        title="Nicht freigegeben",
        state="proposed",
        event_start=now + timedelta(1),
        **event,
    )

    soup = soup_of(network_client.get("/de/"))
    assert section_titles(soup, "home-member-events") == ["Übermorgen", "In zehn Tagen"]
    strip = soup.find("section", attrs={"aria-labelledby": "home-member-events"})
    assert strip.find("time")["datetime"].startswith(
        timezone.localtime(now + timedelta(days=2)).date().isoformat()
    )
    assert "Stadt Alpha" in strip.get_text()


# --- "Aus den Mitgliedern" --------------------------------------------------------------


def test_highlight_index_is_a_single_network_page_below_the_home(alpha):
    with schema_context("public"):
        home = NetworkHomePage.objects.get()
        assert HighlightIndexPage.can_create_at(home)
    index_page()
    with schema_context("public"):
        assert not HighlightIndexPage.can_create_at(NetworkHomePage.objects.get())
    with schema_context(alpha.schema):
        assert not HighlightIndexPage.can_create_at(MemberHomePage.objects.get())


def test_highlight_index_filters_by_member_and_type_and_paginates(network_client, alpha, beta):
    url = index_page().url
    for number in range(12):
        HighlightFactory(
            member=alpha.member, title=f"Alpha-Nachricht {number:02}", age_days=number + 1
        )
    HighlightFactory(member=alpha.member, title="Alpha-Termin", page_type="event", age_days=30)
    HighlightFactory(member=beta.member, title="Beta-Nachricht A", state="featured")
    HighlightFactory(member=beta.member, title="Beta-Nachricht B", state="proposed")

    soup = soup_of(network_client.get(url))
    assert [h.get_text(strip=True) for h in soup("h1")] == ["Aus den Mitgliedern"]
    assert len(soup.select(".teaser-list > li")) == 10
    assert "14 Beiträge" in soup.find(class_="result-count").get_text()
    form = soup.find("form", class_="filter-form")
    assert form["method"] == "get"
    for name in ("member", "type"):
        field = form.find(attrs={"name": name})
        assert form.find("label", attrs={"for": field["id"]}).get_text(strip=True)
    member_options = [o["value"] for o in form.find(attrs={"name": "member"})("option")]
    assert member_options == ["", "beta", "alpha"]  # by name: Kreis Beta, Stadt Alpha

    filtered = soup_of(network_client.get(url, {"member": "alpha", "type": "news"}))
    titles = [h.get_text(strip=True) for h in filtered.select(".teaser-title")]
    assert titles == [f"Alpha-Nachricht {n:02}" for n in range(10)]
    next_link = filtered.find("a", rel="next")
    assert "member=alpha" in next_link["href"] and "type=news" in next_link["href"]
    second = soup_of(network_client.get(url + next_link["href"]))
    titles = [h.get_text(strip=True) for h in second.select(".teaser-title")]
    assert titles == ["Alpha-Nachricht 10", "Alpha-Nachricht 11"]
    assert second.find("a", rel="prev") is not None

    events = soup_of(network_client.get(url, {"type": "event"}))
    assert [h.get_text(strip=True) for h in events.select(".teaser-title")] == ["Alpha-Termin"]
    beta_only = soup_of(network_client.get(url, {"member": "beta"}))
    assert [h.get_text(strip=True) for h in beta_only.select(".teaser-title")] == [
        "Beta-Nachricht A"
    ]

    unknown = soup_of(network_client.get(url, {"member": "gibtsnicht"}))
    select = unknown.find("select", attrs={"name": "member"})
    assert unknown.find(id=select["aria-describedby"])["class"] == ["field-error"]
    assert "14 Beiträge" in unknown.find(class_="result-count").get_text()


def test_highlight_index_leaves_out_archived_members(network_client, alpha, beta):
    url = index_page().url
    HighlightFactory(member=alpha.member, title="Alpha bleibt")
    HighlightFactory(member=beta.member, title="Beta ist offline")
    archive(beta)
    soup = soup_of(network_client.get(url))
    assert [h.get_text(strip=True) for h in soup.select(".teaser-title")] == ["Alpha bleibt"]
    assert [o["value"] for o in soup.find(attrs={"name": "member"})("option")] == ["", "alpha"]


# --- RSS ------------------------------------------------------------------------------


def test_highlights_rss_lists_approved_and_featured_of_active_members(network_client, alpha, beta):
    index_page()
    approved = HighlightFactory(member=alpha.member, title="Freigegeben", age_days=3)
    featured = HighlightFactory(
        member=alpha.member, title="Hervorgehoben", state="featured", age_days=1
    )
    HighlightFactory(member=alpha.member, title="Vorgeschlagen", state="proposed")
    HighlightFactory(member=alpha.member, title="Abgelehnt", state="rejected")
    HighlightFactory(member=beta.member, title="Archiviert", state="approved")
    archive(beta)

    response = network_client.get("/de/feeds/highlights.rss")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title.startswith("Aus den Mitgliedern")
    assert feed.feed.link == "http://localhost/de/aus-den-mitgliedern/"
    assert [(e.title, e.link) for e in feed.entries] == [
        ("Hervorgehoben", featured.url),
        ("Freigegeben", approved.url),
    ]
    assert feed.entries[0].author == "Stadt Alpha"
    assert feed.entries[0].id == f"highlight-alpha-{featured.source_page_id}"


def test_highlights_rss_exists_on_the_network_host_only(alpha):
    HighlightFactory(member=alpha.member, title="Nur im Netzwerk")
    response = alpha.client().get("/de/feeds/highlights.rss")
    assert response.status_code == 404
    assert "Nur im Netzwerk" not in response.content.decode()


# --- Every link and image on the home page works ---------------------------------------


def _member_pages_with_proposals(member) -> None:
    """A news page with an image (with alternative text) and an event, both proposed."""
    with schema_context(member.schema):
        home = member_home()
        pages = [
            MemberNewsPageFactory(
                parent=MemberNewsIndexPageFactory(parent=home, slug="news"),
                title="Ausbildungsmesse im Rathaus",
                slug="ausbildungsmesse",
                teaser="Vierzig Betriebe stellen sich vor.",
                image=ImageFactory(title="Werkstatt", description="Auszubildende an der Drehbank"),
                propose_highlight=True,
            ),
            MemberEventPageFactory(
                parent=MemberEventIndexPageFactory(parent=home),
                title="Elternabend Berufswahl",
                slug="elternabend",
                start=timezone.now() + timedelta(days=14),
                venue_name="Aula der Gesamtschule",
                propose_highlight=True,
            ),
        ]
        assert Page.objects.live().filter(pk__in=[p.pk for p in pages]).count() == 2


def _fetch(url: str, page_url: str):
    """GET ``url`` as a browser on ``page_url`` would: on the host the URL names, or on
    the page's own host for relative URLs. Static files are not served by the test
    settings (no whitenoise), so those go through Django's static file view."""
    absolute = urljoin(page_url, url)
    parts = urlsplit(absolute)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.path.startswith("/static/"):
        request = RequestFactory().get(path)
        return staticfiles_views.serve(request, parts.path.removeprefix("/static/"), insecure=True)
    return HostClient(parts.netloc).get(path)


def test_every_link_and_image_on_the_network_home_answers_200(network_client, alpha):
    index_page()
    _member_pages_with_proposals(alpha)
    report = member_content_sync()
    assert report.highlights.created == 2, str(report)
    Highlight.objects.filter(page_type="news").update(state=Highlight.State.FEATURED)
    Highlight.objects.filter(page_type="event").update(state=Highlight.State.APPROVED)

    page_url = f"http://{NETWORK_HOST}/de/"
    soup = soup_of(network_client.get("/de/"))
    urls = {tag["href"] for tag in soup.find_all(href=True)}
    urls |= {tag["src"] for tag in soup.find_all(src=True)}

    image = soup.select_one("section[aria-labelledby=home-highlights] img")
    assert image["alt"] == "Auszubildende an der Drehbank"
    assert image["src"].startswith("/media/public/highlights/alpha/")
    assert "http://alpha.localhost/de/news/ausbildungsmesse/" in urls
    assert "http://alpha.localhost/de/termine/elternabend/" in urls
    assert "/de/aus-den-mitgliedern/" in urls

    failures = {}
    for url in sorted(urls):
        assert urlsplit(url).scheme in ("", "http"), f"unexpected link {url}"
        status = _fetch(url, page_url).status_code
        if status != 200:
            failures[url] = status
    assert failures == {}
    assert len(urls) >= 6


@pytest.mark.parametrize("path", ["/de/", "/de/aus-den-mitgliedern/", "/de/feeds/highlights.rss"])
def test_pages_render_without_any_highlight(network_client, path):
    index_page()
    assert network_client.get(path).status_code == 200
