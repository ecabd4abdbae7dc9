"""The demo's members' area on the network site: the area, the minutes of the working
meeting in Kiel with their document in the private collection, the next internal date,
and a members' staff account for Herten (README, login table)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from sites.demo import content as c
from sites.demo.builder import Builder, body_stream, docx_bytes, site_home
from sites.member_area.services import member_account_create, member_area_ensure
from sites.network.models import MembersAreaPage, MembersEventPage, MembersNewsPage
from tenants.models import Member

BERLIN = ZoneInfo("Europe/Berlin")
HERTEN_STAFF = ("mitglied@herten.example", "mitglied-herten-2026", "Jana", "Beckmann")

AREA_LEAD = (
    "Protokolle, Arbeitspapiere und interne Termine der Arbeitsgemeinschaft – nur für die "
    "Mitarbeitenden der Mitgliedskommunen."
)
AREA_BODY = (
    c.Paragraph(
        "Hier legt die Netzwerk-Koordination die Unterlagen der Arbeitstreffen ab. Fragen "
        "zu Ihrem Zugang beantwortet die Redaktion."
    ),
)
MINUTES = c.NewsItem(
    title="Protokoll des Arbeitstreffens in Kiel",
    slug="protokoll-arbeitstreffen-kiel",
    date=date(2014, 2, 10),
    teaser="Ergebnisse der zwei Tage in Kiel: Übergangsmonitoring, Elternarbeit und die "
    "nächsten Schritte der Arbeitsgemeinschaft.",
    body=(
        c.Heading("Teilnehmende"),
        c.Paragraph(
            "Vertreterinnen und Vertreter aus 14 Mitgliedskommunen, die Landeshauptstadt Kiel "
            "als Gastgeberin und die Netzwerk-Koordination."
        ),
        c.Heading("Ergebnisse"),
        c.BulletList(
            "Vereinbart wurde:",
            (
                "Die Arbeitsgruppe Übergangsmonitoring legt bis zum Herbst gemeinsame "
                "Kennzahlen vor.",
                "Die Materialien zur Elternarbeit werden in einfacher Sprache überarbeitet.",
                "Das nächste Arbeitstreffen findet in Herten statt.",
            ),
        ),
        c.Paragraph("Das vollständige Protokoll steht unten zum Herunterladen bereit."),
    ),
)
MINUTES_DOCUMENT_TITLE = "Protokoll Arbeitstreffen Kiel (intern)"
MINUTES_DOCUMENT_FILENAME = "protokoll-arbeitstreffen-kiel.docx"
MINUTES_DOCUMENT_LINES = (
    ("title", "Protokoll des Arbeitstreffens der Arbeitsgemeinschaft in Kiel"),
    ("subtitle", "Nur für die Mitgliedskommunen – nicht zur Veröffentlichung."),
    ("text", "TOP 1: Übergangsmonitoring – gemeinsame Kennzahlen bis zum Herbst."),
    ("text", "TOP 2: Elternarbeit – Materialien in einfacher Sprache."),
    ("text", "TOP 3: Nächstes Arbeitstreffen in Herten."),
)
NEXT_MEETING_TITLE = "Vorbereitung des Arbeitstreffens in Herten (Videokonferenz)"


def _next_meeting_fields() -> dict:
    """An internal date six weeks after the demo is built, Tuesday 10:00–11:30."""
    day = timezone.localdate() + timedelta(weeks=6)
    day += timedelta(days=(1 - day.weekday()) % 7)
    start = datetime.combine(day, datetime.min.time(), BERLIN).replace(hour=10)
    return {
        "title": NEXT_MEETING_TITLE,
        "start": start,
        "end": start + timedelta(minutes=90),
        "teaser": "Abstimmung der Tagesordnung mit der Stadt Herten.",
        "online": True,
        "organiser_name": "Netzwerk-Koordination",
        "body": body_stream(
            (c.Paragraph("Die Zugangsdaten kommen mit der Einladung der Koordination."),)
        ),
    }


def build_members_area() -> list[str]:
    """The members' area below the network's home, restricted to the group "Mitglieder"
    (by ``sites.member_area`` when the page is created). Public schema only."""
    builder = Builder()
    with schema_context(settings.PUBLIC_SCHEMA_NAME), transaction.atomic():
        _group, private = member_area_ensure()
        area = builder.child(
            site_home(),
            MembersAreaPage,
            "mitgliederbereich",
            lambda: {
                "title": "Mitgliederbereich",
                "lead": AREA_LEAD,
                "body": body_stream(AREA_BODY),
            },
        )

        def minutes_fields():
            document = builder.document(
                MINUTES_DOCUMENT_TITLE,
                MINUTES_DOCUMENT_FILENAME,
                docx_bytes(MINUTES_DOCUMENT_LINES),
                collection=private,
            )
            return {
                "title": MINUTES.title,
                "date": MINUTES.date,
                "teaser": MINUTES.teaser,
                "body": body_stream(MINUTES.body),
                "attachments": [("document", document)],
            }

        builder.child(area, MembersNewsPage, MINUTES.slug, minutes_fields)
        builder.child(area, MembersEventPage, "vorbereitung-herten", _next_meeting_fields)
    return builder.created


def herten_staff_ensure() -> tuple[str, str] | None:
    """Herten's members' staff account with its known password (e-mail, password), or
    None when Herten is not a member."""
    email, password, first_name, last_name = HERTEN_STAFF
    herten = Member.objects.filter(slug="herten").first()
    if herten is None:
        return None
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        if not get_user_model().objects.filter(username=email).exists():
            member_account_create(
                first_name=first_name,
                last_name=last_name,
                email=email,
                member=herten,
                invited_by="seed_demo",
                password=password,
            )
    return email, password
