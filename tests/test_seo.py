"""What search engines and link previews read: description, canonical link, Open Graph,
schema.org JSON-LD, and a favicon on every host (core/templatetags/seo_tags.py,
core.views.favicon).

Pages are requested through the real URLconf and middleware and their heads parsed as a
crawler would; every absolute URL must name the page's own host.
"""

import io
import json
from datetime import timedelta
from urllib.parse import urlparse

from bs4 import BeautifulSoup
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image as PillowImage
from wagtail.models import Collection, CollectionViewRestriction, Site

from core.models import SiteSettings
from core.views import DEFAULT_FAVICON
from sites.network.models import NetworkEventIndexPage, PressIndexPage
from sites.registrations.models import Registration
from tests.conftest import NETWORK_HOST
from tests.factories import (
    ImageFactory,
    MemberEventPageFactory,
    MemberNewsPageFactory,
    MemberStandardPageFactory,
    NetworkEventIndexPageFactory,
    NetworkEventPageFactory,
    PressIndexPageFactory,
    PressReleasePageFactory,
    ProfilePageFactory,
    member_event_index,
    member_home,
    member_news_index,
    network_home,
    translation_publish,
)

SCHEMA = "https://schema.org/"
# The schema.org terms the pages use: each type with the properties we give it (its own
# and inherited ones, e.g. Thing's name/url/image), and the enumeration members. All are
# schema.org vocabulary; a term outside this list is a typo or needs checking there first.
VOCABULARY = {
    "NewsArticle": {
        "headline",
        "datePublished",
        "dateModified",
        "description",
        "image",
        "url",
        "inLanguage",
        "mainEntityOfPage",
        "author",
        "publisher",
    },
    "Event": {
        "name",
        "startDate",
        "endDate",
        "description",
        "image",
        "url",
        "inLanguage",
        "eventStatus",
        "eventAttendanceMode",
        "location",
        "organizer",
        "offers",
    },
    "Organization": {"name", "url", "logo", "email", "telephone"},
    "GovernmentOrganization": {
        "name",
        "url",
        "description",
        "email",
        "telephone",
        "address",
        "location",
        "logo",
        "mainEntityOfPage",
    },
    "Place": {"name", "address", "geo"},
    "VirtualLocation": {"url"},
    "PostalAddress": {"streetAddress", "postalCode", "addressLocality", "addressCountry"},
    "GeoCoordinates": {"latitude", "longitude"},
    "Offer": {"url", "price", "priceCurrency", "availability", "validThrough"},
}
ENUMERATIONS = {
    "eventStatus": {"EventScheduled"},
    "eventAttendanceMode": {
        "OfflineEventAttendanceMode",
        "OnlineEventAttendanceMode",
        "MixedEventAttendanceMode",
    },
    "availability": {"InStock", "SoldOut"},
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- Reading a head as a crawler does -------------------------------------------------


def head_of(client, path, status=200) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == status, path
    return BeautifulSoup(response.content.decode(), "html.parser").head


def open_graph(head) -> dict[str, str]:
    return {tag["property"]: tag["content"] for tag in head.find_all("meta", property=True)}


def description(head) -> str | None:
    tag = head.find("meta", attrs={"name": "description"})
    return tag["content"] if tag else None


def canonical(head) -> str | None:
    tag = head.find("link", rel="canonical")
    return tag["href"] if tag else None


def json_ld(head) -> list[dict]:
    scripts = head.find_all("script", type="application/ld+json")
    return [json.loads(script.string) for script in scripts]


def the_json_ld(head) -> dict:
    (data,) = json_ld(head)
    assert data["@context"] == SCHEMA
    check_vocabulary(data)
    return data


def check_vocabulary(node) -> None:
    """Every @type and property in ``node`` is a schema.org term we know (VOCABULARY)."""
    if isinstance(node, list):
        for item in node:
            check_vocabulary(item)
        return
    if not isinstance(node, dict):
        return
    kind = node["@type"]
    assert kind in VOCABULARY, f"unknown type {kind}"
    for name, value in node.items():
        if name.startswith("@"):
            continue
        assert name in VOCABULARY[kind], f"{kind} has no property {name}"
        if name in ENUMERATIONS:
            assert value.removeprefix(SCHEMA) in ENUMERATIONS[name], value
        check_vocabulary(value)


def urls_in(head) -> list[str]:
    """Every absolute URL the head gives crawlers: links, meta contents, JSON-LD values
    (but schema.org's own terms, such as ``https://schema.org/InStock``)."""
    found = [tag["href"] for tag in head.find_all("link", href=True)]
    found += [tag["content"] for tag in head.find_all("meta", content=True)]

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        else:
            found.append(str(value))

    walk(json_ld(head))
    absolute = [url for url in found if url.startswith(("http://", "https://"))]
    return [url for url in absolute if not url.startswith(SCHEMA)]


def assert_own_host(head, host: str) -> None:
    urls = urls_in(head)
    assert urls, "no absolute URLs"
    assert {urlparse(url).hostname for url in urls} == {host}, urls


def path_of(url: str) -> str:
    return urlparse(url).path


def logo_set(image) -> None:
    """The current schema's site settings with ``image`` as logo."""
    site = Site.objects.get(is_default_site=True)
    settings = SiteSettings.objects.filter(site=site).first() or SiteSettings(site=site)
    settings.logo = image
    settings.save()


# --- News -----------------------------------------------------------------------------


def test_member_news_is_a_news_article_with_its_image_on_the_members_host(alpha):
    with schema_context(alpha.schema):
        image = ImageFactory(description="Jugendliche am Messestand")
        news = MemberNewsPageFactory(
            parent=member_news_index(),
            title="Ausbildungsmesse 2030",
            teaser="Über 60 Betriebe stellen sich vor.",
            image=image,
        )
        url = news.get_full_url()
    assert url.startswith(f"http://{alpha.host}/de/")
    client = alpha.client()
    head = head_of(client, news.url)

    assert canonical(head) == url
    assert description(head) == "Über 60 Betriebe stellen sich vor."
    og = open_graph(head)
    assert og["og:type"] == "article"
    assert og["og:title"] == "Ausbildungsmesse 2030"
    assert og["og:url"] == url
    assert og["og:site_name"] == "Stadt Alpha"
    assert og["og:locale"] == "de_DE"
    assert og["og:description"] == "Über 60 Betriebe stellen sich vor."
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "630")
    assert og["og:image:alt"] == "Jugendliche am Messestand"
    assert og["article:published_time"] == news.date.isoformat()
    assert head.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    preview = client.get(path_of(og["og:image"]))  # a crawler can fetch it
    assert preview.status_code == 200
    assert PillowImage.open(io.BytesIO(b"".join(preview.streaming_content))).size == (1200, 630)

    article = the_json_ld(head)
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Ausbildungsmesse 2030"
    assert article["datePublished"] == news.date.isoformat()
    assert article["dateModified"].startswith(news.date.isoformat()[:4])
    assert article["inLanguage"] == "de"
    assert article["mainEntityOfPage"] == url
    assert article["image"] == og["og:image"]
    assert article["publisher"]["name"] == "Stadt Alpha"
    assert article["publisher"]["url"] == f"http://{alpha.host}/de/"
    assert_own_host(head, alpha.host)


def test_a_translation_speaks_its_language_and_is_its_own_canonical(alpha):
    with schema_context(alpha.schema):
        news = MemberNewsPageFactory(parent=member_news_index(), teaser="Neu.")
        english = translation_publish(news, "en", title="Training fair", teaser="New.")
        url = english.get_full_url()
    assert "/en/" in url
    head = head_of(alpha.client(), path_of(url))
    assert canonical(head) == url
    assert open_graph(head)["og:locale"] == "en_GB"
    article = the_json_ld(head)
    assert (article["inLanguage"], article["headline"]) == ("en", "Training fair")


def test_network_press_release_names_the_network_and_its_host(network_client):
    home = network_home()
    index = PressIndexPage.objects.child_of(home).first() or PressIndexPageFactory(parent=home)
    release = PressReleasePageFactory(parent=index, teaser="Das Netzwerk wächst.")
    head = head_of(network_client, release.url)
    article = the_json_ld(head)
    assert article["@type"] == "NewsArticle"
    assert article["publisher"]["name"] == open_graph(head)["og:site_name"]
    assert canonical(head) == release.get_full_url()
    assert "image" not in article  # no image and no logo: nothing made up
    assert head.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
    assert_own_host(head, NETWORK_HOST)


# --- Events ---------------------------------------------------------------------------


def test_event_with_venue_and_open_registration_offers_the_form(alpha, page_cache_off):
    with schema_context(alpha.schema):
        start = timezone.now() + timedelta(days=20)
        event = MemberEventPageFactory(
            parent=member_event_index(),
            title="Berufsorientierungstag",
            start=start,
            end=start + timedelta(hours=3),
            venue_name="Rathaus",
            venue_address="Rathausplatz 1\n45699 Alpha",
            organiser_name="Erika Muster",
            organiser_email="erika@alpha.example",
            registration_open=True,
            registration_deadline=start - timedelta(days=2),
            seats=2,
        )
        url = event.get_full_url()
    client = alpha.client()
    response = client.get(event.url)
    assert 'id="anmeldung"' in response.content.decode()  # the offer's anchor exists
    head = BeautifulSoup(response.content.decode(), "html.parser").head
    data = the_json_ld(head)

    assert data["@type"] == "Event"
    assert data["name"] == "Berufsorientierungstag"
    assert data["startDate"] == timezone.localtime(start).isoformat(timespec="seconds")
    assert data["startDate"][-6:] in ("+01:00", "+02:00")  # Europe/Berlin
    assert data["endDate"] == timezone.localtime(start + timedelta(hours=3)).isoformat(
        timespec="seconds"
    )
    assert data["eventStatus"] == f"{SCHEMA}EventScheduled"
    assert data["eventAttendanceMode"] == f"{SCHEMA}OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Rathaus",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "Rathausplatz 1",
            "postalCode": "45699",
            "addressLocality": "Alpha",
            "addressCountry": "DE",
        },
    }
    assert data["organizer"]["name"] == "Erika Muster"
    offer = data["offers"]
    assert offer["url"] == f"{url}#anmeldung"
    assert (offer["price"], offer["priceCurrency"]) == (0, "EUR")
    assert offer["availability"] == f"{SCHEMA}InStock"
    assert offer["validThrough"] == timezone.localtime(start - timedelta(days=2)).isoformat(
        timespec="seconds"
    )
    assert open_graph(head)["og:type"] == "website"
    assert_own_host(head, alpha.host)

    with schema_context(alpha.schema):
        for number in (1, 2):
            Registration.objects.create(
                event=event, status="confirmed", name=f"P{number}", email=f"p{number}@x.example"
            )
    full = the_json_ld(head_of(client, event.url))["offers"]
    assert full["availability"] == f"{SCHEMA}SoldOut"


def test_online_whole_day_event_without_registration(alpha):
    with schema_context(alpha.schema):
        start = timezone.now() + timedelta(days=40)
        event = MemberEventPageFactory(
            parent=member_event_index(),
            start=start,
            end=start + timedelta(days=1),
            whole_day=True,
            online=True,
            online_url="https://meet.example/raum-7",
        )
    head = head_of(alpha.client(), event.url)
    data = the_json_ld(head)
    assert data["startDate"] == timezone.localtime(start).date().isoformat()
    assert data["endDate"] == timezone.localtime(start + timedelta(days=1)).date().isoformat()
    assert data["eventAttendanceMode"] == f"{SCHEMA}OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://meet.example/raum-7"}
    assert "offers" not in data
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Stadt Alpha",
        "url": f"http://{alpha.host}/de/",
    }


def test_access_for_confirmed_participants_only_stays_out_of_the_json_ld(alpha):
    with schema_context(alpha.schema):
        event = MemberEventPageFactory(
            parent=member_event_index(),
            online=True,
            venue_name="Jugendzentrum",
            online_url="https://meet.example/geheim",
            registration_open=True,
            access_for_confirmed_only=True,
        )
        url = event.get_full_url()
    response = alpha.client().get(event.url)
    assert "meet.example/geheim" not in response.content.decode()
    data = the_json_ld(BeautifulSoup(response.content.decode(), "html.parser").head)
    assert data["eventAttendanceMode"] == f"{SCHEMA}MixedEventAttendanceMode"
    assert {"@type": "VirtualLocation", "url": url} in data["location"]
    assert "offers" in data


def test_closed_registration_is_no_offer(network_client):
    home = network_home()
    index = NetworkEventIndexPage.objects.child_of(home).first() or NetworkEventIndexPageFactory(
        parent=home
    )
    event = NetworkEventPageFactory(
        parent=index,
        registration_open=True,
        registration_deadline=timezone.now() - timedelta(hours=1),
    )
    head = head_of(network_client, event.url)
    data = the_json_ld(head)
    assert data["@type"] == "Event"
    assert "offers" not in data
    assert_own_host(head, NETWORK_HOST)


# --- The member's profile -------------------------------------------------------------


def test_profile_is_the_government_organisation_with_logo_and_position(alpha):
    with schema_context(alpha.schema):
        logo_set(ImageFactory(title="Wappen", description="Wappen der Stadt Alpha"))
        profile = ProfilePageFactory(
            parent=member_home(),
            lead="Alpha gestaltet Übergänge von der Schule in den Beruf.",
            contact_email="koordination@alpha.example",
            contact_phone="02366 303-0",
            contact_address="Stadt Alpha\nMarkt 1\n12345 Alpha",
            latitude="51.600000",
            longitude="7.140000",
        )
        url = profile.get_full_url()
    head = head_of(alpha.client(), profile.url)
    data = the_json_ld(head)

    assert data["@type"] == "GovernmentOrganization"
    assert data["name"] == "Stadt Alpha"
    assert data["url"] == f"http://{alpha.host}/de/"
    assert data["mainEntityOfPage"] == url
    assert data["description"] == "Alpha gestaltet Übergänge von der Schule in den Beruf."
    assert (data["email"], data["telephone"]) == ("koordination@alpha.example", "02366 303-0")
    assert data["address"]["streetAddress"] == "Stadt Alpha, Markt 1"
    assert data["address"]["postalCode"] == "12345"
    assert data["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 51.6,
        "longitude": 7.14,
    }
    og = open_graph(head)  # no page image: the logo, whole
    assert og["og:image"] == data["logo"]
    assert og["og:image:alt"] == "Wappen der Stadt Alpha"
    assert og["og:type"] == "website"
    assert_own_host(head, alpha.host)


# --- Description, canonical, pages without JSON-LD, error pages -----------------------


def test_description_falls_back_from_search_description_to_teaser_lead_and_intro(alpha):
    long_lead = "Wort " * 60
    with schema_context(alpha.schema):
        home = member_home()
        both = MemberStandardPageFactory(
            parent=home, search_description="Für Suchmaschinen.", lead="Die Einleitung."
        )
        lead_only = MemberStandardPageFactory(parent=home, lead="Die Einleitung.")
        long = MemberStandardPageFactory(parent=home, lead=long_lead)
        nothing = MemberStandardPageFactory(parent=home)
        index = member_news_index()
        index.intro = "<p>Alle <b>Nachrichten</b> &amp; Termine aus Alpha.</p>"
        index.save_revision().publish()
    client = alpha.client()
    assert description(head_of(client, both.url)) == "Für Suchmaschinen."
    assert description(head_of(client, lead_only.url)) == "Die Einleitung."
    assert description(head_of(client, index.url)) == "Alle Nachrichten & Termine aus Alpha."
    shortened = description(head_of(client, long.url))
    assert len(shortened) <= 160
    assert shortened.endswith("Wort…")
    assert long_lead.startswith(shortened.removesuffix("…"))
    head = head_of(client, nothing.url)
    assert description(head) is None
    assert "og:description" not in open_graph(head)


def test_home_page_has_canonical_and_open_graph_but_no_json_ld(alpha, network_client):
    head = head_of(alpha.client(), "/de/")
    assert canonical(head) == f"http://{alpha.host}/de/"
    assert open_graph(head)["og:type"] == "website"
    assert json_ld(head) == []
    assert_own_host(head, alpha.host)
    head = head_of(network_client, "/de/")
    assert canonical(head) == f"http://{NETWORK_HOST}/de/"
    assert_own_host(head, NETWORK_HOST)


def test_error_page_renders_with_the_favicon_link_only(alpha):
    head = head_of(alpha.client(), "/de/gibt-es-nicht/", status=404)
    assert head.find("link", rel="icon")["href"] == "/favicon.ico"
    assert canonical(head) is None
    assert open_graph(head) == {}
    assert json_ld(head) == []


def test_json_ld_cannot_end_its_script_element_and_needs_no_script_permission(alpha):
    """The JSON-LD is a data block: it is not executed, so the policy's script-src (no
    inline scripts, no nonce) does not apply to it; text in it must not close it."""
    title = "</script><script>alert(1)</script> & <b>"
    with schema_context(alpha.schema):
        news = MemberNewsPageFactory(parent=member_news_index(), title=title, teaser="Test")
    response = alpha.client().get(news.url)
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    head = BeautifulSoup(page, "html.parser").head
    (script,) = head.find_all("script", type="application/ld+json")
    assert "<" not in script.string and "&" not in script.string
    assert json.loads(script.string)["headline"] == title
    assert not script.has_attr("nonce")
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert "unsafe-inline" not in script_src and "nonce-" not in script_src


# --- Favicon --------------------------------------------------------------------------


def assert_icon(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    assert response.content.startswith(PNG_SIGNATURE)
    return response.content


def test_favicon_is_the_default_mark_on_every_host_without_a_logo(alpha, beta, network_client):
    default = DEFAULT_FAVICON.read_bytes()
    assert assert_icon(network_client.get("/favicon.ico")) == default
    assert assert_icon(alpha.client().get("/favicon.ico")) == default
    assert assert_icon(beta.client().get("/favicon.ico")) == default
    head = head_of(alpha.client(), "/de/")
    assert head.find("link", rel="icon")["href"] == "/favicon.ico"


def test_favicon_is_the_sites_logo_where_it_has_one(alpha, beta, network_client):
    with schema_context(alpha.schema):
        logo_set(ImageFactory(title="Logo Alpha"))
    with schema_context("public"):
        logo_set(ImageFactory(title="Logo Netzwerk", file__color="orange"))
    default = DEFAULT_FAVICON.read_bytes()
    member_icon = assert_icon(alpha.client().get("/favicon.ico"))
    network_icon = assert_icon(network_client.get("/favicon.ico"))
    for icon in (member_icon, network_icon):
        assert icon != default
        assert PillowImage.open(io.BytesIO(icon)).size == (64, 64)
    assert member_icon != network_icon
    assert assert_icon(beta.client().get("/favicon.ico")) == default
    # phones ask for a larger one when a page goes on the home screen
    for path in ("/apple-touch-icon.png", "/apple-touch-icon-precomposed.png"):
        touch = assert_icon(alpha.client().get(path))
        assert PillowImage.open(io.BytesIO(touch)).size == (180, 180)
        assert assert_icon(beta.client().get(path)) == default


def test_favicon_never_shows_a_logo_from_a_restricted_collection(alpha):
    """``/media/`` refuses such an image to visitors; the public icon must not leak it."""
    with schema_context(alpha.schema):
        private = Collection.get_first_root_node().add_child(name="Intern")
        CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.LOGIN
        )
        logo_set(ImageFactory(title="Internes Logo", collection=private))
    assert assert_icon(alpha.client().get("/favicon.ico")) == DEFAULT_FAVICON.read_bytes()
