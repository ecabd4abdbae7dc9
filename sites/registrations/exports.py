"""An event's registrations as one table: shown in the admin, exported as CSV or XLSX.

One owner of the columns, so that what organisers see and what they download agree.
Values stay Python values (text, local date-times) until a writer formats them: the
CSV for any spreadsheet, the XLSX with real dates. Both are opened by spreadsheet
programs, which run text that starts like a formula: the CSV quotes such cells, the
XLSX stores every text as text.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from sites.registrations.models import Registration

# A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class RegistrationTable:
    header: list[str]
    rows: list[list]  # one per registration, in the order given
    registrations: list[Registration]


def event_questions(event, registrations) -> list[str]:
    """The event's own questions, then any that registrations answered but the event no
    longer asks (changed after people registered): no answer is left out."""
    questions = [q for q in (event.question_1, event.question_2, event.question_3) if q]
    for registration in registrations:
        for question, _answer in _answer_pairs(registration):
            if question not in questions:
                questions.append(question)
    return questions


def _answer_pairs(registration: Registration) -> list[tuple[str, str]]:
    return [
        (str(pair[0]), str(pair[1]))
        for pair in registration.answers or []
        if isinstance(pair, list | tuple) and len(pair) == 2
    ]


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def registration_table(event, registrations) -> RegistrationTable:
    """Status, dates, person and every answer of ``registrations`` of ``event``; the
    organisation, role and remarks columns appear when the event asks for them or
    someone gave one."""
    registrations = list(registrations)
    optional = [
        (name, ask)
        for name, ask in (
            ("organisation", event.ask_organisation),
            ("role", event.ask_role),
            ("remarks", event.ask_remarks),
        )
        if ask or any(getattr(r, name) for r in registrations)
    ]
    questions = event_questions(event, registrations)
    field = Registration._meta.get_field
    header = [
        str(field("status").verbose_name),
        str(field("created_at").verbose_name),
        str(field("email_confirmed_at").verbose_name),
        str(field("name").verbose_name),
        str(field("email").verbose_name),
        *(str(field(name).verbose_name) for name, _ask in optional),
        *questions,
    ]
    if event.offer_participant_list:
        header.append(str(field("list_consent").verbose_name))
    rows = []
    for registration in registrations:
        answers = dict(_answer_pairs(registration))
        row = [
            registration.get_status_display(),
            _local(registration.created_at),
            _local(registration.email_confirmed_at),
            registration.name,
            registration.email,
            *(getattr(registration, name) for name, _ask in optional),
            *(answers.get(question, "") for question in questions),
        ]
        if event.offer_participant_list:
            row.append(_("ja") if registration.list_consent else _("nein"))
        rows.append(row)
    return RegistrationTable(header=header, rows=rows, registrations=registrations)


def csv_safe(value) -> str:
    """A cell's text for CSV, quoted with ' when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return date_format(value, "d.m.Y H:i")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(table: RegistrationTable) -> bytes:
    """UTF-8 with byte order mark and semicolons: what spreadsheet programs set to German
    open with a double click, umlauts intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_safe(cell) for cell in table.header])
    for row in table.rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(table: RegistrationTable, *, title: str) -> bytes:
    """One sheet, header row frozen, dates as dates; text never becomes a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Anmeldungen")
    workbook.properties.title = title
    for row in [table.header, *table.rows]:
        sheet.append([_xlsx_value(cell) for cell in row])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would store "=…" as a formula
    sheet.freeze_panes = "A2"
    for index, heading in enumerate(table.header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(heading), 16), 40)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value):
    if value is None or isinstance(value, datetime):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters break the file
