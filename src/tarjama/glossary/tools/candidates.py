"""From what a foreign glossary file says to glossary entries.

Readers of CSV/TSV and TBX produce :class:`Candidate` rows: an Arabic side and an English
side, as the file has them. This module turns them into entries: a row that cannot be an
entry (no Arabic side, no English side, nothing at all) is skipped with its reason; several
renderings in one cell become a target and accepted alternatives; the same Arabic term
twice is merged (same target) or is a conflict, settled by the chosen policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from ...text.arabic import has_arabic, normalize
from .edit import ON_CONFLICT, control_character
from ..model import Entry, GlossaryError

# Several renderings in one cell: "absolute responsibility; absolute liability", "A | B".
# The Arabic semicolon counts on the Arabic side.
SEVERAL = re.compile(r"\s*[;|؛]\s*")
# On the Arabic side the Arabic comma separates synonyms too ("حاز، استحوذ على"); English
# commas stay: "Hama, city of" is one rendering.
SEVERAL_ARABIC = re.compile(r"\s*[;|؛،]\s*")
# A dictionary's article placeholder: "تسارع (ال..) الأقصى" is "التسارع الأقصى" (arabterm).
_ARTICLE_SLOT = re.compile(r"(\S+)\s*\(\s*الـ?\s*\.*\s*…?\s*\)")


def real_form(term: str) -> str:
    """A term as it is written in text: a ``(ال..)`` placeholder becomes the article on
    the word before it."""
    def article(m: re.Match) -> str:
        word = m.group(1)
        return word if word.startswith("ال") else "ال" + word

    return collapse(_ARTICLE_SLOT.sub(article, term))


@dataclass
class Candidate:
    """One row or concept of a foreign file, before it is checked."""

    where: str  # "file:line" or "file: concept c7", for messages
    line: int
    source: str = ""
    target: str = ""
    variants: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    note: str = ""
    # Why there is no Arabic or English side, when the reader knows better than "empty".
    missing: str = ""
    notices: tuple[str, ...] = ()  # what the reader noticed (a deprecated term left out …)


@dataclass(frozen=True)
class Skipped:
    where: str
    reason: str

    def describe(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class ReadResult:
    """The entries a file gives, what was skipped and why, and what was changed on the way."""

    entries: list[Entry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    merged: int = 0  # rows folded into an earlier row with the same Arabic term and target


def collapse(text: str) -> str:
    """White space collapsed to single spaces (notes wrap across lines in TBX)."""
    return " ".join(text.split())


def _items(values: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        for part in v.split("|"):
            part = collapse(part)
            if part and part not in out:
                out.append(part)
    return tuple(out)


def build(c: Candidate, file: str) -> tuple[Entry | None, Skipped | None, list[str]]:
    """The entry a candidate gives, or why it is skipped; and notices about it."""
    notices: list[str] = list(c.notices)
    source, target = collapse(c.source), collapse(c.target)
    if not source and not target:
        return None, Skipped(c.where, c.missing or "empty row"), notices
    if not source or not has_arabic(source):
        why = c.missing or (f"no Arabic side ({source!r} has no Arabic letters)" if source else "no Arabic side")
        return None, Skipped(c.where, why), notices
    if not target:
        return None, Skipped(c.where, c.missing or f"no English side for {source!r}"), notices
    variants = list(c.variants)
    alternatives = list(c.alternatives)
    sources = [s for s in SEVERAL_ARABIC.split(source) if s]
    if any(real_form(s) != s for s in sources):
        notices.append(f"{c.where}: the placeholder (ال..) written out: {' | '.join(real_form(s) for s in sources)}")
        sources = [real_form(s) for s in sources]
    source = sources[0] if sources else source
    variants = [real_form(part) for v in _items(variants) for part in SEVERAL_ARABIC.split(v) if part]
    if len(sources) > 1:
        source, variants = sources[0], sources[1:] + variants
        notices.append(f"{c.where}: several Arabic terms in one cell: {source!r} is the source, {', '.join(map(repr, sources[1:]))} variants")
    targets = [t for t in SEVERAL.split(target) if t]
    if len(targets) > 1:
        target, alternatives = targets[0], targets[1:] + alternatives
        notices.append(f"{c.where}: several renderings in one cell: {target!r} is the target, {', '.join(map(repr, targets[1:]))} accepted")
    kept_variants = []
    for v in _items(variants):
        if has_arabic(v):
            kept_variants.append(v)
        else:
            notices.append(f"{c.where}: variant {v!r} dropped (no Arabic letters)")
    forbidden = [f for f in _items(c.forbidden) if f != target]
    alternatives = [a for a in _items(alternatives) if a != target and a not in forbidden]
    entry = Entry(
        source, target, tuple(v for v in kept_variants if normalize(v) != normalize(source)),
        tuple(forbidden), collapse(c.note), file, c.line, tuple(alternatives),
    )
    for value in (entry.source, entry.target, entry.note, *entry.variants, *entry.forbidden, *entry.alternatives):
        if (bad := control_character(value)) is not None:
            return None, Skipped(c.where, f"control character U+{ord(bad):04X} in {value!r}"), notices
    return entry, None, notices


@dataclass
class _Kept:
    entry: Entry
    where: str


def _merge(a: Entry, b: Entry) -> Entry:
    """Two rows of one file with the same Arabic term and the same target: one entry."""
    def union(x, y):
        return tuple(dict.fromkeys((*x, *y)))

    variants = tuple(v for v in union(a.variants, (b.source, *b.variants)) if normalize(v) != normalize(a.source))
    note = a.note if not b.note or b.note in a.note else (f"{a.note}; {b.note}" if a.note else b.note)
    return Entry(a.source, a.target, variants, union(a.forbidden, b.forbidden), note, a.file, a.line,
                 union(a.alternatives, b.alternatives))


def resolve(candidates: Sequence[Candidate], file: str, on_conflict: str = "error", strict: bool = False) -> ReadResult:
    """Entries of one file: skipped rows listed, duplicates merged, conflicts settled.

    ``on_conflict``: ``error`` lists every conflict (both places, both targets) and raises;
    ``keep-first`` / ``keep-last`` keep the first or the last row of a conflict; ``skip``
    drops every row of a conflict. ``strict`` refuses a file with any skipped row.
    """
    if on_conflict not in ON_CONFLICT:
        raise GlossaryError(f"unknown conflict policy {on_conflict!r} (choose from {', '.join(ON_CONFLICT)})")
    result = ReadResult()
    kept: list[_Kept | None] = []
    by_form: dict[str, int] = {}
    conflicts: list[str] = []
    poisoned: dict[str, str] = {}  # form -> where its conflict was (policy skip)
    for c in candidates:
        entry, skipped, notices = build(c, file)
        result.notices.extend(notices)
        if skipped is not None:
            result.skipped.append(skipped)
            continue
        keys = [normalize(f) for f in entry.forms]
        if on_conflict == "skip" and any(k in poisoned for k in keys):
            first = next(poisoned[k] for k in keys if k in poisoned)
            result.skipped.append(Skipped(c.where, f"conflicts with {first} ({entry.source} → {entry.target!r}); --on-conflict skip"))
            continue
        hits = sorted({by_form[k] for k in keys if k in by_form})
        clashing = [i for i in hits if kept[i].entry.target != entry.target]
        if not clashing:
            if hits:  # the same term and target again: one entry
                i = hits[0]
                kept[i] = _Kept(_merge(kept[i].entry, entry), kept[i].where)
                result.merged += 1
                result.notices.append(f"{c.where}: same term and target as {kept[i].where}; merged into it")
                for k in (normalize(f) for f in kept[i].entry.forms):
                    by_form[k] = i
            else:
                kept.append(_Kept(entry, c.where))
                for k in keys:
                    by_form[k] = len(kept) - 1
            continue
        first = kept[clashing[0]]
        message = (
            f"{c.where}: {entry.source!r} is already defined by {first.where} with target"
            f" {first.entry.target!r} (here {entry.target!r})"
        )
        if on_conflict == "error":
            conflicts.append(message)
        elif on_conflict == "keep-first":
            result.skipped.append(Skipped(c.where, f"conflict: {entry.source} → {entry.target!r}; keeps {first.where} → {first.entry.target!r}"))
        elif on_conflict == "keep-last":
            for i in clashing:
                result.skipped.append(Skipped(kept[i].where, f"conflict: {kept[i].entry.source} → {kept[i].entry.target!r}; replaced by {c.where} → {entry.target!r}"))
                for f in kept[i].entry.forms:
                    by_form.pop(normalize(f), None)
                kept[i] = None
            kept.append(_Kept(entry, c.where))
            for k in keys:
                by_form[k] = len(kept) - 1
        else:  # skip: neither row, nor any later row of that term
            for i in clashing:
                result.skipped.append(Skipped(kept[i].where, f"conflicts with {c.where} ({kept[i].entry.target!r} here, {entry.target!r} there); --on-conflict skip"))
                for f in kept[i].entry.forms:
                    poisoned[normalize(f)] = kept[i].where
                    by_form.pop(normalize(f), None)
                kept[i] = None
            result.skipped.append(Skipped(c.where, f"conflicts with {first.where} ({first.entry.target!r} there, {entry.target!r} here); --on-conflict skip"))
            for k in keys:
                poisoned.setdefault(k, first.where)
    if conflicts:
        raise GlossaryError(
            f"{file}: {len(conflicts)} conflicting entr{'y' if len(conflicts) == 1 else 'ies'}, the same Arabic term with"
            f" another target (choose --on-conflict keep-first|keep-last|skip): " + "; ".join(conflicts)
        )
    result.entries = [k.entry for k in kept if k is not None]
    if strict and result.skipped:
        raise GlossaryError(
            f"{file}: {len(result.skipped)} row{'s' if len(result.skipped) != 1 else ''} cannot be glossary entries (--strict): "
            + "; ".join(s.describe() for s in result.skipped)
        )
    return result
