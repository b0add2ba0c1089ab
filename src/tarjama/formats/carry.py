"""Moving inline marks from an Arabic unit onto the English words they wrap.

A unit is translated whole, so where a bold word or a link ends up is not known from the
model. It is inferred from what is known exactly: where each sentence went, where each
glossary term's English is, and Latin words and numbers copied as they were. These are
anchors (source offset → English offset); they are kept only where they agree in order,
and every mark boundary is placed by interpolating between the anchors around it, then
snapped to a word boundary. The mapping never goes backwards, so marks that were nested
or side by side stay nested or side by side, and the markup rebuilt from them is well formed.
"""

from __future__ import annotations

import bisect
import re
from typing import Sequence

from ..text.segment import sentence_spans
from .base import Mark

_WORD = re.compile(r"\w[\w'’\-]*")
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:/_\-]*[A-Za-z0-9]|[A-Za-z0-9]")


def sentence_layout(source: str, translations: Sequence[str]) -> list[tuple[int, int, int, int]]:
    """(source start, source end, English start, English end) of each sentence, with the
    English joined as the translator joins it (one space, empty translations skipped)."""
    out, pos = [], 0
    for (s, e), t in zip(sentence_spans(source), translations):
        if not t:
            out.append((s, e, pos, pos))
            continue
        if pos:
            pos += 1
        out.append((s, e, pos, pos + len(t)))
        pos += len(t)
    return out


def _anchors(source: str, target: str, layout, terms_by_sentence) -> list[tuple[int, int]]:
    anchors = [(0, 0), (len(source), len(target))]
    for (s, e, ts, te), terms in zip(layout, terms_by_sentence):
        anchors += [(s, ts), (e, te)]
        english = target[ts:te]
        claimed: list[tuple[int, int]] = []
        # Longer terms first, so that "Syria" is not found inside "Syrian Observatory".
        for term in sorted(terms, key=lambda t: (-len(t.target), t.start)):
            if term.status != "applied":
                continue
            pattern = re.compile(rf"(?<!\w){re.escape(term.target)}(?!\w)", re.IGNORECASE)
            for m in pattern.finditer(english):
                if not any(a < m.end() and m.start() < b for a, b in claimed):
                    claimed.append(m.span())
                    anchors += [(s + term.start, ts + m.start()), (s + term.end, ts + m.end())]
                    break
        # Latin words and numbers that occur once on each side: copied, so exact.
        src_tokens = [m for m in _LATIN.finditer(source, s, e)]
        counts: dict[str, int] = {}
        for m in src_tokens:
            counts[m.group()] = counts.get(m.group(), 0) + 1
        for m in src_tokens:
            word = m.group()
            if counts[word] != 1 or english.count(word) != 1:
                continue
            found = english.find(word)
            anchors += [(m.start(), ts + found), (m.end(), ts + found + len(word))]
    return _increasing(anchors)


def _increasing(anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of anchors increasing in both offsets (ties allowed): anchors that
    contradict the order of the others (a repeated word matched to the wrong place) drop out."""
    anchors = sorted(set(anchors))
    best: list[int] = []  # patience sorting on the English offsets, non-decreasing
    ends: list[int] = []
    prev = [-1] * len(anchors)
    for i, (_, t) in enumerate(anchors):
        k = bisect.bisect_right(ends, t)
        if k == len(ends):
            ends.append(t)
            best.append(i)
        else:
            ends[k] = t
            best[k] = i
        prev[i] = best[k - 1] if k else -1
    chain, i = [], best[-1] if best else -1
    while i >= 0:
        chain.append(anchors[i])
        i = prev[i]
    return chain[::-1]


def _interpolate(anchors: list[tuple[int, int]], x: int) -> float:
    sources = [a for a, _ in anchors]
    k = bisect.bisect_right(sources, x)
    if k == 0:
        return anchors[0][1]
    if k == len(anchors):
        return anchors[-1][1]
    (s0, t0), (s1, t1) = anchors[k - 1], anchors[k]
    if s1 == s0:
        return t1
    return t0 + (t1 - t0) * (x - s0) / (s1 - s0)


def carry(source: str, marks: Sequence[Mark], target: str, layout, terms_by_sentence) -> tuple[Mark, ...]:
    """``marks`` over ``source`` moved onto ``target`` (see the module's docstring)."""
    if not marks:
        return ()
    anchors = _anchors(source, target, layout, terms_by_sentence)
    words = [(m.start(), m.end()) for m in _WORD.finditer(target)]
    starts = [a for a, _ in words]
    ends = [b for _, b in words]

    def nearest(options: list[int], x: float) -> int:
        if not options:
            return min(len(target), max(0, round(x)))
        k = bisect.bisect_left(options, x)
        candidates = options[max(0, k - 1): k + 1]
        return min(candidates, key=lambda o: (abs(o - x), o))

    out = []
    for m in marks:
        if m.start == 0 and m.end == len(source) and source:  # the whole unit (a link that is a title)
            out.append(Mark(0, len(target), m.key))
            continue
        if m.start == m.end:
            x = _interpolate(anchors, m.start)
            boundary = nearest(sorted(set(starts + ends + [0, len(target)])), x)
            out.append(Mark(boundary, boundary, m.key))
            continue
        a = nearest(starts, _interpolate(anchors, m.start))
        b = nearest(ends, _interpolate(anchors, m.end))
        if b <= a:  # both ends fell in one word: wrap the word at the middle
            middle = (_interpolate(anchors, m.start) + _interpolate(anchors, m.end)) / 2
            if words:
                k = min(range(len(words)), key=lambda i: abs((words[i][0] + words[i][1]) / 2 - middle))
                a, b = words[k]
            else:
                a, b = 0, len(target)
        a, b = _with_punctuation(source[m.start: m.end], target, a, b)
        out.append(Mark(a, b, m.key))
    return tuple(_nest(marks, out))


# Arabic punctuation and what the English writes for it.
_ENGLISH_PUNCTUATION = str.maketrans({"؟": "?", "،": ",", "؛": ";", "٪": "%"})


def _with_punctuation(inner: str, target: str, a: int, b: int) -> tuple[int, int]:
    """Word boundaries leave out punctuation; where the marked source text begins or ends
    with punctuation the English has at that place too ("(TSC)", a quotation, a question
    mark: ؟ is ?), take it in."""
    inner = inner.translate(_ENGLISH_PUNCTUATION)
    lead = len(inner) - len(re.sub(r"^[^\w\s]+", "", inner))
    trail = len(inner) - len(re.sub(r"[^\w\s]+$", "", inner))
    if trail and target[b: b + trail] == inner[len(inner) - trail:]:
        b += trail
    if lead and a >= lead and target[a - lead: a] == inner[:lead]:
        a -= lead
    return a, b


def _nest(original: Sequence[Mark], moved: list[Mark]) -> list[Mark]:
    """Repair what snapping may have broken: a mark inside another in the source stays
    inside it, and marks side by side in the source do not overlap."""
    fixed = list(moved)
    order = sorted(range(len(original)), key=lambda i: (original[i].start, -original[i].end))
    for i in order:
        for j in order:
            if i == j:
                continue
            oi, oj = original[i], original[j]
            mi, mj = fixed[i], fixed[j]
            if oj.start <= oi.start and oi.end <= oj.end and (oj.start, -oj.end) < (oi.start, -oi.end):
                # i is inside j: clamp i into j
                a = min(max(mi.start, mj.start), mj.end)
                b = max(min(mi.end, mj.end), a)
                fixed[i] = Mark(a, b, mi.key)
            elif oi.end <= oj.start and mi.end > mj.start:
                # i before j in the source: i must end where j starts at the latest
                cut = mj.start
                fixed[i] = Mark(min(mi.start, cut), cut, mi.key)
    return fixed
