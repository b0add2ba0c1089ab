"""Terminology QA of a translation made elsewhere, against the glossary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .enforce import Repairer
from .text.english import PhraseIndex, find_all_targets
from .errors import InputError
from .glossary.model import Glossary
from .glossary.matching import Matcher
from .text.segment import split_paragraphs


@dataclass(frozen=True)
class Violation:
    line: int  # 1-based
    kind: str  # missing | forbidden
    source: str
    target: str
    found: str | None = None

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "kind": self.kind,
            "source": self.source,
            "target": self.target,
            "found": self.found,
        }

    def describe(self) -> str:
        if self.kind == "forbidden":
            return f"line {self.line}: forbidden {self.found!r} (use {self.target!r} for {self.source})"
        return f"line {self.line}: missing {self.target!r} for {self.source}"


def aligned_lines(source: str, translation: str) -> list[tuple[str, str]]:
    src, tgt = split_paragraphs(source), split_paragraphs(translation)
    if len(src) != len(tgt):
        raise InputError(
            f"the source has {len(src)} lines but the translation has {len(tgt)};"
            " they must be paragraph-aligned (line N translates line N)"
        )
    return list(zip(src, tgt))


def check_line(number: int, source: str, translation: str, glossary: Glossary, matcher: Matcher) -> list[Violation]:
    problems: list[Violation] = []
    matches = matcher.find(source)
    expected = Counter(m.target for m in matches)
    found = find_all_targets(translation, expected)
    for target, n in expected.items():
        missing = n - len(found[target])
        if missing > 0:
            sources = [m.entry.source for m in matches if m.target == target]
            for source_term in sources[-missing:]:
                problems.append(Violation(number, "missing", source_term, target))
    for _, entry, m in forbidden_index(glossary).finditer(translation):
        if m.group(0) == entry.target:  # a forbidden spelling that is the target re-cased
            continue
        problems.append(Violation(number, "forbidden", entry.source, entry.target, m.group(0)))
    return problems


_INDEXES: "dict[int, tuple[Glossary, PhraseIndex]]" = {}


def forbidden_index(glossary: Glossary) -> PhraseIndex:
    """Every forbidden phrase of the glossary, indexed once per glossary object."""
    cached = _INDEXES.get(id(glossary))
    if cached is None or cached[0] is not glossary:
        if len(_INDEXES) > 8:
            _INDEXES.clear()
        cached = (glossary, PhraseIndex((phrase, e) for e in glossary for phrase in e.forbidden))
        _INDEXES[id(glossary)] = cached
    return cached[1]


def check_translation(source: str, translation: str, glossary: Glossary) -> list[Violation]:
    """Every missing target and every forbidden rendering, line by line."""
    matcher = Matcher(glossary)
    problems: list[Violation] = []
    for number, (src, tgt) in enumerate(aligned_lines(source, translation), start=1):
        problems.extend(check_line(number, src, tgt, glossary, matcher))
    return problems


def fix_translation(source: str, translation: str, glossary: Glossary) -> tuple[str, list[Violation]]:
    """Replace forbidden renderings and respell mangled targets; return the text and what is left."""
    matcher, repairer = Matcher(glossary), Repairer(glossary)
    lines, remaining = [], []
    for number, (src, tgt) in enumerate(aligned_lines(source, translation), start=1):
        expected = Counter(m.target for m in matcher.find(src))
        fixed, _ = repairer.repair(tgt, expected, [])
        lines.append(fixed if tgt.strip() else tgt)
        remaining.extend(check_line(number, src, lines[-1], glossary, matcher))
    text = "\n".join(lines)
    return (text + "\n" if translation.endswith("\n") else text), remaining
