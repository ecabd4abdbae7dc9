"""The organisers' admin of event registrations: lists with every answer, exports, cancel
and move up by hand, a message to the confirmed participants, the seat count in the page
explorer, permissions per group, and no way from one member's admin to another's."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context
from wagtail.models import GroupPagePermission, Page

from sites.registrations import notify
from sites.registrations.models import Registration
from sites.registrations.services import registration_confirm, registration_create
from tests.factories import (
    MemberEventPageFactory,
    NetworkEventIndexPageFactory,
    NetworkEventPageFactory,
    UserFactory,
    member_event_index,
    member_home,
    network_home,
)

Status = Registration.Status
ADMIN = "/admin/registrations"


def _event(**fields):
    fields = {
        "registration_open": True,
        "waiting_list": True,
        "title": "Ausbildungsbörse",
        **fields,
    }
    return MemberEventPageFactory(parent=member_event_index(), **fields)


def _register(event, name, email, *, confirmed=False, **data):
    registration = registration_create(
        event=event, data={"name": name, "email": email, **data}, language="de"
    ).registration
    if confirmed:
        registration_confirm(registration=registration)
        registration.refresh_from_db()
    return registration


@pytest.fixture
def mails(monkeypatch):
    """The mails the admin's actions send, as (kind, recipients, message) once committed."""
    sent = []

    def record(schema_name, ids, kind, message):
        with schema_context(schema_name):
            names = sorted(Registration.objects.filter(pk__in=ids).values_list("name", flat=True))
        sent.append((kind, names, message))

    monkeypatch.setattr(notify, "_send", record)
    return sent


@pytest.fixture
def survey(alpha):
    """An event of alpha with two seats, every optional question and a waiting list:
    Ada (confirmed), Ben (unconfirmed), Cleo and Dan waiting."""
    with schema_context(alpha.schema):
        event = _event(
            seats=2,
            ask_organisation=True,
            ask_role=True,
            ask_remarks=True,
            question_1="Essenswunsch",
            offer_participant_list=True,
        )
        people = {
            "ada": _register(
                event,
                "Ada Amsel",
                "ada@example.org",
                confirmed=True,
                organisation="Jobcenter Alpha",
                role="Fallmanagerin",
                remarks="Komme etwas später",
                answers=[["Essenswunsch", "vegetarisch"]],
                list_consent=True,
            ),
            "ben": _register(event, "Ben Bussard", "ben@example.org"),
            "cleo": _register(event, "Cleo Crane", "cleo@example.org"),
            "dan": _register(event, "Dan Dohle", "dan@example.org"),
        }
    return event, people


def _status(schema, registration):
    with schema_context(schema):
        registration.refresh_from_db()
    return registration.status


# --- Seeing and exporting -------------------------------------------------------------


def test_coordinator_sees_every_registration_with_its_answers(alpha, survey):
    event, _people = survey
    response = alpha.logged_in_client().get(f"{ADMIN}/event/{event.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Ada Amsel",
        "ada@example.org",
        "Jobcenter Alpha",
        "Fallmanagerin",
        "Komme etwas später",
        "Essenswunsch",
        "vegetarisch",
        "Ben Bussard",
        "Cleo Crane",
    ):
        assert text in html, text
    assert "Plätze belegt: 2 von 2" in html
    assert "Warteliste: 2" in html
    rows = response.context["rows"]
    assert [row["registration"].status for row in rows] == [
        Status.CONFIRMED,
        Status.PENDING,
        Status.WAITING,
        Status.WAITING,
    ]
    assert [row["position"] for row in rows] == [None, None, 1, 2]


def test_the_menu_lists_the_sites_events_with_their_counts(alpha, survey):
    event, _people = survey
    with schema_context(alpha.schema):
        closed = _event(title="Geschlossene Runde", registration_open=False)
    client = alpha.logged_in_client()
    response = client.get(f"{ADMIN}/")
    assert response.status_code == 200
    listed = response.context["events"]
    assert [(row["event"].pk, row["taken"], row["seats"], row["waiting"]) for row in listed] == [
        (event.pk, 2, 2, 2)
    ]
    assert closed.title not in response.content.decode()
    assert '"registrations"' in client.get("/admin/").content.decode()  # the menu item's name


def test_csv_export_has_every_row_and_answer_and_defuses_formulas(alpha, survey):
    event, _people = survey
    with schema_context(alpha.schema):
        _register(event, '=HYPERLINK("http://evil.example")', "evil@example.org")
    response = alpha.logged_in_client().get(f"{ADMIN}/event/{event.pk}/export/csv/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["Status", "Angemeldet am", "E-Mail bestätigt am", "Name", "E-Mail"]
    assert {"Organisation", "Funktion", "Anmerkungen", "Essenswunsch"} <= set(header)
    by_name = {row[header.index("Name")]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_name) == {
        "Ada Amsel",
        "Ben Bussard",
        "Cleo Crane",
        "Dan Dohle",
        '\'=HYPERLINK("http://evil.example")',
    }
    ada = by_name["Ada Amsel"]
    assert ada["Status"] == "Bestätigt"
    assert ada["Essenswunsch"] == "vegetarisch"
    assert ada["Organisation"] == "Jobcenter Alpha"
    assert ada["E-Mail bestätigt am"]
    assert by_name["Cleo Crane"]["Status"] == "Warteliste"


def test_xlsx_export_opens_with_every_row_and_no_formula(alpha, survey):
    event, _people = survey
    with schema_context(alpha.schema):
        _register(event, "=1+1", "formula@example.org")
    response = alpha.logged_in_client().get(f"{ADMIN}/event/{event.pk}/export/xlsx/")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    names = {row[header.index("Name")].value: row for row in rows[1:]}
    assert set(names) == {"Ada Amsel", "Ben Bussard", "Cleo Crane", "Dan Dohle", "=1+1"}
    assert names["=1+1"][header.index("Name")].data_type == "s"  # text, not a formula
    ada = names["Ada Amsel"]
    assert ada[header.index("Essenswunsch")].value == "vegetarisch"
    assert ada[header.index("Angemeldet am")].is_date


# --- Acting by hand ---------------------------------------------------------------------


def test_cancelling_by_hand_moves_the_first_waiting_person_up_and_mails_both(
    alpha, survey, mails, django_capture_on_commit_callbacks
):
    event, people = survey
    client = alpha.logged_in_client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ADMIN}/{people['ada'].pk}/cancel/", follow=True)
    assert response.redirect_chain[-1][0] == f"{ADMIN}/event/{event.pk}/"
    assert _status(alpha.schema, people["ada"]) == Status.CANCELLED
    assert _status(alpha.schema, people["cleo"]) == Status.PENDING
    assert _status(alpha.schema, people["dan"]) == Status.WAITING
    shown = [str(message) for message in response.context["messages"]]
    assert any("Ada Amsel" in text and "abgemeldet" in text for text in shown), shown
    assert any("Cleo Crane" in text and "nachgerückt" in text for text in shown), shown
    assert ("cancelled", ["Ada Amsel"], None) in mails
    assert ("moved_up", ["Cleo Crane"], None) in mails


def test_moving_up_by_hand_gives_a_seat_beyond_the_seats(
    alpha, survey, mails, django_capture_on_commit_callbacks
):
    _event_page, people = survey
    client = alpha.logged_in_client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ADMIN}/{people['dan'].pk}/move-up/", follow=True)
    assert _status(alpha.schema, people["dan"]) == Status.PENDING
    assert _status(alpha.schema, people["cleo"]) == Status.WAITING
    assert "Plätze belegt: 3 von 2" in response.content.decode()
    assert mails == [("moved_up", ["Dan Dohle"], None)]

    response = client.post(f"{ADMIN}/{people['ben'].pk}/move-up/", follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["Nur wer auf der Warteliste steht, kann nachrücken."]


def test_cancelling_asks_first_and_only_a_post_cancels(alpha, survey):
    event, people = survey
    client = alpha.logged_in_client()
    listing = client.get(f"{ADMIN}/event/{event.pk}/").content.decode()
    cancel_url = f"{ADMIN}/{people['ada'].pk}/cancel/"
    assert f'href="{cancel_url}"' in listing
    question = client.get(cancel_url)
    assert question.status_code == 200
    assert "Ada Amsel" in question.content.decode()
    assert 'method="post"' in question.content.decode()
    assert _status(alpha.schema, people["ada"]) == Status.CONFIRMED
    assert client.get(f"{ADMIN}/{people['cleo'].pk}/move-up/").status_code == 405
    assert _status(alpha.schema, people["cleo"]) == Status.WAITING


def test_message_goes_to_the_confirmed_participants_only(
    alpha, survey, mails, django_capture_on_commit_callbacks
):
    event, _people = survey
    client = alpha.logged_in_client()
    form = client.get(f"{ADMIN}/event/{event.pk}/message/")
    assert form.status_code == 200
    assert form.context["recipients"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{ADMIN}/event/{event.pk}/message/",
            {"subject": "Raumänderung", "body": "Wir treffen uns in Raum 2."},
            follow=True,
        )
    assert mails == [
        (
            "message",
            ["Ada Amsel"],
            {"subject": "Raumänderung", "body": "Wir treffen uns in Raum 2."},
        )
    ]
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["Die Nachricht geht an 1 bestätigte Person."]

    invalid = client.post(f"{ADMIN}/event/{event.pk}/message/", {"subject": "", "body": ""})
    assert invalid.status_code == 200
    assert invalid.context["form"].errors.keys() == {"subject", "body"}


# --- The page explorer ------------------------------------------------------------------


def test_seat_count_shows_on_the_event_listing_and_the_events_header(alpha, survey):
    event, _people = survey
    with schema_context(alpha.schema):
        unlimited = _event(title="Offener Abend")
        _register(unlimited, "Eva Elster", "eva@example.org")
        without = _event(title="Ohne Anmeldung", registration_open=False)
        index_pk = member_event_index().pk
    client = alpha.logged_in_client()
    listing = client.get(f"/admin/pages/{index_pk}/").content.decode()
    assert "Anmeldungen (2 / 2)" in listing
    assert "Anmeldungen (1)" in listing
    assert listing.count("data-registrations-button") == 2  # not on the event without
    assert f"{ADMIN}/event/{event.pk}/" in listing
    assert f"{ADMIN}/event/{without.pk}/" not in listing

    edit = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert "Anmeldungen (2 / 2)" in edit


# --- Permissions and isolation ----------------------------------------------------------


def test_coordinator_of_alpha_cannot_reach_betas_events_or_registrations(alpha, beta, survey):
    with schema_context(beta.schema):
        beta_event = _event(title="Beta-Fachtag")
        bernd = _register(beta_event, "Bernd Beta", "bernd@example.org")
    with schema_context(alpha.schema):  # no row of alpha's happens to carry those ids
        assert not Page.objects.filter(pk=beta_event.pk).exists()
        assert not Registration.objects.filter(pk=bernd.pk).exists()
    client = alpha.logged_in_client()
    # (an admin 404 is first redirected to /de/… by the locale middleware: follow it)
    assert client.get(f"{ADMIN}/event/{beta_event.pk}/", follow=True).status_code == 404
    assert client.get(f"{ADMIN}/event/{beta_event.pk}/export/csv/", follow=True).status_code == 404
    assert client.post(f"{ADMIN}/{bernd.pk}/cancel/", follow=True).status_code == 404
    assert _status(beta.schema, bernd) == Status.PENDING
    for url in (f"{ADMIN}/", f"{ADMIN}/event/{survey[0].pk}/"):
        html = client.get(url).content.decode()
        assert "Bernd Beta" not in html
        assert "Beta-Fachtag" not in html


def test_the_network_admin_never_shows_a_members_registrations(alpha, survey, editor_client):
    """Even a superuser of the network admin works in the public schema only."""
    alpha_event = survey[0]
    index = editor_client.get(f"{ADMIN}/").content.decode()
    assert alpha_event.title not in index
    with schema_context(alpha.schema):
        names = list(Registration.objects.values_list("name", flat=True))
    assert names and not any(name in index for name in names)
    response = editor_client.get(f"{ADMIN}/event/{alpha_event.pk}/", follow=True)
    assert response.status_code == 404


def _refused(response) -> bool:
    """Wagtail answers a refused admin view with a redirect to the dashboard (and says so)."""
    return response.status_code == 302 and response.url == "/admin/"


def _alpha_user_with(alpha, *, codenames=(), page_permission=True):
    """An account of alpha with admin access, the registrations app's permissions
    ``codenames`` and (if asked) the right to edit alpha's pages."""
    with schema_context(alpha.schema):
        group = Group.objects.create(name="Nur zum Test")
        group.permissions.add(
            Permission.objects.get(codename="access_admin"),
            *Permission.objects.filter(
                content_type__app_label="registrations", codename__in=codenames
            ),
        )
        if page_permission:
            GroupPagePermission.objects.create(
                group=group,
                page=member_home(),
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename="change_page"
                ),
            )
        user = UserFactory(groups=["Nur zum Test"])
    client = alpha.client()
    with schema_context(alpha.schema):
        client.force_login(user)
    return client


def test_a_page_editor_without_the_registration_permission_is_refused(alpha, survey):
    event, people = survey
    client = _alpha_user_with(alpha)
    assert client.get(f"/admin/pages/{event.pk}/edit/").status_code == 200  # edits the page
    for url in (f"{ADMIN}/", f"{ADMIN}/event/{event.pk}/", f"{ADMIN}/event/{event.pk}/export/csv/"):
        assert _refused(client.get(url)), url
    assert _refused(client.post(f"{ADMIN}/{people['ada'].pk}/cancel/"))
    assert _status(alpha.schema, people["ada"]) == Status.CONFIRMED
    with schema_context(alpha.schema):
        index_pk = member_event_index().pk
    assert (
        "data-registrations-button" not in client.get(f"/admin/pages/{index_pk}/").content.decode()
    )


def test_viewing_alone_may_see_and_export_but_not_act(alpha, survey):
    event, people = survey
    client = _alpha_user_with(alpha, codenames=["view_registration"])
    page = client.get(f"{ADMIN}/event/{event.pk}/")
    assert page.status_code == 200
    assert "Ada Amsel" in page.content.decode()
    assert "/cancel/" not in page.content.decode()
    assert client.get(f"{ADMIN}/event/{event.pk}/export/xlsx/").status_code == 200
    assert _refused(client.post(f"{ADMIN}/{people['ada'].pk}/cancel/"))
    assert _refused(client.get(f"{ADMIN}/event/{event.pk}/message/"))
    assert _status(alpha.schema, people["ada"]) == Status.CONFIRMED


def test_the_registration_permission_without_the_page_is_refused(alpha, survey):
    event, _people = survey
    client = _alpha_user_with(
        alpha, codenames=["view_registration", "change_registration"], page_permission=False
    )
    assert _refused(client.get(f"{ADMIN}/event/{event.pk}/"))
    assert client.get(f"{ADMIN}/").context["events"] == []


def test_central_editors_handle_the_network_events_registrations(redaktion_client):
    with schema_context("public"):
        index = NetworkEventIndexPageFactory(parent=network_home())
        event = NetworkEventPageFactory(
            parent=index, title="Netzwerktagung", registration_open=True, seats=50
        )
        _register(event, "Nora Netz", "nora@example.org")
    listing = redaktion_client.get(f"{ADMIN}/")
    assert [row["event"].pk for row in listing.context["events"]] == [event.pk]
    page = redaktion_client.get(f"{ADMIN}/event/{event.pk}/")
    assert page.status_code == 200
    assert "Nora Netz" in page.content.decode()
    assert (
        "Anmeldungen (1 / 50)" in redaktion_client.get(f"/admin/pages/{index.pk}/").content.decode()
    )


def test_editor_groups_get_the_permissions_and_the_migration_gives_them_to_old_ones(alpha):
    wanted = {"view_registration", "change_registration"}

    def granted(name):
        group = Group.objects.get(name=name)
        return set(
            group.permissions.filter(content_type__app_label="registrations").values_list(
                "codename", flat=True
            )
        )

    with schema_context("public"):
        assert granted("Redaktion") >= wanted
    with schema_context(alpha.schema):
        assert granted("Koordination") >= wanted
        group = Group.objects.get(name="Koordination")
        group.permissions.remove(*group.permissions.filter(codename__in=wanted))
        assert granted("Koordination") == set()

        migration = ("registrations", "0002_registration_permissions")
        executor = MigrationExecutor(connection)
        state_apps = executor.loader.project_state(migration).apps
        module = executor.loader.get_migration(*migration)
        module.operations[0].code(state_apps, connection.schema_editor())
        assert granted("Koordination") >= wanted
