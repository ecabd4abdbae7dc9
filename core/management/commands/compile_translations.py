"""Compile every .po catalog under LOCALE_PATHS to .mo, in Python (polib), without GNU gettext.

Django's own ``compilemessages`` needs ``msgfmt``; this command only needs polib, so any
machine that can install the project can build the catalogs. A broken catalog stops the
command with one line that names the file and line; then no .mo file is written at all.
Like msgfmt, it leaves out untranslated and fuzzy entries (Django shows the German source
text for those) and refuses translations whose %(name)s placeholders do not match the
source text's, which would otherwise fail only when the text is shown.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

_STRING = r'"(?:[^"\\]|\\.)*"'
_KEYWORD_LINE = re.compile(rf"^(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s*{_STRING}\s*$")
_CONTINUATION_LINE = re.compile(rf"^\s*{_STRING}\s*$")
_POLIB_LINE = re.compile(r"\(line (\d+)\)")
_NAMED = re.compile(r"%\((\w+)\)")
_POSITIONAL = re.compile(r"%(?!\()[#0\- +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")


class BrokenCatalog(Exception):
    """A .po file that cannot be compiled; the message is one line without the path."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass
class Catalog:
    po_path: Path
    po: polib.POFile

    @property
    def mo_path(self) -> Path:
        return self.po_path.with_suffix(".mo")


def _one_line(text: str, limit: int = 60) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_lines(text: str) -> None:
    """What polib lets through silently: unterminated strings and stray lines."""
    in_entry = False
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            in_entry = False
        elif line.startswith("#"):
            continue
        elif _KEYWORD_LINE.match(line):
            in_entry = True
        elif in_entry and _CONTINUATION_LINE.match(line):
            continue
        else:
            raise BrokenCatalog(f"Syntaxfehler: {_one_line(line)!r}", number)


def _placeholders(text: str) -> tuple[set[str], int]:
    text = text.replace("%%", "")
    return set(_NAMED.findall(text)), len(_POSITIONAL.findall(text))


def _check_entries(po: polib.POFile) -> None:
    seen: dict[tuple[str | None, str], int] = {}
    for entry in po:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            raise BrokenCatalog(
                f"„{_one_line(entry.msgid)}“ steht doppelt im Katalog (zuerst in Zeile "
                f"{seen[key]}).",
                entry.linenum,
            )
        seen[key] = entry.linenum
        if "python-format" not in entry.flags or not entry.translated():
            continue
        if entry.msgid_plural:
            allowed = _placeholders(entry.msgid)[0] | _placeholders(entry.msgid_plural)[0]
            for translation in entry.msgstr_plural.values():
                unknown = _placeholders(translation)[0] - allowed
                if unknown:
                    raise BrokenCatalog(
                        _placeholder_reason(entry.msgid, set(), unknown), entry.linenum
                    )
            continue
        source_names, source_count = _placeholders(entry.msgid)
        names, count = _placeholders(entry.msgstr)
        if names != source_names:
            raise BrokenCatalog(
                _placeholder_reason(entry.msgid, source_names - names, names - source_names),
                entry.linenum,
            )
        if count != source_count:
            raise BrokenCatalog(
                f"Die Übersetzung von „{_one_line(entry.msgid)}“ hat {count} statt "
                f"{source_count} Platzhalter wie %s.",
                entry.linenum,
            )


def _placeholder_reason(msgid: str, missing: set[str], unknown: set[str]) -> str:
    parts = []
    if missing:
        parts.append("es fehlt " + ", ".join(f"%({name})s" for name in sorted(missing)))
    if unknown:
        parts.append("unbekannt ist " + ", ".join(f"%({name})s" for name in sorted(unknown)))
    return (
        f"Platzhalter in der Übersetzung von „{_one_line(msgid)}“ passen nicht: "
        + "; ".join(parts)
        + "."
    )


def load_catalog(path: Path) -> polib.POFile:
    """Parse and check one .po file; BrokenCatalog says what is wrong and where."""
    encoding = polib.detect_encoding(str(path))
    try:
        text = path.read_bytes().decode(encoding)
    except LookupError:
        raise BrokenCatalog(f"unbekannter Zeichensatz „{encoding}“ im Kopf.") from None
    except UnicodeDecodeError as error:
        raise BrokenCatalog(
            f"kein gültiger {encoding}-Text (Byte {error.start}: {error.reason})."
        ) from None
    _check_lines(text)
    try:
        po = polib.pofile(text, encoding=encoding)
    except (OSError, ValueError) as error:
        found = _POLIB_LINE.search(str(error))
        line = int(found.group(1)) if found else None
        raise BrokenCatalog("Syntaxfehler.", line) from None
    if po.metadata_is_fuzzy:
        raise BrokenCatalog("der Kopf ist als „fuzzy“ markiert; bitte die Markierung entfernen.")
    if "plural" not in po.metadata.get("Plural-Forms", ""):
        raise BrokenCatalog("im Kopf fehlt „Plural-Forms“.")
    _check_entries(po)
    return po


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically (a running server may be reading the file); False if unchanged."""
    if path.exists() and path.read_bytes() == data:
        return False
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


class Command(BaseCommand):
    help = (
        "Compiles every .po file under settings.LOCALE_PATHS to .mo with polib "
        "(no GNU gettext needed). A broken .po file stops it with a one-line error and "
        "nothing is written."
    )
    requires_system_checks = []  # a build step: needs only the settings, not a working site

    def handle(self, *args, **options):
        roots = [Path(root) for root in settings.LOCALE_PATHS]
        files = sorted({po for root in roots if root.is_dir() for po in root.rglob("*.po")})
        if not files:
            self.stdout.write(
                "Keine .po-Dateien unter " + ", ".join(str(root) for root in roots) + "."
            )
            return

        catalogs, broken = [], []
        for path in files:
            try:
                catalogs.append(Catalog(path, load_catalog(path)))
            except BrokenCatalog as error:
                where = self._shown(path) + (f":{error.line}" if error.line else "")
                broken.append(f"{where}: {error.reason}")
        if broken:
            more = (
                f" (und {len(broken) - 1} weitere fehlerhafte Datei(en))" if len(broken) > 1 else ""
            )
            raise CommandError(f"Übersetzungen nicht kompiliert: {broken[0]}{more}")

        for catalog in catalogs:
            changed = _write_if_changed(catalog.mo_path, catalog.po.to_binary())
            self.stdout.write(self._report(catalog, changed))

    def _report(self, catalog: Catalog, changed: bool) -> str:
        po = catalog.po
        line = (
            f"{self._shown(catalog.po_path)} → {catalog.mo_path.name}: "
            f"{len(po.translated_entries())} übersetzt"
        )
        untranslated, fuzzy = len(po.untranslated_entries()), len(po.fuzzy_entries())
        if untranslated or fuzzy:
            line += f", ausgelassen: {untranslated} unübersetzt, {fuzzy} fuzzy"
        return line + ("" if changed else " (unverändert)")

    @staticmethod
    def _shown(path: Path) -> str:
        try:
            return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
        except ValueError:
            return str(path)
