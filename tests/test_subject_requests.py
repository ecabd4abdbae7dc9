"""Data-subject requests at network level: one address's registrations on the network site
and every member found, exported and deleted, logged per site without the address; a
seat freed by the deletion goes to the waiting list; the page exists only in the network
admin and only for those with the permission; the command refuses bad input."""

import json
import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_tenants.utils import schema_context

from sites.network.models import NetworkEventIndexPage
from sites.registrations import notify
from sites.registrations.models import Registration, SubjectRequestLog
from sites.registrations.services import registration_create
from sites.registrations.subject_requests import (
    address_digest,
    subject_registrations_delete,
    subject_registrations_export,
    subject_registrations_find,
)
from tenants.models import Member
from tests.factories import (
    MemberEventPageFactory,
    NetworkEventIndexPageFactory,
    NetworkEventPageFactory,
    UserFactory,
    member_event_index,
    network_home,
)

ADDRESS = "ada.muster@example.org"
OTHER = "bert@example.org"
URL = "/admin/subject-requests/"
Status = Registration.Status


def _register(event, email, name="Ada Muster", **data):
    data = {"name": name, "email": email, **data}
    return registration_create(event=event, data=data, language="de").registration


def _member_event(schema, **fields):
    with schema_context(schema):
        fields = {"registration_open": True, "waiting_list": True, **fields}
        return MemberEventPageFactory(parent=member_event_index(), **fields)


def _network_event(**fields):
    with schema_context("public"):
        index = NetworkEventIndexPage.objects.first() or NetworkEventIndexPageFactory(
            parent=network_home()
        )
        return NetworkEventPageFactory(parent=index, registration_open=True, **fields)


@pytest.fixture
def registered(alpha, beta):
    """The address registered in alpha (spelt in capitals there), beta and the network;
    another address in alpha and beta, which must stay."""
    events = {"public": _network_event(), alpha.schema: _member_event(alpha.schema)}
    events[beta.schema] = _member_event(beta.schema)
    for schema, event in events.items():
        with schema_context(schema):
            spelling = ADDRESS.upper() if schema == alpha.schema else ADDRESS
            _register(event, spelling, organisation="Jobcenter", answers=[["Essen?", "vegan"]])
            if schema != "public":
                _register(event, OTHER, name="Bert")
    return events


def _count(schema, email):
    with schema_context(schema):
        return Registration.objects.filter(email__iexact=email).count()


def _log_rows(action):
    with schema_context("public"):
        return list(SubjectRequestLog.objects.filter(action=action).order_by("schema_name"))


def test_found_exported_and_deleted_on_every_site_whatever_the_case(alpha, beta, registered):
    Member.objects.filter(pk=beta.member.pk).update(state=Member.State.ARCHIVED)

    found = {site.schema_name: site.count for site in subject_registrations_find(email=ADDRESS)}
    assert found == {"public": 1, alpha.schema: 1, beta.schema: 1}

    data = json.loads(
        json.dumps(subject_registrations_export(email=" Ada.Muster@EXAMPLE.org ", handled_by="dsb"))
    )
    sites = {site["name"]: site for site in data["sites"]}
    assert {"Stadt Alpha", "Kreis Beta"} <= set(sites)
    entry = sites["Stadt Alpha"]["registrations"][0]
    assert sites["Stadt Alpha"]["host"] == alpha.host
    assert entry["event"]["title"] == registered[alpha.schema].title
    assert entry["event"]["url"].startswith(f"http://{alpha.host}/")
    assert entry["event"]["start"] and entry["created_at"]
    assert (entry["status"], entry["organisation"]) == (Status.PENDING, "Jobcenter")
    assert entry["answers"] == [["Essen?", "vegan"]]
    assert [row.count for row in _log_rows("export")] == [1, 1, 1]

    done = {
        site.schema_name: site.deleted
        for site in subject_registrations_delete(email=ADDRESS, handled_by="dsb")
    }
    assert done == {"public": 1, alpha.schema: 1, beta.schema: 1}
    for schema in ("public", alpha.schema, beta.schema):
        assert _count(schema, ADDRESS) == 0
    assert _count(alpha.schema, OTHER) == _count(beta.schema, OTHER) == 1

    deletions = _log_rows("delete")
    assert [(row.schema_name, row.count, row.handled_by) for row in deletions] == [
        (alpha.schema, 1, "dsb"),
        (beta.schema, 1, "dsb"),
        ("public", 1, "dsb"),
    ]
    assert {row.site for row in deletions} >= {"Stadt Alpha", "Kreis Beta"}
    for row in [*deletions, *_log_rows("export")]:
        assert row.address_digest == address_digest(ADDRESS)
        fields = (getattr(row, field.attname) for field in row._meta.concrete_fields)
        stored = " ".join(str(value) for value in fields).lower()
        assert "ada.muster" not in stored and "example.org" not in stored


def test_a_freed_seat_moves_the_waiting_list_up_and_only_they_get_mail(alpha, monkeypatch):
    full = _member_event(alpha.schema, seats=1)
    waiting_too = _member_event(alpha.schema, seats=1)
    with schema_context(alpha.schema):
        _register(full, ADDRESS)
        next_in_line = _register(full, OTHER, name="Bert")
        _register(waiting_too, OTHER, name="Bert")
        _register(waiting_too, ADDRESS)  # waiting: frees no seat
    assert next_in_line.status == Status.WAITING

    mails = []
    monkeypatch.setattr(
        notify,
        "mails_queue",
        lambda registrations, kind, message=None: mails.extend((r.pk, kind) for r in registrations),
    )
    done = subject_registrations_delete(email=ADDRESS, handled_by="dsb")
    site = next(site for site in done if site.schema_name == alpha.schema)
    assert (site.deleted, site.moved_up) == (2, 1)
    with schema_context(alpha.schema):
        next_in_line.refresh_from_db()
    assert next_in_line.status == Status.PENDING
    assert mails == [(next_in_line.pk, "moved_up")]  # the deleted person gets none


def test_nothing_found_is_logged_once_for_the_network(platform, db):
    assert all(site.count == 0 for site in subject_registrations_find(email="nobody@example.org"))
    subject_registrations_delete(email="nobody@example.org", handled_by="dsb")
    assert [(row.schema_name, row.count) for row in _log_rows("delete")] == [("public", 0)]


# --- The network admin's page ------------------------------------------------------------


def test_the_page_needs_the_permission_and_exists_only_in_the_network_admin(
    redaktion_client, member_superuser_client, alpha, registered
):
    for response in (
        redaktion_client.get(URL),
        redaktion_client.post(URL, {"email": ADDRESS, "action": "find"}),
    ):  # Wagtail's answer to a refusal: back to the dashboard
        assert (response.status_code, response.url) == (302, "/admin/")
    assert "Auskunft und Löschung" not in redaktion_client.get("/admin/").content.decode()
    # an admin 404 is first redirected to /de/… by the locale middleware
    member_admin = member_superuser_client
    assert member_admin.get(URL, follow=True).status_code == 404
    form = {"email": ADDRESS, "action": "delete", "confirmed": "yes"}
    assert member_admin.post(URL, form, follow=True).status_code == 404
    assert URL not in member_admin.get("/admin/").content.decode()
    assert _count(alpha.schema, ADDRESS) == 1


def test_a_central_editor_given_the_permission_may_use_it(platform, db):
    with schema_context("public"):
        user = UserFactory(username="datenschutz", groups=["Redaktion"])
        user.user_permissions.add(Permission.objects.get(codename="handle_subject_request"))
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Auskunft und Löschung" in response.content.decode()
    assert URL in client.get("/admin/").content.decode()  # the menu item


def test_find_export_and_delete_with_a_confirmation_step(editor_client, alpha, beta, registered):
    response = editor_client.get(URL)
    assert response.status_code == 200

    page = editor_client.post(URL, {"email": ADDRESS, "action": "find"}).content.decode()
    assert "Stadt Alpha" in page and "Kreis Beta" in page
    assert registered[beta.schema].title in page

    export = editor_client.post(URL, {"email": ADDRESS, "action": "export"})
    assert export["Content-Disposition"].startswith("attachment;")
    assert ADDRESS not in export["Content-Disposition"]
    names = {site["name"] for site in json.loads(export.content)["sites"]}
    assert {"Stadt Alpha", "Kreis Beta"} <= names

    confirm = editor_client.post(URL, {"email": ADDRESS, "action": "delete"})
    assert "endgültig löschen" in confirm.content.decode()
    assert _count(alpha.schema, ADDRESS) == 1  # asked, not done

    done = editor_client.post(URL, {"email": ADDRESS, "action": "delete", "confirmed": "yes"})
    assert done.status_code == 302
    assert _count(alpha.schema, ADDRESS) == _count(beta.schema, ADDRESS) == 0
    assert _count(alpha.schema, OTHER) == 1
    log = editor_client.get(URL).content.decode()
    assert "Löschung" in log and address_digest(ADDRESS)[:12] in log


def test_an_invalid_address_is_refused_by_the_page(editor_client):
    response = editor_client.post(URL, {"email": "keine-adresse", "action": "delete"})
    assert response.status_code == 200
    assert "gültige E-Mail-Adresse" in response.content.decode()


# --- The command -------------------------------------------------------------------------


def test_the_command_refuses_a_bad_address_with_exit_code_1(platform, db):
    with pytest.raises(CommandError, match="keine gültige E-Mail-Adresse") as refused:
        call_command("subject_request", "not-an-address")
    assert refused.value.returncode == 1


def test_the_command_deletes_only_with_yes(alpha, beta, registered):
    out = StringIO()
    with pytest.raises(CommandError, match="--yes"):
        call_command("subject_request", ADDRESS, "--delete", stdout=out)
    assert "Stadt Alpha" in out.getvalue()
    assert _count(alpha.schema, ADDRESS) == 1

    out, err = StringIO(), StringIO()
    call_command(
        "subject_request", ADDRESS, "--export", "-", "--delete", "--yes", stdout=out, stderr=err
    )
    assert {"Stadt Alpha", "Kreis Beta"} <= {
        site["name"] for site in json.loads(out.getvalue())["sites"]
    }
    assert "3 Anmeldung(en) gelöscht" in err.getvalue()
    assert _count(alpha.schema, ADDRESS) == _count(beta.schema, ADDRESS) == 0
    assert _count(beta.schema, OTHER) == 1


def _offered_permissions(client, schema, group_name) -> set[str]:
    with schema_context(schema):
        group = Group.objects.get(name=group_name)
    html = client.get(f"/admin/groups/edit/{group.pk}/").content.decode()
    return set(re.findall(r'name="permissions"[^>]*value="(\d+)"', html))


def test_the_permission_is_offered_in_the_network_group_editor_only(
    editor_client, member_superuser_client, alpha
):
    with schema_context("public"):
        network_pk = str(Permission.objects.get(codename="handle_subject_request").pk)
    with schema_context(alpha.schema):
        member_pk = str(Permission.objects.get(codename="handle_subject_request").pk)
    assert network_pk in _offered_permissions(editor_client, "public", "Redaktion")
    offered_in_member = _offered_permissions(member_superuser_client, alpha.schema, "Koordination")
    assert offered_in_member and member_pk not in offered_in_member
