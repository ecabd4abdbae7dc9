"""Leaving Plone (issue 15): both export formats into a member and into the network, run
again, interrupted, with bad input, and never outside the target site."""

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex

from sites.members import models as members
from sites.network import models as network
from sites.plone_import.models import ImportRun, PloneObject
from sites.plone_import.services import Importer, Options, admin_indexes_update, plone_import
from tests.factories import member_home, network_home, translation_publish
from tests.plone_exports import (
    BAD_UIDS,
    MISSING_UID,
    UIDS,
    bad_items_export,
    build_collective,
    build_exportimport,
)

BERLIN = ZoneInfo("Europe/Berlin")


def _english_home(schema: str, home_of) -> None:
    with schema_context(schema):
        translation_publish(home_of(), "en", title="English home")


@pytest.fixture
def alpha_en(alpha):
    """Alpha with an English home: the export's /en tree goes there."""
    _english_home(alpha.schema, member_home)
    return alpha


def _page(schema: str, uid: str) -> Page:
    with schema_context(schema):
        known = PloneObject.objects.get(uid=uid)
        return Page.objects.get(pk=known.object_id).specific


def _raw(page) -> str:
    """The page's text blocks as stored (rich text in Wagtail's database format)."""
    return "".join(b.value.source for b in page.body if b.block_type == "paragraph")


def _outcomes(report) -> dict[str, int]:
    return report.as_dict()["totals"]


# --- plone.exportimport into a member --------------------------------------------------


@pytest.fixture
def imported(alpha_en, tmp_path):
    """The plone.exportimport fixture imported into alpha."""
    report = plone_import(site="alpha", location=build_exportimport(tmp_path / "export"))
    return alpha_en, report


def test_pages_land_as_our_page_types_in_plone_order(imported):
    alpha, report = imported
    assert report.ok, report.skipped
    with schema_context(alpha.schema):
        home = member_home()
        about = members.MemberStandardPage.objects.child_of(home).get(slug="ueber-uns")
        # the folder's default page gives the folder page its content
        assert about.title == "Über uns"
        assert about.lead == "Wer wir sind: die Arbeitsgemeinschaft Weinheimer Initiative."
        assert "Arbeitsgemeinschaft" in str(about.body)
        assert not members.MemberStandardPage.objects.filter(slug="startseite-ueber-uns").exists()
        children = [page.slug for page in about.get_children()]
        assert children == ["herten", "intern"]  # Plone's order, not the alphabet
        # the folder's Link item is a link list on its page
        links = [block for block in about.body if block.block_type == "links"]
        assert links[0].value["links"][0]["url"] == "https://www.weinheimer-initiative.de/"


def test_news_and_events_go_to_the_overviews_with_their_dates(imported):
    alpha, _report = imported
    with schema_context(alpha.schema):
        press = _page(alpha.schema, UIDS["press_release"])
        assert isinstance(press, members.MemberNewsPage)
        assert isinstance(press.get_parent().specific, members.MemberNewsIndexPage)
        assert press.date == date(2017, 10, 12)  # naive effective date read as Berlin time
        assert press.live
        assert press.teaser == "Bildungsaktive Kommunen: gemeinsam besser."

        kiel = _page(alpha.schema, UIDS["kiel_event"])
        assert isinstance(kiel, members.MemberEventPage)
        assert kiel.start == datetime(2014, 1, 23, 10, 0, tzinfo=BERLIN)
        assert kiel.end == datetime(2014, 1, 24, 13, 0, tzinfo=BERLIN)
        assert kiel.venue_name == "Neues Rathaus Kiel"
        assert kiel.venue_address == "Andreas-Gayk-Straße 31, 24103 Kiel"
        assert (kiel.organiser_name, kiel.organiser_email) == ("Peter Dohse", "peter.dohse@kiel.de")
        assert any(block.block_type == "heading" for block in kiel.body)  # the agenda's days

        jour_fixe = _page(alpha.schema, UIDS["jour_fixe"])
        assert jour_fixe.start == datetime(2024, 2, 7, 14, 0, tzinfo=BERLIN)  # naive: Berlin
        assert jour_fixe.recurrence == "FREQ=MONTHLY;BYDAY=1WE;COUNT=10"
        fachtag = _page(alpha.schema, UIDS["whole_day_event"])
        assert fachtag.whole_day and fachtag.end is None  # whole day, open end
    page = alpha.client().get(jour_fixe.url).content.decode()
    assert "Monatlich am ersten Mittwoch, 10 Termine" in page


def test_the_admin_search_and_the_usage_of_images_know_the_imported_pages(imported):
    alpha, report = imported
    admin_indexes_update(alpha.schema, report.page_ids)  # the worker's task after an import
    with schema_context(alpha.schema):
        found = Page.objects.live().search("Kurzportrait Herten")
        assert "Herten" in [page.title for page in found]
        image = get_image_model().objects.get(
            pk=PloneObject.objects.get(uid=UIDS["offenbach_image"]).object_id
        )
        users = {ref.object_id for ref in ReferenceIndex.get_references_to(image)}
        assert str(_page(alpha.schema, UIDS["herten"]).pk) in users


def test_private_page_is_a_draft_and_visitors_get_404(imported):
    alpha, _report = imported
    internal = _page(alpha.schema, UIDS["internal"])
    assert not internal.live
    assert alpha.client().get("/de/ueber-uns/intern/").status_code == 404


def test_volto_blocks_become_our_blocks_and_lost_ones_are_reported(imported):
    alpha, report = imported
    with schema_context(alpha.schema):
        news = _page(alpha.schema, UIDS["offenbach_news"])
        kinds = [block.block_type for block in news.body]
        assert {"paragraph", "heading", "image", "links"} <= set(kinds)
        image_block = next(block for block in news.body if block.block_type == "image")
        assert image_block.value["alt_text"]
        lost = {(note.path, note.message) for note in report.lost}
        assert ("/de/aktuelles/jugend-in-beruf", "Block „listing“ nicht übernommen") in lost
        # the news item's lead image with its caption as alt text
        assert news.image is not None and news.image.description == "Netzwerktreffen in Dietzenbach"
        assert news.image_caption == "Netzwerktreffen in Dietzenbach"
    page = alpha.client().get(news.url).content.decode()
    assert "<figcaption>Netzwerktreffen in Dietzenbach</figcaption>" in page


def test_images_with_alt_text_and_the_missing_ones_marked_for_review(imported):
    alpha, report = imported
    with schema_context(alpha.schema):
        image_model = get_image_model()
        described = image_model.objects.get(
            pk=PloneObject.objects.get(uid=UIDS["offenbach_image"]).object_id
        )
        untitled = image_model.objects.get(
            pk=PloneObject.objects.get(uid=UIDS["untitled_image"]).object_id
        )
        assert described.description == "Teilnehmende des Netzwerktreffens in Dietzenbach"
        assert untitled.description  # never empty: pages using it can still be saved
        assert "Alternativtext prüfen" in untitled.tags.names()
        # in alpha's own media folder
        assert described.file.path.startswith(str(Path(settings.MEDIA_ROOT) / alpha.schema))
    assert any(n.path.endswith("foto-ohne-beschreibung.png") for n in report.review)


def test_documents_in_the_import_collection_and_linked_from_the_text(imported):
    alpha, report = imported
    with schema_context(alpha.schema):
        document = get_document_model().objects.get(
            pk=PloneObject.objects.get(uid=UIDS["press_docx"]).object_id
        )
        assert document.collection.name == "Plone-Import"
        assert document.file.name.endswith(".docx")
        assert document.file.path.startswith(str(Path(settings.MEDIA_ROOT) / alpha.schema))
        press = _page(alpha.schema, UIDS["press_release"])
        assert f'linktype="document" id="{document.pk}"' in _raw(press)
    unresolved = [note.message for note in report.unresolved]
    assert f"resolveuid/{MISSING_UID}" in unresolved


def test_resolveuid_links_and_images_point_to_the_imported_objects(imported):
    alpha, _report = imported
    with schema_context(alpha.schema):
        herten = _page(alpha.schema, UIDS["herten"])
        kiel = _page(alpha.schema, UIDS["kiel_event"])
        raw = _raw(herten)
        assert f'linktype="page" id="{kiel.pk}"' in raw  # Kiel was imported after Herten
        with schema_context(alpha.schema):
            image_id = PloneObject.objects.get(uid=UIDS["offenbach_image"]).object_id
        assert any(
            block.block_type == "image" and block.value["image"].pk == image_id
            for block in herten.body
        )
        response = alpha.client().get(herten.url)
        assert response.status_code == 200
        assert kiel.url in response.content.decode()


def test_translations_are_translations_of_one_another(imported):
    alpha, _report = imported
    with schema_context(alpha.schema):
        german, english = (
            _page(alpha.schema, UIDS["herten"]),
            _page(alpha.schema, UIDS["en_herten"]),
        )
        assert english.locale.language_code == "en"
        assert english.translation_key == german.translation_key
        assert english.url.startswith("/en/")
        german_about = _page(alpha.schema, UIDS["about"])
        assert _page(alpha.schema, UIDS["en_about"]).translation_key == german_about.translation_key


def test_old_addresses_redirect_permanently_on_the_members_own_host(imported):
    alpha, _report = imported
    with schema_context(alpha.schema):
        client = alpha.client()
        press = _page(alpha.schema, UIDS["press_release"])
        response = client.get("/de/presse/10-jahre-weinheimer-initiative")
        assert response.status_code == 301
        assert response["Location"].rstrip("/") == press.url.rstrip("/")
        # redirects.json's entries, and Plone's download address of a file
        assert client.get("/presse/10-jahre")["Location"].rstrip("/") == press.url.rstrip("/")
        herten = _page(alpha.schema, UIDS["herten"])
        assert client.get("/de/ueber-uns/alt-herten")["Location"].rstrip("/") == herten.url.rstrip(
            "/"
        )
        download = client.get("/de/presse/pressemitteilung.docx/@@download/file")
        assert download.status_code == 301
        assert "/documents/" in download["Location"]
        assert client.get(download["Location"]).status_code == 200
        # the folder's default page goes to the folder's page
        about = _page(alpha.schema, UIDS["about"])
        moved = client.get("/de/ueber-uns/startseite-ueber-uns")
        assert moved.status_code == 301 and moved["Location"].rstrip("/") == about.url.rstrip("/")
        # nowhere else: the network and beta know nothing of these addresses
        with schema_context("public"):
            assert not Redirect.objects.filter(old_path="/de/presse/10-jahre-weinheimer-initiative")


def test_import_never_writes_outside_the_members_schema(imported, beta):
    alpha, _report = imported
    for schema in ("public", beta.schema):
        with schema_context(schema):
            assert not PloneObject.objects.exists()
            assert not Page.objects.filter(title="Herten").exists()
            assert not get_document_model().objects.filter(title__startswith="Presseinfo")
    media = Path(settings.MEDIA_ROOT)
    assert not list((media / beta.schema).rglob("*.docx"))
    assert not list((media / "public").rglob("pressemitteilung*"))
    with schema_context("public"):
        run = ImportRun.objects.get(site="alpha")
        assert run.state == ImportRun.State.DONE and run.done == run.total


def test_a_second_run_changes_nothing_and_a_changed_item_is_updated(imported, tmp_path):
    alpha, first = imported
    with schema_context(alpha.schema):
        pages, redirects = Page.objects.count(), Redirect.objects.count()
    export = tmp_path / "export"
    again = plone_import(site="alpha", location=export)
    assert _outcomes(again)["unchanged"] == _outcomes(first)["created"]
    assert _outcomes(again)["created"] == _outcomes(again)["updated"] == 0
    with schema_context(alpha.schema):
        assert (Page.objects.count(), Redirect.objects.count()) == (pages, redirects)

    data_file = export / "content" / UIDS["herten"] / "data.json"
    data = json.loads(data_file.read_text())
    data["title"] = "Herten – Kurzportrait"
    data_file.write_text(json.dumps(data))
    third = plone_import(site="alpha", location=export)
    assert third.counts["Document"] == {"updated": 1, "unchanged": 2}
    assert _page(alpha.schema, UIDS["herten"]).title == "Herten – Kurzportrait"


def test_an_interrupted_run_continues_where_it_stopped(alpha_en, tmp_path, monkeypatch):
    export = build_exportimport(tmp_path / "export")
    write, calls = Importer._write, []

    def stop_at_the_eighth(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 8:
            raise KeyboardInterrupt  # Ctrl-C in the middle of an item
        return write(self, *args, **kwargs)

    monkeypatch.setattr(Importer, "_write", stop_at_the_eighth)
    with pytest.raises(KeyboardInterrupt):
        plone_import(site="alpha", location=export)
    monkeypatch.setattr(Importer, "_write", write)
    with schema_context(alpha_en.schema):
        # seven items written, one of them a folder that took its default page along
        assert PloneObject.objects.exclude(uid__contains="#").count() == 8
    with schema_context("public"):
        assert ImportRun.objects.get(site="alpha").state == ImportRun.State.FAILED

    resumed = plone_import(site="alpha", location=export)
    assert resumed.ok
    totals = _outcomes(resumed)
    # Herten was written before the stop, but its link to Kiel (imported later) was not
    # set yet: it is imported again; the other six stay as they are
    assert (totals["unchanged"], totals["updated"]) == (6, 1)
    assert resumed.counts["Document"]["updated"] == 1
    with schema_context(alpha_en.schema):
        assert not Page.objects.filter(slug__endswith="-2").exists()  # nothing twice
        assert get_document_model().objects.count() == 2
        kiel = _page(alpha_en.schema, UIDS["kiel_event"])
        assert f'linktype="page" id="{kiel.pk}"' in _raw(_page(alpha_en.schema, UIDS["herten"]))


# --- bad input -------------------------------------------------------------------------


def test_bad_items_are_skipped_with_their_path_and_nothing_half_made(alpha, tmp_path):
    export = bad_items_export(tmp_path / "bad")
    report_file = tmp_path / "report.json"
    with pytest.raises(CommandError, match="übersprungen"):
        call_command("import_plone", str(export), site="alpha", report=report_file, verbosity=0)
    report = json.loads(report_file.read_text())
    skipped = {note["path"]: note["message"] for note in report["skipped"]}
    assert any("kaputt-bild-fehlt.png" in path for path in skipped)
    assert any("kaputt-unlesbar.pdf" in path for path in skipped)
    assert "Unbekannter Plone-Typ „PloneGazette“" in skipped.values()
    assert any("31.02.2020" in message for message in skipped.values())
    assert any(BAD_UIDS["broken_json"] in path for path in skipped)
    assert report["totals"]["created"] >= 3  # the good items are there
    with schema_context(alpha.schema):
        assert not Page.objects.filter(slug__startswith="kaputt").exists()
        assert not get_document_model().objects.filter(title__icontains="kaputt").exists()
        assert not get_image_model().objects.filter(title__icontains="kaputt").exists()
        assert members.MemberNewsPage.objects.filter(title__icontains="Jugend").exists()


def test_a_dry_run_reports_and_writes_nothing(alpha, tmp_path, capsys):
    export = build_exportimport(tmp_path / "export")
    call_command("import_plone", str(export), site="alpha", dry_run=True, report=tmp_path / "r")
    out = capsys.readouterr().out
    assert "Probelauf" in out and "Summe" in out
    with schema_context(alpha.schema):
        assert not PloneObject.objects.exists()
        assert not Page.objects.filter(title="Herten").exists()
    with schema_context("public"):
        assert not ImportRun.objects.exists()


def test_unknown_member_and_missing_page_say_what_to_do(alpha, tmp_path):
    export = build_exportimport(tmp_path / "export")
    with pytest.raises(CommandError, match="Kein Mitglied mit dem Kürzel „gamma“"):
        call_command("import_plone", str(export), site="gamma")
    with pytest.raises(CommandError, match="Keine Seite unter „/gibt-es-nicht“"):
        call_command("import_plone", str(export), site="alpha", under="/gibt-es-nicht")
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("import_plone", str(tmp_path / "nirgends.zip"), site="alpha")


# --- the other format, the network, options ---------------------------------------------


def test_collective_export_with_inline_files_into_the_network(platform, db, tmp_path):
    _english_home("public", network_home)
    json_file, _blobs = build_collective(tmp_path / "collective")
    report = plone_import(site="network", location=json_file)
    assert report.ok, report.skipped
    assert report.format == "collective.exportimport"
    press = _page("public", UIDS["press_release"])
    assert isinstance(press, network.PressReleasePage)
    assert isinstance(_page("public", UIDS["kiel_event"]), network.NetworkEventPage)
    herten = _page("public", UIDS["herten"])
    assert isinstance(herten, network.NetworkStandardPage)
    assert _page("public", UIDS["en_herten"]).translation_key == herten.translation_key
    with schema_context("public"):
        document_id = PloneObject.objects.get(uid=UIDS["press_docx"]).object_id
        document = get_document_model().objects.get(pk=document_id)
        assert document.file.size > 0
    assert f'id="{document_id}"' in _raw(press)
    from django.test import Client

    response = Client(HTTP_HOST="localhost").get("/Plone/presse/10-jahre")
    assert response.status_code == 301  # redirects.json with the portal's own path


def test_collective_export_with_a_blobstorage_folder(alpha_en, tmp_path):
    json_file, blobs = build_collective(tmp_path / "collective", inline_blobs=False)
    without = plone_import(site="alpha", location=json_file)
    assert any("--blobs" in note.message for note in without.skipped)
    report = plone_import(site="alpha", location=json_file, blobs=blobs)
    assert report.ok, report.skipped
    with schema_context(alpha_en.schema):
        assert get_document_model().objects.filter(collection__name="Plone-Import").count() == 2


def test_zip_under_a_page_with_private_pages_for_members(alpha_en, tmp_path):
    with schema_context(alpha_en.schema):
        archive = members.MemberStandardPage(title="Altes Portal", slug="altes-portal")
        member_home().add_child(instance=archive)
        archive.save_revision().publish()
    export = build_exportimport(tmp_path / "export", zipped=True)
    options = Options(under="/altes-portal", private_as_members_only=True)
    report = plone_import(site="alpha", location=export, options=options)
    assert report.ok, report.skipped
    about = _page(alpha_en.schema, UIDS["about"])
    assert about.url == "/de/altes-portal/ueber-uns/"
    internal = _page(alpha_en.schema, UIDS["internal"])
    assert internal.live
    with schema_context(alpha_en.schema):
        assert PageViewRestriction.objects.filter(
            page=internal, restriction_type=PageViewRestriction.LOGIN
        ).exists()
    assert alpha_en.client().get(internal.url).status_code == 302  # to the login
