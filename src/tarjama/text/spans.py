"""Protected spans: text that must come out of the translation exactly as written.

URLs, e-mail addresses, @handles, #hashtags, numbers (with a unit or a percent sign),
dates and times in digits, an omission mark ``(...)``, and Latin-script names or acronyms
inside an Arabic sentence (``CNN``, ``HIMARS``, ``H.R. McMaster``, ``F-16``).

Finding them is all this module does; :mod:`tarjama.pipeline.span_matches` turns them into glossary
matches, so that the glossary machinery enforces them. Their English form has Eastern
Arabic digits written as Western digits (``٣٠٠`` → ``300``, ``٢٫٥`` → ``2.5``), so every
number comes out the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

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
class Span:
    start: int
    end: int
    text: str
    kind: str

    @property
    def target(self) -> str:
        """What the English must contain: the span, with Western digits; an omission
        written ``( ... )`` is set as English sets it, ``(...)``."""
        if self.kind == "omission":
            return self.text.replace(" ", "")
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


def count_spans(texts: Iterable[str]) -> dict[str, int]:
    """How many protected spans of each kind occur in ``texts``."""
    counts: dict[str, int] = {}
    for text in texts:
        for span in find_spans(text):
            counts[span.kind] = counts.get(span.kind, 0) + 1
    return counts
