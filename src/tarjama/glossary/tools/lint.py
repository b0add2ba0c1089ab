"""Lint glossary files: everything that would make a term wrong, ambiguous or dead.

Unlike loading, which stops at the first bad line, linting reads every line it can and
reports all it finds: errors (the glossary is wrong or ambiguous) and warnings (it works,
but is probably not what was meant).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ...text.arabic import has_arabic, normalize
from .candidates import SEVERAL
from .edit import control_character
from ..model import REQUIRED_COLUMNS, Entry, glossary_files, parse_context, parse_rules, tsv_rows
from ..matching import ARTICLE, Matcher, corpus_tokens, could_be_qualified, readings


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
        variants = tuple(v for v in self.items("variants") if v)
        try:
            rules = parse_rules(self.get("rules"))
            context = parse_context(self.get("context"), (self.get("source"), *variants))
        except ValueError:
            rules, context = (), ()  # reported by lint_rows
        return Entry(
            self.get("source"),
            self.get("target"),
            variants,
            tuple(v for v in self.items("forbidden") if v),
            self.get("note"),
            self.file,
            self.line,
            tuple(v for v in self.items("alternatives") if v),
            self.get("plural"),
            rules,
            context,
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
            for col in sorted({c for c in header if header.count(c) > 1}):
                what = f"column {col!r}" if col else "a column with no name"
                findings.append(Finding("error", name, lineno, "header", f"{what} appears twice"))
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


def lint_rows(rows: Sequence[Row], corpus: "CorpusCounts | None" = None) -> list[Finding]:
    findings: list[Finding] = []

    def add(level, row, rule, message):
        findings.append(Finding(level, row.file, row.line, rule, message))

    # Field-level rules.
    for row in rows:
        for column in ("source", "target"):
            if not row.get(column):
                add("error", row, "empty-field", f"empty {column}")
        for column in ("variants", "forbidden", "alternatives"):
            if row.get(column) and any(not v for v in row.items(column)):
                add("warning", row, "empty-field", f"an empty item in {column} ({row.get(column)!r})")
        for column, value in row.cells.items():
            if value != value.strip() or "  " in value or any(v != v.strip() for v in value.split("|")):
                add("warning", row, "whitespace", f"stray white space in {column}: {value!r}")
        for column, value in row.cells.items():
            if (bad := control_character(value)) is not None:
                add("error", row, "control-character", f"{column} holds the control character U+{ord(bad):04X} (XML, and so TBX, cannot carry it)")
        if len(several := [t for t in SEVERAL.split(row.get("target")) if t]) > 1:
            add(
                "warning", row, "several-renderings",
                f"target {row.get('target')!r} holds {len(several)} renderings; keep one as the target and put the others in 'alternatives'",
            )
        if row.get("source") and not has_arabic(row.get("source")):
            add("error", row, "no-arabic", f"source {row.get('source')!r} has no Arabic letters")
        for v in row.items("variants"):
            if v and not has_arabic(v):
                add("error", row, "no-arabic", f"variant {v!r} has no Arabic letters")
        try:
            parse_rules(row.get("rules"))
            parse_context(row.get("context"), (row.get("source"), *row.items("variants")))
        except ValueError as e:
            add("error", row, "matching-columns", str(e))

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
            elif phrase.lower() in (a.lower() for a in entry.alternatives):
                add("error", row, "forbidden-is-alternative", f"{phrase!r} is both forbidden and an accepted alternative")
            elif phrase.lower() in targets:
                other_row, other = targets[phrase.lower()]
                add(
                    "error",
                    row,
                    "forbidden-is-target",
                    f"forbidden {phrase!r} is the target of {other.source!r} ({other_row.file}:{other_row.line})",
                )

    # Forms that can never match: their own text is claimed by another entry, or by nothing.
    # A form stands alone here, so its context restrictions (after WORD ...) are left out.
    free = [dataclasses.replace(e, context=()) for _, e in entries]
    matcher = Matcher(free)
    for (row, entry), bare in zip(entries, free):
        for form in entry.forms:
            if not has_arabic(form) or normalize(form) in reported:
                continue
            found = matcher.find(form)
            whole = [m for m in found if m.entry is bare]
            if whole:
                continue
            if found:
                add("warning", row, "unreachable", f"{form!r} is always matched as part of {found[0].entry.source!r}")
            else:
                add("warning", row, "unreachable", f"{form!r} does not match its own text (punctuation or digits in it?)")

    # Forms that are also ordinary words: nisba adjectives (سورية "Syrian"), common nouns.
    for row, entry in entries:
        for form in entry.forms:
            message = ordinary_word(entry, form, corpus)
            if message:
                add("warning", row, "ordinary-word", message)
    return findings


class CorpusCounts:
    """How often one-word forms occur in a corpus: bare, with the article, and right after
    a noun they could qualify. One pass over the corpus, for the forms asked for."""

    def __init__(self, name: str, texts, forms: Sequence[str]):
        self.name = name
        wanted = {normalize(f) for f in forms if len(normalize(f).split()) == 1}
        self.bare = dict.fromkeys(wanted, 0)
        self.definite = dict.fromkeys(wanted, 0)
        self.after_noun = dict.fromkeys(wanted, 0)
        for text in texts:
            previous = None
            for token, joined in corpus_tokens(text):
                for key, clitic, flags in readings(token):
                    if key not in wanted:
                        continue
                    if flags == 0:
                        self.bare[key] += 1
                        if joined and token[:clitic] in ("", "و", "ف") and could_be_qualified(previous):
                            self.after_noun[key] += 1
                    elif flags == ARTICLE:
                        self.definite[key] += 1
                previous = token


def _restricted(entry: Entry, key: str) -> bool:
    return any(c.kind == "not-adjective" or c.kind in ("after", "before") for c in entry.context if c.form in ("", key))


def ordinary_word(entry: Entry, form: str, corpus: CorpusCounts | None) -> str | None:
    """Why ``form`` is probably an ordinary word as well as the term, or None."""
    key = normalize(form)
    if " " in key or key.startswith("ال") or _restricted(entry, key):
        return None
    bare = "".join(ch for ch in form if ch.isalpha())
    nisba = bare.endswith("ية")
    evidence = ""
    if corpus is not None and key in corpus.bare:
        n, d, a = corpus.bare[key], corpus.definite[key], corpus.after_noun[key]
        # A name takes no article; following a noun proves nothing (idafa: مدينة حلب).
        common = d >= max(3, n // 5)
        if not (nisba or common):
            return None
        evidence = (
            f"; in {corpus.name}: {n} occurrences, {a} right after a noun it may qualify,"
            f" {d} more with the article (a name takes none)"
        )
    elif not nisba:
        return None
    kind = "a nisba adjective (ending in ية: 'Syrian', not 'Syria')" if nisba else "an ordinary word"
    return (
        f"{form!r} is also {kind}; restrict it in the context column (e.g. '{form}: not-adjective'"
        f" or 'not-after WORD'), or remove it{evidence}"
    )


def lint(paths: Sequence[str | Path], corpus: Sequence[str | Path] = (), corpus_name: str = "") -> list[Finding]:
    """All findings for the glossary files and folders in ``paths``, errors first.

    ``corpus``: text files whose counts back the ordinary-word warnings."""
    findings: list[Finding] = []
    rows: list[Row] = []
    for path in glossary_files([Path(p) for p in paths]):
        rows.extend(read_rows(path, findings))
    findings.extend(lint_rows(rows, None if not corpus else _counts(rows, corpus, corpus_name)))
    findings.extend(_loader_agrees(paths, findings))
    return sorted(findings, key=lambda f: (f.level != "error", f.file, f.line))


def _loader_agrees(paths: Sequence[str | Path], findings: Sequence[Finding]) -> list[Finding]:
    """Lint passes nothing the loader refuses: a file that does not load, with no error of
    lint's own, gets the loader's message as an error."""
    from ..model import GlossaryError, read_tsv

    out = []
    failed = {f.file for f in findings if f.level == "error"}
    for path in glossary_files([Path(p) for p in paths]):
        try:
            read_tsv(path)
        except GlossaryError as e:
            if str(path) not in failed:
                rest = e.message[len(str(path)):]
                line = int(m.group(1)) if (m := re.match(r":(\d+):", rest)) else 1
                out.append(Finding("error", str(path), line, "load", f"the loader refuses this file: {e.message}"))
    return out


def _counts(rows, corpus, corpus_name):
    if True:
        from .corpus import read_text

        forms = [f for row in rows for f in (row.get("source"), *row.items("variants")) if f]
        name = corpus_name or (str(corpus[0]) if len(corpus) == 1 else f"{len(corpus)} files")
        return CorpusCounts(name, (read_text(Path(p)) for p in corpus), forms)
