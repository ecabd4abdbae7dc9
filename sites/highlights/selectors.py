"""What the network site shows of the members' copies: highlights and the member
directory (public schema, read-only).

Everything starts from ``Highlight.objects.visible()``: approved or featured rows of
active members. An archived member's rows stay in the table (its curation is kept for
when it comes back) but never reach a page, a list or the feed.

Rows come out localized to the active language (``Highlight.localize``): the member's
translation where there is one, else the original, which says which language it is in.
The translations travel in the row itself, so this adds no query.
"""

from __future__ import annotations

from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sites.highlights.models import Highlight
from tenants.models import Member

HOME_FEATURED_LIMIT = 6
HOME_APPROVED_COUNT = 6
HOME_EVENT_COUNT = 4
FEED_LIMIT = 50


def _shown():
    return Highlight.objects.visible().select_related("member")


def localized(rows, language: str | None = None) -> list[Highlight]:
    """``rows`` for display in ``language`` (default: the active language)."""
    language = language or get_language()
    return [row.localize(language) for row in rows]


class LocalizedRows:
    """A queryset's rows, localized as they are fetched: what a Paginator slices, so a
    list page localizes only the rows it shows."""

    def __init__(self, queryset, language: str | None = None):
        self.queryset = queryset
        self.language = language or get_language()
        self.ordered = queryset.ordered

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(localized(self.queryset, self.language))

    def __getitem__(self, key):
        if isinstance(key, slice):
            return localized(self.queryset[key], self.language)
        return self.queryset[key].localize(self.language)


def _newest_first(queryset):
    return queryset.order_by(F("last_published_at").desc(nulls_last=True), "-pk")


def featured(limit: int = HOME_FEATURED_LIMIT) -> list[Highlight]:
    """Featured highlights in the editors' order (sort_order), newest first on a tie."""
    queryset = _shown().filter(state=Highlight.State.FEATURED)
    return localized(
        queryset.order_by("sort_order", F("last_published_at").desc(nulls_last=True), "pk")[:limit]
    )


def newest_approved(limit: int = HOME_APPROVED_COUNT) -> list[Highlight]:
    return localized(_newest_first(_shown().filter(state=Highlight.State.APPROVED))[:limit])


def home_highlights() -> list[Highlight]:
    """The network home's list: featured highlights first, then the newest approved ones."""
    return featured() + newest_approved()


def upcoming_events(limit: int = HOME_EVENT_COUNT, now=None) -> list[Highlight]:
    """Visible event highlights that have not started yet, soonest first."""
    now = now or timezone.now()
    queryset = _shown().filter(page_type=Highlight.PageType.EVENT, event_start__gt=now)
    return localized(queryset.order_by("event_start", "pk")[:limit])


def feed_items(limit: int = FEED_LIMIT) -> list[Highlight]:
    return localized(_newest_first(_shown())[:limit])


# --- The network calendar: the members' events beside the network's own -----------------


def _events():
    return _shown().filter(page_type=Highlight.PageType.EVENT, event_start__isnull=False)


def _not_over_at(moment) -> Q:
    """Events still running or yet to come at ``moment`` (one without an end ends at its
    start), as ``core.models.not_over_at`` says it for event pages."""
    return Q(event_end__gte=moment) | Q(event_end__isnull=True, event_start__gte=moment)


def events_not_over(moment=None) -> list[Highlight]:
    """Visible event highlights still running or yet to come at ``moment`` (default: now),
    soonest first, localized: the network calendar and its iCal feed."""
    moment = moment or timezone.now()
    return localized(_events().filter(_not_over_at(moment)).order_by("event_start", "pk"))


def events_over(moment=None) -> list[Highlight]:
    """Visible event highlights that are over at ``moment`` (default: now), the latest
    first, localized: the network calendar's past events."""
    moment = moment or timezone.now()
    queryset = _events().exclude(_not_over_at(moment))
    return localized(queryset.order_by("-event_start", "-pk"))


# --- The "Aus den Mitgliedern" page: filters by member and type ----------------------


def _member_choices():
    members = (
        Member.objects.active()
        .filter(highlights__in=Highlight.objects.visible())
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    return [("", _("Alle Mitglieder")), *members]


class HighlightFilterForm(forms.Form):
    """GET filters of the highlight list; an unknown value is reported, not guessed."""

    member = forms.ChoiceField(label=_("Mitglied"), required=False)
    type = forms.ChoiceField(
        label=_("Art"),
        required=False,
        choices=[("", _("Alle Arten")), *Highlight.PageType.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = _member_choices()


def filtered_highlights(params) -> tuple[HighlightFilterForm, LocalizedRows]:
    """The filter form bound to ``params`` and the visible highlights it selects, newest
    first, localized when fetched. Fields with an invalid value are left out of the filter."""
    form = HighlightFilterForm(params)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    queryset = _shown()
    if cleaned.get("member"):
        queryset = queryset.filter(member__slug=cleaned["member"])
    if cleaned.get("type"):
        queryset = queryset.filter(page_type=cleaned["type"])
    return form, LocalizedRows(_newest_first(queryset))


# --- The member directory ---------------------------------------------------------------


def member_directory():
    """Active members for the directory, by name, with their profile copy and domains (a
    queryset: the directory page loads one page of it, so it costs the same with 200)."""
    return (
        Member.objects.active()
        .select_related("directory_entry")
        .prefetch_related("domains")
        .order_by("name", "pk")
    )


def member_places() -> list[Member]:
    """The directory's members whose profile gives coordinates, by name: the map's markers
    (every page of the list shows all of them)."""
    return list(
        member_directory().filter(
            directory_entry__latitude__isnull=False, directory_entry__longitude__isnull=False
        )
    )
