"""Protected spans as glossary matches, so that one mechanism enforces both.

Each span found by :mod:`tarjama.text.spans` becomes a
:class:`~tarjama.glossary.matching.Match` of a synthetic entry whose target is the span
in its English form; enforcement then protects, verifies, repairs and, at worst, stitches
it in like any glossary term, and reports it like one. A span that overlaps a glossary
term is left to the term (``#داعش`` is the term داعش).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Sequence

from ..glossary.matching import Match
from ..glossary.model import Entry
from ..text.spans import find_spans


@dataclass(frozen=True)
class SpanEntry(Entry):
    """A synthetic glossary entry for one protected span: the source is the span as
    written, the target what the English must contain."""

    kind: str = ""


def span_matches(text: str, claimed: Sequence[Match] = ()) -> list[Match]:
    """The protected spans of ``text`` as glossary matches; those overlapping a ``claimed``
    match (a glossary term) are left out."""
    # Glossary matches never overlap one another: sorted by start, their ends are sorted
    # too, so one bisection per span tells whether a term covers any of it.
    taken = sorted((m.clitic_start, m.end) for m in claimed)
    starts = [s for s, _ in taken]
    out = []
    for span in find_spans(text):
        k = bisect.bisect_left(starts, span.end)
        if k and taken[k - 1][1] > span.start:
            continue
        entry = SpanEntry(source=span.text, target=span.target, note=f"protected {span.kind}", kind=span.kind)
        out.append(Match(span.start, span.end, span.text, entry, "", span.start))
    return out


def with_spans(text: str, matches: Sequence[Match]) -> list[Match]:
    """Glossary matches and protected spans together, in order of position."""
    return sorted([*matches, *span_matches(text, matches)], key=lambda m: m.clitic_start)


def span_kind(entry: Entry) -> str:
    """``"term"`` for a glossary entry, the span's kind (``url``, ``number`` …) otherwise."""
    return entry.kind if isinstance(entry, SpanEntry) else "term"
