"""Plone text to our StreamField blocks: classic HTML and Volto blocks.

What maps to a block of ``core.blocks.BodyBlock`` becomes one (headings, text with lists
and links, images with alt text and caption, quotes, link lists); the text of what does
not (tables, listings, maps, unknown blocks) is kept as text, and what was lost is named
in ``Converted.lost`` for the report. Links to Plone items (``resolveuid/<uid>``, or the
old site's own paths) become links to the imported pages, documents and images;
``Converted.unresolved`` lists those whose target is not in the export, and
``Converted.waiting`` those whose target is in the export but not imported yet (the
import converts such a page again at its end).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from wagtail.rich_text import RichText

PARSER = "lxml"  # libxml2: several times faster than Python's html.parser on long texts
RESOLVEUID = re.compile(r"resolve[uU]id/([0-9a-zA-Z_-]{6,64})")
HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
TEXT_CONTAINERS = {"p", "ul", "ol", "pre", "address", "dl"}
WRAPPERS = {"div", "section", "article", "main", "span", "font", "center", "body", "html"}
DROPPED = {"script", "style", "hr", "noscript", "form", "button", "input"}
INLINE = {"b": "b", "strong": "b", "i": "i", "em": "i"}


@dataclass
class Target:
    """What a link points at here: a page, a document, an image or an address."""

    kind: str  # "page", "document", "image", "url"
    id: int | None = None
    url: str = ""
    alt: str = ""
    instance: object = None  # the page or image itself, for chooser blocks


@dataclass
class Converted:
    blocks: list[tuple[str, object]] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    waiting: bool = False  # links in the text wait for items not imported yet
    convert_again: bool = False  # …and a block (teaser, image) too: the text is converted anew


class Links:
    """Resolves Plone UIDs and old paths to what the import made of them.

    ``lookup(uid)`` gives a Target for an imported item, ``pending(uid)`` says whether
    the export holds the item (not imported yet), ``uid_for_path(path)`` finds the item
    of an old path (``site_url``: the old site's address, whose absolute links count as
    paths).
    """

    def __init__(
        self,
        lookup: Callable[[str], Target | None],
        pending: Callable[[str], bool],
        uid_for_path: Callable[[str], str | None],
        site_url: str = "",
    ):
        self.lookup = lookup
        self.pending = pending
        self.uid_for_path = uid_for_path
        self.site_url = site_url.rstrip("/")

    def uid_of(self, href: str) -> str | None:
        match = RESOLVEUID.search(href)
        if match:
            return match.group(1)
        if self.site_url and href.startswith(self.site_url + "/"):
            href = href[len(self.site_url) :]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return None
        path = re.sub(r"/(@@[^/]+|view|at_download|image_[a-z]+|images)(/.*)?$", "", parts.path)
        return self.uid_for_path(path.rstrip("/") or "/")


class HtmlConverter:
    """One item's text: ``convert_html`` and ``convert_blocks`` fill ``self.result``."""

    def __init__(self, links: Links):
        self.links = links
        self.result = Converted()
        self._paragraph: list[str] = []
        self._last_heading: tuple[int, int] | None = None  # (source level, level given)

    # --- classic HTML

    def convert_html(self, html: str) -> Converted:
        soup = BeautifulSoup(html or "", PARSER)
        self._walk(soup.contents)
        self._flush()
        return self.result

    def _walk(self, nodes) -> None:
        for node in nodes:
            if isinstance(node, NavigableString):
                if node.__class__ is NavigableString and node.strip():
                    self._paragraph.append(f"<p>{escape(str(node).strip())}</p>")
                continue
            if not isinstance(node, Tag):
                continue
            name = node.name.lower()
            if name in DROPPED:
                continue
            if name in HEADINGS:
                self._heading(node.get_text(" ", strip=True), HEADINGS[name])
            elif name == "img":
                self._image(node.get("src", ""), node.get("alt", ""), "")
            elif name == "figure":
                image = node.find("img")
                caption = node.find("figcaption")
                if image is not None:
                    caption_text = caption.get_text(" ", strip=True) if caption else ""
                    self._image(image.get("src", ""), image.get("alt", ""), caption_text)
            elif name == "blockquote":
                self._quote(node)
            elif name == "table":
                self._table(node)
            elif name in ("iframe", "embed", "object", "video", "audio"):
                source = node.get("src") or node.get("data") or ""
                self.result.lost.append(f"Eingebetteter Inhalt ({name}) {source}".strip())
            elif name in TEXT_CONTAINERS:
                self._text_container(node)
            elif name in WRAPPERS:
                self._walk(node.contents)
            else:
                self._text_container(node, as_tag="p")

    def _flush(self) -> None:
        if self._paragraph:
            self.result.blocks.append(("paragraph", RichText("".join(self._paragraph))))
            self._paragraph = []

    def _heading(self, text: str, level: str) -> None:
        """A heading block at Plone's level, except where that would skip one (an h3
        right after the title, an h4 below an h2): pages that skip heading levels cannot
        be published. Headings of one source level stay siblings."""
        if not text:
            return
        self._flush()
        source, given = int(level[1]), 2
        if self._last_heading is not None:
            last_source, last_given = self._last_heading
            if source == last_source:
                given = last_given
            elif source > last_source:
                given = min(source, last_given + 1)
            else:
                given = max(2, min(source, last_given))
        self._last_heading = (source, given)
        self.result.blocks.append(("heading", {"text": text[:200], "level": f"h{given}"}))

    def _image(self, src: str, alt: str, caption: str) -> None:
        uid = self.links.uid_of(src)
        target = self._resolve(uid, src) if uid else None
        if target is None or target.kind != "image":
            if src:
                self.result.lost.append(f"Bild ohne Ziel im Export: {src}")
            return
        self._flush()
        alt_text = (alt or "").strip() or target.alt
        self.result.blocks.append(
            (
                "image",
                {"image": target.instance, "alt_text": alt_text[:250], "caption": caption[:250]},
            )
        )

    def _quote(self, node: Tag) -> None:
        text = node.get_text(" ", strip=True)
        if text:
            self._flush()
            self.result.blocks.append(("quote", {"text": text, "attribution": ""}))

    def _table(self, node: Tag) -> None:
        rows = []
        for row in node.find_all("tr"):
            cells = [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])]
            if any(cells):
                rows.append(f"<p>{escape(' | '.join(cells))}</p>")
        if rows:
            self._paragraph.extend(rows)
            self.result.lost.append("Tabelle als Text übernommen")

    def _text_container(self, node: Tag, as_tag: str | None = None) -> None:
        tag = as_tag or node.name.lower()
        if tag in ("pre", "address", "dl"):
            tag = "p"
        for image in node.find_all("img"):
            self._image(image.get("src", ""), image.get("alt", ""), "")
            image.decompose()
        if tag in ("ul", "ol"):
            items = [self._inline(li.contents) for li in node.find_all("li", recursive=False)]
            items = [item for item in items if item.strip()]
            if items:
                self._paragraph.append(
                    f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"
                )
            return
        html = self._inline(node.contents).strip()
        if html:
            self._paragraph.append(f"<p>{html}</p>")

    def _inline(self, nodes) -> str:
        out = []
        for node in nodes:
            if isinstance(node, NavigableString):
                if node.__class__ is NavigableString:
                    out.append(escape(re.sub(r"\s+", " ", str(node))))
                continue
            if not isinstance(node, Tag):
                continue
            name = node.name.lower()
            if name == "br":
                out.append("<br/>")
            elif name in INLINE:
                inner = self._inline(node.contents)
                if inner.strip():
                    out.append(f"<{INLINE[name]}>{inner}</{INLINE[name]}>")
            elif name == "a":
                out.append(self._anchor(node.get("href", ""), self._inline(node.contents)))
            elif name in ("ul", "ol"):
                items = "".join(
                    f"<li>{self._inline(li.contents)}</li>" for li in node.find_all("li")
                )
                out.append(f"<{name}>{items}</{name}>")
            elif name not in DROPPED:
                out.append(self._inline(node.contents))
        return "".join(out)

    def _anchor(self, href: str, inner: str) -> str:
        href = (href or "").strip()
        if not inner.strip():
            return inner
        uid = self.links.uid_of(href)
        if uid:
            target = self.links.lookup(uid)
            if target is not None:
                return anchor_html(target, inner)
            if self.links.pending(uid):
                self.result.waiting = True
                return f'<a linktype="page" id="0" data-plone-uid="{escape(uid)}">{inner}</a>'
            self.result.unresolved.append(href)
            return inner
        scheme = urlsplit(href).scheme
        if scheme in ("http", "https", "mailto", "tel"):
            return f'<a href="{escape(href)}">{inner}</a>'
        if href and not href.startswith("#"):
            self.result.unresolved.append(href)
        return inner

    def _resolve(self, uid: str, original: str) -> Target | None:
        target = self.links.lookup(uid)
        if target is None:
            if self.links.pending(uid):
                self.result.waiting = self.result.convert_again = True
            else:
                self.result.unresolved.append(original)
        return target

    # --- Volto blocks

    def convert_blocks(self, blocks: dict, layout: list) -> Converted:
        for block_id in layout:
            block = blocks.get(block_id)
            if isinstance(block, dict):
                self._volto_block(block)
        self._flush()
        return self.result

    def _volto_block(self, block: dict) -> None:
        kind = block.get("@type", "")
        if kind in ("title", "separator", "description"):
            return
        if kind == "slate":
            self._walk(BeautifulSoup(slate_html(block.get("value") or []), PARSER).contents)
        elif kind == "text":
            text_blocks = (block.get("text") or {}).get("blocks") or []
            for entry in text_blocks:
                if (entry.get("text") or "").strip():
                    self._paragraph.append(f"<p>{escape(entry['text'])}</p>")
        elif kind == "html":
            self._walk(BeautifulSoup(block.get("html") or "", PARSER).contents)
        elif kind == "image":
            self._image(block.get("url") or "", block.get("alt") or "", block.get("title") or "")
        elif kind == "teaser":
            self._teaser(block)
        else:
            self._keep_text_of(kind, block)

    def _teaser(self, block: dict) -> None:
        hrefs = block.get("href") or []
        first = hrefs[0] if hrefs and isinstance(hrefs[0], dict) else {}
        label = block.get("title") or first.get("title") or ""
        uid = first.get("UID") or self.links.uid_of(first.get("@id", ""))
        target = self._resolve(uid, first.get("@id", "")) if uid else None
        if not label or target is None:
            if label:
                self._paragraph.append(f"<p>{escape(label)}</p>")
            return
        link = {"label": label[:200], "page": None, "url": ""}
        if target.kind == "page":
            link["page"] = target.instance
        else:
            link["url"] = target.url
        self._flush()
        self.result.blocks.append(("links", {"title": "", "links": [link]}))
        if block.get("description"):
            self._paragraph.append(f"<p>{escape(block['description'])}</p>")

    def _keep_text_of(self, kind: str, block: dict) -> None:
        texts = [
            block[key]
            for key in ("title", "plaintext", "text", "description", "heading")
            if isinstance(block.get(key), str) and block[key].strip()
        ]
        for text in texts:
            self._paragraph.append(f"<p>{escape(text)}</p>")
        self.result.lost.append(
            f"Block „{kind}“ nicht übernommen" + (" (Text behalten)" if texts else "")
        )


def anchor_html(target: Target, inner: str) -> str:
    """A link in Wagtail's rich text format (page and document links by id)."""
    if target.kind in ("page", "document"):
        return f'<a linktype="{target.kind}" id="{target.id}">{inner}</a>'
    return f'<a href="{escape(target.url)}">{inner}</a>'


WAITING_LINK = re.compile(r'<a linktype="page" id="0" data-plone-uid="([^"]+)">(.*?)</a>', re.S)


def links_complete(html: str, lookup: Callable[[str], Target | None]) -> tuple[str, list[str]]:
    """The text with its waiting links (to items imported after it) resolved now; the
    UIDs still without a target are returned, their links reduced to the text."""
    missing = []

    def replace(match):
        target = lookup(match.group(1))
        if target is None:
            missing.append(f"resolveuid/{match.group(1)}")
            return match.group(2)
        return anchor_html(target, match.group(2))

    return WAITING_LINK.sub(replace, html), missing


SLATE_TAGS = {
    "p": "p", "h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h5", "h6": "h6",
    "ul": "ul", "ol": "ol", "li": "li", "blockquote": "blockquote",
    "strong": "strong", "b": "strong", "em": "em", "i": "em",
}  # fmt: skip


def slate_html(nodes) -> str:
    """Volto's slate JSON as plain HTML (what the HTML conversion then reads)."""
    out = []
    for node in nodes if isinstance(nodes, list) else [nodes]:
        if not isinstance(node, dict):
            continue
        if "text" in node and "type" not in node:
            text = escape(node.get("text") or "")
            if node.get("bold"):
                text = f"<strong>{text}</strong>"
            if node.get("italic"):
                text = f"<em>{text}</em>"
            out.append(text)
            continue
        inner = slate_html(node.get("children") or [])
        kind = node.get("type", "")
        if kind == "link":
            url = (node.get("data") or {}).get("url", "")
            out.append(f'<a href="{escape(url)}">{inner}</a>')
        elif kind in SLATE_TAGS:
            tag = SLATE_TAGS[kind]
            out.append(f"<{tag}>{inner}</{tag}>")
        else:
            out.append(inner)
    return "".join(out)


def plain_text(html: str) -> str:
    """The text of an HTML fragment (a description, a teaser)."""
    return BeautifulSoup(html or "", PARSER).get_text(" ", strip=True)
