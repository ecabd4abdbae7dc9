"""Reading a Plone export: both formats Plone sites produce, behind one interface.

- **plone.exportimport** (Plone 6.1+, also the ``@export`` ZIP): a folder or ZIP with
  ``content/__metadata__.json``, ``content/<UID>/data.json`` per item, blobs beside each
  item (``content/<UID>/<field>/<filename>``), ``translations.json``,
  ``redirects.json``.
- **collective.exportimport** (Plone 4-6): one JSON array of items with absolute
  ``@id``s, files inline as base64 or as ``blob_path`` into a blobstorage folder
  (``--blobs``); ``ordering.json``, ``defaultpages.json``, ``translations.json`` and
  ``redirects.json`` beside it when exported.

A source lists its items light (path, type, parent, order) and loads an item's full
data and blobs only when the import reaches it, so an export with thousands of files
never sits in memory: the collective array is streamed once (ijson) into one small file
per item and one file per inline blob.
"""

import base64
import binascii
import json
import shutil
import tempfile
import zipfile
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO
from urllib.parse import urlsplit

import ijson

SITE_ROOT_TYPES = {"Plone Site", "Site Root"}
BLOB_FIELDS = ("image", "file")


class SourceError(Exception):
    """An export, or one item of it, cannot be read; the message says what to do."""


@dataclass
class Item:
    """What the import needs to know of an item before it loads its data."""

    uid: str
    path: str  # on the old site, without the site's own path: "/de/presse/meldung"
    type: str
    parent_uid: str | None
    position: int
    language: str
    title: str
    ref: str  # where its data lives in the source
    children: list["Item"] = field(default_factory=list, repr=False)

    @property
    def id(self) -> str:
        return PurePosixPath(self.path).name


@dataclass
class Blob:
    """A file of an item, opened only when it is stored."""

    filename: str
    content_type: str
    size: int | None
    opener: Callable[[], IO[bytes]]

    def open(self) -> IO[bytes]:
        try:
            return self.opener()
        except (OSError, KeyError, zipfile.BadZipFile) as error:
            raise SourceError(f"Datei „{self.filename}“ nicht lesbar: {error}") from error


@dataclass
class Broken:
    """An entry of the export that could not even be listed."""

    path: str
    message: str


class Source(ABC):
    """The items of an export in import order (parents first, siblings in Plone's order)."""

    format_name = ""

    def __init__(self):
        self.items: list[Item] = []
        self.broken: list[Broken] = []
        self.translation_groups: list[set[str]] = []
        self.redirects: dict[str, str] = {}
        self.default_pages: dict[str, str] = {}  # folder UID -> UID of its default page
        self.site_url = ""  # the old site's own address, where the export names it

    # --- what each format provides

    @abstractmethod
    def load(self, item: Item) -> dict:
        """The item's full data (SourceError when it cannot be read)."""

    @abstractmethod
    def blob(self, item: Item, value: dict) -> Blob:
        """The file a blob field of the item names (SourceError when it is missing)."""

    @abstractmethod
    def close(self) -> None:
        """Release temporary files and open archives."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- shared

    def _arrange(self) -> None:
        """Children under their parents, in Plone's order; ``items`` parents first."""
        by_uid = {item.uid: item for item in self.items}
        roots = []
        for item in self.items:
            parent = by_uid.get(item.parent_uid)
            (parent.children if parent else roots).append(item)
        ordered: list[Item] = []

        def walk(items):
            for item in sorted(items, key=lambda i: (i.position, i.path)):
                ordered.append(item)
                walk(item.children)

        walk(roots)
        self.items = ordered

    def by_uid(self) -> dict[str, Item]:
        return {item.uid: item for item in self.items}


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _language(data: dict) -> str:
    language = data.get("language")
    if isinstance(language, dict):  # plone.restapi vocabulary term
        language = language.get("token")
    language = _text(language)
    return "" if language in ("", "##DEFAULT##", "none") else language


def _parent_uid(data: dict) -> str | None:
    parent = data.get("parent")
    return parent.get("UID") if isinstance(parent, dict) else None


def _json(raw: bytes, where: str):
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SourceError(f"{where}: kein gültiges JSON ({error})") from error


# --- plone.exportimport ----------------------------------------------------------------


class ExportImportSource(Source):
    """A plone.exportimport export, unpacked in a folder or still in its ZIP."""

    format_name = "plone.exportimport"

    def __init__(self, location: Path):
        super().__init__()
        self.location = location
        self.archive = zipfile.ZipFile(location) if location.is_file() else None
        self.prefix = self._find_prefix()
        metadata = _json(self._read("content/__metadata__.json"), "__metadata__.json")
        ordering = metadata.get("ordering") or {}
        for folder_uid, entry in (metadata.get("default_page") or {}).items():
            if isinstance(entry, dict) and entry.get("default_page_uuid"):
                self.default_pages[folder_uid] = entry["default_page_uuid"]
        for ref in metadata.get("_data_files_") or []:
            self._list(ref, ordering)
        self._arrange()
        self._read_translations()
        self._read_redirects()

    def _find_prefix(self) -> str:
        """The ZIP's folder that holds ``content/`` (exports often wrap it in one)."""
        if self.archive is None:
            if not (self.location / "content" / "__metadata__.json").is_file():
                raise SourceError(
                    f"{self.location}: kein content/__metadata__.json – ist das ein "
                    "Export von plone.exportimport?"
                )
            return ""
        for name in self.archive.namelist():
            if name.endswith("content/__metadata__.json"):
                return name[: -len("content/__metadata__.json")]
        raise SourceError(f"{self.location}: die ZIP-Datei enthält kein content/__metadata__.json")

    def _read(self, name: str) -> bytes:
        if self.archive is not None:
            return self.archive.read(self.prefix + name)
        return (self.location / name).read_bytes()

    def _exists(self, name: str) -> bool:
        if self.archive is not None:
            return (self.prefix + name) in self.archive.NameToInfo
        return (self.location / name).is_file()

    def _list(self, ref: str, ordering: dict) -> None:
        try:
            data = _json(self._read(f"content/{ref}"), ref)
        except (OSError, KeyError) as error:
            self.broken.append(Broken(ref, f"nicht lesbar: {error}"))
            return
        except SourceError as error:
            self.broken.append(Broken(ref, str(error)))
            return
        if data.get("@type") in SITE_ROOT_TYPES or not data.get("UID"):
            return
        path = "/" + _text(data.get("@id")).strip("/")
        self.items.append(
            Item(
                uid=data["UID"],
                path=path,
                type=_text(data.get("@type")),
                parent_uid=_parent_uid(data),
                position=int(ordering.get(data["UID"], 0) or 0),
                language=_language(data),
                title=_text(data.get("title")),
                ref=ref,
            )
        )

    def _read_translations(self) -> None:
        if not self._exists("translations.json"):
            return
        for group in _json(self._read("translations.json"), "translations.json"):
            uids = {group.get("canonical"), *(group.get("translations") or {}).values()}
            self.translation_groups.append({uid for uid in uids if uid})

    def _read_redirects(self) -> None:
        if self._exists("redirects.json"):
            redirects = _json(self._read("redirects.json"), "redirects.json")
            self.redirects = {str(old): str(new) for old, new in redirects.items()}

    def load(self, item: Item) -> dict:
        try:
            return _json(self._read(f"content/{item.ref}"), item.ref)
        except (OSError, KeyError) as error:
            raise SourceError(f"{item.ref} nicht lesbar: {error}") from error

    def blob(self, item: Item, value: dict) -> Blob:
        name = _text(value.get("blob_path"))
        filename = _text(value.get("filename")) or PurePosixPath(name).name
        if not name:
            raise SourceError(f"Feld ohne Datei (blob_path fehlt) für „{filename}“")
        member = f"content/{name}"
        if not self._exists(member):
            raise SourceError(f"Datei fehlt im Export: content/{name}")
        if self.archive is not None:
            info = self.archive.getinfo(self.prefix + member)
            return Blob(
                filename, _text(value.get("content-type")), info.file_size,
                lambda: self.archive.open(info),
            )  # fmt: skip
        file_path = self.location / member
        return Blob(
            filename, _text(value.get("content-type")), file_path.stat().st_size,
            lambda: file_path.open("rb"),
        )  # fmt: skip

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()


# --- collective.exportimport -----------------------------------------------------------


class CollectiveSource(Source):
    """A collective.exportimport JSON array, streamed into one file per item and blob."""

    format_name = "collective.exportimport"

    def __init__(self, json_file: Path, blobs: Path | None = None):
        super().__init__()
        self.json_file = json_file
        self.blobs = blobs
        self.workdir = Path(tempfile.mkdtemp(prefix="plone-import-"))
        try:
            urls = self._split(json_file)
            base = self._site_url()
            self.site_url = base
            for item in self.items:
                item.path = _site_path(urls[item.uid], base)
            self._read_companions(json_file.parent, base)
            self._arrange()
        except BaseException:
            self.close()
            raise

    def _split(self, json_file: Path) -> dict[str, str]:
        """Each item's data to its own file, inline blobs decoded to files beside it."""
        urls, parent_urls = {}, {}
        try:
            with json_file.open("rb") as stream:
                for number, data in enumerate(ijson.items(stream, "item"), start=1):
                    if not isinstance(data, dict) or not data.get("UID"):
                        self.broken.append(Broken(f"#{number}", "Eintrag ohne UID"))
                        continue
                    if data.get("@type") in SITE_ROOT_TYPES:
                        continue
                    ref = f"{number:06d}"
                    self._keep_blobs(ref, data)
                    (self.workdir / f"{ref}.json").write_text(json.dumps(data, default=str))
                    uid = data["UID"]
                    urls[uid] = _text(data.get("@id"))
                    parent = data.get("parent") if isinstance(data.get("parent"), dict) else {}
                    parent_urls[uid] = _text(parent.get("@id"))
                    self.items.append(
                        Item(
                            uid=uid,
                            path="",
                            type=_text(data.get("@type")),
                            parent_uid=_parent_uid(data),
                            position=number,
                            language=_language(data),
                            title=_text(data.get("title")),
                            ref=ref,
                        )
                    )
        except (ijson.JSONError, UnicodeDecodeError) as error:
            raise SourceError(
                f"{json_file}: kein gültiger Export von collective.exportimport "
                f"(ein JSON-Array von Objekten erwartet): {error}"
            ) from error
        by_url = {url.rstrip("/"): uid for uid, url in urls.items()}
        for item in self.items:
            if item.parent_uid not in urls:
                item.parent_uid = by_url.get(parent_urls[item.uid].rstrip("/"))
        self._parent_urls = parent_urls
        return urls

    def _keep_blobs(self, ref: str, data: dict) -> None:
        for name in BLOB_FIELDS:
            value = data.get(name)
            if not (isinstance(value, dict) and "data" in value):
                continue
            target = self.workdir / f"{ref}-{name}.blob"
            try:
                target.write_bytes(base64.b64decode(value.pop("data"), validate=False))
            except (binascii.Error, TypeError, ValueError):
                value["inline_error"] = True
                continue
            value["inline_file"] = target.name

    def _site_url(self) -> str:
        """The old site's own URL: the parent of the items whose parent is not exported."""
        tops = Counter(
            self._parent_urls[item.uid].rstrip("/")
            for item in self.items
            if item.parent_uid is None
        )
        return tops.most_common(1)[0][0] if tops else ""

    def _read_companions(self, folder: Path, base: str) -> None:
        uid_by_path = {item.path: item.uid for item in self.items}
        ordering = _companion(folder / "ordering.json")
        if ordering:
            positions = {entry.get("uuid"): entry.get("order") for entry in ordering}
            for item in self.items:
                if isinstance(positions.get(item.uid), int):
                    item.position = positions[item.uid]
        by_uid = self.by_uid()
        for entry in _companion(folder / "defaultpages.json") or []:
            folder_item = by_uid.get(entry.get("uuid"))
            page_id = entry.get("default_page")
            if folder_item is None or not page_id:
                continue
            page_path = f"{folder_item.path.rstrip('/')}/{page_id}"
            if page_path in uid_by_path:
                self.default_pages[folder_item.uid] = uid_by_path[page_path]
        for group in _companion(folder / "translations.json") or []:
            uids = {uid_by_path.get(_site_path(url, base)) for url in group.values()}
            uids.discard(None)
            if len(uids) > 1:
                self.translation_groups.append(uids)
        redirects = _companion(folder / "redirects.json") or {}
        site_path = urlsplit(base).path.rstrip("/")
        self.redirects = {
            _strip_site(old, site_path): _strip_site(new, site_path)
            for old, new in redirects.items()
        }

    def load(self, item: Item) -> dict:
        return _json((self.workdir / f"{item.ref}.json").read_bytes(), item.path)

    def blob(self, item: Item, value: dict) -> Blob:
        filename = _text(value.get("filename")) or item.id
        content_type = _text(value.get("content-type"))
        if value.get("inline_error"):
            raise SourceError(f"„{filename}“: die base64-Daten sind beschädigt")
        if value.get("inline_file"):
            file_path = self.workdir / value["inline_file"]
        elif value.get("blob_path"):
            if self.blobs is None:
                raise SourceError(
                    f"„{filename}“ liegt im blobstorage: bitte --blobs ORDNER angeben"
                )
            file_path = self.blobs / _text(value["blob_path"]).lstrip("/")
            if not file_path.is_file():
                raise SourceError(f"Datei fehlt im blobstorage: {value['blob_path']}")
        else:
            raise SourceError(f"„{filename}“ wurde ohne Inhalt exportiert (nur als Download-URL)")
        return Blob(filename, content_type, file_path.stat().st_size, lambda: file_path.open("rb"))

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


def _companion(path: Path):
    return _json(path.read_bytes(), path.name) if path.is_file() else None


def _site_path(url: str, base: str) -> str:
    """``http://old/Plone/de/x`` with base ``http://old/Plone`` is ``/de/x``."""
    url = url.rstrip("/")
    url = url[len(base) :] if base and url.startswith(base) else urlsplit(url).path
    return "/" + url.strip("/")


def _strip_site(path: str, site_path: str) -> str:
    path = "/" + str(path).strip("/")
    if site_path and (path == site_path or path.startswith(site_path + "/")):
        path = path[len(site_path) :] or "/"
    return path


# --- choosing the reader ---------------------------------------------------------------


def open_source(location: Path, *, blobs: Path | None = None) -> Source:
    """The reader for what ``location`` holds: an exportimport folder or ZIP, or a
    collective JSON file (or a folder with exactly one such file)."""
    if not location.exists():
        raise SourceError(f"{location} gibt es nicht")
    if location.is_dir():
        if (location / "content" / "__metadata__.json").is_file():
            return ExportImportSource(location)
        arrays = [path for path in sorted(location.glob("*.json")) if _starts_array(path)]
        if len(arrays) == 1:
            return CollectiveSource(arrays[0], blobs)
        raise SourceError(
            f"{location}: weder content/__metadata__.json (plone.exportimport) noch genau "
            "eine JSON-Datei mit einem Array (collective.exportimport) gefunden"
        )
    if zipfile.is_zipfile(location):
        return ExportImportSource(location)
    if _starts_array(location):
        return CollectiveSource(location, blobs)
    raise SourceError(
        f"{location}: weder ein ZIP von plone.exportimport noch ein JSON-Array von "
        "collective.exportimport"
    )


def _starts_array(path: Path) -> bool:
    with path.open("rb") as stream:
        head = stream.read(64).lstrip()
    return head.startswith(b"[")
