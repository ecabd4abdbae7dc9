"""The member directory's map: a profile's coordinates travel through the copy pipeline to
the member's directory entry and onto the map as a link to its microsite; members without
a place in Germany stay in the list without a marker; and the cached directory shows a
moved marker on the next request (its browser side: tests/browser/test_member_map.py)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.models import Page

from sites.highlights.models import DirectoryEntry
from sites.highlights.services import member_content_sync_page
from sites.members.models import ProfilePage
from sites.network import member_map
from tenants.models import Member
from tenants.services import member_delete
from tests.conftest import NETWORK_HOST, HostClient, MemberFixture
from tests.factories import (
    MemberDirectoryPageFactory,
    ProfilePageFactory,
    member_home,
    network_home,
    translation_publish,
)

DIRECTORY = "/de/mitglieder/"
HERTEN = (Decimal("51.5958"), Decimal("7.1408"))
KIEL = (Decimal("54.3242"), Decimal("10.1336"))
PARIS = (Decimal("48.8566"), Decimal("2.3522"))


def _publish_profile(member: MemberFixture, place: tuple | None) -> ProfilePage:
    latitude, longitude = place or (None, None)
    with schema_context(member.schema):
        profile = ProfilePageFactory(
            parent=member_home(),
            contact_name="Petra Muster",
            latitude=latitude,
            longitude=longitude,
        )
    member_content_sync_page(member.schema, profile.translation_key)
    return profile


def _move(member: MemberFixture, profile: ProfilePage, place: tuple | None):
    """Republish ``profile`` at ``place`` and run the worker's step; its sync report."""
    latitude, longitude = place or (None, None)
    with schema_context(member.schema):
        profile = ProfilePage.objects.get(pk=profile.pk)
        profile.latitude, profile.longitude = latitude, longitude
        profile.save_revision().publish()
    return member_content_sync_page(member.schema, profile.translation_key)


def _directory(path: str = DIRECTORY, host: str = NETWORK_HOST):
    response = HostClient(host).get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response, BeautifulSoup(response.content.decode(), "html.parser")


def _markers(page: BeautifulSoup) -> dict[str, dict]:
    """The map's markers by accessible name: link, title and the dot's position."""
    markers = {}
    for link in page.select("figure.member-map svg a"):
        dot = link.find("circle", class_="member-map-dot")
        markers[link["aria-label"]] = {
            "href": link["href"],
            "title": link.find("title").get_text(),
            "x": float(dot["cx"]),
            "y": float(dot["cy"]),
        }
    return markers


@pytest.fixture
def directory(platform, db):
    with schema_context("public"):
        return MemberDirectoryPageFactory(parent=network_home())


def test_coordinates_travel_from_the_profile_to_the_entry_and_onto_the_map(alpha, beta, directory):
    _publish_profile(alpha, HERTEN)
    _publish_profile(beta, KIEL)

    entry = DirectoryEntry.objects.get(member=alpha.member)
    assert (entry.latitude, entry.longitude) == HERTEN

    _response, page = _directory()
    markers = _markers(page)
    assert set(markers) == {"Stadt Alpha", "Kreis Beta"}
    assert markers["Stadt Alpha"]["href"] == alpha.member.url == "http://alpha.localhost/"
    assert markers["Stadt Alpha"]["title"] == "Stadt Alpha"
    # Kiel lies north-east of Herten: right of it and higher up on the map
    assert markers["Kreis Beta"]["x"] > markers["Stadt Alpha"]["x"]
    assert markers["Kreis Beta"]["y"] < markers["Stadt Alpha"]["y"]
    figure = page.find("figure", class_="member-map")
    assert figure.find("path", class_="member-map-land")["aria-hidden"] == "true"
    caption = " ".join(figure.find("figcaption").get_text().split())
    assert caption == "Karte: 2 Mitglieder mit Standort; die Liste unten nennt alle Mitglieder."
    # the map comes before the list, which names every member
    assert [h2.get_text() for h2 in page.select("ul.card-list h2")] == ["Kreis Beta", "Stadt Alpha"]
    assert str(page).index("member-map") < str(page).index("card-list")


def test_a_member_without_coordinates_has_no_marker_but_stays_in_the_list(alpha, beta, directory):
    _publish_profile(alpha, HERTEN)
    _publish_profile(beta, None)

    assert DirectoryEntry.objects.get(member=beta.member).latitude is None
    _response, page = _directory()
    assert set(_markers(page)) == {"Stadt Alpha"}
    assert "Karte: 1 Mitglied mit Standort" in page.find("figcaption").get_text()
    assert page.find("h2", string="Kreis Beta")


def test_no_member_with_a_place_no_map(alpha, directory):
    _publish_profile(alpha, None)
    _response, page = _directory()
    assert page.find("h2", string="Stadt Alpha")
    assert page.find("figure", class_="member-map") is None


@pytest.mark.parametrize(
    "place",
    [PARIS, (HERTEN[1], HERTEN[0]), (Decimal("-51.5958"), Decimal("7.1408"))],
    ids=["paris", "latitude-and-longitude-swapped", "southern-hemisphere"],
)
def test_coordinates_outside_germany_give_no_marker(alpha, beta, directory, place):
    _publish_profile(alpha, place)
    _publish_profile(beta, KIEL)

    entry = DirectoryEntry.objects.get(member=alpha.member)
    assert (entry.latitude, entry.longitude) == place  # copied as given, not shown
    _response, page = _directory()
    assert set(_markers(page)) == {"Kreis Beta"}
    assert page.find("h2", string="Stadt Alpha")


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(None, None), (None, 51), ("x", "y"), (Decimal("NaN"), Decimal("51")), (float("inf"), 51)],
)
def test_what_is_not_a_place_is_not_projected(lon, lat):
    assert member_map.project(lon, lat) is None


def test_germanys_extremes_are_drawn_whole_within_the_map():
    """List on Sylt, Haldenwanger Eck, Isenbruch and Deschka, the outermost places."""
    extremes = {"N": (55.0587, 8.4170), "S": (47.2701, 10.1783), "W": (51.0505, 5.8663)}
    extremes["E"] = (51.2729, 15.0419)
    members = [
        SimpleNamespace(
            name=name,
            url="http://x.localhost/",
            directory_entry=SimpleNamespace(latitude=lat, longitude=lon),
        )
        for name, (lat, lon) in extremes.items()
    ]
    drawn = member_map.member_map(members)
    assert [marker.name for marker in drawn.markers] == ["N", "S", "W", "E"]
    _x, _y, width, height = (float(n) for n in drawn.view_box.split())
    for marker in drawn.markers:
        assert drawn.hit_radius <= marker.x <= width - drawn.hit_radius, marker
        assert drawn.hit_radius <= marker.y <= height - drawn.hit_radius, marker


def test_a_coordinates_change_updates_the_entry_and_the_map(alpha, directory):
    profile = _publish_profile(alpha, HERTEN)
    _response, page = _directory()
    before = _markers(page)["Stadt Alpha"]

    report = _move(alpha, profile, KIEL)
    assert report.directory.counts == (0, 1, 0)
    entry = DirectoryEntry.objects.get(member=alpha.member)
    assert (entry.latitude, entry.longitude) == KIEL
    _response, page = _directory()
    after = _markers(page)["Stadt Alpha"]
    assert after["y"] < before["y"]

    assert _move(alpha, profile, None).directory.counts == (0, 1, 0)
    assert DirectoryEntry.objects.get(member=alpha.member).latitude is None
    _response, page = _directory()
    assert page.find("figure", class_="member-map") is None


def test_the_english_directory_shows_the_same_map(alpha, directory):
    _publish_profile(alpha, HERTEN)
    translation_publish(directory, "en", title="Members", slug="members")
    _response, page = _directory("/en/members/")
    assert _markers(page)["Stadt Alpha"]["href"] == "http://alpha.localhost/"


def test_the_map_is_drawn_with_the_numbers_svg_understands(alpha, directory):
    """German formats decimals with a comma, which SVG would not read."""
    _publish_profile(alpha, HERTEN)
    _response, page = _directory()
    svg = page.find("svg", class_="member-map-svg")
    box = svg["viewbox"].split()
    assert len(box) == 4 and all(float(n) >= 0 for n in box)
    dot = svg.find("circle", class_="member-map-dot")
    assert "," not in dot["cx"] + dot["cy"] + dot["r"]
    assert "," not in svg.find("path")["d"]


# --- The page cache: committed data -----------------------------------------------------


@pytest.fixture(scope="module")
def placed(refuse_a_non_test_database, platform, django_db_blocker, tmp_path_factory):
    """Member "ny" with a profile in Herten, and the network's directory, committed."""
    with django_db_blocker.unblock():
        fixture = MemberFixture.create("ny", "Stadt Ny")
        with schema_context(fixture.schema):
            ProfilePageFactory(
                parent=member_home(), latitude=HERTEN[0], longitude=HERTEN[1], contact_name="Ny"
            )
        with schema_context("public"):
            directory_pk = MemberDirectoryPageFactory(parent=network_home()).pk
        connection.set_schema_to_public()
    yield fixture
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        Page.objects.get(pk=directory_pk).delete()
        member = Member.objects.filter(pk=fixture.member.pk).first()
        if member is not None:
            member_delete(member, backup_root=tmp_path_factory.mktemp("backups"))
        connection.set_schema_to_public()


def test_the_cached_directory_shows_a_moved_marker_at_once(placed, committed):
    with schema_context(placed.schema):
        profile = ProfilePage.objects.get(slug="kurzportrait")
    member_content_sync_page(placed.schema, profile.translation_key)
    try:
        _directory()
        response, page = _directory()
        assert response["X-Cache"] == "hit"
        before = _markers(page)["Stadt Ny"]

        _move(placed, profile, KIEL)  # the worker's step included

        response, page = _directory()
        assert response["X-Cache"] != "hit"
        assert _markers(page)["Stadt Ny"]["y"] < before["y"]
    finally:
        DirectoryEntry.objects.filter(member=placed.member).delete()
