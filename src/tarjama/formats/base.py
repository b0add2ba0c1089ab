"""The interface every document format implements, and the small helpers they share.

A format turns the bytes of a document into translatable units (plain text, with the
inline elements inside it as marks over that text) and a ``rebuild`` that puts the
translations back. Everything outside the units is the format's to keep: text formats
splice translations into the source at their offsets (``splice``) instead of
re-serialising a parsed tree, so the rest of the file stays byte for byte.

A unit is one thing a reader sees as a whole: a paragraph, a table cell, a subtitle cue,
an XLIFF segment. A sentence with a bold word or a link in it is one unit whose marks say
where the element was; the translator translates the text whole and moves each mark onto
the English words it wraps (``Translated.marks``, the same keys). ``wrap`` and ``pieces``
turn text plus marks back into markup or runs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from ..errors import TarjamaError


class DocumentError(TarjamaError):
    """A document that cannot be read or parsed in its format (a one-line message)."""


@dataclass(frozen=True)
class Mark:
    """An inline element (bold, link, <b>, a docx run, an XLIFF <g>/<pc>/<ph>) over
    ``text[start:end]`` of its unit. ``start == end`` for an empty or standalone element
    (<br/>, XLIFF <x/>/<ph/>). ``key`` is the format's own index, to rebuild the element."""

    start: int
    end: int
    key: int


@dataclass
class Unit:
    """One translatable unit, as plain text."""

    text: str
    marks: tuple[Mark, ...] = ()
    id: str = ""  # stable id for reports: an XLIFF unit id, a cue number, "p12"


@dataclass
class Translated:
    """What the translator gives back for a Unit."""

    text: str
    marks: tuple[Mark, ...] = ()  # the unit's keys, over the English words they wrap
    terms: list = field(default_factory=list)  # the unit's glossary report (TermResult), may be empty


@dataclass
class Extracted:
    """The units of a document, and how to build the translated document from them."""

    units: list[Unit]
    rebuild: Callable[[list[Translated]], bytes]  # the whole output document (UTF-8 for text formats)
    notes: list[str] = field(default_factory=list)  # e.g. "read as ISO-8859-6 (declared charset)"
    # For a format whose translation is another kind of document (``DocumentFormat.outputs``):
    # the output written as the kind its suffix names (".docx", ".md", ".html").
    rebuild_as: Callable[[list[Translated], str], bytes] | None = None


class DocumentFormat(ABC):
    """One document format. A module of this package that defines ``FORMAT = SomeFormat()``
    is picked up by the registry (``tarjama.formats``): a new format is one file."""

    name: str = ""  # "markdown"
    suffixes: tuple[str, ...] = ()  # (".md", ".markdown")
    binary: bool = False  # True for zip containers (.docx): never read as text
    # The suffixes its translation can be written as, when that is another kind of document
    # than the input (a PDF becomes .docx, .md or .html); the first is the default. Empty:
    # the translation is the same kind of document as the input.
    outputs: tuple[str, ...] = ()

    @abstractmethod
    def extract(self, data: bytes, name: str) -> Extracted:
        """Units and a rebuild for the document ``data`` (file ``name``, for messages).
        Raise DocumentError, one line, for input this format cannot read."""


# -- helpers ------------------------------------------------------------------------------------
def splice(source: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """``source`` with each ``source[start:end]`` replaced; edits must not overlap."""
    out, last = [], 0
    for start, end, text in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < last:
            raise ValueError(f"overlapping edits at {start}")
        out.append(source[last:start])
        out.append(text)
        last = end
    out.append(source[last:])
    return "".join(out)


def pieces(text: str, marks: Sequence[Mark]) -> list[tuple[str, tuple[int, ...]]]:
    """``text`` cut at every mark boundary: (piece, keys of the marks over it, outermost
    first). Empty marks give an empty piece of their own, at their place (for a docx run
    or an XLIFF placeholder)."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[tuple[str, tuple[int, ...]]] = []
    ordered = sorted(marks, key=lambda m: (m.start, -m.end, m.key))
    for a, b in zip(cuts, cuts[1:] + [None]):
        for m in ordered:
            if m.start == m.end == a:
                out.append(("", (m.key,)))
        if b is None:
            break
        keys = tuple(m.key for m in ordered if m.start <= a and b <= m.end and m.start < m.end)
        out.append((text[a:b], keys))
    return [p for p in out if p[0] or p[1]]


def wrap(
    text: str,
    marks: Sequence[Mark],
    opening: Callable[[int], str],
    closing: Callable[[int], str],
    escape: Callable[[str], str] = lambda s: s,
    empty: Callable[[int], str] | None = None,
    source: Unit | None = None,
) -> str:
    """``text`` with each mark's element written around the words it covers: well nested
    marks (as the translator returns them) become nested markup. ``escape`` is applied to
    the text between elements; ``empty`` writes a standalone element (default: opening +
    closing). With the ``source`` unit, a standalone element that stood apart from the
    words in the source (a space on either side) stands apart in the output too.
    """
    apart: set[int] = set()
    if source is not None:
        for m in source.marks:
            if m.start == m.end and " " in source.text[max(m.start - 1, 0): m.start + 1]:
                apart.add(m.key)
    events: list[tuple[int, int, int, str]] = []  # (offset, order, tie-break, markup)
    for m in marks:
        if m.start == m.end:
            markup = empty(m.key) if empty else opening(m.key) + closing(m.key)
            if m.key in apart and 0 < m.start and not text[m.start - 1].isspace():
                markup = " " + markup
            if m.key in apart and m.start < len(text) and not text[m.start].isspace():
                markup += " "
            events.append((m.start, 1, m.key, markup))
        else:
            # At one offset: closings first (inner before outer), then openings (outer first).
            events.append((m.end, 0, -m.start, closing(m.key)))
            events.append((m.start, 2, -m.end, opening(m.key)))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    out, last = [], 0
    for offset, _, _, markup in events:
        out.append(escape(text[last:offset]))
        out.append(markup)
        last = offset
    out.append(escape(text[last:]))
    return "".join(out)


BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def tidy(text: str, marks: Sequence[Mark]) -> tuple[str, tuple[Mark, ...]]:
    """``text`` with runs of white space made one space and the ends stripped, and the
    marks moved with it: the plain text of a unit, whatever the markup's spacing was.
    Bidirectional controls (``&rlm;``…) go: they order Arabic on screen and mean nothing
    in English."""
    out: list[str] = []
    new_at = []  # new offset of each old offset
    for c in text:
        new_at.append(len(out))
        if c in BIDI_CONTROLS:
            continue
        if c.isspace() and c != "\u00a0":
            if out and out[-1] != " ":
                out.append(" ")
        else:
            out.append(c)
    new_at.append(len(out))
    lead = 1 if out[:1] == [" "] else 0
    plain = "".join(out).strip(" ")
    moved = tuple(
        Mark(min(max(new_at[m.start] - lead, 0), len(plain)), min(max(new_at[m.end] - lead, 0), len(plain)), m.key)
        for m in marks
    )
    return plain, moved
