"""What a microsite's pages offer the network site.

The member side declares here which page types feed the network and from which of
their own fields; the network side (``sites.highlights``) copies them into its public
tables. It finds every table and column through the named fields' ``_meta``, so
renaming a field is a change to its model, its migration and this file, and
``manage.py check`` names a declaration that no longer fits its model.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.models import Page

from sites.members.models import MemberEventPage, MemberNewsPage, ProfilePage


@dataclass(frozen=True)
class HighlightOffer:
    """A page type whose pages members propose as network highlights.

    A live, public page with the ``proposed`` switch on becomes a highlight of type
    ``kind``; its teaser is the first non-empty of the ``teaser`` fields, its image the
    first set of the ``image`` fields, event times come from ``start`` and ``end``.
    """

    model: type[Page]
    kind: str
    proposed: str = "propose_highlight"
    teaser: tuple[str, ...] = ("highlight_teaser", "teaser")
    image: tuple[str, ...] = ("highlight_image", "image")
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class DirectoryOffer:
    """The page type whose live, public original (in ``LANGUAGE_CODE``) is the member's
    entry in the network's member directory.

    ``fields`` maps a directory entry field to the page field it is copied from (text
    to text, decimal to decimal); ``facts`` is a StreamField of label/value facts.
    """

    model: type[Page]
    fields: tuple[tuple[str, str], ...]
    facts: str


HIGHLIGHT_OFFERS = (
    HighlightOffer(MemberNewsPage, "news"),
    HighlightOffer(MemberEventPage, "event", start="start", end="end"),
    HighlightOffer(
        ProfilePage, "profile", teaser=("highlight_teaser", "lead"), image=("highlight_image",)
    ),
)

DIRECTORY_OFFER = DirectoryOffer(
    ProfilePage,
    fields=tuple(
        (name, name)
        for name in (
            "lead", "contact_name", "contact_role", "contact_phone", "contact_email",
            "contact_address", "latitude", "longitude",
        )
    ),
    facts="facts",
)  # fmt: skip
