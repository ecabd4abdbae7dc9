"""Central editors curate the members' highlights in the network admin, through HTTP.

Rows are written directly (the pipeline has its own tests, tests/test_member_content_sync.py);
everything an editor does goes through the admin's views.
"""

from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django_tenants.utils import schema_context
from wagtail.test.utils.form_data import querydict_from_html

from sites.highlights.models import Highlight
from tests.conftest import HostClient
from tests.factories import HighlightFactory, UserFactory
from tests.test_highlights_network import archive, section_titles, soup_of

ADMIN = "/admin/highlights/"
MENU_ENTRY = '"url": "/admin/highlights/"'
# What tenants.services.EDITORIAL_MEMBER_PERMISSIONS is to grant the "Redaktion" group.
EDITORIAL_HIGHLIGHT_PERMISSIONS = ["view_highlight", "change_highlight"]


def bulk_url(action: str, *rows, **query) -> str:
    params = [f"id={row.pk}" for row in rows] + [f"{k}={v}" for k, v in query.items()]
    return f"/admin/bulk/highlights/highlight/{action}/?" + "&".join(params)


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


def test_editor_lists_highlights_with_columns_and_menu_entry(editor_client, alpha, beta):
    waiting = HighlightFactory(
        member=alpha.member, title="Wartender Vorschlag", state="proposed", age_days=1
    )
    HighlightFactory(
        member=alpha.member,
        title="Geänderter Termin",
        state="approved",
        page_type="event",
        age_days=2,
        changed_since_approval=True,
    )
    HighlightFactory(
        member=beta.member,
        title="Abgelehntes Portrait",
        state="rejected",
        page_type="profile",
        locale="en",
        age_days=3,
    )

    assert MENU_ENTRY in editor_client.get("/admin/").content.decode()
    assert listed(editor_client) == [
        "Wartender Vorschlag",
        "Geänderter Termin",
        "Abgelehntes Portrait",
    ]

    row = row_of(editor_client, "Wartender Vorschlag")
    assert row.find("a", href=f"{ADMIN}edit/{waiting.pk}/") is not None
    cells = row.get_text(" ", strip=True)
    assert "Stadt Alpha" in cells and "Nachricht" in cells and "vorgeschlagen" in cells
    assert "seit Freigabe geändert" not in cells
    changed = row_of(editor_client, "Geänderter Termin").get_text(" ", strip=True)
    assert "seit Freigabe geändert" in changed and "Veranstaltung" in changed
    assert row.find("input", attrs={"data-bulk-action-checkbox": True}) is not None

    assert listed(editor_client, {"member": beta.member.pk}) == ["Abgelehntes Portrait"]
    assert listed(editor_client, {"state": "proposed"}) == ["Wartender Vorschlag"]
    assert listed(editor_client, {"page_type": "event"}) == ["Geänderter Termin"]
    assert listed(editor_client, {"language": "en"}) == ["Abgelehntes Portrait"]
    assert listed(editor_client, {"q": "Termin"}) == ["Geänderter Termin"]
    assert listed(editor_client, {"member": alpha.member.pk, "state": "approved"}) == [
        "Geänderter Termin"
    ]


def test_featured_listing_follows_the_manual_order(editor_client, alpha):
    HighlightFactory(
        member=alpha.member, title="Dritter", state="featured", sort_order=3, age_days=1
    )
    HighlightFactory(
        member=alpha.member, title="Erster", state="featured", sort_order=1, age_days=5
    )
    HighlightFactory(
        member=alpha.member, title="Zweiter", state="featured", sort_order=2, age_days=9
    )
    HighlightFactory(member=alpha.member, title="Nur freigegeben", state="approved", age_days=2)
    assert listed(editor_client, {"state": "featured"}) == ["Erster", "Zweiter", "Dritter"]


# --- One row --------------------------------------------------------------------------


def test_edit_view_sets_state_and_order_and_leaves_content_alone(editor_client, alpha):
    row = HighlightFactory(
        member=alpha.member,
        title="Ausbildungsmesse",
        state="approved",
        teaser="Vom Mitglied.",
        changed_since_approval=True,
    )
    url = f"{ADMIN}edit/{row.pk}/"

    form_page = editor_client.get(url)
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert "Vom Mitglied." in html  # content is shown, read-only
    assert f'href="{row.url}"' in html  # with a link to the member's page
    assert "seit der Freigabe geändert" in html
    data = querydict_from_html(html, form_id="w-editor-form")
    assert "title" not in data and "teaser" not in data
    data.update({"state": "featured", "sort_order": "4"})
    data["title"] = "Von der Redaktion umbenannt"  # not a field of the form: ignored
    response = editor_client.post(url, data)
    assert response.status_code == 302

    row = fresh(row)
    assert (row.state, row.sort_order, row.changed_since_approval) == ("featured", 4, False)
    assert (row.title, row.teaser) == ("Ausbildungsmesse", "Vom Mitglied.")


def test_edit_view_shows_the_original_and_which_translations_exist(editor_client, alpha):
    english_url = "http://alpha.localhost/en/aktuelles/messe/"
    row = HighlightFactory(
        member=alpha.member,
        title="Ausbildungsmesse",
        state="proposed",
        translations={"en": {"title": "Training fair", "teaser": "", "url": english_url}},
    )
    soup = soup_of(editor_client.get(f"{ADMIN}edit/{row.pk}/"))
    assert soup.find("a", href=row.url) is not None  # the original, German
    link = soup.find("a", href=english_url)
    assert (link.get_text(), link["lang"]) == ("Training fair", "en")
    assert link.find_parent("dd").find_previous_sibling("dt").get_text() == "Übersetzungen"
    assert "English" in link.parent.get_text()
    assert "Ausbildungsmesse" in listed(editor_client)  # the listing keeps the original's title


def test_rejecting_keeps_the_changed_marker_and_no_row_can_be_added_or_deleted(
    editor_client, alpha
):
    row = HighlightFactory(
        member=alpha.member, title="Alte Nachricht", state="approved", changed_since_approval=True
    )
    url = f"{ADMIN}edit/{row.pk}/"
    data = querydict_from_html(editor_client.get(url).content.decode(), form_id="w-editor-form")
    data["state"] = "rejected"
    assert editor_client.post(url, data).status_code == 302
    assert (fresh(row).state, fresh(row).changed_since_approval) == ("rejected", True)

    assert editor_client.get(f"{ADMIN}new/").status_code in (302, 403)
    assert editor_client.post(f"{ADMIN}delete/{row.pk}/").status_code in (302, 403)
    assert Highlight.objects.filter(pk=row.pk).exists()


# --- Bulk actions ---------------------------------------------------------------------


def test_bulk_approve_feature_and_reject(editor_client, alpha, beta):
    first = HighlightFactory(member=alpha.member, title="Erster Vorschlag", state="proposed")
    changed = HighlightFactory(
        member=alpha.member,
        title="Geänderte Nachricht",
        state="approved",
        changed_since_approval=True,
    )
    third = HighlightFactory(member=beta.member, title="Dritter Vorschlag", state="proposed")
    fourth = HighlightFactory(member=beta.member, title="Vierter Vorschlag", state="proposed")
    already = HighlightFactory(
        member=alpha.member, title="Schon vorn", state="featured", sort_order=7
    )

    # The listing offers the three actions in Wagtail's bulk action bar.
    listing = editor_client.get(ADMIN).content.decode()
    for action in ("approve", "feature", "reject"):
        assert f"/admin/bulk/highlights/highlight/{action}/" in listing

    confirm = editor_client.get(bulk_url("approve", first, changed, next=ADMIN))
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "Erster Vorschlag" in text and "Geänderte Nachricht" in text
    assert "Dritter Vorschlag" not in text
    assert Highlight.objects.get(pk=first.pk).state == "proposed"  # GET only asks

    response = editor_client.post(bulk_url("approve", first, changed, next=ADMIN))
    assert response.status_code == 302 and response["Location"] == ADMIN
    assert [(fresh(r).state, fresh(r).changed_since_approval) for r in (first, changed)] == [
        ("approved", False),
        ("approved", False),
    ]

    editor_client.post(bulk_url("feature", third, first))
    assert (fresh(first).state, fresh(third).state) == ("featured", "featured")
    # newly featured rows go behind the ones already featured
    assert sorted([fresh(first).sort_order, fresh(third).sort_order]) == [8, 9]
    assert fresh(already).sort_order == 7

    editor_client.post(bulk_url("reject", fourth))
    assert fresh(fourth).state == "rejected"
    assert fresh(changed).state == "approved"


def test_bulk_select_all_acts_on_the_filtered_listing_only(editor_client, alpha, beta):
    alpha_waiting = HighlightFactory(member=alpha.member, title="Alpha wartet", state="proposed")
    beta_waiting = HighlightFactory(member=beta.member, title="Beta wartet", state="proposed")
    alpha_other = HighlightFactory(member=alpha.member, title="Alpha sucht", state="proposed")
    approved = HighlightFactory(member=alpha.member, title="Alpha freigegeben", state="approved")
    editor_client.post(
        bulk_url("reject", member=alpha.member.pk, state="proposed", q="wartet") + "&id=all"
    )
    assert fresh(alpha_waiting).state == "rejected"
    assert fresh(alpha_other).state == "proposed"  # not found by the search
    assert fresh(beta_waiting).state == "proposed"  # another member
    assert fresh(approved).state == "approved"  # another state


# --- Featured order on the home page and the dashboard ---------------------------------


def test_featured_order_set_by_the_editor_is_the_home_pages_order(
    editor_client, network_client, alpha
):
    rows = {
        title: HighlightFactory(member=alpha.member, title=title, state="proposed", age_days=days)
        for title, days in (("Messe", 1), ("Praktikumsbörse", 2), ("Elterncafé", 3))
    }
    HighlightFactory(
        member=alpha.member, title="Freigegeben, nicht vorn", state="approved", age_days=0
    )
    editor_client.post(bulk_url("feature", *rows.values()))
    for title, position in (("Elterncafé", 1), ("Messe", 2), ("Praktikumsbörse", 3)):
        url = f"{ADMIN}edit/{rows[title].pk}/"
        data = querydict_from_html(editor_client.get(url).content.decode(), form_id="w-editor-form")
        data["sort_order"] = str(position)
        assert editor_client.post(url, data).status_code == 302

    soup = soup_of(network_client.get("/de/"))
    assert section_titles(soup, "home-highlights") == [
        "Elterncafé",
        "Messe",
        "Praktikumsbörse",
        "Freigegeben, nicht vorn",
    ]


def test_dashboard_shows_the_number_of_waiting_proposals(editor_client, alpha, beta):
    HighlightFactory(member=alpha.member, title="Erster wartet", state="proposed")
    HighlightFactory(member=alpha.member, title="Zweiter wartet", state="proposed")
    HighlightFactory(member=alpha.member, title="Schon freigegeben", state="approved")
    HighlightFactory(member=beta.member, title="Mitglied archiviert", state="proposed")
    archive(beta)
    assert Highlight.objects.waiting().count() == 2

    soup = soup_of(editor_client.get("/admin/"))
    panel = soup.find(attrs={"data-waiting-highlights": True})
    assert panel["data-waiting-highlights"] == "2"
    assert "2 Vorschläge warten" in panel.get_text(" ", strip=True)
    href = soup.find(id="waiting-highlights-content").find("a")["href"]
    assert href.startswith(ADMIN)
    assert sorted(listed(editor_client, url=href)) == ["Erster wartet", "Zweiter wartet"]


# --- Who may curate -------------------------------------------------------------------


def test_member_admins_never_see_or_reach_the_highlights(alpha, member_superuser_client):
    row = HighlightFactory(member=alpha.member, title="Geheim im Netzwerk", state="proposed")
    member_admins = {
        "coordinator": alpha.logged_in_client(),
        "member superuser": member_superuser_client,
    }
    for who, client in member_admins.items():
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
        if group:
            Group.objects.get(name=group).permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="highlights", codename__in=permissions
                )
            )
        user = UserFactory(username=username, groups=[group] if group else None)
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = HostClient("localhost")
    client.force_login(user)
    return client


def test_network_users_without_highlight_permissions_cannot_curate(alpha):
    client = _network_user("ohne-rechte")
    row = HighlightFactory(member=alpha.member, title="Vorschlag", state="proposed")
    assert MENU_ENTRY not in client.get("/admin/").content.decode()
    assert client.get(ADMIN).status_code in (302, 403)
    assert refused(client.post(bulk_url("approve", row)))
    assert fresh(row).state == "proposed"


def test_redaktion_with_the_highlight_permissions_curates(alpha):
    client = _network_user(
        "redakteurin", group="Redaktion", permissions=EDITORIAL_HIGHLIGHT_PERMISSIONS
    )
    row = HighlightFactory(member=alpha.member, title="Vorschlag der Stadt", state="proposed")
    assert MENU_ENTRY in client.get("/admin/").content.decode()
    assert listed(client) == ["Vorschlag der Stadt"]
    assert client.post(bulk_url("feature", row)).status_code == 302
    assert fresh(row).state == "featured"
    assert client.get(f"{ADMIN}edit/{row.pk}/").status_code == 200


def test_group_editor_offers_viewing_and_curating_only_in_the_network(editor_client, alpha):
    with schema_context("public"):
        group = Group.objects.get(name="Redaktion")
        offered = {
            p.codename: str(p.pk)
            for p in Permission.objects.filter(content_type__app_label="highlights")
        }
    soup = soup_of(editor_client.get(f"/admin/groups/edit/{group.pk}/"))
    values = {box["value"] for box in soup.find_all("input", attrs={"name": "permissions"})}
    assert {offered["view_highlight"], offered["change_highlight"]} <= values
    assert not {offered["add_highlight"], offered["delete_highlight"]} & values
