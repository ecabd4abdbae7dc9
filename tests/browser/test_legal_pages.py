"""The legal pages in a real browser: axe (WCAG 2.1 AA) at 375 px and 1280 px on the
imprint, privacy policy and accessibility statement of a microsite (Herten) and of the
network, in German and English; on the statement's "report a barrier" form sent with
errors and sent successfully (Kiel), in both languages; and the journey of a visitor who
fills in the form with the keyboard, sends it and sees the confirmation, while the
report reaches the site's address and the receipt the visitor's.

English legal pages are made here below any live English home that lacks them
(``legal_pages_ensure``), and Herten and Kiel get the contact address their reports go
to. Everything goes with the demo at the end.
"""

from __future__ import annotations

import email
import email.policy
import time
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import pytest
from django.conf import settings
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from core.models import SiteSettings
from sites.legal.models import AccessibilityStatementPage, ImprintPage, PrivacyPage
from sites.legal.services import legal_pages_ensure
from tenants.models import Member
from tests.browser.axe import (
    MOBILE,
    axe_at_both_widths,
)
from tests.browser.content import LANGUAGES, MEMBER, REGISTRATION_MEMBER
from tests.factories import member_home

BROWSER_LOCALES = {"de": "de-DE", "en": "en-GB"}
KINDS = {
    "imprint": ImprintPage,
    "privacy": PrivacyPage,
    "accessibility": AccessibilityStatementPage,
}
SITES = ("member", "network")
# The sites whose form is sent in each language: every POST counts towards the site's
# limit per address (FEEDBACK_RATE, 5 an hour), so the tests spread them over two sites.
# Kiel's English home is an alias of the German one: its statement is German only.
FORM_SITES = {"de": REGISTRATION_MEMBER, "en": MEMBER}
MIN_SECONDS = 3.5  # a little more than the server's FEEDBACK_MIN_SECONDS (default 3)
MAIL_SECONDS = 20


def _contact(slug: str) -> str:
    return f"barrierefrei@{slug}.example"


@dataclass
class LegalUrls:
    # (site, kind) -> {"de": absolute URL, "en": absolute URL}; site "member" is Herten
    pages: dict[tuple[str, str], dict[str, str]]
    # the statement with its form, {"de": …, "en": …}, by member slug
    statements: dict[str, dict[str, str]]


def _urls_by_language(model, languages=LANGUAGES) -> dict[str, str]:
    return {
        language: model.objects.live().get(locale__language_code=language).full_url
        for language in languages
    }


@pytest.fixture(scope="module")
def legal(live, django_db_blocker) -> LegalUrls:
    """The English legal pages below the English homes, and the contact addresses of
    Herten and Kiel, committed for the live server."""
    pages, statements = {}, {}
    with django_db_blocker.unblock():
        for slug in (MEMBER, REGISTRATION_MEMBER):
            with schema_context(Member.objects.get(slug=slug).schema_name):
                legal_pages_ensure(network=False)  # where a live English home lacks them
                site_settings = SiteSettings.for_site(member_home().get_site())
                site_settings.contact_email = _contact(slug)
                site_settings.save()
                statements[slug] = _urls_by_language(
                    AccessibilityStatementPage, LANGUAGES if slug == MEMBER else ("de",)
                )
                if slug == MEMBER:
                    for kind, model in KINDS.items():
                        pages[("member", kind)] = _urls_by_language(model)
        with schema_context(settings.PUBLIC_SCHEMA_NAME):
            legal_pages_ensure(network=True)
            for kind, model in KINDS.items():
                pages[("network", kind)] = _urls_by_language(model)
    return LegalUrls(pages, statements)


def _wait_as_a_person(since: float) -> None:
    """A person needs some seconds between seeing the form and sending it; the server
    refuses forms sent faster (the time token of sites.legal.forms)."""
    time.sleep(max(0.0, since + MIN_SECONDS - time.monotonic()))


def _submit(page):
    """Sends the barrier form; returns the server's answer to the POST."""
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.locator("form.feedback-form button[type=submit]").click()
    return answer.value


def _mail(folder: Path, to: str, subject: str, since: float):
    """The newest mail to ``to`` whose subject starts with ``subject``, written into
    ``folder`` (the live server's .eml files) after ``since``."""
    deadline = time.monotonic() + MAIL_SECONDS
    while True:
        files = [f for f in folder.glob("*.eml") if f.stat().st_mtime >= since]
        for path in sorted(files, reverse=True) if folder.is_dir() else []:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message["To"] == to and str(message["Subject"]).startswith(subject):
                return message
        if time.monotonic() > deadline:
            pytest.fail(f"no mail {subject!r} to {to} in {folder} after {MAIL_SECONDS} s")
        time.sleep(0.2)


# --- WCAG 2.1 AA ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("site", SITES)
def test_legal_page_has_no_wcag_violations(legal, anonymous_page, shot, site, kind, language):
    url = legal.pages[(site, kind)][language]
    page = anonymous_page
    response = page.goto(url)
    assert response.status == 200, f"{url}: {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", language)
    footer_link = page.locator(f"footer a[href='{page.evaluate('location.pathname')}']")
    expect(footer_link).to_have_count(1)  # the footer links this very page
    if kind == "accessibility" and site == "member":  # the network has no address: no form
        expect(page.locator("form.feedback-form")).to_be_visible()
        expect(page.locator(".form-hp")).not_to_be_in_viewport()
    reports = []
    axe_at_both_widths(page, shot, f"{site}-{kind}", reports)
    assert not reports, "\n\n".join(reports)


@pytest.mark.parametrize("language", LANGUAGES)
def test_barrier_form_its_errors_and_its_answer_have_no_wcag_violations(
    legal, new_page, shot, language
):
    page = new_page(MOBILE, BROWSER_LOCALES[language])
    url = legal.statements[FORM_SITES[language]][language]
    assert page.goto(url).status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    reports = []

    answer = _submit(page)  # nothing filled in
    shown = time.monotonic()
    assert answer.status == 400, f"{answer.url}: {answer.status}"
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#id_message")).to_have_attribute("aria-invalid", "true")
    axe_at_both_widths(page, shot, "errors", reports)
    summary.locator("a[href='#id_message']").click()  # the summary leads to the field
    expect(page.locator("#id_message")).to_be_focused()

    page.locator("#id_message").fill(f"Axe-Test ({language}): Kontrast der Tabelle zu gering.")
    _wait_as_a_person(shown)
    answer = _submit(page)
    assert answer.status == 200, f"{answer.url}: {answer.status}"
    done = page.locator(".feedback-done[role=status]")
    expect(done).to_be_visible()
    expect(page.locator("form.feedback-form")).to_have_count(0)
    axe_at_both_widths(page, shot, "sent", reports)
    assert not reports, "\n\n".join(reports)


# --- The journey ----------------------------------------------------------------------


def test_visitor_reports_a_barrier_with_the_keyboard_and_sees_the_confirmation(
    legal, live, new_page, shot
):
    address = f"ada.{uuid4().hex[:8]}@example.org"  # this run's mails only
    text = f"Das Video auf der Startseite hat keine Untertitel ({address})."
    since = time.time() - 1
    page = new_page()
    page.goto(legal.statements[MEMBER]["de"])
    shown = time.monotonic()
    form = page.get_by_role("form", name="Barriere melden: Feedback und Kontakt")
    expect(form).to_be_visible()
    shot("statement")

    page.get_by_label("Ihre Nachricht").click()
    page.keyboard.type(text)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Auf welcher Seite?")).to_be_focused()
    page.keyboard.type("Startseite")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Name", exact=True)).to_be_focused()
    page.keyboard.type("Ada Muster")
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-Mail-Adresse")).to_be_focused()
    page.keyboard.type(address)
    page.keyboard.press("Tab")  # past the honeypot (not focusable) to the privacy link
    expect(form.get_by_role("link", name="Mehr dazu in der Datenschutzerklärung")).to_be_focused()
    page.keyboard.press("Tab")
    expect(form.get_by_role("button", name="Nachricht senden")).to_be_focused()
    shot("filled")
    _wait_as_a_person(shown)
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 200, answer.value.status
    done = page.locator(".feedback-done[role=status]")
    expect(done).to_contain_text("Vielen Dank: Ihre Nachricht ist eingegangen")
    expect(done).to_contain_text(address)
    shot("confirmation")

    report = _mail(live.mails, _contact(MEMBER), "Barriere gemeldet: ", since)
    body = report.get_body(("plain",)).get_content()
    assert text in body and "Startseite" in body and "Ada Muster" in body
    assert report["Reply-To"] == address
    receipt = _mail(live.mails, address, "Ihre Meldung einer Barriere an ", since)
    receipt_text = receipt.get_body(("plain",)).get_content()
    assert "Ihre Nachricht ist eingegangen" in receipt_text and text not in receipt_text
