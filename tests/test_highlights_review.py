"""Curation that holds: a member's edit of an approved highlight waits for review, a
source that leaves and returns keeps its curation, and one member's bad data never stops
the others (issue 11, items 3 to 5).

The worker-driven path (privacy set in the admin leaves the network at once):
tests/test_highlights_worker.py.
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from sites.highlights.models import Highlight
from sites.highlights.services import (
    highlight_change_accept,
    highlight_curate,
    member_content_sync,
    member_content_sync_page,
)
from sites.members.models import MemberNewsPage
from tests.factories import MemberNewsPageFactory, member_news_index, translation_publish
from tests.test_highlights_curation import EDITORIAL_HIGHLIGHT_PERMISSIONS, _network_user
from tests.test_highlights_network import section_titles, soup_of

ADMIN = "/admin/highlights/"


def _news(member, title, slug=None, propose=True) -> MemberNewsPage:
    with schema_context(member.schema):
        return MemberNewsPageFactory(
            parent=member_news_index(),
            title=title,
            slug=slug or title.lower().replace(" ", "-"),
            propose_highlight=propose,
        )


def _edit(member, page, **changes) -> None:
    with schema_context(member.schema):
        page = MemberNewsPage.objects.get(pk=page.pk)
        for name, value in changes.items():
            setattr(page, name, value)
        page.save_revision().publish()


def _sync(member, page):
    return member_content_sync_page(member.schema, page.translation_key)


def _row(page) -> Highlight:
    return Highlight.objects.get(source_page_id=page.pk)


def _curated(member, title, slug, state=Highlight.State.APPROVED) -> MemberNewsPage:
    """A proposed page whose highlight an editor has put in ``state``."""
    page = _news(member, title, slug)
    _sync(member, page)
    highlight_curate([_row(page)], state=state)
    return page


def _home_highlights(network_client) -> list[str]:
    return section_titles(soup_of(network_client.get("/de/")), "home-highlights")


def _redaktion():
    """A central editor who is no superuser: the Redaktion group with curation rights."""
    return _network_user(
        "redakteurin", group="Redaktion", permissions=EDITORIAL_HIGHLIGHT_PERMISSIONS
    )


# --- Item 4: approved highlights change only after review ---------------------------


def test_an_approved_highlight_stays_as_approved_until_an_editor_accepts_the_change(
    alpha, network_client
):
    page = _curated(alpha, "Ausbildungsmesse", "messe")

    _edit(alpha, page, title="Ausbildungsmesse abgesagt", teaser="Leider fällt sie aus.")
    with schema_context(alpha.schema):
        translation_publish(page, "en", title="Training fair cancelled")
    _sync(alpha, page)

    row = _row(page)
    assert (row.title, row.translations, row.state) == ("Ausbildungsmesse", {}, "approved")
    assert row.changed_since_approval
    assert _home_highlights(network_client) == ["Ausbildungsmesse"]

    client = _redaktion()
    dashboard = soup_of(client.get("/admin/"))
    assert dashboard.find(attrs={"data-waiting-changes": "1"}) is not None
    form = soup_of(client.get(f"{ADMIN}edit/{row.pk}/"))
    review = form.find("section", attrs={"aria-labelledby": "pending-heading"})
    assert "wartet auf Ihre Prüfung" in review.h3.get_text()
    cells = {tr.th.get_text(strip=True): tr("td") for tr in review.tbody("tr")}
    assert cells["Titel"][0].get_text(strip=True) == "Ausbildungsmesse"
    assert [ins.get_text() for ins in cells["Titel"][1]("ins")] == [" abgesagt"]
    assert "Training fair cancelled" in cells["Übersetzungen"][1].get_text()
    button = review.find("button", attrs={"data-accept-change": True})

    response = client.post(button["formaction"])
    assert response.status_code == 302
    row = _row(page)
    assert (row.title, row.teaser, row.pending, row.changed_since_approval) == (
        "Ausbildungsmesse abgesagt",
        "Leider fällt sie aus.",
        None,
        False,
    )
    assert row.translations["en"]["title"] == "Training fair cancelled"
    assert row.state == "approved"
    assert _home_highlights(network_client) == ["Ausbildungsmesse abgesagt"]
    assert _sync(alpha, page).highlights.counts == (0, 0, 0)  # nothing waits any more


def test_saving_the_curation_form_does_not_accept_a_waiting_change(alpha):
    page = _curated(alpha, "Girls Day", "girls-day")
    _edit(alpha, page, title="Girls' und Boys' Day")
    _sync(alpha, page)
    highlight_curate([_row(page)], state=Highlight.State.FEATURED, sort_order=1)
    row = _row(page)
    assert (row.state, row.title, row.changed_since_approval) == ("featured", "Girls Day", True)
    assert highlight_change_accept([row]) == 1
    assert _row(page).title == "Girls' und Boys' Day"


def test_a_member_that_undoes_its_edit_leaves_nothing_to_review(alpha):
    page = _curated(alpha, "Elterncafé", "elterncafe", Highlight.State.FEATURED)
    _edit(alpha, page, title="Elterncafé im Mai")
    _sync(alpha, page)
    assert _row(page).pending["title"] == "Elterncafé im Mai"
    _edit(alpha, page, title="Elterncafé")
    _sync(alpha, page)
    row = _row(page)
    assert (row.title, row.pending, row.changed_since_approval) == ("Elterncafé", None, False)


def test_a_network_that_trusts_its_members_shows_edits_at_once_and_flags_them(
    alpha, network_client, settings
):
    settings.HIGHLIGHTS_TRUST_MEMBER_EDITS = True
    page = _curated(alpha, "Praktikumsbörse", "boerse")
    _edit(alpha, page, title="Praktikumsbörse 2027")
    _sync(alpha, page)
    row = _row(page)
    assert (row.title, row.pending, row.changed_since_approval) == (
        "Praktikumsbörse 2027",
        None,
        True,
    )
    assert _home_highlights(network_client) == ["Praktikumsbörse 2027"]


def test_a_moved_page_keeps_a_working_link_while_its_change_waits(alpha):
    page = _curated(alpha, "Bewerbungstraining", "training")
    _edit(alpha, page, title="Bewerbungstraining online", slug="training-online")
    _sync(alpha, page)
    row = _row(page)
    assert row.title == "Bewerbungstraining"
    assert row.url == "http://alpha.localhost/de/aktuelles/training-online/"


# --- Item 5: curation survives a source that leaves and returns --------------------


def test_a_featured_page_that_returns_comes_back_featured_in_its_place(alpha, network_client):
    first, second = _news(alpha, "Erstes", "erstes"), _news(alpha, "Zweites", "zweites")
    member_content_sync([alpha.member])
    highlight_curate([_row(first)], state=Highlight.State.FEATURED, sort_order=1)
    highlight_curate([_row(second)], state=Highlight.State.FEATURED, sort_order=2)

    with schema_context(alpha.schema):
        MemberNewsPage.objects.get(pk=first.pk).unpublish()
    assert member_content_sync([alpha.member]).highlights.removed == 1
    assert _home_highlights(network_client) == ["Zweites"]
    assert _row(first).is_withdrawn

    with schema_context(alpha.schema):
        MemberNewsPage.objects.get(pk=first.pk).save_revision().publish()
    member_content_sync([alpha.member])
    row = _row(first)
    assert (row.state, row.sort_order, row.changed_since_approval, row.is_withdrawn) == (
        "featured",
        1,
        False,
        False,
    )
    assert _home_highlights(network_client) == ["Erstes", "Zweites"]


def test_a_rejected_proposal_switched_off_and_on_again_stays_rejected(alpha):
    page = _curated(alpha, "Abgelehnt", "abgelehnt", Highlight.State.REJECTED)
    _edit(alpha, page, propose_highlight=False)
    _sync(alpha, page)
    _edit(alpha, page, propose_highlight=True)
    _sync(alpha, page)
    assert _row(page).state == "rejected"
    assert not Highlight.objects.waiting().exists()  # not back in the editors' queue


def test_a_page_that_changed_while_away_returns_with_the_change_waiting(alpha):
    page = _curated(alpha, "Ferienjobs", "ferienjobs")
    _edit(alpha, page, propose_highlight=False)
    _sync(alpha, page)
    _edit(alpha, page, propose_highlight=True, title="Ferienjobs 2027")
    _sync(alpha, page)
    row = _row(page)
    assert (row.state, row.title, row.pending["title"], row.is_withdrawn) == (
        "approved",
        "Ferienjobs",
        "Ferienjobs 2027",
        False,
    )
    assert Highlight.objects.visible().filter(pk=row.pk).exists()


def test_withdrawn_rows_are_deleted_after_the_keep_time(alpha, settings):
    settings.HIGHLIGHTS_WITHDRAWN_KEEP_DAYS = 30
    old, recent = _news(alpha, "Alt", "alt"), _news(alpha, "Neu", "neu")
    member_content_sync([alpha.member])
    with schema_context(alpha.schema):
        for page in (old, recent):
            MemberNewsPage.objects.get(pk=page.pk).unpublish()
    member_content_sync([alpha.member])
    Highlight.objects.filter(source_page_id=old.pk).update(
        withdrawn_at=timezone.now() - timedelta(days=31)
    )
    report = member_content_sync([alpha.member])
    assert report.highlights.purged == 1
    assert "1 endgültig gelöscht" in str(report)
    assert list(Highlight.objects.values_list("title", flat=True)) == ["Neu"]


# --- Item 3: one member's bad data does not stop the others -------------------------


def test_a_url_longer_than_its_column_skips_only_that_member(alpha, beta, caplog):
    """Umlauts in a long slug are percent-encoded: 95 of them make a 600-character URL."""
    too_long = _news(alpha, "Übergänge", "ü" * 95)
    fine = _news(beta, "Ferienjobs in Beta", "ferienjobs")
    with schema_context(alpha.schema):
        assert len(MemberNewsPage.objects.get(pk=too_long.pk).get_full_url()) >= 600

    with caplog.at_level(logging.ERROR, logger="sites.highlights.services"):
        report = member_content_sync()
    assert report.skipped == [alpha.member.slug]
    assert "übersprungen (Fehler, siehe Log): alpha" in str(report)
    assert f"schema {alpha.schema} skipped (broken schema or bad data)" in caplog.text
    assert list(Highlight.objects.values_list("source_page_id", flat=True)) == [fine.pk]

    # The page's own task does not fail either: the row is skipped and logged.
    assert _sync(alpha, too_long).skipped == [alpha.member.slug]
    assert not Highlight.objects.filter(member=alpha.member).exists()
