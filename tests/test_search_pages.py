"""The search pages (``/de/suche/``, ``/en/search/``) and the suggestion endpoint of the
network host and the microsites (sites.search.views), with the search box in the header
of every page. The index is built from real pages by ``site_index``."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from sites.search.indexing import site_index
from sites.search.models import SearchEntry
from tenants.models import Member
from tests.factories import (
    MemberNewsPageFactory,
    NetworkStandardPageFactory,
    member_home,
    member_news_index,
    network_home,
    translation_publish,
)


def _news(member_fixture, title, teaser="", **fields):
    with schema_context(member_fixture.schema):
        return MemberNewsPageFactory(
            parent=member_news_index(), title=title, teaser=teaser, **fields
        )


def _index(*schemas):
    for schema in schemas:
        site_index(schema)


def _hit_titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h2 class="search-hit-title"[^>]*><a [^>]*>([^<]*)</a>', html)


def _status(response) -> str:
    return re.search(r'role="status">([^<]*)<', response.content.decode()).group(1).strip()


@pytest.fixture
def pages(alpha, beta):
    """Two members' news about training and one network page; indexed."""
    _news(alpha, "Ausbildungsmesse im Rathaus", "Der Übergang von der Schule in die Ausbildung.")
    _news(beta, "Ausbildung im Kreis", "Betriebe stellen sich vor.")
    with schema_context("public"):
        NetworkStandardPageFactory(parent=network_home(), title="Ausbildung im Netzwerk")
    _index("public", alpha.schema, beta.schema)


def test_the_network_search_finds_member_pages_with_the_members_name(network_client, pages):
    response = network_client.get("/de/suche/", {"q": "Ubergang"})

    assert response.status_code == 200
    html = response.content.decode()
    assert _hit_titles(response) == ["Ausbildungsmesse im Rathaus"]
    assert _status(response) == "1 Treffer für „Ubergang“"
    assert '<span class="search-hit-site">Stadt Alpha</span>' in html
    assert '<span class="search-hit-type">Nachricht</span>' in html
    assert "Der <mark>Übergang</mark> von der Schule in die Ausbildung." in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'value="Ubergang"' in html  # the query stays in the field


def test_facets_count_and_filter_the_results(network_client, pages):
    response = network_client.get("/de/suche/", {"q": "Ausbildung"})
    html = response.content.decode()

    assert sorted(_hit_titles(response)) == [
        "Ausbildung im Kreis",
        "Ausbildung im Netzwerk",
        "Ausbildungsmesse im Rathaus",
    ]
    facets = html[html.index('class="search-facets"') :]
    assert re.search(r'\?q=Ausbildung&amp;member=alpha">Stadt Alpha</a> <span[^>]*>\(1\)', facets)
    assert re.search(r'member=network">Kommunale Koordinierung</a> <span[^>]*>\(1\)', facets)
    assert re.search(r'type=members.membernewspage">Nachricht</a> <span[^>]*>\(2\)', facets)
    year = timezone.localdate().year
    assert re.search(rf"year={year}\">{year}</a> <span[^>]*>\(3\)", facets)

    filtered = network_client.get("/de/suche/", {"q": "Ausbildung", "member": "beta"})
    assert _hit_titles(filtered) == ["Ausbildung im Kreis"]
    html = filtered.content.decode()
    assert _status(filtered) == "1 Treffer für „Ausbildung“"
    # shown as chosen, with a link that removes it; the form keeps it for a new query
    assert re.search(r'<a href="\?q=Ausbildung">Mitglied: Kreis Beta', html)
    assert '<input type="hidden" name="member" value="beta">' in html


def test_unknown_or_malformed_filters_never_fail(network_client, pages):
    for params in (
        {"member": "nobody"},
        {"type": "nothing.here"},
        {"year": "99999999999999999999"},
        {"language": "xx"},
        {"page": "-3"},
        {"page": "99999999999"},
        {"member": "<script>"},
    ):
        response = network_client.get("/de/suche/", {"q": "Ausbildung", **params})
        assert response.status_code == 200, params

    ignored = network_client.get("/de/suche/", {"q": "Ausbildung", "type": "nothing.here"})
    assert len(_hit_titles(ignored)) == 3
    assert "wurden nicht angewendet" in ignored.content.decode()
    unknown = network_client.get("/de/suche/", {"q": "Ausbildung", "member": "nobody"})
    assert _hit_titles(unknown) == []
    # reported as chosen, with the link that removes it
    assert '<a href="?q=Ausbildung">Mitglied: nobody' in unknown.content.decode()


def test_pagination_keeps_the_query_and_the_filters(network_client, alpha):
    for number in range(12):
        _news(alpha, f"Praktikum Nummer {number}")
    _index(alpha.schema)

    first = network_client.get("/de/suche/", {"q": "Praktikum", "member": "alpha"})
    html = first.content.decode()
    assert len(_hit_titles(first)) == 10 and _status(first) == "12 Treffer für „Praktikum“"
    assert 'href="?q=Praktikum&amp;member=alpha&amp;page=2" rel="next"' in html
    assert "Seite 1 von 2" in html

    second = network_client.get("/de/suche/", {"q": "Praktikum", "member": "alpha", "page": 2})
    assert len(_hit_titles(second)) == 2
    assert '<ol class="search-hits" start="11">' in second.content.decode()


def test_a_facet_with_many_values_lists_ten_and_links_to_all(network_client, alpha):
    for year in range(2015, 2027):
        _news(alpha, f"Praktikum {year}", date=timezone.datetime(year, 6, 1).date())
    _index(alpha.schema)

    def years(response) -> list[str]:
        html = response.content.decode()
        return re.findall(r'year=(\d{4})">\d{4}</a>', html[html.index("search-facets") :])

    first = network_client.get("/de/suche/", {"q": "Praktikum"})
    assert years(first) == [str(year) for year in range(2026, 2016, -1)]  # the newest ten
    assert 'href="?q=Praktikum&amp;alle=year">Alle 12 anzeigen' in first.content.decode()

    every = network_client.get("/de/suche/", {"q": "Praktikum", "alle": "year"})
    assert len(years(every)) == 12 and "Alle 12 anzeigen" not in every.content.decode()
    # a chosen value stays listed, even one beyond the first ten
    chosen = network_client.get("/de/suche/", {"q": "Praktikum", "year": "2015"})
    assert _hit_titles(chosen) == ["Praktikum 2015"]
    assert 'aria-current="true">2015</a>' in chosen.content.decode()


def test_a_microsite_search_shows_its_own_pages_only(network_client, alpha, beta, pages):
    response = alpha.client().get("/de/suche/", {"q": "Ausbildung"})

    assert response.status_code == 200
    assert _hit_titles(response) == ["Ausbildungsmesse im Rathaus"]
    # another member's page stays out, even when asked for by the filter
    beta_filtered = alpha.client().get("/de/suche/", {"q": "Ausbildung", "member": "beta"})
    assert _hit_titles(beta_filtered) == []
    assert "Kreis Beta" not in response.content.decode()
    assert _hit_titles(beta.client().get("/de/suche/", {"q": "Ausbildung"})) == [
        "Ausbildung im Kreis"
    ]
    # the network search shows both
    found = _hit_titles(network_client.get("/de/suche/", {"q": "Ausbildung"}))
    assert {"Ausbildungsmesse im Rathaus", "Ausbildung im Kreis"} <= set(found)


def test_english_pages_are_found_under_en_search_only(alpha):
    news = _news(alpha, "Ausbildungsmesse", "Betriebe stellen sich vor.")
    with schema_context(alpha.schema):
        translation_publish(member_home(), "en", title="City of Alpha")
        translation_publish(news, "en", title="Apprenticeship fair", teaser="Companies present.")
    _index(alpha.schema)
    client = alpha.client()

    english = client.get("/en/search/", {"q": "apprenticeship"})
    assert english.status_code == 200
    assert _hit_titles(english) == ["Apprenticeship fair"]
    assert _status(english) == "1 result for “apprenticeship”"
    assert '<html lang="en"' in english.content.decode()
    assert _hit_titles(client.get("/de/suche/", {"q": "apprenticeship"})) == []
    assert _hit_titles(client.get("/de/suche/", {"q": "Ausbildungsmesse"})) == ["Ausbildungsmesse"]
    # each language has its own spelling of the address
    assert client.get("/en/suche/", {"q": "apprenticeship"}).status_code == 404
    assert client.get("/de/search/", {"q": "apprenticeship"}).status_code == 404


def test_a_language_the_site_does_not_publish_is_a_404(alpha):
    assert alpha.client().get("/tr/suche/", {"q": "Ausbildung"}).status_code == 404
    assert alpha.client().get("/en/search/", {"q": "Ausbildung"}).status_code == 404
    assert alpha.client().get("/en/search/suggest/", {"q": "Ausbildung"}).status_code == 404


def test_an_empty_query_shows_the_form_only(network_client, pages):
    response = network_client.get("/de/suche/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<input type="search" id="search-query" name="q"' in html
    assert '<label for="search-query">Suchbegriff</label>' in html
    assert 'role="status"' not in html and "search-hits" not in html
    assert network_client.get("/de/suche/", {"q": "  "}).content.decode().count("search-hit") == 0


def test_no_results_says_so_and_suggests_checking_the_spelling(network_client, pages):
    response = network_client.get("/de/suche/", {"q": "Quantenchromodynamik"})

    html = response.content.decode()
    assert _status(response) == "0 Treffer für „Quantenchromodynamik“"
    assert "Zu „Quantenchromodynamik“ wurde nichts gefunden." in html
    assert "Prüfen Sie die Schreibweise" in html


def test_suggestions_are_up_to_eight_titles_of_the_own_site(network_client, alpha, beta):
    for number in range(10):
        _news(alpha, f"Ausbildungsbörse {number}")
    _news(beta, "Ausbildung in Beta")
    _index(alpha.schema, beta.schema)

    response = alpha.client().get("/de/suche/vorschlag/", {"q": "ausbi"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["query"] == "ausbi"
    assert len(data["suggestions"]) == 8
    assert all(title.startswith("Ausbildungsbörse") for title in data["suggestions"])
    assert "Set-Cookie" not in response

    assert beta.client().get("/de/suche/vorschlag/", {"q": "ausbi"}).json()["suggestions"] == [
        "Ausbildung in Beta"
    ]
    network = network_client.get("/de/suche/vorschlag/", {"q": "Ausbildung in"}).json()
    assert network["suggestions"] == ["Ausbildung in Beta"]
    assert network_client.get("/de/suche/vorschlag/").json() == {"query": "", "suggestions": []}


def test_every_page_has_the_search_box_in_its_header(network_client, alpha):
    html = alpha.client().get("/de/").content.decode()

    header = html[html.index("<header") : html.index("</header>")]
    assert re.search(r'<form class="site-search" method="get" action="/de/suche/"', header)
    assert 'data-suggest="/de/suche/vorschlag/"' in header
    assert '<label class="visually-hidden" for="site-search-q">Suchbegriff</label>' in header
    assert '<input type="search" id="site-search-q" name="q"' in header
    assert '<script src="/static/js/search-suggest.js" defer></script>' in html
    assert 'action="/de/suche/"' in network_client.get("/de/").content.decode()


def test_a_private_page_and_a_draft_are_never_found(network_client, alpha):
    private = _news(alpha, "Geheime Ausbildungsplanung")
    _news(alpha, "Entwurf zur Ausbildung", publish=False)
    with schema_context(alpha.schema):
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    _index(alpha.schema)

    assert not SearchEntry.objects.filter(title__in=["Geheime Ausbildungsplanung"]).exists()
    assert not SearchEntry.objects.filter(title="Entwurf zur Ausbildung").exists()
    for client in (network_client, alpha.client()):
        assert _hit_titles(client.get("/de/suche/", {"q": "Ausbildungsplanung"})) == []
        assert _hit_titles(client.get("/de/suche/", {"q": "Entwurf"})) == []
        suggested = client.get("/de/suche/vorschlag/", {"q": "Geheim"}).json()["suggestions"]
        assert suggested == []


def test_an_archived_members_pages_are_gone(network_client, alpha, beta, pages):
    Member.objects.filter(pk=beta.member.pk).update(state=Member.State.ARCHIVED)

    response = network_client.get("/de/suche/", {"q": "Ausbildung"})
    assert "Ausbildung im Kreis" not in _hit_titles(response)
    assert "Kreis Beta" not in response.content.decode()
    suggested = network_client.get("/de/suche/vorschlag/", {"q": "Ausbildung im"}).json()
    assert "Ausbildung im Kreis" not in suggested["suggestions"]


def test_a_result_in_another_language_is_marked_as_such(network_client, alpha):
    news = _news(alpha, "Ausbildungsmesse", "Betriebe stellen sich vor.")
    with schema_context(alpha.schema):
        translation_publish(member_home(), "en", title="City of Alpha")
        translation_publish(news, "en", title="Ausbildungsmesse (English)", teaser="Fair.")
    _index(alpha.schema)

    response = network_client.get("/de/suche/", {"q": "Ausbildungsmesse", "language": "en"})
    assert _hit_titles(response) == ["Ausbildungsmesse (English)"]
    assert '<h2 class="search-hit-title" lang="en">' in response.content.decode()


def test_results_show_their_date(network_client, alpha):
    when = timezone.now() - timedelta(days=400)
    _news(alpha, "Jahresbericht Ausbildung", date=when.date())
    _index(alpha.schema)

    html = network_client.get("/de/suche/", {"q": "Jahresbericht"}).content.decode()
    assert f'<time datetime="{when.date().isoformat()}' in html
