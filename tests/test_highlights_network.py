"""The network site shows the members' highlights: home page, "Aus den Mitgliedern", RSS.

Most tests write Highlight rows directly (the pipeline has its own tests); the last one
builds real proposals in alpha, runs the pipeline and then follows every link and image
of the network home page on the host it names.
"""

import itertools
import uuid
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import views as staticfiles_views
from django.test import RequestFactory
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from sites.highlights.models import Highlight
from sites.highlights.services import member_content_sync
from sites.members.models import (
    MemberEventIndexPage,
    MemberEventPage,
    MemberHomePage,
    MemberNewsIndexPage,
    MemberNewsPage,
)
from sites.network.models import HighlightIndexPage, NetworkHomePage
from tenants.models import Member
from tests.conftest import NETWORK_HOST, HostClient

_page_ids = itertools.count(10_000)


def highlight_row(member, title, state="approved", *, age_days=1, **fields) -> Highlight:
    """A Highlight row as the pipeline would write it for one of ``member``'s pages."""
    page_id = next(_page_ids)
    values = {
        "locale": "de",
        "page_type": "news",
        "teaser": f"Anreißer zu {title}",
        "url": f"{member.member.url}de/aktuelles/seite-{page_id}/",
        "last_published_at": timezone.now() - timedelta(days=age_days),
        **fields,
    }
    return Highlight.objects.create(
        member=member.member,
        translation_key=uuid.uuid4(),
        source_page_id=page_id,
        title=title,
        state=state,
        **values,
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
        home = NetworkHomePage.objects.get()
        return home.add_child(
            instance=HighlightIndexPage(title="Aus den Mitgliedern", slug="aus-den-mitgliedern")
        )


# --- Home page ------------------------------------------------------------------------


def test_home_shows_featured_in_order_then_newest_approved_only(network_client, alpha, beta):
    highlight_row(alpha, "Zweites im Fokus", "featured", sort_order=2, age_days=1)
    highlight_row(
        alpha,
        "Erstes im Fokus",
        "featured",
        sort_order=1,
        age_days=9,
        image="highlights/alpha/foto.fill-480x270.jpg",
        image_alt="Jugendliche in der Werkstatt",
    )
    highlight_row(alpha, "Ältere Nachricht", "approved", age_days=5)
    highlight_row(alpha, "Neue Nachricht", "approved", age_days=2)
    highlight_row(alpha, "Nur vorgeschlagen", "proposed")
    highlight_row(alpha, "Abgelehnt", "rejected")
    highlight_row(beta, "Von archiviertem Mitglied", "featured", sort_order=0)
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
    highlight_row(alpha, "Wartet noch", "proposed")
    soup = soup_of(network_client.get("/de/"))
    assert soup.find(id="home-highlights") is None
    assert soup.find(id="home-member-events") is None


def test_upcoming_member_events_strip_lists_future_events_soonest_first(network_client, alpha):
    now = timezone.now()
    event = {"page_type": "event"}
    highlight_row(alpha, "Vorbei", event_start=now - timedelta(days=1), **event)
    highlight_row(alpha, "In zehn Tagen", event_start=now + timedelta(days=10), **event)
    highlight_row(alpha, "Übermorgen", "featured", event_start=now + timedelta(days=2), **event)
    highlight_row(alpha, "Nicht freigegeben", "proposed", event_start=now + timedelta(1), **event)

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
        highlight_row(alpha, f"Alpha-Nachricht {number:02}", age_days=number + 1)
    highlight_row(alpha, "Alpha-Termin", page_type="event", age_days=30)
    highlight_row(beta, "Beta-Nachricht A", "featured")
    highlight_row(beta, "Beta-Nachricht B", "proposed")

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
    highlight_row(alpha, "Alpha bleibt")
    highlight_row(beta, "Beta ist offline")
    archive(beta)
    soup = soup_of(network_client.get(url))
    assert [h.get_text(strip=True) for h in soup.select(".teaser-title")] == ["Alpha bleibt"]
    assert [o["value"] for o in soup.find(attrs={"name": "member"})("option")] == ["", "alpha"]


# --- RSS ------------------------------------------------------------------------------


def test_highlights_rss_lists_approved_and_featured_of_active_members(network_client, alpha, beta):
    index_page()
    approved = highlight_row(alpha, "Freigegeben", age_days=3)
    featured = highlight_row(alpha, "Hervorgehoben", "featured", age_days=1)
    highlight_row(alpha, "Vorgeschlagen", "proposed")
    highlight_row(alpha, "Abgelehnt", "rejected")
    highlight_row(beta, "Archiviert", "approved")
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
    highlight_row(alpha, "Nur im Netzwerk")
    response = alpha.client().get("/de/feeds/highlights.rss")
    assert response.status_code == 404
    assert "Nur im Netzwerk" not in response.content.decode()


# --- Every link and image on the home page works ---------------------------------------


def _member_pages_with_proposals(member) -> None:
    """A news page with an image (with alternative text) and an event, both proposed."""
    with schema_context(member.schema):
        home = MemberHomePage.objects.get()
        image = Image.objects.create(
            title="Werkstatt",
            description="Auszubildende an der Drehbank",
            file=get_test_image_file(filename="werkstatt.png"),
        )
        news_index = home.add_child(instance=MemberNewsIndexPage(title="Aktuelles", slug="news"))
        events = home.add_child(instance=MemberEventIndexPage(title="Termine", slug="termine"))
        pages = [
            news_index.add_child(
                instance=MemberNewsPage(
                    title="Ausbildungsmesse im Rathaus",
                    slug="ausbildungsmesse",
                    teaser="Vierzig Betriebe stellen sich vor.",
                    image=image,
                    propose_highlight=True,
                    live=False,
                )
            ),
            events.add_child(
                instance=MemberEventPage(
                    title="Elternabend Berufswahl",
                    slug="elternabend",
                    start=timezone.now() + timedelta(days=14),
                    venue_name="Aula der Gesamtschule",
                    propose_highlight=True,
                    live=False,
                )
            ),
        ]
        for page in pages:
            page.save_revision().publish()
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
