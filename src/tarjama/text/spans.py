"""Protected spans: text that must come out of the translation exactly as written.

URLs, e-mail addresses, @handles, #hashtags, numbers (with a unit or a percent sign),
dates and times in digits, an omission mark ``(...)``, and Latin-script names or acronyms
inside an Arabic sentence (``CNN``, ``HIMARS``, ``H.R. McMaster``, ``F-16``).

They are enforced by the glossary machinery itself (protect → verify → repair → stitched
fallback): each span becomes a :class:`~tarjama.glossary.matching.Match` of a synthetic
entry whose target is the span, with Eastern Arabic digits written as Western digits
(``٣٠٠`` → ``300``, ``٢٫٥`` → ``2.5``), so every number comes out the same way. A span
that overlaps a glossary term is left to the term (``#داعش`` is the term داعش).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..glossary.matching import Match
from ..glossary.model import Entry

_DIGIT_MAP = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬٪",
    "01234567890123456789.,%",
)


def western_digits(text: str) -> str:
    """Eastern Arabic (and Persian) digits, decimal and thousands separators and the
    percent sign in their Western forms."""
    return text.translate(_DIGIT_MAP)


_D = r"[0-9\u0660-\u0669\u06F0-\u06F9]"
_NOT_IN_URL = r"\s\"'«»“”<>()\[\]{}،؛"
_TLDS = "com|org|net|gov|edu|int|mil|info|io|co|be|uk|fr|de|ru|tr|sy|iq|me|tv|ly|news"
_UNITS = "mm|cm|km|m|kg|g|mg|t|kW|MW|GW|kWh|km2|km²|m2|m²|ml|mph|km/h|ha|bn|mn|USD|EUR|GBP"
_LATIN_TOKEN = (
    r"(?:[A-Za-z]\.)+(?:[A-Za-z](?![A-Za-z0-9]))?"  # U.S.  H.R.  U.S
    r"|[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?:[-&'’.][A-Za-z0-9]+)*"  # CNN  McMaster  F-16  5G
)

# One pass over the text; at each position the first alternative that matches wins.
_SPAN = re.compile(
    rf"""
    (?P<url>(?:https?://|www\.)[^{_NOT_IN_URL}]+
        |(?<![\w.@-])[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.(?:{_TLDS})(?![A-Za-z0-9])
         (?:/[^{_NOT_IN_URL}]*)?)
    |(?P<email>(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)
    |(?P<handle>(?<![A-Za-z0-9_@.])@[A-Za-z0-9_]+)
    |(?P<hashtag>(?<![A-Za-z0-9_#&])\#[^\W_]\w*)
    |(?P<omission>[(\[][ ]?(?:\.{{2,}}|…+)[ ]?[)\]])
    |(?P<date>(?<![0-9\u0660-\u0669.])(?:{_D}{{4}}(?P<s1>[-/.]){_D}{{1,2}}(?P=s1){_D}{{1,2}}|{_D}{{1,2}}(?P<s2>[-/.]){_D}{{1,2}}(?P=s2){_D}{{2,4}})(?!{_D}))
    |(?P<time>(?<!{_D}){_D}{{1,2}}:{_D}{{2}}(?!{_D}))
    |(?P<latin>(?<![A-Za-z0-9@#&./-])(?:{_LATIN_TOKEN})(?:[ ](?:{_LATIN_TOKEN}))*)
    |(?P<number>(?:[$€£][ ]?)?(?<![A-Za-z0-9.,\u0660-\u066C]){_D}+(?:[.,\u066B\u066C]{_D}+)*
        (?:[ ]?[%\u066A]|[ ](?:{_UNITS})(?![A-Za-z0-9]))?)
    """,
    re.VERBOSE,
)
_URL_TRAILER = ".,:;!?'\"…"


@dataclass(frozen=True)
class SpanEntry(Entry):
    """A synthetic glossary entry for one protected span: the source is the span as
    written, the target what the English must contain."""

    kind: str = ""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    kind: str

    @property
    def target(self) -> str:
        return western_digits(self.text)


def find_spans(text: str) -> list[Span]:
    """Every protected span of ``text``, in order, none overlapping another."""
    spans = []
    for m in _SPAN.finditer(text):
        kind = m.lastgroup
        start, end = m.span()
        if kind == "url":
            while end > start and text[end - 1] in _URL_TRAILER:
                end -= 1
        if kind == "latin" and end - start == 1:
            continue  # a lone Latin letter is too ambiguous to verify in English ("a", "I")
        spans.append(Span(start, end, text[start:end], kind))
    return spans


def span_matches(text: str, claimed: Sequence[Match] = ()) -> list[Match]:
    """The protected spans of ``text`` as glossary matches; those overlapping a ``claimed``
    match (a glossary term) are left out."""
    taken = [(m.clitic_start, m.end) for m in claimed]
    out = []
    for span in find_spans(text):
        if any(span.start < e and s < span.end for s, e in taken):
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


def count_spans(texts: Iterable[str]) -> dict[str, int]:
    """How many protected spans of each kind occur in ``texts``."""
    counts: dict[str, int] = {}
    for text in texts:
        for span in find_spans(text):
            counts[span.kind] = counts.get(span.kind, 0) + 1
    return counts
