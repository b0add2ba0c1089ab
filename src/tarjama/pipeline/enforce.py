"""Glossary enforcement around any engine: protect, translate, verify, repair, fall back.

Each unit (a sentence, or a piece of a long one) goes through up to three rounds, each
batched over all units that still need it:

1. **protected** – every term is replaced in the Arabic by its English target, which the
   model usually carries through; the output is repaired (forbidden renderings replaced,
   re-cased/split/hyphenated targets respelled, duplicates collapsed) and verified: each
   target must appear exactly as often as its term occurs.
2. **model** – units that failed are translated from the untouched Arabic, repaired and
   verified the same way (OPUS-MT often knows the name, or a forbidden rendering of it).
3. **stitched** – the last resort, which cannot fail: the text between terms is translated
   piece by piece and the exact targets are stitched in between.

OPUS-MT was never trained on placeholders, so no placeholder or marker is ever used:
what the model sees in round 1 is the English target itself.

Protected spans (URLs, numbers, Latin names …; see :mod:`tarjama.pipeline.span_matches`) arrive as
matches of synthetic entries whose target is the span: the same rounds keep them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from ..text.arabic import fold_presentation_forms, has_arabic, TATWEEL
from ..engines.base import Engine, Progress
from ..text.english import (
    collapse_duplicates,
    find_all_targets,
    fix_articles,
    phrase_pattern,
    present_targets,
    replace_spans,
    starts_sentence,
    tidy,
    written_as,
)
from ..glossary.model import Glossary
from ..glossary.matching import Match
from .span_matches import span_kind

_QUOTES = "\"'«»“”„‘’‹›"
_TERMINATORS = ".!?؟؛…"
# English for the proclitics when a term is stitched in on its own.
_CLITIC_WORDS = {"و": "and", "ف": "and", "ب": "in", "ل": "to", "ك": "as"}


@dataclass
class TermResult:
    """What happened to one glossary term occurrence."""

    source: str
    target: str
    text: str
    start: int
    end: int
    method: str = ""  # protected | model | stitched
    status: str = "applied"  # applied | unresolved
    fixes: list[str] = field(default_factory=list)
    kind: str = "term"  # term (a glossary entry) | a protected span's kind: url, number …

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "target": self.target,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "method": self.method,
            "status": self.status,
            "fixes": list(self.fixes),
            "kind": self.kind,
        }


@dataclass
class Unit:
    """A piece of Arabic sent to the engine, with the terms found in it."""

    text: str
    matches: list[Match] = field(default_factory=list)
    sentence_start: bool = True

    @property
    def expected(self) -> Counter:
        return Counter(m.target for m in self.matches)


@dataclass
class UnitResult:
    translation: str
    terms: list[TermResult]


def protect(unit: Unit) -> str:
    """The Arabic with each term (and its proclitic) replaced by the English target."""
    edits = []
    for m in unit.matches:
        replacement = m.target
        if m.clitic:  # و + "SDF": the proclitic stays Arabic, a word of its own
            prefix = unit.text[m.clitic_start : m.start].replace(TATWEEL, "")
            letters = prefix.rstrip(_QUOTES)
            replacement = f"{letters} {prefix[len(letters):]}{replacement}"
        edits.append((m.clitic_start, m.end, replacement))
    return replace_spans(unit.text, edits)


class Repairer:
    """Puts exact glossary targets into English text; needs no engine."""

    def __init__(self, glossary: Glossary | None):
        entries = list(glossary or [])
        # Longest first, so "Islamic State of Iraq" is replaced before "Islamic State".
        pairs = {(phrase, e.target) for e in entries for phrase in e.forbidden}
        # A plural match expects the plural target, whose forbidden renderings are plural too.
        pairs |= {(plural, e.plural_target) for e in entries for plural in e.forbidden_plurals}
        self.forbidden = sorted(pairs, key=lambda p: (-len(p[0]), p))
        # Per target, so a unit's few terms cost the same with 56 entries or 10,000.
        self.by_target: dict[str, list[str]] = {}
        for phrase, target in self.forbidden:
            self.by_target.setdefault(target, []).append(phrase)

    def _forbidden_of(self, expected) -> list[tuple[str, str]]:
        """(phrase, target) for the terms of one unit, longest phrase first."""
        pairs = [(phrase, t) for t in expected for phrase in self.by_target.get(t, ())]
        return sorted(pairs, key=lambda p: (-len(p[0]), p))

    def avoid(self, expected: Counter) -> list[str]:
        """The forbidden renderings of the terms of one unit."""
        return [phrase for phrase, _ in self._forbidden_of(expected)]

    def replace_forbidden(self, text: str, expected: Counter, fixes: list[str], accepted: Sequence[str] = ()) -> str:
        """Forbidden renderings of the expected terms → their targets, capitalised at a
        sentence start. Only the terms found in the source count: the output of a sentence
        depends on that sentence and its terms alone (translation memory, re-runs)."""
        # ``accepted``: other renderings to leave whole (a glossary's alternatives, in check --fix).
        keep = [s for spans in find_all_targets(text, [*expected, *accepted]).values() for s in spans]
        edits: list[tuple[int, int, str]] = []
        for phrase, target in self._forbidden_of(expected):
            for m in phrase_pattern(phrase).finditer(text):
                span = m.span()
                # A forbidden phrase inside a correct target is fine ("Islamic State" inside
                # a target that contains it); one that contains the target ("al-Hasakah") is not.
                if any(s <= span[0] and span[1] <= e and (s, e) != span for s, e in keep):
                    continue
                if any(span[0] < b and a < span[1] for a, b, _ in edits):
                    continue
                at_start = starts_sentence(text, span[0])
                edits.append((span[0], span[1], target[0].upper() + target[1:] if at_start else target))
                fixes.append(f"replaced forbidden {m.group(0)!r}")
        return replace_spans(text, edits)

    def repair(
        self, text: str, expected: Counter, fixes: list[str], accepted: Sequence[str] = (), exact: bool = True
    ) -> tuple[str, bool]:
        """Put exact targets back into ``text``; True when every count matches.

        ``exact``: respell a target capitalised at a sentence start too. Enforcement does,
        and capitalises the sentence itself afterwards, except where a protected span opens
        it ("iPhone"); check --fix leaves a translator's capital ("Drone was shot down.")."""
        for _ in range(3):  # a replacement can complete another forbidden phrase
            replaced = self.replace_forbidden(text, expected, fixes, accepted)
            if replaced == text:
                break
            text = replaced

        found = find_all_targets(text, expected)
        respell = [
            (s, e, t) for t, spans in found.items() for s, e in spans if (text[s:e] != t if exact else not written_as(text, s, e, t))
        ]
        for s, e, t in respell:
            fixes.append(f"respelled {text[s:e]!r}")
        text = replace_spans(text, respell)

        for target, n in expected.items():
            if len(find_all_targets(text, expected)[target]) > n:
                collapsed = collapse_duplicates(text, target)
                if collapsed != text:
                    fixes.append(f"removed duplicate {target!r}")
                    text = collapsed
        counts = {t: len(s) for t, s in present_targets(text, expected).items()}
        ok = all(counts.get(t, 0) == n for t, n in expected.items())
        if ok and expected:
            text = fix_articles(text, expected)
        return text, ok

    def scrub(self, text: str, expected: Counter) -> str:
        """Remove targets and forbidden renderings from a piece that stands between terms."""
        spans = [s for ss in find_all_targets(text, expected).values() for s in ss]
        for phrase, _ in self._forbidden_of(set(expected)):
            spans += [m.span() for m in phrase_pattern(phrase).finditer(text)]
        spans = sorted(set(spans))
        kept: list[tuple[int, int, str]] = []
        for s, e in spans:
            if not any(s < b and a < e for a, b, _ in kept):
                kept.append((s, e, ""))
        return tidy(replace_spans(text, kept), sentence_start=False)


class Enforcer(Repairer):
    """Runs the rounds of protection, verification and repair over an engine."""

    def __init__(self, engine: Engine, glossary: Glossary | None):
        super().__init__(glossary)
        self.engine = engine

    # -- the rounds ---------------------------------------------------------------------
    def run(self, units: Sequence[Unit], progress: Progress | None = None) -> list[UnitResult]:
        results: list[UnitResult | None] = [None] * len(units)

        def settle(i: int, text: str, method: str, fixes: list[str], ok: bool) -> None:
            unit = units[i]
            status = "applied" if ok else "unresolved"
            terms = [
                TermResult(
                    m.entry.source, m.target, m.text, m.start, m.end, method, status, list(fixes), span_kind(m.entry)
                )
                for m in unit.matches
            ]
            # A protected span that opens the unit keeps its case ("iPhone", "how are you").
            first = unit.matches[0] if unit.matches else None
            opens = first is not None and span_kind(first.entry) != "term" and not unit.text[: first.clitic_start].strip()
            results[i] = UnitResult(tidy(text, sentence_start=unit.sentence_start and not opens), terms)

        def attempt(indices: list[int], sources: list[str], method: str, last: bool, prog=None):
            avoid = [self.avoid(units[i].expected) for i in indices]
            # The model knows letters, not the glyph shapes of text copied from PDFs.
            outputs = self.engine.translate([fold_presentation_forms(s) for s in sources], avoid=avoid, progress=prog)
            failed = []
            for i, out in zip(indices, outputs):
                fixes: list[str] = []
                text, ok = self.repair(tidy(out, sentence_start=units[i].sentence_start), units[i].expected, fixes)
                if ok or last:
                    settle(i, text, method, fixes, ok)
                else:
                    failed.append(i)
            return failed

        everything = list(range(len(units)))
        failed = attempt(everything, [protect(u) for u in units], "protected", False, progress)
        if failed:
            failed = attempt(failed, [units[i].text for i in failed], "model", False)
        if failed:
            self._stitch(units, failed, settle)
        return [r for r in results if r is not None]

    def _stitch(self, units: Sequence[Unit], indices: list[int], settle) -> None:
        layouts: dict[int, list[tuple[str, str]]] = {}
        pieces: list[str] = []
        piece_avoid: list[list[str]] = []
        for i in indices:
            unit, layout, pos = units[i], [], 0
            first_piece = len(pieces)
            for m in unit.matches:
                self._add_piece(layout, pieces, unit.text[pos : m.clitic_start], final=False)
                if m.clitic:
                    words = [_CLITIC_WORDS[c] for c in m.clitic[:2] if c in _CLITIC_WORDS]
                    layout.append(("literal", " ".join(dict.fromkeys(words))))
                # A dual stitched in on its own says so: "two drones".
                layout.append(("literal", f"two {m.target}" if m.number == "dual" else m.target))
                pos = m.end
                while pos < len(unit.text) and unit.text[pos] in _QUOTES:
                    pos += 1
            self._add_piece(layout, pieces, unit.text[pos:], final=True)
            layouts[i] = layout
            # The pieces must not bring the terms back in any form: ban targets too.
            piece_avoid.extend([self.avoid(unit.expected) + list(unit.expected)] * (len(pieces) - first_piece))
        translated = self.engine.translate([fold_presentation_forms(p) for p in pieces], avoid=piece_avoid) if pieces else []
        for i in indices:
            unit = units[i]
            parts = []
            for kind, value in layouts[i]:
                if kind == "piece":
                    index, final = value
                    text = self.scrub(translated[index], unit.expected)
                    if not final:
                        text = text.rstrip(".")
                    parts.append(text)
                else:
                    parts.append(value)
            fixes: list[str] = []
            text = tidy(" ".join(p for p in parts if p), sentence_start=unit.sentence_start)
            text, ok = self.repair(text, unit.expected, fixes)
            settle(i, text, "stitched", fixes, ok)

    @staticmethod
    def _add_piece(layout: list, pieces: list[str], text: str, final: bool) -> None:
        # An opening quote right before a term goes with the term (which is stitched bare).
        text = text.replace(TATWEEL, "").strip()
        if not final:
            text = text.rstrip(_QUOTES).rstrip()
        if not text:
            return
        if has_arabic(text):
            layout.append(("piece", (len(pieces), final or text[-1] in _TERMINATORS)))
            pieces.append(text)
        else:
            layout.append(("literal", text))
