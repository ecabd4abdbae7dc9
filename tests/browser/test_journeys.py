"""Journeys through the real product in a real browser.

1 → 2 → 3 are one story, run in file order: Herten's coordinator publishes news with an
image and proposes it as a highlight (the Celery worker brings it to the network); a
central editor approves and features it; a visitor finds it on the network home, follows
it to Herten, switches to English and finds the member directory. 4: the Herten account
is refused by Kiel's admin and by the network admin. 5: a visitor registers for Kiel's
meeting, confirms and cancels by the links in the mails (sent by the Celery worker), and
Kiel's coordinator downloads the registrations as CSV. 6: a visitor searches the
network from the search box on its home and reaches Herten's profile.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import re
import time
from pathlib import Path
from urllib.parse import quote, unquote
from uuid import uuid4

import pytest
from django.db import connection
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from sites.highlights.models import Highlight
from tests.browser.content import REGISTRATION_EVENT

NEWS_TITLE = "Zwanzig neue Ausbildungsplätze im Handwerk"
NEWS_TEASER = "Betriebe aus Herten suchen Auszubildende für den Sommer."
NEWS_TEXT = "Die Kommunale Koordinierung vermittelt Plätze in Handwerk und Pflege."
IMAGE_TITLE = "Ausbildungsmesse im Glashaus"
IMAGE_ALT = "Jugendliche an einem blauen Messestand mit gelbem Banner"
WORKER_SECONDS = 20
VISITOR = "Ada Lovelace"
VISITOR_ORGANISATION = "Jugendberufsagentur Kiel"

story: dict = {}  # what journey 1 made, for journeys 2 and 3


def _login(page, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.get_by_label(re.compile("E-Mail|Benutzername")).fill(username)
    page.get_by_label(re.compile("Passwor[dt]")).fill(password)
    page.get_by_role("button", name="Anmelden").click()


def _picture(path) -> None:
    picture = Image.new("RGB", (800, 450), "#1565c0")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((120, 110, 680, 340), fill="#ffb300")
    draw.ellipse((340, 170, 460, 290), fill="#2e7d32")
    picture.save(path)


def _highlight(title: str) -> Highlight:
    """The Highlight row the Celery worker writes, once it is there."""
    deadline = time.monotonic() + WORKER_SECONDS
    while True:
        connection.set_schema_to_public()
        row = Highlight.objects.select_related("member").filter(title=title).first()
        if row is not None:
            return row
        if time.monotonic() > deadline:
            pytest.fail(f"no highlight {title!r} after {WORKER_SECONDS} s: is the worker up?")
        time.sleep(0.2)


def _mail(folder: Path, to: str, subject: str, since: float):
    """The newest mail to ``to`` whose subject starts with ``subject``, written into
    ``folder`` after ``since`` (once the worker has sent it), parsed as a mail program
    would."""
    deadline = time.monotonic() + WORKER_SECONDS
    while True:
        files = (
            [f for f in folder.glob("*.eml") if f.stat().st_mtime >= since]
            if folder.is_dir()
            else []
        )
        for path in sorted(files, reverse=True):  # named by the time they were written
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message["To"] == to and str(message["Subject"]).strip().startswith(subject):
                return message
        if time.monotonic() > deadline:
            pytest.fail(f"no mail {subject!r} to {to} in {folder} after {WORKER_SECONDS} s")
        time.sleep(0.2)


def _mail_link(message, kind: str) -> str:
    """The registration's link ``kind`` ("bestaetigen", "abmelden") in the mail's text."""
    text = message.get_body(("plain",)).get_content()
    found = re.search(rf"https?://\S+/anmeldung/[0-9a-f-]+/{kind}/", text)
    assert found, f"no link …/{kind}/ in the mail:\n{text}"
    return found.group(0)


def _needs(step: str) -> None:
    if step not in story:
        pytest.fail(f"the story broke earlier: {step} did not happen")


def test_1_coordinator_publishes_news_with_an_image_and_proposes_it(live, page, shot, tmp_path):
    account = live.content.coordinator
    _login(page, live.url("/admin/", "herten"), account.username, account.password)
    expect(page).to_have_url(live.url("/admin/", "herten"))
    expect(page.get_by_role("heading", name=account.username)).to_be_visible()
    shot("dashboard")

    page.goto(live.url("/admin/pages/", "herten"))  # the home page in German and English
    german_home = page.locator("tbody tr").filter(has_text="Deutsch")
    german_home.get_by_role("link", name="Unterseiten von ‚Stadt Herten‘ durchsehen").click()
    page.get_by_role("link", name="Unterseiten von ‚Aktuelles‘ durchsehen").click()
    page.get_by_role("link", name="Unterseite hinzufügen").click()
    expect(page.get_by_role("heading", name=re.compile("Nachricht"))).to_be_visible()
    page.get_by_placeholder("Seitentitel*").fill(NEWS_TITLE)
    page.locator("#id_teaser").fill(NEWS_TEASER)

    image_file = tmp_path / "ausbildungsmesse.png"
    _picture(image_file)
    page.get_by_role("button", name="Bild auswählen").first.click()
    chooser = page.locator(".modal")
    chooser.get_by_role("tab", name=re.compile("Hochladen")).click()
    chooser.locator("#id_image-chooser-upload-title").fill(IMAGE_TITLE)
    chooser.locator("#id_image-chooser-upload-file").set_input_files(image_file)
    chooser.locator("#id_image-chooser-upload-description").fill(IMAGE_ALT)
    shot("image-upload")
    chooser.get_by_role("button", name="Hochladen").click()
    expect(chooser).to_be_hidden()
    expect(page.locator("[data-field-input]").filter(has_text=IMAGE_TITLE).first).to_be_visible()

    body = page.locator("[data-contentpath=body]")
    body.locator(".c-sf-add-button").first.click()
    page.get_by_role("option", name="Text").click()
    editor = body.locator("[contenteditable=true]").first
    editor.click()
    editor.press_sequentially(NEWS_TEXT)
    expect(editor).to_contain_text(NEWS_TEXT)
    # Draftail copies the text into the form's hidden input only every 250 ms: publishing
    # before that would save an empty paragraph, as a fast typist never could.
    page.wait_for_function(
        """text => [...document.querySelectorAll("[data-contentpath=body] input[type=hidden]")]
            .some(input => input.value.includes(text))""",
        arg=NEWS_TEXT.rstrip(".")[-20:],
    )
    page.get_by_label("Als Netzwerk-Highlight vorschlagen").check()
    shot("news-form")

    page.get_by_role("button", name="Mehr Aktionen").click()
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.locator(".messages")).to_contain_text(f"‚{NEWS_TITLE}‘")
    expect(page.locator(".messages")).to_contain_text("veröffentlicht")
    shot("published")

    visitor = shot.page = page.context.new_page()  # the coordinator looks at the microsite
    visitor.goto(live.url("/", "herten"))
    expect(visitor).to_have_url(live.url("/de/", "herten"))
    visitor.get_by_role("link", name=NEWS_TITLE).first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(NEWS_TITLE)
    expect(visitor.locator("main")).to_contain_text(NEWS_TEXT)
    image = visitor.locator(f"main img[alt='{IMAGE_ALT}']").first
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "image not loaded"
    shot("on-the-microsite")
    story["news_url"] = unquote(visitor.url)  # the slug has an umlaut

    row = _highlight(NEWS_TITLE)  # the worker turned the proposal into a highlight
    assert row.state == Highlight.State.PROPOSED
    assert row.member.slug == "herten"
    # Wagtail's URL of the page: percent-encoded, as the browser shows it
    assert row.url == quote(story["news_url"], safe=":/"), (
        "the highlight must link to the page, live port included"
    )
    story["proposed"] = row.pk


def test_2_central_editor_approves_and_features_the_proposal(live, page, shot):
    _needs("proposed")
    account = live.content.editor
    _login(page, live.url("/admin/"), account.username, account.password)
    expect(page).to_have_url(live.url("/admin/"))
    shot("network-dashboard")

    page.get_by_role("link", name="Vorschläge ansehen").click()
    row = page.locator("tbody tr").filter(has_text=NEWS_TITLE)
    expect(row).to_contain_text("Stadt Herten")
    expect(row).to_contain_text(re.compile("vorgeschlagen", re.IGNORECASE))
    shot("queue")

    row.hover()
    row.get_by_role("checkbox", name="Auswählen").check()
    page.get_by_role("link", name="Ausgewählte Highlights freigeben").click()
    expect(page.locator("main")).to_contain_text(NEWS_TITLE)
    shot("confirm-approval")
    page.get_by_role("button", name="Freigeben").click()
    expect(page.locator(".messages")).to_contain_text("1 Highlight freigegeben.")
    shot("approved")

    page.goto(live.url("/admin/highlights/"))
    page.get_by_role("link", name=NEWS_TITLE).click()
    page.get_by_label("Status*").select_option("featured")
    page.locator("#id_sort_order").fill("0")
    shot("feature-form")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".messages")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text=NEWS_TITLE)
    expect(row).to_contain_text(re.compile("hervorgehoben", re.IGNORECASE))
    shot("featured")

    connection.set_schema_to_public()
    assert Highlight.objects.get(pk=story["proposed"]).state == Highlight.State.FEATURED
    story["featured"] = True


def test_3_visitor_follows_the_highlight_to_herten_and_finds_the_directory_in_english(
    live, page, shot
):
    _needs("featured")
    page.goto(live.url("/"))
    expect(page).to_have_url(live.url("/de/"))
    featured = page.locator("article.highlight-featured").filter(has_text=NEWS_TITLE)
    expect(featured).to_be_visible()
    image = featured.locator("img")
    expect(image).to_have_attribute("alt", IMAGE_ALT)
    featured.scroll_into_view_if_needed()
    image.evaluate("img => img.decode()")  # lazy-loaded: in view now
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "image not loaded"
    shot("network-home")

    featured.get_by_role("link", name=NEWS_TITLE).click()
    expect(page).to_have_url(quote(story["news_url"], safe=":/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(NEWS_TITLE)
    # The page exists in German only: no other language is offered here.
    expect(page.locator("nav.language-switcher a")).to_have_count(0)
    shot("herten-news")

    page.locator(".site-brand").click()  # to Herten's home, which exists in English
    expect(page).to_have_url(live.url("/de/", "herten"))
    english = page.locator("nav.language-switcher a[hreflang=en]")
    expect(english).to_have_text("English")
    english.click()
    expect(page).to_have_url(re.compile(re.escape(live.url("/en/", "herten"))))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav.language-switcher [aria-current=true]")).to_have_text("English")
    shot("herten-english")

    page.goto(live.url("/en/"))  # the network site, in English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    directory_url = live.content.urls[("network", "directory")]["en"]
    navigation = page.locator("nav.main-nav")
    navigation.locator(f"a[href='{directory_url.removeprefix(live.url(''))}']").click()
    expect(page).to_have_url(directory_url)
    herten = page.locator("article").filter(has_text="Stadt Herten")
    expect(herten).to_be_visible()
    shot("member-directory")
    herten.locator(f"a[href='{live.url('/', 'herten')}']").click()  # its website, live port
    expect(page).to_have_url(re.compile(re.escape(live.url("/", "herten")) + "(de|en)/"))
    shot("herten-from-the-directory")


def test_4_herten_coordinator_is_refused_by_kiel_and_the_network(live, new_page, shot):
    account = live.content.coordinator
    page = new_page()
    _login(page, live.url("/admin/", "herten"), account.username, account.password)
    expect(page).to_have_url(live.url("/admin/", "herten"))
    shot("herten-admin")

    for name, url in (
        ("kiel", live.url("/admin/", "kiel")),
        ("network", live.url("/admin/")),
    ):
        page.goto(url)  # the Herten session is not valid here ...
        expect(page).to_have_url(re.compile(r"/admin/login/"))
        shot(f"{name}-asks-to-log-in")
        page.get_by_label(re.compile("E-Mail|Benutzername")).fill(account.username)
        page.get_by_label(re.compile("Passwor[dt]")).fill(account.password)
        page.get_by_role("button", name="Anmelden").click()
        expect(page).to_have_url(re.compile(r"/admin/login/"))  # ... nor is the account
        expect(page.locator("main")).to_contain_text("Passwort wurden nicht erkannt")
        shot(f"{name}-refuses")
        assert "/admin/login/" in page.goto(url).url

    kiel = live.content.kiel_coordinator  # the same form lets Kiel's own coordinator in
    kiel_page = new_page()
    _login(kiel_page, live.url("/admin/", "kiel"), kiel.username, kiel.password)
    expect(kiel_page).to_have_url(live.url("/admin/", "kiel"))
    expect(kiel_page.get_by_role("heading", name=kiel.username)).to_be_visible()
    shot("kiel-admin-for-kiel")


def test_5_visitor_registers_confirms_and_cancels_by_mail_and_the_organiser_exports(
    live, new_page, shot, tmp_path
):
    address = f"ada.{uuid4().hex[:8]}@example.org"  # this run's mails only
    since = time.time() - 1
    event_url = live.content.registration_event["de"]
    page = new_page()
    page.goto(event_url)
    title = page.get_by_role("heading", level=1).inner_text()
    box = page.locator("#anmeldung")
    expect(box.get_by_role("heading", name="Anmelden")).to_be_visible()
    expect(box).to_contain_text(re.compile(r"Noch \d+ Plätze frei"))
    shot("event-with-form")

    # By label, then from field to field with the keyboard, as a keyboard user types.
    page.get_by_label(re.compile(r"^Name")).click()
    page.keyboard.type(VISITOR)
    page.keyboard.press("Tab")
    expect(page.get_by_label(re.compile(r"^E-Mail-Adresse"))).to_be_focused()
    page.keyboard.type(address)
    page.keyboard.press("Tab")
    expect(page.get_by_label(re.compile(r"^Organisation"))).to_be_focused()
    page.keyboard.type(VISITOR_ORGANISATION)
    page.keyboard.press("Tab")
    expect(page.get_by_label(re.compile(r"^Funktion"))).to_be_focused()
    page.keyboard.type("Koordinatorin")
    page.get_by_label(re.compile("Zimmer")).fill("Ja, ein Einzelzimmer")
    shot("form-filled")
    submit = box.get_by_role("button", name="Anmelden")
    submit.focus()
    page.keyboard.press("Enter")
    done = page.locator("#anmeldung [role=status]")
    expect(done).to_contain_text("Bitte schauen Sie in Ihr Postfach")
    expect(done).to_contain_text(address)
    shot("submitted")

    request = _mail(live.mails, address, "Bitte bestätigen Sie Ihre Anmeldung", since)
    assert title in str(request["Subject"])
    confirm_url = _mail_link(request, "bestaetigen")
    assert confirm_url.startswith(live.url("/de/anmeldung/", "kiel")), confirm_url
    page.goto(confirm_url)  # opening the link confirms nothing yet (mail scanners open it)
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung bestätigen")
    expect(page.locator("main")).to_contain_text(f"Anmeldung von {VISITOR} ({address})")
    shot("confirm-page")
    page.get_by_role("button", name="Anmeldung bestätigen").click()
    expect(page.locator("main [role=status]")).to_contain_text("Ihre Anmeldung ist bestätigt")
    shot("confirmed")

    confirmed = _mail(live.mails, address, "Anmeldung bestätigt", since)
    assert [part.get_filename() for part in confirmed.iter_attachments()][-1:] == [
        f"{REGISTRATION_EVENT}.ics"
    ]
    cancel_url = _mail_link(confirmed, "abmelden")
    page.goto(cancel_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Von der Veranstaltung abmelden")
    shot("cancel-page")
    page.get_by_role("button", name="Ja, abmelden").click()
    expect(page.locator("main [role=status]")).to_contain_text("Sie sind abgemeldet")
    shot("cancelled")
    _mail(live.mails, address, "Abmeldung bestätigt", since)

    account = live.content.kiel_coordinator  # the organiser, in Kiel's admin
    organiser = new_page()
    _login(organiser, live.url("/admin/", "kiel"), account.username, account.password)
    expect(organiser).to_have_url(live.url("/admin/", "kiel"))
    organiser.goto(live.url("/admin/registrations/", "kiel"))
    organiser.locator("[data-registration-events]").get_by_role("link", name=title).click()
    expect(organiser).to_have_url(re.compile(r"/admin/registrations/event/\d+/$"))
    row = organiser.locator("[data-registrations] tbody tr").filter(has_text=address)
    expect(row).to_contain_text(VISITOR)
    expect(row).to_have_attribute("data-status", "cancelled")
    shot("registrations")

    with organiser.expect_download() as download_info:
        organiser.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"anmeldungen-{REGISTRATION_EVENT}.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig")), delimiter=";"))
    mine = [r for r in rows[1:] if address in r]
    assert len(mine) == 1, rows
    assert VISITOR in mine[0] and VISITOR_ORGANISATION in mine[0]
    assert "Ja, ein Einzelzimmer" in mine[0]


def test_6_visitor_searches_the_network_and_reaches_hertens_profile(live, new_page, shot):
    """From the network home's search box: "Übergang" finds Herten's profile (its
    "Lokales Übergangsmanagement"), with Herten named beside it; the result leads there."""
    page = new_page()
    page.goto(live.url("/de/"))
    box = page.get_by_role("search", name="Website durchsuchen")
    field = box.get_by_label("Suchbegriff")
    field.press_sequentially("kurzpor", delay=30)  # suggestions while typing (datalist)
    expect(
        box.locator(f"datalist#{field.get_attribute('id')}-suggestions option")
    ).to_have_attribute("value", "Kurzportrait")
    field.fill("Übergang")
    shot("typed")
    box.get_by_role("button", name="Suchen").click()

    expect(page).to_have_url(re.compile(re.escape(live.url("/de/suche/")) + r"\?q=%C3%9Cbergang$"))
    expect(page.locator("main [role=status]")).to_contain_text("Treffer für „Übergang“")
    expect(page.get_by_role("searchbox", name="Suchbegriff").first).to_have_value("Übergang")
    hit = (
        page.locator("li.search-hit")
        .filter(has=page.get_by_role("link", name="Kurzportrait", exact=True))
        .filter(has_text="Stadt Herten")
    )
    expect(hit).to_have_count(1)
    expect(hit.locator("mark").first).to_have_text(re.compile("Übergang", re.IGNORECASE))
    shot("results")

    hit.get_by_role("link", name="Kurzportrait").click()
    expect(page).to_have_url(live.url("/de/kurzportrait/", "herten"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kurzportrait")
    expect(page.locator("main")).to_contain_text("Lokales Übergangsmanagement")
    shot("herten-profile")
