"""Paragraphs, sentences, pauses, and pieces short enough for the model.

Paragraphs are lines: a news file, a reference file and a translation line up line by
line, so line N of the output always translates line N of the input.

Sentences end at ``. ! ? ؟`` followed by white space (closing quotes and brackets stay
with the sentence they close), and at a period between two Arabic words written without
a space (``البريطانيين.والأفغان``). These do not end a sentence, measured on real news
(``bench/boundaries.py``, judged sample in ``bench/boundaries.tsv``):

- the Arabic comma ``،`` and the Arabic semicolon ``؛``, which Arabic news uses where
  English has a comma or a dash (``سقطت في يد «داعش»؛ وهذا مؤشر``);
- ``..``, ``...`` and ``…``: a pause inside a headline or a quotation (``مصر.. إحباط``).
  They are *pauses*: :func:`pause_spans` cuts a sentence there, and the translator joins
  the English pieces with the writer's own mark;
- a period after an abbreviation or an initial: ``د.``, ``م.``, ``ق.م``, ``ص.ب``,
  ``أ.ف.ب``, a single Arabic letter (``س. الحسن``), a spelled Latin letter (``إتش.آر.``),
  Latin initials (``U.S.``, ``H.R. McMaster``), and a number (``3.5``, a list's ``2.``
  when it opens the sentence);
- a period inside a domain name (``العربية.نت``, ``example.com``).

An initial or a spelled letter ends the sentence after all when the next word is و and a
word that opens a sentence (``بي بي سي. وكان``، ``لميا ك. وحكمت``، ``الرقة في. وفي``), and a
period followed by an omission that closes a quotation (``الأمر.(...)" وأضاف``) or by
closing quotes glued to the next sentence (``قريبا."وكانت``) ends one.
"""

from __future__ import annotations

import bisect
import re
from typing import Callable, Sequence

_ENDS = ".!?؟"
_CLOSERS = "\"'»”’)]}›"
_OPENERS = "\"'«“‘([{‹"
_ARABIC_LETTER = re.compile(r"[\u0621-\u063A\u0641-\u064A\u0671-\u06D3\u06FA-\u06FF]")
_DIACRITICS = re.compile(r"[\u0640\u064B-\u065F\u0670]")
_DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"

# Abbreviations written with a period: Dr., the Hijri/Gregorian year marks, P.O. Box, AFP.
_ABBREVIATIONS = {"د", "م", "هـ", "ه", "ق.م", "ص.ب", "أ.ف.ب", "ا.ف.ب", "ت.غ", "ج.م.ع", "ش.م.ل", "ش.م.م"}
# Latin letters spelled in Arabic, as in إتش.آر. مكماستر (H.R. McMaster) or سي.إن.إن (CNN).
_LETTER_NAMES = {
    "إيه", "ايه", "بي", "سي", "دي", "إي", "اي", "إف", "اف", "جي", "إتش", "اتش", "آي", "أي",
    "جيه", "كيه", "كي", "إل", "ال", "إم", "ام", "إن", "ان", "أو", "او", "يو", "في", "آر", "ار",
    "أر", "إس", "اس", "تي", "دبليو", "إكس", "اكس", "واي", "زد", "زي", "كيو",
}
# What follows the dot of an Arabic-script domain name: العربية.نت, مصراوي.كوم.
_ARABIC_TLDS = {"نت", "كوم", "أورغ", "اورغ", "أورج", "اورج", "إنفو", "انفو"}


def split_paragraphs(text: str) -> list[str]:
    """One entry per line; blank lines are kept as empty paragraphs."""
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):  # a final newline ends the last line; it opens no new one
        text = text[:-1]
    return text.split("\n")


def _word_before(text: str, dot: int) -> str:
    """The dotted token that ends at ``dot``: back to white space or an opening mark."""
    i = dot
    while i > 0 and not text[i - 1].isspace() and text[i - 1] not in _OPENERS:
        i -= 1
    return _DIACRITICS.sub("", text[i:dot])


def _word_after(text: str, start: int) -> str:
    j = start
    while j < len(text) and (_ARABIC_LETTER.match(text[j]) or _DIACRITICS.match(text[j])):
        j += 1
    return _DIACRITICS.sub("", text[start:j])


def _is_abbreviation(word: str) -> bool:
    """``word`` (without its final period) is an abbreviation or a run of initials."""
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    parts = word.split(".")
    # ق.م, ش.م.ل, إتش.آر, U.S, H.R: every part one letter, or a spelled Latin letter.
    if all(len(p) == 1 and p.isalpha() or p in _LETTER_NAMES for p in parts):
        return True
    # وإتش., (و)د.: the conjunction written on an initial.
    return len(parts) == 1 and word[:1] == "و" and (len(word) == 2 or word[1:] in _LETTER_NAMES)


# Words that open a sentence after the conjunction و: وكان، وقد، وفي، ونسبت، وحكمت ... A period
# after an initial or a spelled letter (بي بي سي. وكان، لميا ك. وحكمت، الرقة في. وفي) ends the
# sentence when one of them follows; د. وليد (a name) does not.
_OPENERS_AFTER_WA = set(
    "كان كانت كانوا قد في فى من على إلى الى كما لم لن لا ما هذا هذه ذلك تلك بعد منذ خلال"
    " قال قالت أضاف اضاف أضافت اضافت أكد اكد أكدت اكدت تابع تابعت أشار اشار أشارت اشارت"
    " ذكر ذكرت أوضح اوضح أوضحت اوضحت نسبت نسب حكمت حكم يأتي تأتي يذكر يشار تشير يعد تعد"
    " أعلن اعلن أعلنت اعلنت أفاد افاد أفادت افادت شهد شهدت بحسب وفق وفقا يوم أمس اليوم"
    " أظهرت اظهرت أظهر اظهر تقول يقول جاء جاءت ظهر ظهرت يبلغ تبلغ بلغ بلغت".split()
)
# An omission right after a period, closing the quotation: الأمر.(...)"
_OMISSION_AFTER = re.compile(r"[(\[] ?(?:\.{2,}|…+) ?[)\]][\"'»”’)\]}›]*")


def _opens_sentence(text: str, start: int) -> bool:
    """The word after the space at ``start`` is و + a word that opens a sentence."""
    k = start
    while k < len(text) and text[k] == " ":
        k += 1
    if k == start:
        return False
    word = _word_after(text, k)
    return word[:1] == "و" and word[1:] in _OPENERS_AFTER_WA


def _is_number(word: str) -> bool:
    return bool(word) and all(c in _DIGITS for c in word)


def _is_end(text: str, i: int, start: int) -> int:
    """Where the sentence ends when ``text[i]`` is an end mark, or 0 when it does not end."""
    n = len(text)
    ch = text[i]
    j = i
    while j < n and text[j] in _ENDS:
        j += 1
    if ch == "." and j - i >= 2:  # .. and ... are pauses, never ends (see pause_spans)
        return 0
    while j < n and text[j] in _CLOSERS:
        j += 1
    if ch == ".":
        word = _word_before(text, i)
        omission = _OMISSION_AFTER.match(text, j)
        if omission and (omission.end() == n or text[omission.end()].isspace()):
            return omission.end()  # انتهى الأمر.(...)" وأضاف: the omission ends the quotation
        if j > i + 1 and j < n and _ARABIC_LETTER.match(text[j]) and _word_after(text, j)[:1] == "و":
            return j  # (...)."وأضاف: the quotation closed, the next sentence glued to it
        if j < n and not text[j].isspace():
            # A period glued to the next Arabic word ends a sentence (البريطانيين.والأفغان,
            # في 2015.وأضافت, "داعش".وأكد); العربية.نت, example.com, 3.5 and ق.م do not.
            if j != i + 1 or not _ARABIC_LETTER.match(text[j]) or i == 0:
                return 0
            after = _word_after(text, j)
            before = word.rsplit(".", 1)[-1]
            if after in _ARABIC_TLDS or _is_abbreviation(before) or _is_abbreviation(after):
                return 0
            if not (_ARABIC_LETTER.match(text[i - 1]) or text[i - 1] in _DIGITS + _CLOSERS or text[i - 1].isspace()):
                return 0
            return j
        if j == i + 1 and _is_abbreviation(word) and not _opens_sentence(text, j):
            return 0
        if j == i + 1 and _is_number(word) and not text[start:i - len(word)].strip():
            return 0  # "2. " opening a sentence is a list number
        return _closing_quote(text, start, i, j)
    if j < n and not text[j].isspace():
        return 0
    return _closing_quote(text, start, i, j)


def _closing_quote(text: str, start: int, mark: int, end: int) -> int:
    """``قال "انتهى الأمر. " ثم``: a quotation mark after the space closes the quotation
    the sentence opened (an odd number of them so far); it goes with this sentence."""
    k = end
    while k < len(text) and text[k] == " ":
        k += 1
    if k > end and k < len(text) and text[k] == '"' and text.count('"', start, mark) % 2 == 1:
        return k + 1
    return end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph, surrounding white space excluded."""
    ends: list[int] = []
    start = 0
    i, n = 0, len(text)
    while i < n:
        if text[i] in _ENDS:
            end = _is_end(text, i, start)
            if end:
                ends.append(end)
                start = end
                i = end
                continue
            while i < n and text[i] in _ENDS:  # skip the rest of a run like "..." or "?!"
                i += 1
            continue
        i += 1
    out = []
    for s, e in zip([0] + ends, ends + [n]):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def split_sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


# A pause mark: two or more periods or an ellipsis. "(...)" and "( ... )" mark an
# omission inside a quotation instead, kept as a protected span (see spans.py).
_PAUSE = re.compile(r"(?<![.…])(?:\.{2,}|…+)(?![.…])")
_OMISSION = re.compile(r"[(\[] ?(?:\.{2,}|…+) ?[)\]]")


def pause_spans(sentence: str) -> list[tuple[int, int]]:
    """The stretches of ``sentence`` between pause marks, each to be translated on its own.

    What lies between two stretches (or before the first, after the last) is a mark and
    white space only, kept as written in the English.
    """
    spans, pos = [], 0
    omissions = [m.span() for m in _OMISSION.finditer(sentence)]
    for m in _PAUSE.finditer(sentence):
        if any(s <= m.start() and m.end() <= e for s, e in omissions):
            continue
        if sentence[pos : m.start()].strip():
            spans.append((pos, m.start()))
        pos = m.end()
    if sentence[pos:].strip() or not spans:
        spans.append((pos, len(sentence)))
    out = []
    for s, e in spans:
        while s < e and sentence[s].isspace():
            s += 1
        while e > s and sentence[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def pause_mark(gap: str, *, first: bool = False, last: bool = False) -> str:
    """The English for the source text between two stretches: the writer's mark, spaced
    as in English (a space after it, one before it only where the writer put one)."""
    mark = gap.strip()
    if not mark:
        return "" if first or last else " "
    before = " " if gap[:1].isspace() and not first else ""
    after = "" if last else " "
    return f"{before}{mark}{after}"


# Where a long sentence may be cut, best first: after ; or :, after a comma, before the
# conjunction و, at any space. A cut never falls inside a protected span (a glossary term).
_CUT_CLASSES = [
    re.compile(r"(?<=[؛;:])\s+"),
    re.compile(r"(?<=[،,])\s+"),
    re.compile(r"\s+(?=و)"),
    re.compile(r"\s+"),
]

# An unbroken run (no white space) is cut into pieces of at most this many tokens: the
# model's work per piece grows with the square of its length, and a run this long is
# not prose (a pasted hash, a word repeated without spaces).
RUN_PIECE_TOKENS = 64


class _Blocked:
    """Positions strictly inside protected spans, answered in O(log n)."""

    def __init__(self, protected: Sequence[tuple[int, int]]):
        merged: list[list[int]] = []
        for s, e in sorted(protected):
            if e - s < 2:
                continue
            if merged and s < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.spans = merged

    def allowed(self, pos: int) -> bool:
        k = bisect.bisect_left(self.starts, pos) - 1
        return k < 0 or not (self.spans[k][0] < pos < self.spans[k][1])

    def nearest_allowed(self, pos: int, lo: int, hi: int) -> int | None:
        """The allowed position in ``(lo, hi)`` closest to ``pos``, or None."""
        k = bisect.bisect_left(self.starts, pos) - 1
        if k >= 0 and self.spans[k][0] < pos < self.spans[k][1]:
            s, e = self.spans[k]
            options = [p for p in (s, e) if lo < p < hi]
            return min(options, key=lambda p: abs(p - pos)) if options else None
        return pos if lo < pos < hi else None


def split_long(
    text: str,
    count_tokens: Callable[[str], int],
    max_tokens: int,
    protected: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """Cut ``text`` into spans of at most ``max_tokens`` tokens each, losing nothing.

    Every non-space character of ``text`` lies in exactly one returned span. The work is
    near-linear in the length of ``text`` and the number of protected spans: each cut
    class is scanned once per level of a balanced split, and an unbroken run is cut in
    one pass.
    """
    blocked = _Blocked(protected)
    # All cut points of each class, found once for the whole text, in order.
    points = [
        [(m.start(), m.end()) for m in p.finditer(text) if blocked.allowed(m.start()) and blocked.allowed(m.end())]
        for p in _CUT_CLASSES
    ]
    out: list[tuple[int, int]] = []

    def cut(s: int, e: int, tokens: int | None = None) -> None:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            return
        if tokens is None:
            tokens = count_tokens(text[s:e])
        if tokens <= max_tokens:
            out.append((s, e))
            return
        middle = (s + e) // 2
        for candidates in points:
            lo = bisect.bisect_right(candidates, (s, s))
            hi = bisect.bisect_left(candidates, (e, e))
            inner = [c for c in candidates[max(lo, 0) : hi] if s < c[0] and c[1] < e]
            if inner:
                k = bisect.bisect_left(inner, (middle, middle))
                near = [inner[x] for x in (k - 1, k) if 0 <= x < len(inner)]
                a, b = min(near, key=lambda c: abs(c[0] - middle))
                cut(s, a)
                cut(b, e)
                return
        run(s, e, tokens)

    def run(s: int, e: int, tokens: int) -> None:
        # One unbroken run longer than the limit: cut by characters in one pass, at an
        # even share of the run, never inside a protected span.
        limit = max(1, min(max_tokens, RUN_PIECE_TOKENS))
        pieces = max(2, -(-tokens // limit))
        width = max(1, (e - s) // pieces)
        pos = s
        while pos < e:
            stop = min(e, pos + width)
            if stop < e:
                nearest = blocked.nearest_allowed(stop, pos, e)
                stop = nearest if nearest is not None else e
            if e - stop < width // 4:  # no sliver at the end
                stop = e
            n = count_tokens(text[pos:stop])
            if n > max_tokens and stop - pos > 1 and blocked.nearest_allowed((pos + stop) // 2, pos, stop):
                cut(pos, stop, n)  # this share was denser than the average: halve it
            else:
                out.append((pos, stop))
            pos = stop

    cut(0, len(text))
    return out
