"""Terminology QA of a translation made elsewhere, against the glossary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..pipeline.enforce import Repairer
from ..text.english import PhraseIndex, misspelled_targets, present_targets
from ..errors import InputError
from ..glossary.model import Glossary, english_plural
from ..glossary.matching import Matcher
from ..text.segment import split_paragraphs


@dataclass(frozen=True)
class Violation:
    line: int  # 1-based
    kind: str  # missing | misspelled | forbidden
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
        if self.kind == "misspelled":
            return f"line {self.line}: misspelled {self.found!r} (use {self.target!r} for {self.source})"
        if self.kind == "forbidden":
            return f"line {self.line}: forbidden {self.found!r} (use {self.target!r} for {self.source})"
        return f"line {self.line}: missing {self.target!r} for {self.source}"


def aligned_lines(source: str, translation: str) -> list[tuple[str, str]]:
    src, tgt = split_paragraphs(source), split_paragraphs(translation)
    if len(src) != len(tgt):
        raise InputError(
            f"the source has {len(src)} {'line' if len(src) == 1 else 'lines'} but the translation has {len(tgt)};"
            " they must be paragraph-aligned (line N translates line N)"
        )
    return list(zip(src, tgt))


def check_line(number: int, source: str, translation: str, glossary: Glossary, matcher: Matcher) -> list[Violation]:
    problems: list[Violation] = []
    matches = matcher.find(source)
    expected = Counter(m.target for m in matches)
    present, accepted = _accepted(translation, matches)
    misspelled = misspelled_targets(translation, expected)
    for target, n in expected.items():
        missing = n - present[target]
        if missing > 0:
            sources = [m.entry.source for m in matches if m.target == target][-missing:]
            wrong = [translation[s:e] for s, e in misspelled[target]]
            for i, source_term in enumerate(sources):
                if i < len(wrong):
                    problems.append(Violation(number, "misspelled", source_term, target, wrong[i]))
                else:
                    problems.append(Violation(number, "missing", source_term, target))
    for _, (entry, target), m in forbidden_index(glossary).finditer(translation):
        if m.group(0) == target:  # a forbidden spelling that is the target re-cased
            continue
        # Inside a longer accepted rendering ("Islamic State" in an alternative "Islamic
        # State group", or in a target that contains it) a forbidden phrase is no fault.
        if any(s <= m.start() and m.end() <= e and (s, e) != m.span() for s, e in accepted):
            continue
        problems.append(Violation(number, "forbidden", entry.source, target, m.group(0)))
    return problems


def accepted_counts(translation: str, matches) -> dict[str, int]:
    """How often each expected target is in ``translation``, written as the target or as
    one of its entry's ``alternatives`` (accepted renderings: tarjama writes the target, but
    a translation that uses an alternative is not wrong). A plural match accepts the
    alternatives' plurals. Each stretch of text counts once, for the longest phrase there."""
    return _accepted(translation, matches)[0]


def _accepted(translation: str, matches) -> tuple[dict[str, int], list[tuple[int, int]]]:
    """:func:`accepted_counts`, and the spans of the accepted renderings found."""
    expected = Counter(m.target for m in matches)
    alternatives: dict[str, set[str]] = {t: set() for t in expected}
    for m in matches:
        # An alternative that is another expected target counts for that target only.
        alternatives[m.target].update(a for a in _alternatives([m]) if a not in expected)
    found = present_targets(translation, set(expected).union(*alternatives.values()))
    counts = {t: len(found[t]) + sum(len(found[a]) for a in alternatives[t]) for t in expected}
    return counts, [span for spans in found.values() for span in spans]


_INDEXES: "dict[int, tuple[Glossary, PhraseIndex]]" = {}


def forbidden_index(glossary: Glossary) -> PhraseIndex:
    """Every forbidden phrase of the glossary, indexed once per glossary object."""
    cached = _INDEXES.get(id(glossary))
    if cached is None or cached[0] is not glossary:
        if len(_INDEXES) > 8:
            _INDEXES.clear()
        cached = (glossary, PhraseIndex(_forbidden_phrases(glossary)))
        _INDEXES[id(glossary)] = cached
    return cached[1]


def _alternatives(matches) -> set[str]:
    """The accepted alternatives of the matches' entries, in the plural for a plural match."""
    return {english_plural(a) if m.number else a for m in matches for a in m.entry.alternatives}


def _forbidden_phrases(glossary: Glossary):
    """(phrase, (entry, target)): each forbidden rendering, and its plural with the plural
    target ("UAVs" → "drones"), as the repair step replaces them."""
    for e in glossary:
        for phrase in e.forbidden:
            yield phrase, (e, e.target)
            plural = english_plural(phrase)
            if plural != phrase:
                yield plural, (e, e.plural_target)


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
        matches = matcher.find(src)
        expected = Counter(m.target for m in matches)
        fixed, _ = repairer.repair(tgt, expected, [], accepted=sorted(_alternatives(matches)), exact=False)
        lines.append(fixed if tgt.strip() else tgt)
        remaining.extend(check_line(number, src, lines[-1], glossary, matcher))
    text = "\n".join(lines)
    return (text + "\n" if translation.endswith("\n") else text), remaining
