"""The search engine over the network search index (sites.search.engine): German that
works (stemming, umlaut folding, typos), ranking, facets, filters and the boundaries
between sites. Rows are written directly into the public index table."""

import itertools
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django_tenants.utils import schema_context

from sites.search.engine import ALL, NETWORK, search, search_words_refresh, suggest
from sites.search.models import SearchEntry
from tenants.models import Member

BERLIN = ZoneInfo("Europe/Berlin")
_page_ids = itertools.count(1000)


@pytest.fixture(autouse=True)
def public(db):
    with schema_context("public"):
        yield


def entry(member=None, *, title, body="", teaser="", language="de", date=None, **fields):
    page_id = next(_page_ids)
    return SearchEntry.objects.create(
        member=member,
        schema_name=member.schema_name if member else "public",
        page_id=page_id,
        translation_key=uuid.uuid4(),
        language=language,
        page_type=fields.pop("page_type", "members.membernewspage"),
        title=title,
        teaser=teaser,
        body=body,
        url=f"http://example.test/{page_id}/",
        date=date or datetime(2026, 5, 4, 10, tzinfo=BERLIN),
        **fields,
    )


def titles(query, *, language="de", member_id=ALL, **filters):
    found = search(query, language=language, member_id=member_id, filters=filters)
    return [result.title for result in found.results]


def test_a_word_finds_its_other_forms(platform):
    entry(title="Messe", body="Alles über die Ausbildung im Handwerk.")
    entry(title="Praktika", body="Praktikumsplätze für Schülerinnen.")

    assert titles("Ausbildungen") == ["Messe"]
    assert titles("ausbildung handwerk") == ["Messe"]
    assert titles("ausbildung praktikum") == []  # every word must match


@pytest.mark.parametrize("typed", ["Übergang", "Uebergang", "Ubergang", "übergänge", "UEBERGANG"])
def test_umlauts_are_found_however_they_are_typed(platform, typed):
    entry(title="Schule", body="Der Übergang von der Schule in den Beruf.")
    entry(title="Schule, alt", body="Der Uebergang von der Schule in den Beruf.")

    assert sorted(titles(typed)) == ["Schule", "Schule, alt"]


@pytest.mark.parametrize("typed", ["Hauptstraße", "Hauptstrasse", "HAUPTSTRASSE"])
def test_sharp_s_is_found_as_ss(platform, typed):
    entry(title="Anfahrt", body="Das Büro liegt in der Hauptstraße 5.")
    entry(title="Anfahrt, alt", body="Das Büro liegt in der Hauptstrasse 7.")

    assert sorted(titles(typed)) == ["Anfahrt", "Anfahrt, alt"]


def test_a_typo_finds_the_most_similar_words_of_the_index(platform):
    entry(title="Angebote", body="Beratung für die Jugend im Kreis.")
    entry(title="Sport", body="Fußball und Tennis.")
    search_words_refresh()

    assert titles("Jugnd") == ["Angebote"]
    assert titles("Jugnd Beratng") == ["Angebote"]
    assert titles("Fusbal") == ["Sport"]


def test_a_word_new_since_the_last_word_refresh_is_still_found(platform):
    search_words_refresh()
    entry(title="Neu", body="Das Berufsorientierungscamp beginnt.")

    assert titles("Berufsorientierungscamp") == ["Neu"]


def test_title_matches_rank_above_body_matches(platform):
    entry(
        title="Aktuelles",
        body="Die Jugendberufsagentur berät.",
        date=datetime(2026, 6, 1, tzinfo=BERLIN),
    )
    entry(
        title="Die Jugendberufsagentur", body="Beratung.", date=datetime(2020, 1, 1, tzinfo=BERLIN)
    )
    entry(
        title="Kontakt", teaser="Zur Jugendberufsagentur.", date=datetime(2026, 6, 2, tzinfo=BERLIN)
    )

    assert titles("Jugendberufsagentur") == ["Die Jugendberufsagentur", "Kontakt", "Aktuelles"]


def test_recent_pages_rank_above_old_ones_at_equal_rank(platform):
    for year in (2019, 2026, 2023):
        entry(
            title=f"Fachtag {year}",
            body="Fachtag Übergang",
            date=datetime(year, 3, 1, tzinfo=BERLIN),
        )

    assert titles("Fachtag") == ["Fachtag 2026", "Fachtag 2023", "Fachtag 2019"]


@pytest.fixture
def network_of_pages(alpha, beta):
    news, event = "members.membernewspage", "members.membereventpage"
    entry(alpha.member, title="Ausbildungsmesse", body="Ausbildung", page_type=event)
    entry(
        alpha.member,
        title="Neue Ausbildungsplätze",
        body="Ausbildung",
        date=datetime(2025, 12, 31, 23, 30, tzinfo=BERLIN),
    )
    entry(beta.member, title="Ausbildung im Kreis", page_type=news)
    entry(None, title="Ausbildung im Netzwerk", page_type="network.networkstandardpage")
    entry(alpha.member, title="Apprenticeships", body="Ausbildung", language="en")
    entry(beta.member, title="Kontakt", body="Telefon")  # matches nothing


def _counts(found, facet):
    return {value.value: value.count for value in found.facets[facet]}


def test_facets_count_the_whole_matching_set(network_of_pages, alpha, beta):
    found = search("Ausbildung", language="de", member_id=ALL, filters={}, per_page=2)

    assert found.total == 4 and len(found.results) == 2 and found.num_pages == 2
    assert _counts(found, "member") == {"alpha": 2, "beta": 1, NETWORK: 1}
    assert {value.value: value.label for value in found.facets["member"]}[
        "alpha"
    ] == alpha.member.name
    assert _counts(found, "type") == {
        "members.membernewspage": 2,
        "members.membereventpage": 1,
        "network.networkstandardpage": 1,
    }
    # the language facet shows what another language would give
    assert _counts(found, "language") == {"de": 4, "en": 1}
    assert _counts(found, "year") == {2026: 3, 2025: 1}  # the date in Berlin's time
    assert [v.value for v in found.facets["language"] if v.selected] == []


def test_filters_narrow_the_results_and_the_other_facets(network_of_pages):
    found = search("Ausbildung", language="de", member_id=ALL, filters={"member": "alpha"})

    assert sorted(r.title for r in found.results) == ["Ausbildungsmesse", "Neue Ausbildungsplätze"]
    assert {r.member_name for r in found.results} == {"Stadt Alpha"}
    assert found.total == 2
    # the member facet is counted without its own filter: the visitor can switch
    assert _counts(found, "member") == {"alpha": 2, "beta": 1, NETWORK: 1}
    assert [v.value for v in found.facets["member"] if v.selected] == ["alpha"]
    assert _counts(found, "type") == {"members.membernewspage": 1, "members.membereventpage": 1}

    assert titles("Ausbildung", type="members.membereventpage") == ["Ausbildungsmesse"]
    assert titles("Ausbildung", year=2025) == ["Neue Ausbildungsplätze"]
    assert titles("Ausbildung", member=NETWORK) == ["Ausbildung im Netzwerk"]
    assert titles("Ausbildung", language="en") == ["Apprenticeships"]
    assert len(titles("Ausbildung", language=ALL)) == 5
    assert titles("Ausbildung", member="beta", type="members.membereventpage") == []


def test_an_archived_members_pages_are_never_found(network_of_pages, beta):
    Member.objects.filter(pk=beta.member.pk).update(state=Member.State.ARCHIVED)

    found = search("Ausbildung", language="de", member_id=ALL, filters={})
    assert "beta" not in _counts(found, "member") and found.total == 3
    assert titles("Ausbildung", member_id=beta.member.pk) == []
    assert titles("Ausbildung", member="beta") == []
    assert suggest("Ausbildung", language="de", member_id=ALL) == [
        "Ausbildung im Netzwerk",
        "Ausbildungsmesse",
        "Neue Ausbildungsplätze",
    ]


def test_a_microsite_search_never_shows_another_sites_pages(network_of_pages, alpha, beta):
    found = search("Ausbildung", language="de", member_id=alpha.member.pk, filters={})

    assert {r.member_slug for r in found.results} == {"alpha"} and found.total == 2
    assert _counts(found, "member") == {"alpha": 2}
    for other in ("beta", NETWORK):
        assert titles("Ausbildung", member_id=alpha.member.pk, member=other) == []
    assert titles("Ausbildung", member_id=beta.member.pk) == ["Ausbildung im Kreis"]
    assert titles("Ausbildung", member_id=None) == ["Ausbildung im Netzwerk"]


def test_english_pages_are_searched_in_english_and_only_in_english(platform, alpha):
    entry(alpha.member, title="Careers", body="Apprenticeships in the region.", language="en")
    entry(alpha.member, title="Berufe", body="Apprenticeships auf Englisch.", language="de")

    # english stems "apprenticeships" to "apprenticeship"; german does not
    assert titles("apprenticeship", language="en") == ["Careers"]
    assert titles("apprenticeship", language="de") == []
    assert titles("Apprenticeships", language="de") == ["Berufe"]
    assert titles("the region", language="en") == ["Careers"]  # "the": an English stop word


def test_the_snippet_marks_the_matched_words_in_their_own_spelling(platform):
    words = " ".join(f"Wort{i}" for i in range(60))
    entry(
        title="Netzwerk",
        teaser="Fachtag: 5 < 7 & mehr.",
        body=f"{words} Der Übergang in die Ausbildungen gelingt. {words}",
    )

    [result] = search("Uebergang Ausbildung", language="de", member_id=ALL).results
    snippet = str(result.snippet)
    assert "Der <mark>Übergang</mark> in die <mark>Ausbildungen</mark> gelingt." in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet.split()) < 40

    [result] = search("Fachtag", language="de", member_id=ALL).results
    assert str(result.snippet).startswith("<mark>Fachtag</mark>: 5 &lt; 7 &amp; mehr.")


def test_a_query_without_words_finds_nothing(platform):
    entry(title="Der Tag")
    assert search(" ?! ", language="de", member_id=ALL).total == 0
    assert search("der und die", language="de", member_id=ALL).total == 0  # stop words


def test_suggestions_are_titles_containing_the_typed_text(platform, alpha, beta):
    for number in range(10):
        entry(
            alpha.member,
            title=f"Ausbildungsbörse {number}",
            date=datetime(2026, 1, 1 + number, tzinfo=BERLIN),
        )
    entry(alpha.member, title="Tag der Berufsausbildung", date=datetime(2027, 1, 1, tzinfo=BERLIN))
    entry(beta.member, title="Ausbildung in Beta")
    entry(alpha.member, title="Übergänge gestalten")
    entry(alpha.member, title="Ausbildung in English", language="en")

    found = suggest("ausbi", language="de", member_id=alpha.member.pk)
    assert len(found) == 8
    assert found[0] == "Ausbildungsbörse 9"  # titles starting with it first, newest first
    assert "Ausbildung in Beta" not in found and "Ausbildung in English" not in found
    assert suggest("berufsausb", language="de", member_id=alpha.member.pk) == [
        "Tag der Berufsausbildung"
    ]
    assert suggest("ueberg", language="de", member_id=alpha.member.pk) == ["Übergänge gestalten"]
    assert suggest("Üb", language="de", member_id=alpha.member.pk) == ["Übergänge gestalten"]
    assert suggest("ausbi", language="de", member_id=beta.member.pk) == ["Ausbildung in Beta"]
    assert suggest("a", language="de", member_id=ALL) == []
