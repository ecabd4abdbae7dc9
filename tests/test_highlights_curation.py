"""Central editors curate the members' highlights in the network admin, through HTTP.

Rows are written directly (the pipeline has its own tests, tests/test_member_content_sync.py);
everything an editor does goes through the admin's views.
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django_tenants.utils import schema_context
from wagtail.test.utils.form_data import querydict_from_html

from sites.highlights.models import Highlight
from tests.conftest import HostClient
from tests.test_highlights_network import archive, highlight_row, section_titles, soup_of

ADMIN = "/admin/highlights/"
MENU_ENTRY = '"url": "/admin/highlights/"'
# What tenants.services.EDITORIAL_MEMBER_PERMISSIONS is to grant the "Redaktion" group.
EDITORIAL_HIGHLIGHT_PERMISSIONS = ["view_highlight", "change_highlight"]


def bulk_url(action: str, *rows, **query) -> str:
    params = [f"id={row.pk}" for row in rows] + [f"{k}={v}" for k, v in query.items()]
    return f"/admin/bulk/highlights/highlight/{action}/?" + "&".join(params)


@pytest.fixture
def editor(central_editor) -> HostClient:
    client = HostClient("localhost")
    client.force_login(central_editor)
    return client


def listed(client, query=None, url=ADMIN) -> list[str]:
    """Titles in the admin listing, top to bottom."""
    soup = soup_of(client.get(url, query or {}))
    return [
        cell.get_text(strip=True)
        for cell in soup.select("table.listing tbody [id^=highlight_][id$=_title]")
    ]


def row_of(client, title: str) -> BeautifulSoup:
    soup = soup_of(client.get(ADMIN))
    cell = soup.find(lambda tag: tag.get("id", "").endswith("_title") and tag.text == title)
    return cell.find_parent("tr")


def refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] in ("/admin/", "/admin/login/")
    )


def fresh(row: Highlight) -> Highlight:
    return Highlight.objects.get(pk=row.pk)


# --- Listing and filters --------------------------------------------------------------


def test_editor_lists_highlights_with_columns_and_menu_entry(editor, alpha, beta):
    waiting = highlight_row(alpha, "Wartender Vorschlag", "proposed", age_days=1)
    highlight_row(alpha, "Geänderter Termin", "approved", page_type="event", age_days=2)
    Highlight.objects.filter(title="Geänderter Termin").update(changed_since_approval=True)
    highlight_row(
        beta, "Abgelehntes Portrait", "rejected", page_type="profile", locale="en", age_days=3
    )

    assert MENU_ENTRY in editor.get("/admin/").content.decode()
    assert listed(editor) == ["Wartender Vorschlag", "Geänderter Termin", "Abgelehntes Portrait"]

    row = row_of(editor, "Wartender Vorschlag")
    assert row.find("a", href=f"{ADMIN}edit/{waiting.pk}/") is not None
    cells = row.get_text(" ", strip=True)
    assert "Stadt Alpha" in cells and "Nachricht" in cells and "vorgeschlagen" in cells
    assert "seit Freigabe geändert" not in cells
    changed = row_of(editor, "Geänderter Termin").get_text(" ", strip=True)
    assert "seit Freigabe geändert" in changed and "Veranstaltung" in changed
    assert row.find("input", attrs={"data-bulk-action-checkbox": True}) is not None

    assert listed(editor, {"member": beta.member.pk}) == ["Abgelehntes Portrait"]
    assert listed(editor, {"state": "proposed"}) == ["Wartender Vorschlag"]
    assert listed(editor, {"page_type": "event"}) == ["Geänderter Termin"]
    assert listed(editor, {"language": "en"}) == ["Abgelehntes Portrait"]
    assert listed(editor, {"q": "Termin"}) == ["Geänderter Termin"]
    assert listed(editor, {"member": alpha.member.pk, "state": "approved"}) == ["Geänderter Termin"]


def test_featured_listing_follows_the_manual_order(editor, alpha):
    highlight_row(alpha, "Dritter", "featured", sort_order=3, age_days=1)
    highlight_row(alpha, "Erster", "featured", sort_order=1, age_days=5)
    highlight_row(alpha, "Zweiter", "featured", sort_order=2, age_days=9)
    highlight_row(alpha, "Nur freigegeben", "approved", age_days=2)
    assert listed(editor, {"state": "featured"}) == ["Erster", "Zweiter", "Dritter"]


# --- One row --------------------------------------------------------------------------


def test_edit_view_sets_state_and_order_and_leaves_content_alone(editor, alpha):
    row = highlight_row(alpha, "Ausbildungsmesse", "approved", teaser="Vom Mitglied.")
    Highlight.objects.filter(pk=row.pk).update(changed_since_approval=True)
    url = f"{ADMIN}edit/{row.pk}/"

    form_page = editor.get(url)
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert "Vom Mitglied." in html  # content is shown, read-only
    assert f'href="{row.url}"' in html  # with a link to the member's page
    assert "seit der Freigabe geändert" in html
    data = querydict_from_html(html, form_id="w-editor-form")
    assert "title" not in data and "teaser" not in data
    data.update({"state": "featured", "sort_order": "4"})
    data["title"] = "Von der Redaktion umbenannt"  # not a field of the form: ignored
    response = editor.post(url, data)
    assert response.status_code == 302

    row = fresh(row)
    assert (row.state, row.sort_order, row.changed_since_approval) == ("featured", 4, False)
    assert (row.title, row.teaser) == ("Ausbildungsmesse", "Vom Mitglied.")


def test_edit_view_shows_the_original_and_which_translations_exist(editor, alpha):
    english_url = "http://alpha.localhost/en/aktuelles/messe/"
    row = highlight_row(
        alpha,
        "Ausbildungsmesse",
        "proposed",
        translations={"en": {"title": "Training fair", "teaser": "", "url": english_url}},
    )
    soup = soup_of(editor.get(f"{ADMIN}edit/{row.pk}/"))
    assert soup.find("a", href=row.url) is not None  # the original, German
    link = soup.find("a", href=english_url)
    assert (link.get_text(), link["lang"]) == ("Training fair", "en")
    assert link.find_parent("dd").find_previous_sibling("dt").get_text() == "Übersetzungen"
    assert "English" in link.parent.get_text()
    assert "Ausbildungsmesse" in listed(editor)  # the listing keeps the original's title


def test_rejecting_keeps_the_changed_marker_and_no_row_can_be_added_or_deleted(editor, alpha):
    row = highlight_row(alpha, "Alte Nachricht", "approved")
    Highlight.objects.filter(pk=row.pk).update(changed_since_approval=True)
    url = f"{ADMIN}edit/{row.pk}/"
    data = querydict_from_html(editor.get(url).content.decode(), form_id="w-editor-form")
    data["state"] = "rejected"
    assert editor.post(url, data).status_code == 302
    assert (fresh(row).state, fresh(row).changed_since_approval) == ("rejected", True)

    assert editor.get(f"{ADMIN}new/").status_code in (302, 403)
    assert editor.post(f"{ADMIN}delete/{row.pk}/").status_code in (302, 403)
    assert Highlight.objects.filter(pk=row.pk).exists()


# --- Bulk actions ---------------------------------------------------------------------


def test_bulk_approve_feature_and_reject(editor, alpha, beta):
    first = highlight_row(alpha, "Erster Vorschlag", "proposed")
    changed = highlight_row(alpha, "Geänderte Nachricht", "approved")
    Highlight.objects.filter(pk=changed.pk).update(changed_since_approval=True)
    third = highlight_row(beta, "Dritter Vorschlag", "proposed")
    fourth = highlight_row(beta, "Vierter Vorschlag", "proposed")
    already = highlight_row(alpha, "Schon vorn", "featured", sort_order=7)

    # The listing offers the three actions in Wagtail's bulk action bar.
    listing = editor.get(ADMIN).content.decode()
    for action in ("approve", "feature", "reject"):
        assert f"/admin/bulk/highlights/highlight/{action}/" in listing

    confirm = editor.get(bulk_url("approve", first, changed, next=ADMIN))
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "Erster Vorschlag" in text and "Geänderte Nachricht" in text
    assert "Dritter Vorschlag" not in text
    assert Highlight.objects.get(pk=first.pk).state == "proposed"  # GET only asks

    response = editor.post(bulk_url("approve", first, changed, next=ADMIN))
    assert response.status_code == 302 and response["Location"] == ADMIN
    assert [(fresh(r).state, fresh(r).changed_since_approval) for r in (first, changed)] == [
        ("approved", False),
        ("approved", False),
    ]

    editor.post(bulk_url("feature", third, first))
    assert (fresh(first).state, fresh(third).state) == ("featured", "featured")
    # newly featured rows go behind the ones already featured
    assert sorted([fresh(first).sort_order, fresh(third).sort_order]) == [8, 9]
    assert fresh(already).sort_order == 7

    editor.post(bulk_url("reject", fourth))
    assert fresh(fourth).state == "rejected"
    assert fresh(changed).state == "approved"


def test_bulk_select_all_acts_on_the_filtered_listing_only(editor, alpha, beta):
    alpha_waiting = highlight_row(alpha, "Alpha wartet", "proposed")
    beta_waiting = highlight_row(beta, "Beta wartet", "proposed")
    alpha_other = highlight_row(alpha, "Alpha sucht", "proposed")
    approved = highlight_row(alpha, "Alpha freigegeben", "approved")
    editor.post(
        bulk_url("reject", member=alpha.member.pk, state="proposed", q="wartet") + "&id=all"
    )
    assert fresh(alpha_waiting).state == "rejected"
    assert fresh(alpha_other).state == "proposed"  # not found by the search
    assert fresh(beta_waiting).state == "proposed"  # another member
    assert fresh(approved).state == "approved"  # another state


# --- Featured order on the home page and the dashboard ---------------------------------


def test_featured_order_set_by_the_editor_is_the_home_pages_order(editor, network_client, alpha):
    rows = {
        title: highlight_row(alpha, title, "proposed", age_days=days)
        for title, days in (("Messe", 1), ("Praktikumsbörse", 2), ("Elterncafé", 3))
    }
    highlight_row(alpha, "Freigegeben, nicht vorn", "approved", age_days=0)
    editor.post(bulk_url("feature", *rows.values()))
    for title, position in (("Elterncafé", 1), ("Messe", 2), ("Praktikumsbörse", 3)):
        url = f"{ADMIN}edit/{rows[title].pk}/"
        data = querydict_from_html(editor.get(url).content.decode(), form_id="w-editor-form")
        data["sort_order"] = str(position)
        assert editor.post(url, data).status_code == 302

    soup = soup_of(network_client.get("/de/"))
    assert section_titles(soup, "home-highlights") == [
        "Elterncafé",
        "Messe",
        "Praktikumsbörse",
        "Freigegeben, nicht vorn",
    ]


def test_dashboard_shows_the_number_of_waiting_proposals(editor, alpha, beta):
    highlight_row(alpha, "Erster wartet", "proposed")
    highlight_row(alpha, "Zweiter wartet", "proposed")
    highlight_row(alpha, "Schon freigegeben", "approved")
    highlight_row(beta, "Mitglied archiviert", "proposed")
    archive(beta)
    assert Highlight.objects.waiting().count() == 2

    soup = soup_of(editor.get("/admin/"))
    panel = soup.find(attrs={"data-waiting-highlights": True})
    assert panel["data-waiting-highlights"] == "2"
    assert "2 Vorschläge warten" in panel.get_text(" ", strip=True)
    href = soup.find(id="waiting-highlights-content").find("a")["href"]
    assert href.startswith(ADMIN)
    assert sorted(listed(editor, url=href)) == ["Erster wartet", "Zweiter wartet"]


# --- Who may curate -------------------------------------------------------------------


def _member_admin_clients(alpha):
    """Alpha's coordinator and a superuser of alpha's own admin."""
    with schema_context(alpha.schema):
        get_user_model().objects.create_superuser("admin-alpha", "a@alpha.example", "Admin-A-1")
    superuser = alpha.client()
    assert (
        superuser.post(
            "/admin/login/", {"username": "admin-alpha", "password": "Admin-A-1"}
        ).status_code
        == 302
    )
    return {"coordinator": alpha.logged_in_client(), "member superuser": superuser}


def test_member_admins_never_see_or_reach_the_highlights(alpha):
    row = highlight_row(alpha, "Geheim im Netzwerk", "proposed")
    for who, client in _member_admin_clients(alpha).items():
        home = client.get("/admin/")
        assert home.status_code == 200, who
        assert MENU_ENTRY not in home.content.decode(), who
        assert "data-waiting-highlights" not in home.content.decode(), who
        for url in (ADMIN, f"{ADMIN}edit/{row.pk}/", f"{ADMIN}?state=proposed"):
            response = client.get(url)
            assert response.status_code in (302, 403), (who, url)
            assert "Geheim im Netzwerk" not in response.content.decode(), (who, url)
        for action in ("approve", "feature", "reject"):
            assert refused(client.get(bulk_url(action, row))), (who, action)
            assert refused(client.post(bulk_url(action, row))), (who, action)
        assert client.post(f"{ADMIN}edit/{row.pk}/", {"state": "featured"}).status_code in (
            302,
            403,
        ), who
        assert fresh(row).state == "proposed", who


def _network_user(username: str, *, group: str | None = None, permissions=()) -> HostClient:
    with schema_context("public"):
        user = get_user_model().objects.create_user(username, password="Passwort-1")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        if group:
            group_record = Group.objects.get(name=group)
            group_record.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="highlights", codename__in=permissions
                )
            )
            user.groups.add(group_record)
    client = HostClient("localhost")
    client.force_login(user)
    return client


def test_network_users_without_highlight_permissions_cannot_curate(alpha):
    client = _network_user("ohne-rechte")
    row = highlight_row(alpha, "Vorschlag", "proposed")
    assert MENU_ENTRY not in client.get("/admin/").content.decode()
    assert client.get(ADMIN).status_code in (302, 403)
    assert refused(client.post(bulk_url("approve", row)))
    assert fresh(row).state == "proposed"


def test_redaktion_with_the_highlight_permissions_curates(alpha):
    client = _network_user(
        "redakteurin", group="Redaktion", permissions=EDITORIAL_HIGHLIGHT_PERMISSIONS
    )
    row = highlight_row(alpha, "Vorschlag der Stadt", "proposed")
    assert MENU_ENTRY in client.get("/admin/").content.decode()
    assert listed(client) == ["Vorschlag der Stadt"]
    assert client.post(bulk_url("feature", row)).status_code == 302
    assert fresh(row).state == "featured"
    assert client.get(f"{ADMIN}edit/{row.pk}/").status_code == 200


def test_group_editor_offers_viewing_and_curating_only_in_the_network(editor, alpha):
    with schema_context("public"):
        group = Group.objects.get(name="Redaktion")
        offered = {
            p.codename: str(p.pk)
            for p in Permission.objects.filter(content_type__app_label="highlights")
        }
    soup = soup_of(editor.get(f"/admin/groups/edit/{group.pk}/"))
    values = {box["value"] for box in soup.find_all("input", attrs={"name": "permissions"})}
    assert {offered["view_highlight"], offered["change_highlight"]} <= values
    assert not {offered["add_highlight"], offered["delete_highlight"]} & values
