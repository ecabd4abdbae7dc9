"""What an import did, item type by item type, and what needs a person's look."""

from collections import defaultdict
from dataclasses import dataclass, field

CREATED, UPDATED, UNCHANGED, SKIPPED = "created", "updated", "unchanged", "skipped"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, SKIPPED)
OUTCOME_LABELS = {
    CREATED: "neu",
    UPDATED: "geändert",
    UNCHANGED: "unverändert",
    SKIPPED: "übersprungen",
}


@dataclass
class Note:
    path: str
    type: str
    message: str


@dataclass
class ImportReport:
    site: str
    source: str
    format: str
    dry_run: bool = False
    counts: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    skipped: list[Note] = field(default_factory=list)
    lost: list[Note] = field(default_factory=list)
    unresolved: list[Note] = field(default_factory=list)
    review: list[Note] = field(default_factory=list)
    redirects: int = 0
    page_ids: list[int] = field(default_factory=list)  # written by the run (not reported)

    def count(self, plone_type: str, outcome: str) -> None:
        row = self.counts[plone_type]
        row[outcome] = row.get(outcome, 0) + 1

    def skip(self, path: str, plone_type: str, message: str) -> None:
        self.count(plone_type or "?", SKIPPED)
        self.skipped.append(Note(path, plone_type, message))

    def total(self, outcome: str) -> int:
        return sum(row.get(outcome, 0) for row in self.counts.values())

    @property
    def ok(self) -> bool:
        return not self.skipped

    def table(self) -> str:
        """The summary table the command prints: one row per Plone type."""
        header = ["Typ", *(OUTCOME_LABELS[outcome] for outcome in OUTCOMES)]
        rows = [
            [plone_type, *(str(row.get(outcome, 0)) for outcome in OUTCOMES)]
            for plone_type, row in sorted(self.counts.items())
        ]
        rows.append(["Summe", *(str(self.total(outcome)) for outcome in OUTCOMES)])
        widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]

        def line(cells):
            first = cells[0].ljust(widths[0])
            rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
            return "  ".join([first, *rest])

        rule = "  ".join("-" * width for width in widths)
        return "\n".join(
            [line(header), rule, *(line(row) for row in rows[:-1]), rule, line(rows[-1])]
        )

    def as_dict(self) -> dict:
        def notes(items):
            return [{"path": n.path, "type": n.type, "message": n.message} for n in items]

        return {
            "site": self.site,
            "source": self.source,
            "format": self.format,
            "dry_run": self.dry_run,
            "counts": {plone_type: dict(row) for plone_type, row in self.counts.items()},
            "totals": {outcome: self.total(outcome) for outcome in OUTCOMES},
            "redirects": self.redirects,
            "skipped": notes(self.skipped),
            "lost": notes(self.lost),
            "unresolved_links": notes(self.unresolved),
            "review": notes(self.review),
        }
