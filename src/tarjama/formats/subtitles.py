"""Subtitles (SubRip ``.srt``, WebVTT ``.vtt``): the text of each cue is one unit.

The lines of a cue are one sentence cut for the screen, so they are joined and translated
together, then broken again into lines of at most 42 characters, as even as the words
allow. A dialogue cue (every line starting with a dash, one speaker a line) is the
exception: each line is its own unit and stays its own line.

Only cue text is rewritten: numbers, cue ids, timings and their settings, ``NOTE``,
``STYLE`` and ``REGION`` blocks and the line ends stay byte for byte (subtitle libraries
re-serialise: they renumber, re-format timings and drop WebVTT blocks and cue settings).
Inline tags (``<i>``, ``<b>``, ``<font …>``, ``<c.class>``, ``<v Speaker>``, ``<lang …>``,
karaoke timestamps, SSA overrides such as ``{\\an8}``) are marks carried onto the English.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

from ..files import decode_text
from ..text.arabic import has_arabic
from .base import DocumentError, DocumentFormat, Extracted, Mark, Translated, Unit, wrap

LINE_WIDTH = 42  # the usual broadcast limit, in characters

_TIME = r"(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}"
_TIMING = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})(?:[ \t]+\S.*)?$")
_TAG = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}")
_OPEN_TAG = re.compile(r"<([A-Za-z]+)[^<>]*>")
_CLOSE_TAG = re.compile(r"</([A-Za-z]+)\s*>")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]+)>")
_DIALOGUE = re.compile(r"^([-‐–—]\s*)")
# Direction marks and embeddings steer Arabic display; in English they only get in the way.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


@dataclass
class _Piece:
    """One unit of a cue: its place in the source, and the tags to write around the words."""

    start: int  # offsets of the replaced text in the decoded source (a dialogue dash stays outside)
    end: int
    tags: list[tuple[str, str]]  # key -> (opening or standalone markup, closing markup or "")
    paired: list[bool]
    single_line: bool  # a dialogue line: never broken
    unit: Unit


@dataclass
class _Voice:
    """The speaker's name of a ``<v …>`` tag of a cue."""

    piece: _Piece
    key: int
    name: str


class SubtitleFormat(DocumentFormat):
    name = "subtitles"
    suffixes = (".srt", ".vtt")

    def extract(self, data: bytes, name: str) -> Extracted:
        decoded = decode_text(data, name)
        text = decoded.text
        vtt = name.lower().endswith(".vtt")
        lines = text.splitlines(keepends=True)
        if vtt and not (lines and lines[0].lstrip("\ufeff").startswith("WEBVTT")):
            raise DocumentError(f"{name}: not WebVTT: the first line must be WEBVTT")
        newline = "\r\n" if "\r\n" in text else "\n"
        units: list[Unit] = []
        pieces: list[_Piece] = []
        cues = 0
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line))
        i = 0
        while i < len(lines):
            body = lines[i].rstrip("\r\n")
            if "-->" not in body:
                i += 1
                continue
            if not _TIMING.match(body):
                raise DocumentError(f"{name}: line {i + 1}: not a cue timing: {body.strip()[:60]!r}")
            cues += 1
            first = i + 1
            last = first
            # A cue ends at a blank line, or at the next timing line where a file has no
            # blank line between cues (youtube-dl's WebVTT, many SRT files): WebVTT's own
            # parser does the same. An SRT cue number just before that timing line is not text.
            while last < len(lines) and lines[last].strip() and not _TIMING.match(lines[last].rstrip("\r\n")):
                last += 1
            following = last
            if last < len(lines) and last - 1 > first and lines[last].strip() and lines[last - 1].strip().isdigit():
                last -= 1
            cue_lines = [lines[j].rstrip("\r\n") for j in range(first, last)]
            if any(has_arabic(c) for c in cue_lines):
                dialogue = len(cue_lines) > 1 and all(_DIALOGUE.match(c) for c in cue_lines)
                if dialogue:
                    for j, c in enumerate(cue_lines):
                        prefix = _DIALOGUE.match(c).group(1)
                        start = offsets[first + j]
                        self._add(units, pieces, [c[len(prefix):]], start + len(prefix), start + len(c),
                                  vtt=vtt, uid=f"cue {cues}.{j + 1}", single=True)
                else:
                    end = offsets[last - 1] + len(cue_lines[-1])
                    start = offsets[first]
                    dash = _DIALOGUE.match(cue_lines[0])
                    if dash and has_arabic(cue_lines[0]):  # one speaker's line: its dash stays
                        cue_lines = [cue_lines[0][len(dash.group(1)):], *cue_lines[1:]]
                        start += len(dash.group(1))
                    self._add(units, pieces, cue_lines, start, end, vtt=vtt,
                              uid=f"cue {cues}", single=False)
            i = following
        if cues == 0:
            raise DocumentError(f"{name}: no subtitle cues (no 'start --> end' timing line)")

        # A WebVTT header that says the language is Arabic says English now.
        language = re.search(r"^Language:[ \t]*(ar\S*)[ \t]*$", text.split("-->")[0], re.M | re.I) if vtt else None

        def rebuild(translations: list[Translated]) -> bytes:
            out, last_end = [], 0
            if language and pieces:
                out.append(text[: language.start(1)] + "en")
                last_end = language.end(1)
            cue_texts = []
            for item, t in zip(pieces, translations):
                if isinstance(item, _Voice):  # a speaker's name: into its <v> tag
                    opening, closing = item.piece.tags[item.key]
                    name = t.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    item.piece.tags[item.key] = (opening.replace(item.name, name, 1), closing)
                else:
                    cue_texts.append((item, t))
            for piece, t in cue_texts:
                out.append(text[last_end:piece.start])
                out.append(_render(piece, t, vtt, newline))
                last_end = piece.end
            out.append(text[last_end:])
            return "".join(out).encode("utf-8")

        return Extracted(units, rebuild, [decoded.note] if decoded.note else [])

    @staticmethod
    def _add(units, pieces, cue_lines, start, end, *, vtt, uid, single):
        plain, marks, tags, paired = _parse_cue(cue_lines, vtt)
        unit = Unit(plain, tuple(marks), uid)
        units.append(unit)
        piece = _Piece(start, end, tags, paired, single, unit)
        pieces.append(piece)
        # A WebVTT speaker's name (<v المذيع>) is seen on screen too: a unit of its own.
        for key, (opening, _) in enumerate(tags):
            voice = _VOICE.fullmatch(opening)
            if voice and has_arabic(voice.group(1)):
                units.append(Unit(html.unescape(voice.group(1)).strip(), (), f"{uid} speaker"))
                pieces.append(_Voice(piece, key, voice.group(1)))


def _parse_cue(cue_lines: list[str], vtt: bool):
    """The cue's plain text (lines joined by a space) with its tags as marks."""
    out: list[str] = []
    marks: list[Mark] = []
    tags: list[tuple[str, str]] = []
    paired: list[bool] = []
    open_stack: list[tuple[str, int, int]] = []  # (tag name, key, start)

    def pos() -> int:
        return sum(len(s) for s in out)

    def add_text(s: str) -> None:
        if vtt:
            s = html.unescape(s)
        s = s.translate(_BIDI_CONTROLS)
        s = re.sub(r"\s+", " ", s)
        if s.startswith(" ") and (not out or "".join(out).endswith(" ") or pos() == 0):
            s = s[1:]
        out.append(s)

    for n, line in enumerate(cue_lines):
        if n:
            add_text(" ")
        last = 0
        for m in _TAG.finditer(line):
            add_text(line[last:m.start()])
            last = m.end()
            tag = m.group(0)
            close = _CLOSE_TAG.fullmatch(tag)
            opening = _OPEN_TAG.fullmatch(tag)
            if close and any(name == close.group(1).lower() for name, _, _ in open_stack):
                while open_stack:
                    name, key, start = open_stack.pop()
                    tags[key] = (tags[key][0], tag if name == close.group(1).lower() else "")
                    marks.append(Mark(start, pos(), key))
                    if name == close.group(1).lower():
                        break
            elif opening:  # karaoke timestamps (<00:00:01.000>) start with a digit: standalone
                open_stack.append((opening.group(1).lower(), len(tags), pos()))
                tags.append((tag, ""))
                paired.append(True)
            else:  # a timestamp, an SSA override, a stray closing tag: kept where it stands
                marks.append(Mark(pos(), pos(), len(tags)))
                tags.append((tag, ""))
                paired.append(False)
        add_text(line[last:])
    while open_stack:  # never closed (usual for <v Speaker>): it runs to the end of the cue
        name, key, start = open_stack.pop()
        marks.append(Mark(start, pos(), key))
    plain = "".join(out)
    length = len(plain.rstrip())
    marks = [Mark(min(m.start, length), min(m.end, length), m.key) for m in marks]
    return plain[:length], sorted(marks, key=lambda m: (m.start, -m.end, m.key)), tags, paired


def _render(piece: _Piece, t: Translated, vtt: bool, newline: str) -> str:
    text = t.text.replace("\n", " ").replace("-->", "->")
    if not piece.single_line:
        text = _break_lines(text)
    escape = (lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")) if vtt else (lambda s: s)
    marked = wrap(
        text,
        [m for m in t.marks if 0 <= m.key < len(piece.tags) and 0 <= m.start <= m.end <= len(text)],
        opening=lambda k: piece.tags[k][0],
        closing=lambda k: piece.tags[k][1] if piece.paired[k] else "",
        escape=escape,
        empty=lambda k: piece.tags[k][0] + (piece.tags[k][1] if piece.paired[k] else ""),
        source=piece.unit,
    )
    return newline.join(line.strip() for line in marked.split("\n"))


def _break_lines(text: str, width: int = LINE_WIDTH) -> str:
    """``text`` with spaces turned into line breaks so that no line is longer than
    ``width`` where the words allow, in as few and as even lines as possible (the same
    length as ``text``: marks keep their offsets)."""
    if len(text) <= width:
        return text
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return text
    count = math.ceil(len(text) / width)
    chars = list(text)
    used: set[int] = set()
    previous = 0
    for k in range(1, count):
        ideal = previous + (len(text) - previous) / (count - k + 1)
        candidates = [s for s in spaces if s > previous and s not in used]
        if not candidates:
            break
        best = min(candidates, key=lambda s: abs(s - ideal))
        used.add(best)
        chars[best] = "\n"
        previous = best
    return "".join(chars)


FORMAT = SubtitleFormat()
