"""Paragraphs, sentences, and pieces short enough for the model.

Paragraphs are lines: a news file, a reference file and a translation line up line by
line, so line N of the output always translates line N of the input. Sentences end at
``. ! ? ؟ ؛ …`` followed by white space; the Arabic comma ``،`` never ends a sentence.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

_TERMINATORS = ".!?؟؛…"
_CLOSERS = "\"'»”’)]}›"


def split_paragraphs(text: str) -> list[str]:
    """One entry per line; blank lines are kept as empty paragraphs."""
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):  # a final newline ends the last line; it opens no new one
        text = text[:-1]
    return text.split("\n")


def _is_initial(text: str, dot: int) -> bool:
    """A period after a lone Latin letter, as in "U.S." or "J. Smith": not a sentence end."""
    j = dot - 1
    return j >= 0 and text[j].isascii() and text[j].isalpha() and (j == 0 or not text[j - 1].isalnum())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph, surrounding white space excluded."""
    spans: list[tuple[int, int]] = []
    start, i, n = 0, 0, len(text)
    while i < n:
        if text[i] in _TERMINATORS:
            j = i
            while j < n and text[j] in _TERMINATORS:
                j += 1
            while j < n and text[j] in _CLOSERS:
                j += 1
            at_break = j == n or text[j].isspace()
            if at_break and not (j == i + 1 and text[i] == "." and _is_initial(text, i)):
                spans.append((start, j))
                start = j
            i = j
        else:
            i += 1
    spans.append((start, n))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def split_sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


# Where a long sentence may be cut, best first: after ; or :, after a comma, before the
# conjunction و, at any space. A cut never falls inside a protected span (a glossary term).
_CUT_CLASSES = [
    re.compile(r"(?<=[؛;:])\s+"),
    re.compile(r"(?<=[،,])\s+"),
    re.compile(r"\s+(?=و)"),
    re.compile(r"\s+"),
]


def split_long(
    text: str,
    count_tokens: Callable[[str], int],
    max_tokens: int,
    protected: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """Cut ``text`` into spans of at most ``max_tokens`` tokens each, losing nothing.

    Every non-space character of ``text`` lies in exactly one returned span.
    """

    def allowed(pos: int) -> bool:
        return all(not (s < pos < e) for s, e in protected)

    def cut(s: int, e: int) -> list[tuple[int, int]]:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            return []
        if count_tokens(text[s:e]) <= max_tokens:
            return [(s, e)]
        middle = (s + e) // 2
        for pattern in _CUT_CLASSES:
            points = [
                (m.start(), m.end())
                for m in pattern.finditer(text, s, e)
                if s < m.start() and m.end() < e and allowed(m.start()) and allowed(m.end())
            ]
            if points:
                a, b = min(points, key=lambda p: abs(p[0] - middle))
                return cut(s, a) + cut(b, e)
        # One unbroken run longer than the limit: cut by characters, outside protected spans.
        candidates = [p for p in range(s + 1, e) if allowed(p)] or [middle]
        p = min(candidates, key=lambda q: abs(q - middle))
        if e - s <= 1:
            return [(s, e)]
        return cut(s, p) + cut(p, e)

    return cut(0, len(text))
