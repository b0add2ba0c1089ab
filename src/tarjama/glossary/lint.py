"""Lint glossary files: everything that would make a term wrong, ambiguous or dead.

Unlike loading, which stops at the first bad line, linting reads every line it can and
reports all it finds: errors (the glossary is wrong or ambiguous) and warnings (it works,
but is probably not what was meant).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..text.arabic import has_arabic, normalize
from .model import REQUIRED_COLUMNS, Entry, glossary_files, tsv_rows
from .matching import Matcher


@dataclass(frozen=True)
class Finding:
    level: str  # error | warning
    file: str
    line: int
    rule: str
    message: str

    def describe(self) -> str:
        return f"{self.file}:{self.line}: [{self.rule}] {self.message}"

    def as_dict(self) -> dict:
        return {"level": self.level, "file": self.file, "line": self.line, "rule": self.rule, "message": self.message}


@dataclass
class Row:
    file: str
    line: int
    cells: dict[str, str]  # raw, unstripped

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def items(self, column: str) -> list[str]:
        return [v.strip() for v in self.cells.get(column, "").split("|")] if self.get(column) else []

    def entry(self) -> Entry:
        return Entry(
            self.get("source"),
            self.get("target"),
            tuple(v for v in self.items("variants") if v),
            tuple(v for v in self.items("forbidden") if v),
            self.get("note"),
            self.file,
            self.line,
        )


def read_rows(path: Path, findings: list[Finding]) -> list[Row]:
    name = str(path)
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        findings.append(Finding("error", name, data.count(b"\n", 0, e.start) + 1, "encoding", "not UTF-8"))
        text = data.decode("utf-8", errors="replace")
    header: list[str] | None = None
    rows = []
    for lineno, cells in tsv_rows(text):
        if header is None:
            header = [c.strip().lower() for c in cells]
            for col in REQUIRED_COLUMNS:
                if col not in header:
                    findings.append(Finding("error", name, lineno, "header", f"no {col!r} column"))
            for col in sorted({c for c in header if c and header.count(c) > 1}):
                findings.append(Finding("error", name, lineno, "header", f"column {col!r} appears twice"))
            if any(c not in header for c in REQUIRED_COLUMNS) or len(set(header)) < len(header):
                return []
            continue
        if len(cells) > len(header):
            findings.append(
                Finding("error", name, lineno, "fields", f"{len(cells)} fields, the header has {len(header)}")
            )
        rows.append(Row(name, lineno, dict(zip(header, cells))))
    if header is None:
        findings.append(Finding("error", name, 1, "header", "no header row"))
    return rows


def lint_rows(rows: Sequence[Row]) -> list[Finding]:
    findings: list[Finding] = []

    def add(level, row, rule, message):
        findings.append(Finding(level, row.file, row.line, rule, message))

    # Field-level rules.
    for row in rows:
        for column in ("source", "target"):
            if not row.get(column):
                add("error", row, "empty-field", f"empty {column}")
        for column in ("variants", "forbidden"):
            if row.get(column) and any(not v for v in row.items(column)):
                add("warning", row, "empty-field", f"an empty item in {column} ({row.get(column)!r})")
        for column, value in row.cells.items():
            if value != value.strip() or "  " in value or any(v != v.strip() for v in value.split("|")):
                add("warning", row, "whitespace", f"stray white space in {column}: {value!r}")
        if row.get("source") and not has_arabic(row.get("source")):
            add("error", row, "no-arabic", f"source {row.get('source')!r} has no Arabic letters")
        for v in row.items("variants"):
            if v and not has_arabic(v):
                add("error", row, "no-arabic", f"variant {v!r} has no Arabic letters")

    entries = [(row, row.entry()) for row in rows if row.get("source") and row.get("target")]

    # Conflicts and duplicates between forms, across files too.
    owners: dict[str, tuple[Row, Entry, bool]] = {}
    reported: set[str] = set()  # forms already reported as conflicts or duplicates
    for row, entry in entries:
        for i, form in enumerate(entry.forms):
            key = normalize(form)
            if key in owners:
                reported.add(key)
                other_row, other, other_is_source = owners[key]
                where = f"{other_row.file}:{other_row.line}"
                if other_row is row:
                    add("warning", row, "duplicate", f"{form!r} is listed twice in this entry")
                elif other.target != entry.target:
                    add("error", row, "conflict", f"{form!r} → {entry.target!r}, but {where} has {other.source!r} → {other.target!r}")
                elif i > 0 and other_is_source:
                    add("warning", row, "variant-is-entry", f"variant {form!r} is itself an entry at {where}")
                else:
                    add("warning", row, "duplicate", f"{form!r} is already an entry at {where} (same target)")
            else:
                owners[key] = (row, entry, i == 0)

    # Forbidden renderings that contradict a target.
    targets = {e.target.lower(): (r, e) for r, e in entries}
    for row, entry in entries:
        for phrase in entry.forbidden:
            if phrase.lower() == entry.target.lower():
                add("error", row, "forbidden-is-target", f"forbidden {phrase!r} is the entry's own target")
            elif phrase.lower() in targets:
                other_row, other = targets[phrase.lower()]
                add(
                    "error",
                    row,
                    "forbidden-is-target",
                    f"forbidden {phrase!r} is the target of {other.source!r} ({other_row.file}:{other_row.line})",
                )

    # Forms that can never match: their own text is claimed by another entry, or by nothing.
    matcher = Matcher([e for _, e in entries])
    for row, entry in entries:
        for form in entry.forms:
            if not has_arabic(form) or normalize(form) in reported:
                continue
            found = matcher.find(form)
            whole = [m for m in found if m.entry is entry]
            if whole:
                continue
            if found:
                add("warning", row, "unreachable", f"{form!r} is always matched as part of {found[0].entry.source!r}")
            else:
                add("warning", row, "unreachable", f"{form!r} does not match its own text (punctuation or digits in it?)")
    return findings


def lint(paths: Sequence[str | Path]) -> list[Finding]:
    """All findings for the glossary files and folders in ``paths``, errors first."""
    findings: list[Finding] = []
    rows: list[Row] = []
    for path in glossary_files([Path(p) for p in paths]):
        rows.extend(read_rows(path, findings))
    findings.extend(lint_rows(rows))
    return sorted(findings, key=lambda f: (f.level != "error", f.file, f.line))
