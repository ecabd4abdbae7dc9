"""The coordinator's desk in a real browser: Herten's coordinator proposes a news page
of the demo as a network highlight; a central editor rejects it with a message in the
network admin; the coordinator logs in again (the login page names Herten) and reads the
state and the message on the dashboard.

What the browser does is committed by the live server, as in test_journeys.py; the
rejected row stays until the demo is removed (no page, list or feed shows a rejected row).
"""

from __future__ import annotations

import re
import time

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from sites.highlights.models import Highlight
from sites.members.models import MemberNewsPage
from tenants.models import Member

NEWS_SLUG = "ferienjobs-und-praktika"  # the news page tests/browser/content.py adds to Herten
NOTE = "Bitte nennen Sie im Anreißer, für wen das Angebot gedacht ist."
WORKER_SECONDS = 20


def _login(page, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.get_by_label(re.compile("E-Mail|Benutzername")).fill(username)
    page.get_by_label(re.compile("Passwor[dt]")).fill(password)
    page.get_by_role("button", name="Anmelden").click()


def _highlight_of(page_id: int) -> Highlight:
    """Herten's Highlight row of ``page_id``, once the Celery worker has written it."""
    deadline = time.monotonic() + WORKER_SECONDS
    while True:
        connection.set_schema_to_public()
        row = Highlight.objects.filter(member__slug="herten", source_page_id=page_id).first()
        if row is not None:
            return row
        if time.monotonic() > deadline:
            pytest.fail(f"no highlight of page {page_id} after {WORKER_SECONDS} s")
        time.sleep(0.2)


def test_editor_rejects_with_a_note_and_hertens_coordinator_reads_it(live, new_page, shot):
    with schema_context(Member.objects.get(slug="herten").schema_name):
        news = MemberNewsPage.objects.get(slug=NEWS_SLUG, locale__language_code="de")
    coordinator = live.content.coordinator
    page = new_page()
    page.goto(live.url("/admin/login/", "herten"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung bei Stadt Herten")
    _login(page, live.url("/admin/", "herten"), coordinator.username, coordinator.password)
    expect(page).to_have_url(live.url("/admin/", "herten"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stadt Herten")
    expect(page).to_have_title(re.compile(r"- Stadt Herten$"))
    page.goto(live.url(f"/admin/pages/{news.pk}/edit/", "herten"))
    page.get_by_label("Als Netzwerk-Highlight vorschlagen").check()
    page.get_by_role("button", name="Mehr Aktionen").click()
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.locator(".messages")).to_contain_text("veröffentlicht")
    proposal = _highlight_of(news.pk)
    assert proposal.state == Highlight.State.PROPOSED

    editor = live.content.editor
    editor_page = new_page()
    _login(editor_page, live.url("/admin/"), editor.username, editor.password)
    expect(editor_page).to_have_url(live.url("/admin/"))
    editor_page.goto(live.url(f"/admin/highlights/?member={proposal.member_id}&state=proposed"))
    editor_page.get_by_role("link", name=news.title, exact=True).click()
    editor_page.get_by_label("Status*").select_option("rejected")
    editor_page.get_by_label("Nachricht an das Mitglied").fill(NOTE)
    shot("reject-with-note")
    editor_page.get_by_role("button", name="Speichern").click()
    expect(editor_page.locator(".messages")).to_be_visible()
    row = editor_page.locator("tbody tr").filter(has_text=news.title)
    expect(row).to_contain_text(re.compile("abgelehnt", re.IGNORECASE))
    shot("rejected")

    shot.page = page  # back to the coordinator, who opens the dashboard
    page.goto(live.url("/admin/", "herten"))
    desk = page.locator("#desk-highlights-content")
    entry = desk.locator("tbody tr").filter(has_text=news.title)
    expect(entry).to_contain_text("abgelehnt")
    expect(entry).to_contain_text(NOTE)
    shot("coordinator-reads-the-note")

    connection.set_schema_to_public()
    saved = Highlight.objects.get(pk=proposal.pk)
    assert (saved.state, saved.editor_note) == (Highlight.State.REJECTED, NOTE)
