"""Recurrence rules of events (iCalendar RRULE, RFC 5545 section 3.3.10) in words.

Events imported from the old Plone sites repeat by such a rule. ``EventPageBase`` keeps
it as text, as the import or the editor gave it (only the "RRULE:" prefix, blanks and
case are tidied: ``normalize``), because the .ics files hand it to calendar programs
unchanged (``calendar_rule``). Visitors read it in words in the page's language
(``describe``): German is the source, the catalog translates. The words cover what
event rules say (FREQ DAILY to YEARLY, INTERVAL, BYDAY with ordinals 1 to 4 and -1,
BYMONTHDAY, COUNT, UNTIL); any other rule is shown as itself in a generic sentence,
so an imported rule can never break a page.

python-dateutil parses the rules (it comes with icalendar); the checks here add what
dateutil accepts beyond RFC 5545 but calendar programs would not ("UNTIL=2027-06-30",
"BYDAY=MO(+1)", both COUNT and UNTIL).
"""

import re
from datetime import UTC, date, datetime, time

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

PREFIX = "RRULE:"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WORKING_DAYS = ["MO", "TU", "WE", "TH", "FR"]
_WEEKDAY = re.compile(r"^(?P<nth>[+-]?\d{1,2})?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL = re.compile(r"^\d{8}(T\d{6}Z?)?$")

EVERY = {
    "DAILY": pgettext_lazy("Wiederholung", "Täglich"),
    "WEEKLY": pgettext_lazy("Wiederholung", "Wöchentlich"),
    "MONTHLY": pgettext_lazy("Wiederholung", "Monatlich"),
    "YEARLY": pgettext_lazy("Wiederholung", "Jährlich"),
}
EVERY_NTH = {
    "DAILY": pgettext_lazy("Wiederholung", "Alle %(interval)s Tage"),
    "WEEKLY": pgettext_lazy("Wiederholung", "Alle %(interval)s Wochen"),
    "MONTHLY": pgettext_lazy("Wiederholung", "Alle %(interval)s Monate"),
    "YEARLY": pgettext_lazy("Wiederholung", "Alle %(interval)s Jahre"),
}
# "montags": on every Monday
ON_WEEKDAYS = dict(
    zip(
        WEEKDAYS,
        (
            pgettext_lazy("an jedem Wochentag", "montags"),
            pgettext_lazy("an jedem Wochentag", "dienstags"),
            pgettext_lazy("an jedem Wochentag", "mittwochs"),
            pgettext_lazy("an jedem Wochentag", "donnerstags"),
            pgettext_lazy("an jedem Wochentag", "freitags"),
            pgettext_lazy("an jedem Wochentag", "samstags"),
            pgettext_lazy("an jedem Wochentag", "sonntags"),
        ),
        strict=True,
    )
)
WEEKDAY_NAMES = dict(
    zip(
        WEEKDAYS,
        (
            pgettext_lazy("Wochentag", "Montag"),
            pgettext_lazy("Wochentag", "Dienstag"),
            pgettext_lazy("Wochentag", "Mittwoch"),
            pgettext_lazy("Wochentag", "Donnerstag"),
            pgettext_lazy("Wochentag", "Freitag"),
            pgettext_lazy("Wochentag", "Samstag"),
            pgettext_lazy("Wochentag", "Sonntag"),
        ),
        strict=True,
    )
)
# "am ersten Mittwoch" (im Monat)
NTH = {
    1: pgettext_lazy("am … Wochentag im Monat", "ersten"),
    2: pgettext_lazy("am … Wochentag im Monat", "zweiten"),
    3: pgettext_lazy("am … Wochentag im Monat", "dritten"),
    4: pgettext_lazy("am … Wochentag im Monat", "vierten"),
    -1: pgettext_lazy("am … Wochentag im Monat", "letzten"),
}
INVALID = gettext_lazy(
    "„%(rule)s“ ist keine gültige Wiederholungsregel. Erwartet wird eine iCalendar-Regel "
    "(RRULE) wie „FREQ=WEEKLY;BYDAY=MO“ (jeden Montag)."
)


def _parts(rule: str) -> dict[str, str]:
    """The rule's parts in their order, ``{"FREQ": "WEEKLY", "BYDAY": "MO,TH"}``."""
    parts: dict[str, str] = {}
    for part in rule.split(";"):
        name, equals, value = part.partition("=")
        if not (name and equals and value) or name in parts:
            raise ValueError(part)
        parts[name] = value
    return parts


def _joined(parts: dict[str, str]) -> str:
    return ";".join(f"{name}={value}" for name, value in parts.items())


def _check(parts: dict[str, str]) -> None:
    """What RFC 5545 asks beyond what dateutil checks; ValueError if the rule breaks it."""
    for name in ("COUNT", "INTERVAL"):
        if name in parts and not (parts[name].isdigit() and int(parts[name]) > 0):
            raise ValueError(name)
    if "UNTIL" in parts and not _UNTIL.match(parts["UNTIL"]):
        raise ValueError("UNTIL")
    if "BYDAY" in parts and not all(_WEEKDAY.match(day) for day in parts["BYDAY"].split(",")):
        raise ValueError("BYDAY")
    # a naive start for a date or local UNTIL, an aware one for a UTC UNTIL (dateutil's rule)
    utc = parts.get("UNTIL", "").endswith("Z")
    rrulestr(_joined(parts), dtstart=datetime(2000, 1, 1, tzinfo=UTC if utc else None))


def normalize(text: str) -> str:
    """The rule as it is stored: without "RRULE:", blanks and a trailing ";", in capitals,
    FREQ first (some calendar programs ignore a rule otherwise), the other parts in the
    order given. "" for no rule. Raises ValidationError (in the editor's language) for a
    rule that is none, has several lines (RDATE, EXDATE) or ends both after a count and
    at a date."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        raise ValidationError(
            _(
                "Bitte nur eine Regel in einer Zeile angeben; einzelne Zusatz- oder "
                "Ausfalltermine (RDATE, EXDATE) sind nicht möglich."
            ),
            code="lines",
        )
    rule = "".join(text.split()).upper().removeprefix(PREFIX).strip(";")
    if not rule:
        return ""
    try:
        parts = _parts(rule)
        parts = {"FREQ": parts.pop("FREQ"), **parts}
    except (KeyError, ValueError):
        raise ValidationError(INVALID, code="invalid", params={"rule": text.strip()}) from None
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValidationError(
            _(
                "Eine Wiederholung endet entweder nach einer Anzahl von Terminen (COUNT) oder "
                "an einem Datum (UNTIL), nicht beides."
            ),
            code="count_and_until",
        )
    try:
        _check(parts)
    except (ValueError, TypeError, OverflowError):
        raise ValidationError(INVALID, code="invalid", params={"rule": text.strip()}) from None
    return _joined(parts)


# --- In words ---------------------------------------------------------------------------


def describe(rule: str) -> str:
    """The rule in words in the active language, "" for no rule.

    "Monatlich am ersten Mittwoch, 10 Termine", "Wöchentlich montags und donnerstags bis
    30.06.2027", "Alle 2 Wochen dienstags"; English "Monthly on the first Wednesday,
    10 times". A rule these words do not cover reads "Wiederholt sich (Regel: …)".
    """
    if not rule:
        return ""
    try:
        words = _words(_parts(rule))
    except (KeyError, ValueError, OverflowError):
        words = None
    # Translators: a recurrence rule that has no words; the placeholder is the RRULE.
    return words or _("Wiederholt sich (Regel: %(rule)s)") % {"rule": rule}


def _words(parts: dict[str, str]) -> str | None:
    parts = dict(parts)
    parts.pop("WKST", None)  # the first day of the week changes none of the words
    freq = parts.pop("FREQ")
    interval = int(parts.pop("INTERVAL", "1"))
    count, until = parts.pop("COUNT", None), parts.pop("UNTIL", None)
    by_day, by_month_day = parts.pop("BYDAY", None), parts.pop("BYMONTHDAY", None)
    if parts or freq not in EVERY or interval < 1 or (count and until):
        return None
    if by_day and by_month_day:
        return None
    if freq == "DAILY" and by_day and interval == 1:
        freq = "WEEKLY"  # daily on Mondays and Thursdays is weekly on them
    every = EVERY[freq] if interval == 1 else EVERY_NTH[freq] % {"interval": interval}

    if by_day:
        days = [_WEEKDAY.match(day) for day in by_day.split(",")]
        if not all(days):
            return None
        nths = [int(day["nth"]) if day["nth"] else None for day in days]
        names = [day["day"] for day in days]
        if freq == "WEEKLY" and not any(nths):
            sentence = pgettext("Wiederholung", "%(every)s %(weekdays)s") % {
                "every": every,
                "weekdays": _on_weekdays(names),
            }
        elif freq == "MONTHLY" and all(nth in NTH for nth in nths):
            dates = [
                # Translators: "ersten Mittwoch" (in a month): the ordinal and the weekday.
                pgettext("Wiederholung", "%(nth)s %(weekday)s")
                % {"nth": NTH[nth], "weekday": WEEKDAY_NAMES[name]}
                for nth, name in zip(nths, names, strict=True)
            ]
            sentence = pgettext("Wiederholung", "%(every)s am %(dates)s") % {
                "every": every,
                "dates": _listed(dates),
            }
        else:
            return None
    elif by_month_day:
        if freq != "MONTHLY":
            return None
        dates = [_day_of_month(int(day)) for day in by_month_day.split(",")]
        if not all(dates):
            return None
        sentence = pgettext("Wiederholung", "%(every)s am %(dates)s") % {
            "every": every,
            "dates": _listed(dates),
        }
    else:
        sentence = str(every)

    if count:
        number = int(count)
        return ngettext("%(rule)s, %(count)s Termin", "%(rule)s, %(count)s Termine", number) % {
            "rule": sentence,
            "count": number,
        }
    if until:
        # Translators: Django date format of the last day of a recurrence ("30.06.2027").
        day = format_date(_until_day(until), pgettext("Datumsformat", "d.m.Y"))
        return pgettext("Wiederholung", "%(rule)s bis %(date)s") % {"rule": sentence, "date": day}
    return sentence


def _on_weekdays(days: list[str]) -> str:
    if days == WORKING_DAYS:
        return pgettext("an jedem Wochentag", "montags bis freitags")
    return _listed([ON_WEEKDAYS[day] for day in days])


def _day_of_month(day: int) -> str | None:
    """Day 15 of a month as "15." / "15th", -1 as "letzten Tag" / "last day"; None for
    the days that have no words here."""
    if day == -1:
        return pgettext("Tag des Monats", "letzten Tag")
    if not 1 <= day <= 31:
        return None
    # English tells 1st, 2nd, 3rd and 4th apart; German writes "1.", "2.", … for all.
    if day % 10 == 1 and day != 11:
        pattern = pgettext("Tag des Monats: 1, 21, 31", "%(day)s.")
    elif day % 10 == 2 and day != 12:
        pattern = pgettext("Tag des Monats: 2, 22", "%(day)s.")
    elif day % 10 == 3 and day != 13:
        pattern = pgettext("Tag des Monats: 3, 23", "%(day)s.")
    else:
        pattern = pgettext("Tag des Monats", "%(day)s.")
    return pattern % {"day": day}


def _listed(items: list) -> str:
    """Items as a list in words: "A", "A und B", "A, B und C"."""
    if len(items) == 1:
        return str(items[0])
    return pgettext("Aufzählung", "%(items)s und %(last)s") % {
        "items": ", ".join(str(item) for item in items[:-1]),
        "last": items[-1],
    }


def _until_day(value: str) -> date:
    """The last day of a rule's UNTIL in the current time zone (Europe/Berlin)."""
    if len(value) == 8:
        return datetime.strptime(value, "%Y%m%d").date()
    moment = datetime.strptime(value.removesuffix("Z"), "%Y%m%dT%H%M%S")
    if value.endswith("Z"):
        return timezone.localtime(moment.replace(tzinfo=UTC)).date()
    return moment.date()


# --- In calendar files ------------------------------------------------------------------


def calendar_rule(rule: str, *, whole_day: bool) -> str | None:
    """The rule for an event's VEVENT, None for a stored rule that is none.

    RFC 5545 wants UNTIL of the same value type as DTSTART: a date for a whole-day event,
    else a UTC date-time (a date or local time of the import becomes the end of that day
    or that time in Europe/Berlin, so the last day still counts). The rest stays as stored.
    """
    if not rule:
        return None
    try:
        parts = _parts(normalize(rule))
    except (ValidationError, ValueError):
        return None
    until = parts.get("UNTIL")
    if until and whole_day:
        parts["UNTIL"] = _until_day(until).strftime("%Y%m%d")
    elif until and not until.endswith("Z"):
        if len(until) == 8:
            local = datetime.combine(_until_day(until), time(23, 59, 59))
        else:
            local = datetime.strptime(until, "%Y%m%dT%H%M%S")
        moment = timezone.make_aware(local).astimezone(UTC)
        parts["UNTIL"] = moment.strftime("%Y%m%dT%H%M%SZ")
    return _joined(parts)


def last_day(rule: str) -> date | None:
    """The day of the rule's UNTIL in Europe/Berlin; None without one (or for a stored rule
    that is none)."""
    try:
        until = _parts(normalize(rule)).get("UNTIL") if rule else None
    except (ValidationError, ValueError):
        return None
    return _until_day(until) if until else None
