"""Dates and times as readers of the page's language write them.

German is the source: "5. März 2030, 10:00–12:00 Uhr". The catalog gives every
language it translates its own formats and phrases (English: "5 March 2030, 10:00 –
12:00"); Django's locale formats would be American for English ("March 5, 2030, 10
a.m.") and know no "Uhr". A language our catalog does not translate (yet) gets Django's
formats for its locale (Ukrainian needs the genitive month, "5 березня") and plain
ranges, instead of German phrases around its month names.

Aware datetimes are shown in the current time zone (``TIME_ZONE``, Europe/Berlin), as
Django's ``date`` filter would show them.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.dateformat import time_format
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext

register = template.Library()

GERMAN_DATE = "j. F Y"


@dataclass(frozen=True)
class Style:
    """Formats (Django's date syntax) and phrases (with %(…)s placeholders) of a language."""

    date: str
    day: str  # a date with its weekday, as a heading of a day in a programme
    datetime: str
    time: str
    at: str  # one point in time
    span: str  # from a time to a later one on the same day
    until: str  # from a time to one on another day


def _translated_style(date_format: str) -> Style:
    return Style(
        date=date_format,
        # Translators: Django date format of a day in a programme ("Dienstag, 5. März 2030").
        day=pgettext("Datumsformat", "l, j. F Y"),
        # Translators: Django date format of the date and time an event starts.
        datetime=pgettext("Datumsformat", "j. F Y, H:i"),
        # Translators: Django time format.
        time=pgettext("Datumsformat", "H:i"),
        # Translators: a time ("10:00 Uhr"); the placeholder stands for the date and/or time.
        at=pgettext("Zeitangabe", "%(time)s Uhr"),
        # Translators: from one time to another on the same day ("10:00–12:00 Uhr").
        span=pgettext("Zeitangabe", "%(start)s–%(end)s Uhr"),
        # Translators: from a date and time to a later day ("…, 10:00 Uhr bis …, 12:00 Uhr").
        until=pgettext("Zeitangabe", "%(start)s Uhr bis %(end)s Uhr"),
    )


def _locale_style() -> Style:
    """Django's formats of the active locale, and phrases that need no words."""
    date_format, time_format_ = get_format("DATE_FORMAT"), get_format("TIME_FORMAT")
    return Style(
        date=date_format,
        day=date_format,  # where the weekday goes differs too much between languages
        datetime=f"{date_format} {time_format_}",
        time=time_format_,
        at="%(time)s",
        span="%(start)s – %(end)s",
        until="%(start)s – %(end)s",
    )


def style() -> Style:
    """The formats and phrases of the active language.

    The catalog speaks German (the source) and every language that translates the date
    format; other languages get ``_locale_style``.
    """
    # Translators: Django date format of a date ("5. März 2030").
    date_format = pgettext("Datumsformat", "j. F Y")
    source = (get_language() or settings.LANGUAGE_CODE).split("-")[0] == settings.LANGUAGE_CODE
    if date_format == GERMAN_DATE and not source:
        return _locale_style()  # the catalog does not speak this language
    return _translated_style(date_format)


def _local(value):
    return timezone.template_localtime(value) if isinstance(value, datetime) else value


def _time_element(value, format_string: str) -> SafeString:
    """``<time datetime="…">`` with ``value`` formatted for reading."""
    value = _local(value)
    if isinstance(value, time):
        machine, shown = value.strftime("%H:%M"), time_format(value, format_string)
    else:
        machine, shown = value.isoformat(), format_date(value, format_string)
    return format_html('<time datetime="{}">{}</time>', machine, shown)


def _phrase(pattern: str, **parts: SafeString) -> SafeString:
    """``pattern`` (a translation, so escaped) with HTML parts put in its placeholders."""
    return mark_safe(conditional_escape(pattern) % parts)  # noqa: S308 (parts are escaped)


@register.filter(expects_localtime=True)
def local_date(value) -> str:
    """A date, e.g. "5. März 2030" / "5 March 2030"; empty for no date."""
    if not isinstance(value, date):
        return ""
    return format_date(value, style().date)


@register.filter(expects_localtime=True)
def local_day(value) -> str:
    """A date with its weekday, e.g. "Dienstag, 5. März 2030" / "Tuesday 5 March 2030"."""
    if not isinstance(value, date):
        return ""
    return format_date(value, style().day)


@register.simple_tag
def event_when(start, end=None) -> str:
    """When an event takes place, as ``<time>`` elements in the language's phrase.

    German: "5. März 2030, 10:00–12:00 Uhr", "5. März 2030, 10:00 Uhr bis 6. März 2030,
    12:00 Uhr", "5. März 2030, 10:00 Uhr"; English: "5 March 2030, 10:00 – 12:00", …
    """
    if start is None:
        return ""
    current = style()
    begins = _time_element(start, current.datetime)
    if end is None:
        return _phrase(current.at, time=begins)
    if _local(start).date() == _local(end).date():
        return _phrase(current.span, start=begins, end=_time_element(end, current.time))
    return _phrase(current.until, start=begins, end=_time_element(end, current.datetime))


@register.simple_tag
def time_span(start=None, end=None) -> str:
    """Times of a programme item: "09:00–10:30 Uhr" / "09:00 – 10:30"; either may be missing."""
    current = style()
    if start and end:
        return _phrase(
            current.span,
            start=_time_element(start, current.time),
            end=_time_element(end, current.time),
        )
    if start or end:
        return _phrase(current.at, time=_time_element(start or end, current.time))
    return ""
