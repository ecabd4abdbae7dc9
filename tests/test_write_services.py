"""The write rules live in services: curation of highlights and editing a member, each one
atomic, checked before anything is saved, and the same whether an admin view, a command
or the demo builder calls it."""

import pytest
from django.contrib.messages import get_messages
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry, Site
from wagtail.test.utils.form_data import querydict_from_html

from sites.highlights.models import Highlight
from sites.highlights.services import highlight_curate
from tenants.models import Member
from tenants.services import member_update
from tenants.validation import ProvisioningError
from tests.factories import HighlightFactory


def test_featuring_appends_to_the_featured_order_and_reviews_the_rows(alpha, central_editor):
    first = HighlightFactory(
        member=alpha.member, title="Schon vorn", state="featured", sort_order=4
    )
    changed = HighlightFactory(
        member=alpha.member, title="Geändert", state="approved", changed_since_approval=True
    )
    new = HighlightFactory(member=alpha.member, title="Neu", state="proposed")

    assert highlight_curate([first, changed, new], state="featured", user=central_editor) == 3

    rows = {row.title: row for row in Highlight.objects.all()}
    assert [rows[t].sort_order for t in ("Schon vorn", "Geändert", "Neu")] == [4, 5, 6]
    assert not rows["Geändert"].changed_since_approval
    logged = ModelLogEntry.objects.filter(action="wagtail.edit", user=central_editor)
    assert logged.count() == 3


def test_an_unknown_state_changes_nothing(alpha):
    row = HighlightFactory(member=alpha.member, title="Vorschlag", state="proposed")
    with pytest.raises(ValueError, match="Unbekannter Status"):
        highlight_curate([row], state="veröffentlicht")
    assert Highlight.objects.get(pk=row.pk).state == "proposed"
    assert not ModelLogEntry.objects.exists()


def test_rejecting_keeps_the_changed_flag_for_the_editors(alpha):
    row = HighlightFactory(
        member=alpha.member, title="Geändert", state="approved", changed_since_approval=True
    )
    highlight_curate([row], state="rejected")
    assert Highlight.objects.get(pk=row.pk).changed_since_approval


def _edit_form(client, member) -> tuple[str, dict]:
    url = f"/admin/members/edit/{member.pk}/"
    return url, querydict_from_html(client.get(url).content.decode(), form_id="w-editor-form")


def test_a_refused_edit_saves_nothing_and_shows_only_the_error(editor_client, alpha, beta):
    """A domain of another member: the form says so, and neither the new name nor the
    archived state was saved before the check (no success message either)."""
    url, data = _edit_form(editor_client, alpha.member)
    data.update({"name": "Stadt Alpha Neu", "state": "archived", "domain": beta.host})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Die Domain „{beta.host}“ ist bereits vergeben." in html
    levels = [message.level_tag for message in get_messages(response.wsgi_request)]
    assert "error" in levels and "success" not in levels
    member = Member.objects.get(pk=alpha.member.pk)
    assert (member.name, member.state, member.primary_domain) == (
        "Stadt Alpha",
        "active",
        alpha.host,
    )
    assert alpha.client().get("/de/").status_code == 200


def test_an_accepted_edit_changes_member_domain_and_site_together(editor_client, alpha):
    url, data = _edit_form(editor_client, alpha.member)
    data.update({"name": "Stadt Alpha am See", "domain": "see.alpha.localhost"})
    assert editor_client.post(url, data).status_code == 302
    member = Member.objects.get(pk=alpha.member.pk)
    assert (member.name, member.primary_domain) == ("Stadt Alpha am See", "see.alpha.localhost")
    with schema_context(alpha.schema):
        site = Site.objects.get()
        assert (site.hostname, site.site_name) == ("see.alpha.localhost", "Stadt Alpha am See")
    assert ModelLogEntry.objects.filter(action="wagtail.edit").count() == 1


def test_the_network_and_the_template_are_not_edited_as_members(platform, db):
    for schema in ("public", "member_template"):
        row = Member.objects.get(schema_name=schema)
        with pytest.raises(ProvisioningError, match="keine Mitglieder"):
            member_update(row, state="archived")
        assert Member.objects.get(pk=row.pk).state == "active"


def test_bad_values_are_refused_before_anything_is_saved(alpha):
    with pytest.raises(ProvisioningError, match="Unbekannter Status"):
        member_update(alpha.member, name="Neuer Name", state="weg")
    with pytest.raises(ProvisioningError, match="kein gültiger Hostname"):
        member_update(alpha.member, name="Neuer Name", domain="http://alpha")
    assert Member.objects.get(pk=alpha.member.pk).name == "Stadt Alpha"
