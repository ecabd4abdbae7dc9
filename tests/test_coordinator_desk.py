"""The coordinator's desk and the admin in the member's colours, through HTTP.

A member's dashboard names the member, links its site, offers quick actions and lists
its proposals to the network with their state and the editors' message, never another
member's; central editors write that message in the network admin. The admin's title,
sidebar logo and login page name the site they belong to.
"""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site
from wagtail.test.utils.form_data import querydict_from_html

from core.models import SiteSettings
from sites.highlights.models import Highlight
from sites.highlights.services import highlight_curate
from tests.factories import (
    HighlightFactory,
    HighlightIndexPageFactory,
    ImageFactory,
    ProfilePageFactory,
    UserFactory,
    member_event_index,
    member_home,
    member_news_index,
    network_home,
)

ADMIN = "/admin/highlights/"
NETWORK_NAME = "Kommunale Koordinierung"


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def desk_rows(client) -> dict[str, dict]:
    """The desk's rows by title: state, note and links, as the coordinator reads them."""
    panel = soup_of(client.get("/admin/")).find(id="desk-highlights-content")
    assert panel is not None, "no desk panel on the dashboard"
    rows = {}
    for row in panel.select("tr[data-desk-highlight]"):
        title = row.select_one("td.title")
        network_link = row.find("a", attrs={"data-desk-network": True})
        rows[title.get_text(strip=True)] = {
            "state": row.select_one("[data-desk-state]").get_text(strip=True),
            "note": row.select_one("[data-desk-note]").get_text(" ", strip=True),
            "edit": title.a["href"] if title.a else None,
            "network": network_link["href"] if network_link else None,
        }
    return rows


@pytest.fixture
def desk(alpha, beta):
    """Alpha's proposals in every state the desk tells apart, and beta's rejected one."""
    now = timezone.now()
    with schema_context(alpha.schema):
        home = member_home()
        page = ProfilePageFactory(parent=home)
    rows = {
        "waiting": HighlightFactory(member=alpha.member, title="Wartet", state="proposed"),
        "approved": HighlightFactory(
            member=alpha.member, title="Frei", state="approved", source_page_id=page.pk
        ),
        "featured": HighlightFactory(member=alpha.member, title="Vorn", state="featured"),
        "rejected": HighlightFactory(
            member=alpha.member,
            title="Nein",
            state="rejected",
            editor_note="Bitte ohne Werbung für einzelne Betriebe.",
            editor_note_at=now,
        ),
        "asked": HighlightFactory(
            member=alpha.member,
            title="Bitte ändern",
            state="proposed",
            age_days=3,
            editor_note="Das Datum fehlt im Anreißer.",
            editor_note_at=now,
        ),
        "pending": HighlightFactory(
            member=alpha.member,
            title="Geändert",
            state="approved",
            pending={"title": "Geändert, neu"},
            changed_since_approval=True,
        ),
        "withdrawn": HighlightFactory(
            member=alpha.member, title="Weg", state="approved", withdrawn_at=now
        ),
    }
    HighlightFactory(
        member=beta.member,
        title="Betas Geheimnis",
        state="rejected",
        editor_note="Zebrastreifen",
        editor_note_at=now,
    )
    return rows


def test_dashboard_lists_the_members_proposals_with_state_and_note_and_never_anothers(alpha, desk):
    client = alpha.logged_in_client()
    home = client.get("/admin/")
    html = home.content.decode()
    assert "Betas Geheimnis" not in html and "Zebrastreifen" not in html

    rows = desk_rows(client)
    assert set(rows) == {"Wartet", "Frei", "Vorn", "Nein", "Bitte ändern", "Geändert", "Weg"}
    states = {title: row["state"] for title, row in rows.items()}
    assert states == {
        "Wartet": "wartet auf Prüfung",
        "Frei": "freigegeben",
        "Vorn": "hervorgehoben",
        "Nein": "abgelehnt",
        "Bitte ändern": "Änderung erbeten",
        "Geändert": "Änderung wartet auf Prüfung",
        "Weg": "zurückgezogen",
    }
    assert rows["Nein"]["note"].startswith("Bitte ohne Werbung für einzelne Betriebe.")
    assert rows["Bitte ändern"]["note"].startswith("Das Datum fehlt im Anreißer.")
    assert rows["Wartet"]["note"] == ""
    # Shown ones link to the network; the others do not.
    assert {title for title, row in rows.items() if row["network"]} == {
        "Frei",
        "Vorn",
        "Geändert",
    }
    # The member's own page in its own admin, where it exists in its schema.
    assert rows["Frei"]["edit"] == f"/admin/pages/{desk['approved'].source_page_id}/edit/"
    assert rows["Wartet"]["edit"] is None  # the factory's page id names no page of alpha
    assert soup_of(home).find(attrs={"data-desk-count": "7"}) is not None


def test_a_change_published_after_the_request_waits_for_review_again(alpha):
    asked_at = timezone.now() - timedelta(days=2)
    HighlightFactory(
        member=alpha.member,
        title="Nachgebessert",
        state="proposed",
        age_days=1,  # published after the editors asked
        editor_note="Bitte ein Bild mit Alternativtext.",
        editor_note_at=asked_at,
    )
    row = desk_rows(alpha.logged_in_client())["Nachgebessert"]
    assert row["state"] == "wartet auf Prüfung"
    assert row["note"].startswith("Bitte ein Bild mit Alternativtext.")  # still readable


def test_shown_highlights_link_to_the_network_list_filtered_by_member(alpha):
    HighlightFactory(member=alpha.member, title="Gezeigt", state="approved")
    with schema_context("public"):
        index = HighlightIndexPageFactory(parent=network_home())
        list_url = index.get_full_url()
    assert desk_rows(alpha.logged_in_client())["Gezeigt"]["network"] == (f"{list_url}?member=alpha")


def test_the_desk_shows_the_newest_twenty_and_how_many_there_are(alpha):
    for age in range(1, 23):
        HighlightFactory(member=alpha.member, title=f"Nummer {age}", age_days=age)
    client = alpha.logged_in_client()
    rows = desk_rows(client)
    assert len(rows) == 20 and "Nummer 1" in rows and "Nummer 21" not in rows
    panel = soup_of(client.get("/admin/")).find(attrs={"data-desk-count": "22"})
    assert "20 neuesten von 22" in panel.get_text(" ", strip=True)


def test_editor_rejects_with_a_note_and_the_coordinator_reads_it(editor_client, alpha):
    row = HighlightFactory(member=alpha.member, title="Werbeaktion", state="proposed")
    url = f"{ADMIN}edit/{row.pk}/"
    form = editor_client.get(url).content.decode()
    assert "Nachricht an das Mitglied" in form
    data = querydict_from_html(form, form_id="w-editor-form")
    data.update({"state": "rejected", "editor_note": "Das ist Werbung, keine Nachricht."})
    assert editor_client.post(url, data).status_code == 302

    saved = Highlight.objects.get(pk=row.pk)
    assert (saved.state, saved.editor_note) == ("rejected", "Das ist Werbung, keine Nachricht.")
    assert saved.editor_note_at is not None

    shown = desk_rows(alpha.logged_in_client())["Werbeaktion"]
    assert shown["state"] == "abgelehnt"
    assert shown["note"].startswith("Das ist Werbung, keine Nachricht.")


def test_editor_asks_for_a_change_keeping_the_state_and_clears_the_note(editor_client, alpha):
    row = HighlightFactory(member=alpha.member, title="Messe", state="approved")
    url = f"{ADMIN}edit/{row.pk}/"
    data = querydict_from_html(editor_client.get(url).content.decode(), form_id="w-editor-form")
    data["editor_note"] = "Bitte den Ort ergänzen."
    assert editor_client.post(url, data).status_code == 302
    client = alpha.logged_in_client()
    assert desk_rows(client)["Messe"]["state"] == "Änderung erbeten"
    assert Highlight.objects.get(pk=row.pk).state == "approved"  # still shown meanwhile

    data = querydict_from_html(editor_client.get(url).content.decode(), form_id="w-editor-form")
    assert data["editor_note"].strip() == "Bitte den Ort ergänzen."
    data["editor_note"] = ""
    assert editor_client.post(url, data).status_code == 302
    shown = desk_rows(client)["Messe"]
    assert (shown["state"], shown["note"]) == ("freigegeben", "")
    assert Highlight.objects.get(pk=row.pk).editor_note_at is None


def test_bulk_decisions_need_no_note_and_drop_the_note_of_an_earlier_decision(editor_client, alpha):
    asked = HighlightFactory(
        member=alpha.member,
        title="Erbeten",
        state="proposed",
        editor_note="Bitte kürzer.",
        editor_note_at=timezone.now(),
    )
    plain = HighlightFactory(member=alpha.member, title="Ohne", state="proposed")
    response = editor_client.post(
        f"/admin/bulk/highlights/highlight/reject/?id={asked.pk}&id={plain.pk}"
    )
    assert response.status_code == 302
    for row in (asked, plain):
        saved = Highlight.objects.get(pk=row.pk)
        assert (saved.state, saved.editor_note, saved.editor_note_at) == ("rejected", "", None)

    # Rejecting again by bulk keeps the note that explains the rejection.
    highlight_curate([asked], state="rejected", note="Doppelt vorhanden.")
    highlight_curate([Highlight.objects.get(pk=asked.pk)], state="rejected")
    assert Highlight.objects.get(pk=asked.pk).editor_note == "Doppelt vorhanden."


def test_welcome_names_the_member_links_its_site_and_offers_quick_actions(alpha):
    client = alpha.logged_in_client()
    soup = soup_of(client.get("/admin/"))
    assert soup.find("h1").get_text(strip=True) == "Stadt Alpha"
    assert NETWORK_NAME not in soup.find("main").get_text()
    welcome = soup.find(attrs={"data-desk-site": True})
    assert "Stadt Alpha" in welcome.get_text()
    assert welcome.find("a", href="http://alpha.localhost/") is not None
    # no news index, event index or profile yet: no quick actions
    assert soup.find(attrs={"data-desk-actions": True}) is None

    with schema_context(alpha.schema):
        news, events = member_news_index(), member_event_index()
        profile = ProfilePageFactory(parent=member_home())
    actions = soup_of(client.get("/admin/")).find(attrs={"data-desk-actions": True})
    links = {a.get_text(strip=True): a["href"] for a in actions.find_all("a")}
    assert links == {
        "Neue Nachricht": f"/admin/pages/add/members/membernewspage/{news.pk}/",
        "Neue Veranstaltung": f"/admin/pages/add/members/membereventpage/{events.pk}/",
        "Kurzportrait bearbeiten": f"/admin/pages/{profile.pk}/edit/",
    }
    for url in links.values():
        assert client.get(url).status_code == 200


def test_admin_title_logo_and_login_name_the_member(alpha):
    login = soup_of(alpha.client().get("/admin/login/"))
    assert login.find("h1").get_text(strip=True) == "Anmeldung bei Stadt Alpha"
    assert login.title.get_text().endswith("- Stadt Alpha")

    client = alpha.logged_in_client()
    assert soup_of(client.get("/admin/images/")).title.get_text().endswith("- Stadt Alpha")
    with schema_context(alpha.schema):
        logo = ImageFactory(title="Wappen", file=get_test_image_file())
        site = Site.objects.get(is_default_site=True)
        settings = SiteSettings.for_site(site)
        settings.logo = logo
        settings.save()
    branding = soup_of(client.get("/admin/")).find(
        "template", attrs={"data-wagtail-sidebar-branding-logo": True}
    )
    sidebar_logo = branding.find("img")  # CSS selectors do not look into a <template>
    assert sidebar_logo is not None and sidebar_logo["alt"] == "Stadt Alpha"
    assert "/media/alpha/" in sidebar_logo["src"]
    login = soup_of(alpha.client().get("/admin/login/"))
    assert login.select_one(".login-logo img")["alt"] == "Stadt Alpha"


def test_network_admin_keeps_the_networks_name_and_shows_no_desk(editor_client, alpha, desk):
    soup = soup_of(editor_client.get("/admin/"))
    assert soup.find("h1").get_text(strip=True) == NETWORK_NAME
    assert soup.title.get_text().endswith(f"- {NETWORK_NAME}")
    assert soup.find(id="desk-highlights-content") is None
    assert soup.find(attrs={"data-desk-site": True}) is None
    login = soup_of(editor_client.__class__("localhost").get("/admin/login/"))
    assert login.find("h1").get_text(strip=True) == f"Anmeldung bei {NETWORK_NAME}"


def test_the_desk_is_for_those_who_edit_pages_and_curation_stays_refused(alpha, desk):
    with schema_context(alpha.schema):
        reader = UserFactory(username="nur-lesen", password="Nur-Lesen-Passwort-1")
        reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = alpha.client()
    with schema_context(alpha.schema):
        client.force_login(reader)
    home = soup_of(client.get("/admin/"))
    assert home.find(id="desk-highlights-content") is None

    coordinator = alpha.logged_in_client()
    for url in (ADMIN, f"{ADMIN}edit/{desk['rejected'].pk}/"):
        assert coordinator.get(url).status_code in (302, 403), url
    data = {"state": "approved", "sort_order": "0", "editor_note": ""}
    coordinator.post(f"{ADMIN}edit/{desk['rejected'].pk}/", data)
    saved = Highlight.objects.get(pk=desk["rejected"].pk)
    assert (saved.state, saved.editor_note) == (
        "rejected",
        "Bitte ohne Werbung für einzelne Betriebe.",
    )
