"""Find glossary terms in Arabic text the way Arabic is actually written.

A term matches regardless of diacritics, tatweel, hamza/alef, ta marbuta and alef
maqsura spellings (see :mod:`tarjama.arabic`), quotes around it, the proclitics
و ف ب ل ك in front of it (with the article absorbed: بال، لل، وبال، وللـ …), the news
forms بـ"قسد" and لـ"داعش", and any white space between its words. It never matches
inside a longer word, and where entries overlap the longest one wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..text.arabic import is_dropped, normalize, normalize_with_map, TATWEEL
from .model import Entry, Glossary

# Characters that make up a word: a term must not touch one on either side.
_WORD = r"\u0621-\u063A\u0641-\u064A\u0660-\u0669\u0671-\u06D3\u06FA-\u06FFA-Za-z0-9"
_SPACE = r"[\s\u200b-\u200f]+"
_QUOTES = "\"'«»“”„‘’‹›"

# A proclitic standing alone before a quoted term: بـ"قسد" (tatweel is gone after normalizing).
_DETACHED_CLITIC = re.compile(
    rf"(?<![{_WORD}])(?P<c>[وف]?[بلك]|[وف]|[وف]?[بك]?ال|[وف]?لل)[{re.escape(_QUOTES)}]+$"
)


@dataclass(frozen=True)
class Match:
    """One occurrence of a glossary entry in a text.

    ``start``/``end`` delimit the term itself in the original text (end exclusive),
    without its proclitic and quotes; ``clitic_start`` is where an attached or detached
    proclitic begins (equal to ``start`` when there is none).
    """

    start: int
    end: int
    text: str
    entry: Entry
    clitic: str = ""
    clitic_start: int = -1

    @property
    def source(self) -> str:
        return self.entry.source

    @property
    def target(self) -> str:
        return self.entry.target

    def as_dict(self) -> dict:
        d = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "source": self.entry.source,
            "target": self.entry.target,
        }
        if self.clitic:
            d["clitic"] = self.clitic
        return d


def _form_pattern(form: str) -> str | None:
    words = normalize(form).split()
    if not words:
        return None
    first, rest = words[0], words[1:]
    tail = "".join(_SPACE + re.escape(w) for w in rest)
    if first.startswith("ال") and len(first) > 2:
        stem = re.escape(first[2:])
        # بالحسكة: clitic ب + الحسكة.  للحسكة: clitic ل + لحسكة (the alef is absorbed).
        head = rf"(?:(?P<ca>[وف]?[بك]?)(?P<ta>ال{stem})|(?P<cb>[وف]?ل)(?P<tb>ل{stem}))"
    else:
        head = rf"(?P<ca>[وف]?[بلك]?)(?P<ta>{re.escape(first)})"
    return rf"(?<![{_WORD}]){head}(?P<rest>{tail})(?![{_WORD}])"


class Matcher:
    """Compiled search for every form of every entry of a glossary."""

    def __init__(self, glossary: Glossary | list[Entry]):
        self.entries = list(glossary)

    @cached_property
    def _patterns(self) -> list[tuple[re.Pattern, Entry]]:
        out = []
        for entry in self.entries:
            for form in entry.forms:
                p = _form_pattern(form)
                if p:
                    out.append((re.compile(p), entry))
        return out

    def find(self, text: str) -> list[Match]:
        if not self.entries or not text:
            return []
        norm, index = normalize_with_map(text)
        candidates = []
        for pattern, entry in self._patterns:
            for m in pattern.finditer(norm):
                if m.group("ta") is not None:
                    c_start, t_start = m.start("ca"), m.start("ta")
                else:
                    c_start, t_start = m.start("cb"), m.start("tb")
                candidates.append((c_start, t_start, m.end(), entry))
        # Longest term first, then leftmost; keep what does not overlap a better match.
        candidates.sort(key=lambda c: (-(c[2] - c[1]), c[0]))
        taken: list[tuple[int, int]] = []
        chosen = []
        for c_start, t_start, end, entry in candidates:
            if any(c_start < e and s < end for s, e in taken):
                continue
            taken.append((c_start, end))
            chosen.append((c_start, t_start, end, entry))
        chosen.sort()
        return [self._to_match(text, norm, index, *c) for c in chosen]

    @staticmethod
    def _to_match(text, norm, index, c_start, t_start, end, entry) -> Match:
        start = index[t_start]
        stop = index[end - 1] + 1
        # Diacritics written on the last letter belong to the term.
        while stop < len(text) and is_dropped(text[stop]) and text[stop] != TATWEEL:
            stop += 1
        clitic, clitic_start = "", start
        if c_start < t_start:
            clitic_start = index[c_start]
            clitic = text[clitic_start:start].replace(TATWEEL, "")
        else:
            detached = _DETACHED_CLITIC.search(norm, 0, t_start)
            if detached:
                clitic_start = index[detached.start("c")]
                clitic = text[clitic_start : index[detached.end("c") - 1] + 1]
        return Match(start, stop, text[start:stop], entry, clitic, clitic_start)


def find_terms(text: str, glossary: Glossary) -> list[Match]:
    """Every occurrence of every glossary entry in ``text``, in order."""
    return Matcher(glossary).find(text)


def count_terms(texts, glossary: Glossary) -> dict[str, int]:
    """How often each entry (by source) occurs in ``texts``; entries that never occur count 0."""
    matcher = Matcher(glossary)
    counts = {e.source: 0 for e in glossary}
    for text in texts:
        for m in matcher.find(text):
            counts[m.entry.source] += 1
    return counts
