"""The network's members' area in a real browser (issue 16).

The journey: a central editor invites a Herten staff person in the network admin; the
person follows the link in the invitation mail, sets a password, logs in through the
header's "Login", reads the minutes and downloads their document, is turned away by the
admin, and logs out. The same document is refused to an anonymous visitor. Then axe
(WCAG 2.1 AA) on the area's own pages in German and English: the login page empty and
after a failed login, the password reset page empty and sent empty, and, logged in as
the demo's Herten staff account, the area, the minutes and the internal date. The
demo's area exists in German only: the English login leads to it as well.
"""

from __future__ import annotations

import email
import email.policy
import io
import re
import time
import zipfile
from pathlib import Path
from urllib.parse import quote
from uuid import uuid4

import pytest
from playwright.sync_api import expect

from sites.demo.members_area import (
    HERTEN_STAFF,
    MINUTES,
    MINUTES_DOCUMENT_FILENAME,
    MINUTES_DOCUMENT_TITLE,
    NEXT_MEETING_TITLE,
)
from tests.browser.axe import axe_report, axe_violations
from tests.browser.content import LANGUAGES

MOBILE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
WIDTHS = {"mobile-375": MOBILE, "desktop-1280": DESKTOP}
BROWSER_LOCALES = {"de": "de-DE", "en": "en-GB"}
MAIL_SECONDS = 20

AREA = "/de/mitgliederbereich/"  # the demo's area exists in German only
MINUTES_PATH = f"{AREA}{MINUTES.slug}/"
EVENT_PATH = f"{AREA}vorbereitung-herten/"
STAFF_EMAIL, STAFF_PASSWORD = HERTEN_STAFF[:2]
STAFF_NAME = f"{HERTEN_STAFF[2]} {HERTEN_STAFF[3]}"
MEMBER_NAME = "Stadt Herten"

INVITED_FIRST, INVITED_LAST = "Lena", "Sommerfeld"
INVITED_PASSWORD = "Herbstlaub-Kranich-47"  # 12+ characters, nothing like the name


def _admin_login(page, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.get_by_label(re.compile("E-Mail|Benutzername")).fill(username)
    page.get_by_label(re.compile("Passwor[dt]")).fill(password)
    page.get_by_role("button", name="Anmelden").click()


def _area_login(page, username: str, password: str) -> None:
    """Fill in and send the members' login form shown in ``page``."""
    form = page.locator("form.account-form")
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill(password)
    form.locator("button[type=submit]").click()


def _mail(folder: Path, to: str, subject: str, since: float):
    """The newest mail to ``to`` whose subject starts with ``subject``, written into
    ``folder`` after ``since``, parsed as a mail program would."""
    deadline = time.monotonic() + MAIL_SECONDS
    while True:
        files = (
            [f for f in folder.glob("*.eml") if f.stat().st_mtime >= since]
            if folder.is_dir()
            else []
        )
        for path in sorted(files, reverse=True):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message["To"] == to and str(message["Subject"]).strip().startswith(subject):
                return message
        if time.monotonic() > deadline:
            pytest.fail(f"no mail {subject!r} to {to} in {folder} after {MAIL_SECONDS} s")
        time.sleep(0.2)


def _axe(page, shot, step: str, reports: list[str], widths=WIDTHS) -> None:
    """axe on ``page`` as it is, at each of ``widths``; what it finds goes to ``reports``."""
    for name, viewport in widths.items():
        page.set_viewport_size(viewport)
        shot(f"{step}-{name}")
        violations = axe_violations(page)
        if violations:
            reports.append(axe_report(violations, f"{step}: {page.url} at {viewport['width']} px"))


def _login_url_for(live, path: str) -> re.Pattern:
    """Where an anonymous request for ``path`` must end: the German login page, which
    sends the person back to ``path`` afterwards."""
    return re.compile(re.escape(live.url("/de/login/?next=") + quote(path, safe="")) + "$")


# --- The header of an anonymous visitor ---------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_anonymous_network_home_offers_login_and_names_nobody(live, anonymous_page, shot, language):
    page = anonymous_page
    response = page.goto(live.url(f"/{language}/"))
    assert response.status == 200
    login = page.locator(".member-login a.login-link")
    expect(login).to_have_count(1)
    expect(login).to_have_attribute("href", f"/{language}/login/")
    expect(page.locator("header")).not_to_contain_text("Angemeldet")
    expect(page.locator(".member-login button")).to_have_count(0)
    shot("home")


# --- The journey --------------------------------------------------------------------


def test_invited_person_sets_a_password_logs_in_downloads_the_minutes_and_logs_out(
    live, new_page, shot, tmp_path
):
    address = f"lena.sommerfeld.{uuid4().hex[:8]}@herten.example"  # this run's mail only
    since = time.time() - 1

    # The central editor invites her for Herten.
    editor = new_page()
    account = live.content.editor
    _admin_login(editor, live.url("/admin/"), account.username, account.password)
    expect(editor).to_have_url(live.url("/admin/"))
    editor.goto(live.url("/admin/member_accounts/new/"))
    editor.locator("#id_first_name").fill(INVITED_FIRST)
    editor.locator("#id_last_name").fill(INVITED_LAST)
    editor.locator("#id_email").fill(address)
    editor.locator("#id_member").select_option(label=MEMBER_NAME)
    editor.locator("#id_language").select_option("de")
    shot("invitation-form")
    editor.get_by_role("button", name="Erstellen").click()
    expect(editor.locator(".messages")).to_contain_text(f"Einladung an {address} gesendet")
    row = editor.locator("tbody tr").filter(has_text=address)
    expect(row).to_contain_text(MEMBER_NAME)
    expect(row).to_contain_text("Eingeladen")
    shot("invited")

    # Her mail, its link, her password.
    message = _mail(live.mails, address, "Einladung in den Mitgliederbereich", since)
    text = message.get_body(("plain",)).get_content()
    assert f"{INVITED_FIRST} {INVITED_LAST}" in text
    found = re.search(re.escape(live.url("/de/login/einladung/")) + r"[^\s/]+/", text)
    assert found, f"no invitation link in the mail:\n{text}"
    page = new_page()
    page.goto(found.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Willkommen im Mitgliederbereich")
    expect(page.locator("main")).to_contain_text(f"{INVITED_FIRST} {INVITED_LAST}")
    expect(page.locator("main")).to_contain_text(MEMBER_NAME)
    reports = []
    _axe(page, shot, "invitation", reports, {"desktop-1280": DESKTOP})
    assert not reports, "\n\n".join(reports)
    page.locator("#id_new_password1").fill(INVITED_PASSWORD)
    page.locator("#id_new_password2").fill(INVITED_PASSWORD)
    page.get_by_role("button", name="Passwort speichern").click()
    expect(page).to_have_url(live.url("/de/login/?hinweis=passwort"))
    expect(page.locator("main [role=status]")).to_contain_text("Ihr Passwort ist gespeichert")
    shot("password-saved")
    page.goto(found.group(0))  # the link works once
    expect(page.get_by_role("heading", level=1)).to_have_text("Diese Einladung gilt nicht mehr")

    # From the network home through "Login" into the area.
    page.goto(live.url("/de/"))
    page.locator(".member-login a.login-link").click()
    expect(page).to_have_url(live.url("/de/login/"))
    _area_login(page, address, INVITED_PASSWORD)
    expect(page).to_have_url(live.url(AREA))
    header = page.locator(".member-login")
    expect(header).to_contain_text(f"Angemeldet: {INVITED_FIRST} {INVITED_LAST}")
    expect(header).to_contain_text(f"({MEMBER_NAME})")
    expect(header.get_by_role("link", name="Mitgliederbereich")).to_have_attribute("href", AREA)
    expect(header.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(page.locator("a.login-link")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitgliederbereich")
    shot("members-area")

    page.locator("nav.members-nav").get_by_role("link", name=MINUTES.title).click()
    expect(page).to_have_url(live.url(MINUTES_PATH))
    expect(page.get_by_role("heading", level=1)).to_have_text(MINUTES.title)
    document_link = page.locator(".attachments a").filter(has_text=MINUTES_DOCUMENT_TITLE)
    expect(document_link).to_have_count(1)
    shot("minutes")
    document_path = document_link.get_attribute("href")
    # storage adds a suffix when an earlier demo left a file of that name in the folder
    stem, suffix = MINUTES_DOCUMENT_FILENAME.rsplit(".", 1)
    file_name = rf"{re.escape(stem)}(_\w+)?\.{suffix}"
    assert re.fullmatch(rf"/documents/\d+/{file_name}", document_path)
    with page.expect_download() as download_info:
        document_link.click()
    download = download_info.value
    assert re.fullmatch(file_name, download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as docx:  # a Word file is a zip
        assert "word/document.xml" in docx.namelist()

    # Nobody else gets the document: an anonymous visitor is sent to the login.
    stranger = new_page()
    answer = stranger.request.get(live.url(document_path), max_redirects=0)
    assert answer.status == 302, answer.status
    assert "content-disposition" not in answer.headers
    stranger.goto(live.url(document_path))
    expect(stranger).to_have_url(_login_url_for(live, document_path))
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Login für Mitglieder")
    shot("document-refused-to-a-stranger")

    # Her account has no admin: /admin/ does not let her in, nor does its login form.
    shot.page = page
    page.goto(live.url("/admin/"))
    expect(page).to_have_url(re.compile(re.escape(live.url("/admin/login/"))))
    expect(page.locator("body")).to_contain_text("Berechtigung")
    expect(page.locator("main")).not_to_contain_text("Dashboard")
    shot("admin-refuses")
    page.get_by_label(re.compile("E-Mail|Benutzername")).fill(address)
    page.get_by_label(re.compile("Passwor[dt]")).fill(INVITED_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(re.escape(live.url("/admin/login/"))))
    expect(page.locator("main")).to_contain_text("Dieses Konto hat keinen Zugang zur Verwaltung")
    shot("admin-login-refuses")

    # Logging out with the header's button closes the area again.
    page.goto(live.url(MINUTES_PATH))
    page.locator(".member-login").get_by_role("button", name="Abmelden").click()
    expect(page).to_have_url(live.url("/de/login/?hinweis=abgemeldet"))
    expect(page.locator("main [role=status]")).to_contain_text("Sie sind abgemeldet")
    expect(page.locator(".member-login a.login-link")).to_be_visible()
    expect(page.locator("header")).not_to_contain_text("Angemeldet")
    shot("logged-out")
    page.goto(live.url(AREA))
    expect(page).to_have_url(_login_url_for(live, AREA))
    page.goto(live.url(document_path))
    expect(page).to_have_url(_login_url_for(live, document_path))
    shot("area-closed-again")


# --- WCAG 2.1 AA --------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_login_page_and_its_errors_have_no_wcag_violations(live, new_page, shot, language):
    page = new_page(MOBILE, BROWSER_LOCALES[language])
    url = live.url(f"/{language}/login/")
    response = page.goto(url)
    assert response.status == 200, f"{url}: {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#id_username")).to_be_focused()
    # the login's button, not the event form's "Anmelden" ("Register" in English)
    expect(page.locator("form.account-form button[type=submit]")).not_to_have_text("Register")
    reports = []
    _axe(page, shot, "login", reports)

    # an address without an account: no real account's failure counter moves
    _area_login(page, f"niemand.{language}.{uuid4().hex[:8]}@example.org", "falsch-falsch-1")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary li")).to_have_count(1)  # the form's, not a field's
    _axe(page, shot, "login-failed", reports)
    assert not reports, "\n\n".join(reports)


@pytest.mark.parametrize("language", LANGUAGES)
def test_password_reset_page_and_its_errors_have_no_wcag_violations(live, new_page, shot, language):
    page = new_page(MOBILE, BROWSER_LOCALES[language])
    url = live.url(f"/{language}/login/passwort/")
    response = page.goto(url)
    assert response.status == 200, f"{url}: {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", language)
    reports = []
    _axe(page, shot, "reset", reports)

    page.locator("form.account-form button[type=submit]").click()  # nothing filled in
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    _axe(page, shot, "reset-errors", reports)
    assert not reports, "\n\n".join(reports)


@pytest.mark.parametrize("language", LANGUAGES)
def test_members_area_pages_have_no_wcag_violations(live, new_page, shot, language):
    """Logged in through the login page in ``language`` as the demo's Herten staff
    account. The demo's area exists in German only, so the English login leads to it
    too (its pages are German pages, ``lang="de"``)."""
    page = new_page(DESKTOP, BROWSER_LOCALES[language])
    page.goto(live.url(f"/{language}/login/"))
    _area_login(page, STAFF_EMAIL, STAFF_PASSWORD)
    expect(page).to_have_url(live.url(AREA))
    expect(page.locator(".member-login")).to_contain_text(STAFF_NAME)
    reports = []
    for step, path, widths, heading in (
        ("area", AREA, WIDTHS, "Mitgliederbereich"),
        ("minutes", MINUTES_PATH, {"desktop-1280": DESKTOP}, MINUTES.title),
        ("event", EVENT_PATH, {"desktop-1280": DESKTOP}, NEXT_MEETING_TITLE),
    ):
        response = page.goto(live.url(path))
        assert response.status == 200, f"{path}: {response.status}"
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator("nav.members-nav [aria-current=page]")).to_have_count(1)
        _axe(page, shot, step, reports, widths)
    assert not reports, "\n\n".join(reports)

    page.goto(live.url(f"/{language}/"))  # the header in the page's language
    expect(page.locator(".member-login")).to_contain_text(STAFF_NAME)
    logout = page.locator(".member-login button[type=submit]")
    expect(logout).to_be_visible()
    expect(logout).not_to_have_text("Cancel registration")  # the event form's "Abmelden"


def test_english_login_page_speaks_english(live, anonymous_page, shot):
    page = anonymous_page
    page.goto(live.url("/en/login/"))
    shot("english-login")
    assert page.get_by_role("heading", level=1).inner_text() == "Members’ login"
    assert page.locator("form.account-form button[type=submit]").inner_text() == "Log in"
