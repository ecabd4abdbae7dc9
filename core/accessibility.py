"""Accessibility as part of publishing: the editor's checker and the server's checks.

The checker (:class:`ContentChecker`) runs in the browser, in the editor's "Checks"
panel of every site (on the preview) and in the userbar wherever a template shows it,
with the rules that matter for public-sector pages. It only advises. The server-side
checks (:func:`page_problems`) decide: a page whose content has an image without
alternative text, an empty heading or a skipped heading level is not published, and
the message names the block to fix.

Drafts may keep such problems while the editor works on them (:class:`PublishCheckedPageForm`),
as Wagtail lets a draft leave required fields empty; publishing, submitting for
moderation and every full validation in code refuse them.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.userbar import ContentCheckerItem
from wagtail.blocks import StreamBlockValidationError
from wagtail.fields import StreamField

from core.blocks import (
    AgendaBlock,
    CallToActionBlock,
    DocumentListBlock,
    HeadingBlock,
    ImageBlock,
    LinkListBlock,
)

# --- the checker in the browser ---------------------------------------------------------


CHECKER_RULES = [
    "image-alt",
    "alt-text-quality",
    "empty-heading",
    "heading-order",
    "p-as-heading",
    "link-name",
    "button-name",
    "input-button-name",
    "frame-title",
    "empty-table-header",
    "th-has-data-cells",
    "td-has-header",
    "td-headers-attr",
    "table-duplicate-name",
    "scope-attr-valid",
]


def _message(error_name, help_text) -> dict:
    return {"error_name": error_name, "help_text": help_text}


class ContentChecker(ContentCheckerItem):
    """Wagtail's content checker with our rules: Wagtail's selection plus missing
    alternative text and the table rules, without its search-engine check (a missing
    description is no barrier). A rule needs its ID in ``axe_run_only`` to run."""

    axe_run_only = CHECKER_RULES
    axe_custom_rules = [
        rule for rule in ContentCheckerItem.axe_custom_rules if rule["id"] in CHECKER_RULES
    ]
    axe_custom_checks = [
        check
        for check in ContentCheckerItem.axe_custom_checks
        if check["id"] == "check-image-alt-text"
    ]
    axe_messages = {
        **{
            rule: text
            for rule, text in ContentCheckerItem.axe_messages.items()
            if rule in CHECKER_RULES
        },
        "image-alt": _message(
            _("Bild ohne Alternativtext"),
            _("Beschreiben Sie, was das Bild zeigt, für Menschen, die es nicht sehen."),
        ),
        "th-has-data-cells": _message(
            _("Tabellenkopf ohne Datenzellen"),
            _("Jede Kopfzelle braucht Zellen, die sie beschreibt."),
        ),
        "td-has-header": _message(
            _("Datenzelle ohne Kopfzelle"),
            _("Große Tabellen brauchen Kopfzellen für Zeilen oder Spalten."),
        ),
        "td-headers-attr": _message(
            _("Datenzelle verweist auf fehlende Kopfzellen"),
            _("Verweise nur auf Kopfzellen derselben Tabelle."),
        ),
        "table-duplicate-name": _message(
            _("Tabellentitel und Zusammenfassung sind gleich"),
            _("Der Tabellentitel soll nicht wiederholt werden."),
        ),
        "scope-attr-valid": _message(
            _("Kopfzelle mit falschem Geltungsbereich"),
            _("Der Geltungsbereich (scope) einer Kopfzelle ist „row“ oder „col“."),
        ),
    }


# --- the checks on the server -----------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """A place in a StreamField, in the editor's words: "Inhalt, Block 3 „Text“"."""

    field: str
    index: int  # of the top-level block, 0-based
    block: str  # "Block 3 „Text“"
    inner: str = ""  # ", Tag 2, Programmpunkt 1"

    def __str__(self) -> str:
        return f"{self.field}, {self.block}{self.inner}"

    def within(self, part: str) -> "Where":
        """A place inside the block: "Programmpunkt 2"."""
        return Where(self.field, self.index, self.block, f"{self.inner}, {part}")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    where: Where
    hint: str = ""  # what to fill in when the heading comes out empty


@dataclass(frozen=True)
class UnnamedImage:
    where: Where
    in_text: bool


@dataclass(frozen=True)
class Problem:
    field: str
    index: int
    message: str


def page_problems(page) -> list[Problem]:
    """Images without alternative text, empty headings and skipped heading levels in
    every StreamField of ``page``, each named by its block. Each field's outline starts
    at the page title (the page's only h1)."""
    problems = []
    for field in page._meta.concrete_fields:
        if isinstance(field, StreamField):
            value = getattr(page, field.name)
            problems.extend(stream_problems(field, value))
    return problems


def stream_problems(field: StreamField, value) -> list[Problem]:
    problems, previous = [], None
    for found in _stream_contents(field, value):
        where = found.where
        if isinstance(found, UnnamedImage):
            text = (
                gettext("%(where)s: Ein Bild im Text hat keinen Alternativtext.")
                if found.in_text
                else gettext("%(where)s: Das Bild hat keinen Alternativtext.")
            )
            problems.append(Problem(field.name, where.index, text % {"where": where}))
            continue
        if not found.text.strip():
            text = found.hint or gettext("%(where)s: Die Überschrift ist leer.")
            problems.append(Problem(field.name, where.index, text % {"where": where}))
        previous_level = previous.level if previous else 1
        if found.level > previous_level + 1:
            missing = str(previous_level + 1)
            if found.level > previous_level + 2:
                missing += f"–{found.level - 1}"
            text = gettext(
                "%(where)s (Ebene %(level)s) überspringt Ebene %(missing)s nach %(previous)s."
            ) % {
                "where": where,
                "level": found.level,
                "missing": missing,
                "previous": previous.where.block if previous else gettext("dem Seitentitel"),
            }
            problems.append(Problem(field.name, where.index, text))
        previous = found
    return problems


def problems_errors(problems: list[Problem]) -> dict[str, ValidationError]:
    """One error per field that the editor shows at the top of the field and at each
    block concerned."""
    errors = {}
    for name in dict.fromkeys(problem.field for problem in problems):
        own = [problem for problem in problems if problem.field == name]
        errors[name] = StreamProblemsError(own)
    return errors


class StreamProblemsError(StreamBlockValidationError):
    """A StreamField's problems as Wagtail's StreamField errors (the editor marks each
    block), whose ``messages`` are the problems too: Wagtail's own would read
    "Validation error in StreamBlock" wherever the error is shown as text (import
    reports, ``manage.py`` output)."""

    def __init__(self, problems: list[Problem]):
        by_block = {}
        for problem in problems:
            by_block.setdefault(problem.index, []).append(problem.message)
        super().__init__(
            block_errors={index: ValidationError(texts) for index, texts in by_block.items()},
            non_block_errors=[problem.message for problem in problems],
        )
        self.message = " ".join(problem.message for problem in problems)


class PublishCheckedPageForm(WagtailAdminPageForm):
    """The page form that lets an editor keep a draft with accessibility problems.

    Wagtail 8 defers required fields when a draft is saved (by the button, the
    autosave or the preview); the checks of ``SitePage.clean`` are deferred with them,
    so work in progress is never lost, and apply when the page is published or
    submitted for moderation.
    """

    def _post_clean(self):
        self.instance.accessibility_deferred = self.is_deferred_validation
        try:
            super()._post_clean()
        finally:
            self.instance.accessibility_deferred = False


def _stream_contents(field: StreamField, value) -> Iterator[Heading | UnnamedImage]:
    label = field.verbose_name
    for index, child in enumerate(value or []):
        block = gettext("Block %(number)s „%(label)s“") % {
            "number": index + 1,
            "label": child.block.label,
        }
        yield from _contents(child.block, child.value, Where(str(label), index, block))


def _contents(block, value, where: Where) -> Iterator[Heading | UnnamedImage]:
    """What of a block's value reaches the page as headings and images, in reading
    order. Some block templates add headings of their own (``templates/blocks/``): a
    list's title and the call to action's are h2; an agenda's title is h2, its days
    h3 below it (h2 without the title)."""
    if value is None:
        return
    if isinstance(block, HeadingBlock):
        yield Heading(int(str(value.get("level") or "h2")[1:]), value.get("text") or "", where)
    elif isinstance(block, ImageBlock):
        if value.get("image") is not None and not (value.get("alt_text") or "").strip():
            yield UnnamedImage(where, in_text=False)
    elif isinstance(block, blocks.RichTextBlock):
        yield from _rich_text(getattr(value, "source", value), where)
    elif isinstance(block, AgendaBlock):
        yield from _agenda(block, value, where)
    elif isinstance(block, blocks.StructBlock):
        if isinstance(block, CallToActionBlock) or (
            isinstance(block, DocumentListBlock | LinkListBlock) and value.get("title")
        ):
            yield Heading(2, value.get("title") or "", where)
        for name, child in block.child_blocks.items():
            yield from _contents(child, value.get(name), where)
    elif isinstance(block, blocks.ListBlock):
        for number, item in enumerate(value, 1):
            inner = where.within(f"{block.child_block.label} {number}")
            yield from _contents(block.child_block, item, inner)
    elif isinstance(block, blocks.StreamBlock):
        for number, child in enumerate(value, 1):
            inner = where.within(f"{child.block.label} {number}")
            yield from _contents(child.block, child.value, inner)


def _agenda(block: AgendaBlock, value, where: Where) -> Iterator[Heading | UnnamedImage]:
    if value.get("title"):
        yield Heading(2, str(value["title"]), where)
    day_block = block.child_blocks["days"].child_block
    hint = gettext("%(where)s: Der Tag braucht ein Datum oder einen Titel (seine Überschrift).")
    for number, day in enumerate(value.get("days") or [], 1):
        inner = where.within(gettext("Tag %(number)s") % {"number": number})
        text = " ".join(str(part) for part in (day.get("date"), day.get("title")) if part)
        yield Heading(3 if value.get("title") else 2, text, inner, hint=hint)
        for name, child in day_block.child_blocks.items():
            yield from _contents(child, day.get(name), inner)


HEADING_TAG = re.compile(r"h([1-6])")


class _RichTextOutline(HTMLParser):
    """The headings and images of a rich text's stored HTML, in order. An image's
    alternative text counts as text of the heading it stands in (as for a screen
    reader); Wagtail stores images as ``<embed embedtype="image" alt="…">``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, object]] = []  # ("heading", (level, text)) / ("image", None)
        self._heading: tuple[int, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if match := HEADING_TAG.fullmatch(tag):
            self._close_heading()
            self._heading = (int(match.group(1)), [])
        elif tag == "img" or (tag == "embed" and attributes.get("embedtype") == "image"):
            alt = (attributes.get("alt") or "").strip()
            if not alt:
                self.found.append(("image", None))
            elif self._heading is not None:
                self._heading[1].append(alt)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if HEADING_TAG.fullmatch(tag):
            self._close_heading()

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1].append(data)

    def _close_heading(self):
        if self._heading is not None:
            level, parts = self._heading
            self.found.append(("heading", (level, "".join(parts))))
            self._heading = None

    def close(self):
        super().close()
        self._close_heading()


def _rich_text(html: str, where: Where) -> Iterator[Heading | UnnamedImage]:
    outline = _RichTextOutline()
    outline.feed(html or "")
    outline.close()
    for kind, data in outline.found:
        if kind == "image":
            yield UnnamedImage(where, in_text=True)
        else:
            level, text = data
            yield Heading(level, text, where)
