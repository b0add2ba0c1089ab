"""Characters placed on a PDF page → lines of text in logical (reading) order.

A PDF places glyphs; it does not have to store them in the order they are read. Many
Arabic PDFs store a line's glyphs left to right as they appear (visual order), and many
map each glyph to its contextual *presentation form* (U+FB50–U+FEFF: ``ﺍﻟﺴﻼﻡ`` instead of
``السلام``). Text pulled out of such a file in stream order reads backwards and matches
nothing in a glossary.

So the order of a line is taken from the page itself, never from the stream: glyphs are
sorted by their position (visual order), a line whose strong letters are mostly Arabic is
read right to left (the visual order reversed, with runs of Latin letters and digits kept
left to right inside it), and presentation forms are folded to the letters they show
(Unicode compatibility decomposition, NFKC, one glyph at a time). What was repaired is
counted, for the report: lines whose stream order was visual, and glyphs folded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF\uFB50-\uFDFF\uFE70-\uFEFC]")
_PRESENTATION = re.compile(r"[\uFB50-\uFDFF\uFE70-\uFEFE]")
# Kept left to right inside a right-to-left line: Latin (and other LTR) letters, digits
# (European and Arabic-Indic: numbers are written left to right in Arabic too).
_LTR = re.compile(r"[A-Za-z0-9\u00C0-\u024F\u0660-\u0669\u06F0-\u06F9\u0370-\u03FF\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]")
_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06F0-\u06F9]")
_SEPARATORS = set(".,:/-+\u066B\u066C")  # one of these between two digits keeps a number whole
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")
_BRACKETS = set("()[]{}«»")
_OPENING = set("([{«")
_NO_CONTROLS = {ord(c): None for c in "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"}


@dataclass
class Line:
    """One line (or one piece of a line, left of a column gap) of text on a page."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    rtl: bool = False
    page: int = 0
    chars: list = field(default_factory=list, repr=False)

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass
class Repairs:
    """What ``lines`` repaired, for the report."""

    visual_lines: int = 0  # right-to-left lines stored in visual (left-to-right) order
    logical_lines: int = 0  # right-to-left lines stored in reading order
    folded: int = 0  # presentation-form glyphs folded to letters

    def add(self, other: "Repairs") -> None:
        self.visual_lines += other.visual_lines
        self.logical_lines += other.logical_lines
        self.folded += other.folded


def is_rtl(text: str) -> bool:
    """True when most strong letters of ``text`` are Arabic."""
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(re.findall(r"[A-Za-z\u00C0-\u024F]", text))
    return arabic > 0 and arabic >= latin


def fold_glyph(text: str) -> str:
    """A glyph's text with presentation forms folded to the letters (NFKC of those only)."""
    if not _PRESENTATION.search(text):
        return text
    return "".join(unicodedata.normalize("NFKC", c) if _PRESENTATION.match(c) else c for c in text)


def _is_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.combining(c) or unicodedata.category(c) == "Mn" for c in text)


def visual_to_logical(glyphs: list[str]) -> str:
    """A right-to-left line given as its glyphs left to right → the text as read.

    The whole line is reversed, then each run the Unicode bidirectional algorithm would
    have laid out left to right is put back left to right. Between two Arabic letters, a
    stretch with Latin letters in it is one such run from its first to its last letter or
    digit ("SDF 2024", "COVID-19": digits after Latin letters count as Latin); a stretch of
    numbers only is one run per number, a number being digits joined by single separators
    ("18,00", "12:00", "18-27"), so "18,00 (15,00" stays two numbers in their order.
    Brackets are then turned by their place (``_balance``)."""
    rev = glyphs[::-1]
    out = list(rev)
    i = 0
    while i < len(rev):
        if _ARABIC_LETTER.match(rev[i][:1] or " "):
            i += 1
            continue
        j = i
        while j < len(rev) and not _ARABIC_LETTER.match(rev[j][:1] or " "):
            j += 1
        for a, b in _ltr_runs(rev, i, j):
            out[a:b] = rev[a:b][::-1]
        i = j
    return _balance("".join(out))


def _ltr_runs(rev: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """The left-to-right runs, as (start, end) slices, of ``rev[start:end]``, a stretch
    without Arabic letters of a reversed right-to-left line."""
    strong = [k for k in range(start, end) if _LTR.match(rev[k][:1] or " ")]
    if not strong:
        return []
    if any(_LATIN.match(rev[k][:1]) for k in strong):
        return [(strong[0], strong[-1] + 1)]
    runs: list[tuple[int, int]] = []
    k = start
    while k < end:
        if not _DIGIT.match(rev[k][:1] or " "):
            k += 1
            continue
        a = k
        while k + 1 < end and (
            _DIGIT.match(rev[k + 1][:1] or " ")
            or (rev[k + 1] in _SEPARATORS and k + 2 < end and _DIGIT.match(rev[k + 2][:1] or " "))
        ):
            k += 1
        runs.append((a, k + 1))
        k += 1
    return runs


def _arabic_runs_to_logical(glyphs: list[str]) -> list[str]:
    """A left-to-right line's glyphs with each run of Arabic words in it (and the spaces
    between them) put in reading order."""
    strong = [bool(_ARABIC_LETTER.match(g[:1] or " ")) for g in glyphs]
    out = list(glyphs)
    i = 0
    while i < len(glyphs):
        if not strong[i]:
            i += 1
            continue
        j = end = i
        while j < len(glyphs) and (strong[j] or (not _LTR.match(glyphs[j][:1] or " ") and not glyphs[j].isalpha())):
            if strong[j]:
                end = j
            j += 1
        out[i:end + 1] = glyphs[i:end + 1][::-1]
        i = end + 1
    return out


def _balance(text: str) -> str:
    """Brackets turned the way their place says: a producer that maps glyphs by their
    shape gives a right-to-left line's opening bracket as ")" (it is drawn so). An
    "opening" bracket with a word before it and a space after it closes, and the reverse;
    this holds for a bracket alone on its line too (a parenthesis broken over two lines)."""
    out = list(text)
    for i, c in enumerate(text):
        if c not in _BRACKETS:
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        word_before, word_after = not before.isspace(), not after.isspace() and after not in ".,:;،؛!?؟"
        opening = c in _OPENING
        if opening and word_before and not word_after and before not in _BRACKETS:
            out[i] = c.translate(_MIRROR)
        elif not opening and word_after and not word_before and after not in _BRACKETS:
            out[i] = c.translate(_MIRROR)
    return "".join(out)


def _stream_was_visual(chars: list[dict]) -> bool | None:
    """For a right-to-left line: did the stream store its Arabic glyphs left to right?"""
    xs = [c["x0"] for c in chars if _ARABIC_LETTER.match(c["text"][:1] or " ")]
    if len(xs) < 3:
        return None
    rising = sum(1 for a, b in zip(xs, xs[1:]) if b > a)
    return rising > (len(xs) - 1) / 2


def _base_of(mark: dict, bases: list[dict]) -> int:
    """The index of the letter a diacritic belongs to: the letter under most of it; where
    two letters share it, the one next to it in the stream (producers write a mark just
    before or after its letter); else the nearest."""
    centre = (mark["x0"] + mark["x1"]) / 2
    width = max(mark["x1"] - mark["x0"], 0.01)
    overlaps = [(min(b["x1"], mark["x1"]) - max(b["x0"], mark["x0"])) / width for b in bases]
    under = [i for i, o in enumerate(overlaps) if o > 0.25]
    if len(under) > 1 and "_seq" in mark:
        near = [i for i in under if abs(bases[i].get("_seq", -10) - mark["_seq"]) == 1]
        if len(near) == 1:
            return near[0]
    if under:
        return max(under, key=lambda i: overlaps[i])
    return min(range(len(bases)), key=lambda i: abs((bases[i]["x0"] + bases[i]["x1"]) / 2 - centre))


def line_text(chars: list[dict], repairs: Repairs) -> tuple[str, bool]:
    """The text of one line's characters (in stream order), in reading order; and whether
    it reads right to left."""
    bases = [c for c in chars if c["text"].strip() and not _is_mark(c["text"])]
    marks = [c for c in chars if _is_mark(c["text"])]
    if not bases:
        return "", False
    ordered = sorted(bases, key=lambda c: (c["x0"], c["x1"]))
    glyphs = [fold_glyph(c["text"].translate(_NO_CONTROLS)) for c in ordered]
    repairs.folded += sum(len(_PRESENTATION.findall(c["text"])) for c in ordered)
    # A diacritic goes after its letter. Its position does not say which one (a mark is
    # drawn offset from its origin); the stream does: a producer writes it after its letter
    # in reading order, so before it when the line is stored in visual order.
    was_visual = _stream_was_visual(chars)
    where = {id(c): i for i, c in enumerate(ordered)}
    stream = [c for c in chars if c["text"].strip()]
    for m in marks:
        k = stream.index(m)
        step = 1 if was_visual else -1
        j = k + step
        while 0 <= j < len(stream) and _is_mark(stream[j]["text"]):
            j += step
        if was_visual is not None and 0 <= j < len(stream) and id(stream[j]) in where:
            glyphs[where[id(stream[j])]] += m["text"]
        else:
            glyphs[_base_of(m, ordered)] += m["text"]
    # Spaces: where the stream has one, or where the gap is wider than a fifth of the type size.
    # Spaces: where the stream has one; in a line drawn without space characters, where the
    # gap is wider than a fifth of the type size (an Arabic letter that does not join the
    # next one leaves a smaller gap of its own).
    pieces: list[str] = []
    spaces = [c for c in chars if not c["text"].strip()]
    for i, c in enumerate(ordered):
        if i:
            prev = ordered[i - 1]
            gap = c["x0"] - prev["x1"]
            size = max(c.get("size") or 0, prev.get("size") or 0, 1.0)
            stated = any(prev["x1"] - 0.5 <= (s["x0"] + s["x1"]) / 2 <= c["x0"] + 0.5 for s in spaces)
            if stated or gap > (0.5 if spaces else 0.2) * size:
                pieces.append(" ")
        pieces.append(glyphs[i])
    visual = pieces
    rtl = is_rtl("".join(visual))
    if not rtl:
        return "".join(_arabic_runs_to_logical(visual)).strip(), False
    if was_visual is True:
        repairs.visual_lines += 1
    elif was_visual is False:
        repairs.logical_lines += 1
    return re.sub(r" {2,}", " ", visual_to_logical(visual)).strip(), True


def group_lines(chars: list[dict], page: int, repairs: Repairs, gap: float = 1.0) -> list[Line]:
    """Characters (pdfplumber's dicts, top-left origin) → lines, each cut where a gap wider
    than ``gap`` × the type size separates its glyphs (two columns side by side)."""
    rows: list[list[dict]] = []
    upright = [c for c in chars if c.get("upright", True)]
    marks = [c for c in upright if _is_mark(c["text"])]
    for c in sorted((c for c in upright if not _is_mark(c["text"])), key=lambda c: (c["top"], c["x0"])):
        height = max(c["bottom"] - c["top"], 0.1)
        placed = False
        for row in reversed(rows[-4:]):
            top = min(r["top"] for r in row if r["text"].strip()) if any(r["text"].strip() for r in row) else row[0]["top"]
            bottom = max(r["bottom"] for r in row)
            overlap = min(bottom, c["bottom"]) - max(top, c["top"])
            size, row_size = c.get("size") or 0, row[0].get("size") or 0
            similar = not size or not row_size or 0.6 < size / row_size < 1.67  # a title beside body text is another line
            if overlap > 0.5 * min(height, bottom - top) and similar:
                row.append(c)
                placed = True
                break
        if not placed:
            rows.append([c])
    for m in marks:  # a diacritic sits above or below its letter: it joins that letter's row
        centre_x, centre_y = (m["x0"] + m["x1"]) / 2, (m["top"] + m["bottom"]) / 2

        def distance(row):
            near = min(row, key=lambda c: abs((c["x0"] + c["x1"]) / 2 - centre_x))
            return abs((near["top"] + near["bottom"]) / 2 - centre_y) + abs((near["x0"] + near["x1"]) / 2 - centre_x)

        if rows:
            min(rows, key=distance).append(m)
    lines: list[Line] = []
    for row in rows:
        ordered = sorted(row, key=lambda c: c["x0"])
        pieces: list[list[dict]] = [[]]
        for c in ordered:
            if pieces[-1]:
                last = max(pieces[-1], key=lambda k: k["x1"])
                size = max(c.get("size") or 0, 1.0)
                if c["x0"] - last["x1"] > gap * size * 1.5 and c["text"].strip():
                    pieces.append([])
            pieces[-1].append(c)
        for piece in pieces:
            visible = [c for c in piece if c["text"].strip()]
            if not visible:
                continue
            # Line order in the stream: keep the characters' stream order for the detector.
            piece.sort(key=lambda c: c.get("_seq", 0))
            text, rtl = line_text(piece, repairs)
            if not text:
                continue
            sizes = sorted(round(c.get("size") or 0, 1) for c in visible)
            bold = sum(1 for c in visible if "bold" in (c.get("fontname") or "").lower()) > len(visible) / 2
            lines.append(
                Line(
                    text,
                    min(c["x0"] for c in visible),
                    max(c["x1"] for c in visible),
                    min(c["top"] for c in visible),
                    max(c["bottom"] for c in visible),
                    sizes[len(sizes) // 2],
                    bold,
                    rtl,
                    page,
                    visible,
                )
            )
    return lines


def has_arabic_text(text: str) -> bool:
    return bool(_ARABIC.search(text))
