"""Paragraphs made of runs (WordprocessingML ``w:p``/``w:r``, DrawingML ``a:p``/``a:r``)
as a unit's text and marks, and back.

Office documents cut a paragraph into runs for reasons a reader never sees (spell checking,
revision ids), so runs with the same formatting are one stretch of text. The formatting
most of the paragraph has is its base; each stretch formatted otherwise (bold, italic, a
colour, a character style, a link in DrawingML) is a mark, and so is each container around
runs (a Word hyperlink, field, tracked insertion or content control). What is not text (a
picture, a tab, a line break, a field, a bookmark) is an empty mark, moved whole to its new
place, never dropped. ``rebuild`` writes the paragraph's runs anew from the English and its
marks, each with a copy of its formatting.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from typing import Callable

from ..text.arabic import has_arabic
from .base import DocumentError, Mark, Translated, pieces


@dataclass(frozen=True)
class Dialect:
    """The element names of one run-based markup, and how it says left to right."""

    ns: str
    containers: frozenset = frozenset()  # local names of elements that hold runs
    breaks: frozenset = frozenset()  # local names of run content that separates words
    keep_last: frozenset = frozenset()  # paragraph children that stay at its end (a:endParaRPr)
    preserve_space: bool = True  # mark w:t xml:space="preserve"
    noise: frozenset = frozenset()  # formatting attributes a reader never sees (spell-check flags)
    left_to_right: Callable = field(default=lambda el: el)  # a property element, made left to right

    def q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"


@dataclass
class _Text:
    text: str
    rpr: object  # the run's w:rPr, or None
    path: tuple  # the containers around the run, outermost first


@dataclass
class _Object:
    el: object  # the element, moved whole
    rpr: object
    path: tuple
    in_run: bool  # a child of a run (a picture, a tab) or of the paragraph (a bookmark)


def _signature(rpr, noise: frozenset) -> bytes:
    """What a run's formatting looks like to a reader (proofing flags left out)."""
    from lxml import etree

    if rpr is None:
        return b""
    if noise and any(name in rpr.attrib for name in noise):
        rpr = deepcopy(rpr)
        for name in noise:
            rpr.attrib.pop(name, None)
    return etree.tostring(rpr)


def _flatten(p, d: Dialect) -> list:
    atoms: list = []
    containers = {d.q(n) for n in d.containers}
    skipped = {d.q("pPr")} | {d.q(n) for n in d.keep_last}

    def walk(el, path):
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in skipped:
                continue
            if tag == d.q("r"):
                rpr = child.find(d.q("rPr"))
                for part in child:
                    if part.tag == d.q("rPr"):
                        continue
                    if part.tag == d.q("t"):
                        atoms.append(_Text(part.text or "", rpr, path))
                    elif isinstance(part.tag, str):
                        atoms.append(_Object(part, rpr, path, True))
            elif tag in containers:
                content = child.find(d.q("sdtContent")) if tag == d.q("sdt") else child
                if content is not None:
                    walk(content, path + (child,))
            else:
                atoms.append(_Object(child, None, path, False))

    walk(p, ())
    return atoms


class RunParagraph:
    """A paragraph as a unit: its text, its marks, and what each mark key stands for."""

    def __init__(self, p, dialect: Dialect):
        self.p = p
        self.d = d = dialect
        breaks = {d.q(n) for n in d.breaks}
        self.atoms = _flatten(p, d)
        self.kinds: list[tuple] = []  # key -> ("container", el) | ("format", rPr) | ("object", _Object)
        texts = [a for a in self.atoms if isinstance(a, _Text)]
        parts: list[str] = []
        # The base formatting: the one most of the text has.
        weight: dict[bytes, int] = {}
        for a in texts:
            weight[_signature(a.rpr, d.noise)] = weight.get(_signature(a.rpr, d.noise), 0) + len(a.text)
        base_sig = max(weight, key=weight.get) if weight else b""
        self.base_rpr = next((a.rpr for a in texts if _signature(a.rpr, d.noise) == base_sig), None)
        marks: list[Mark] = []
        containers: dict[int, list] = {}  # id(container) -> [key, start, end]
        pos = 0
        run_start, run_sig, run_key = 0, None, None

        def close_format(end):
            if run_key is not None and end > run_start:
                marks.append(Mark(run_start, end, run_key))

        pending_space = False
        for a in self.atoms:
            if isinstance(a, _Text):
                text = a.text
                if pending_space and text and not text[0].isspace():
                    parts.append(" ")  # a tab or line break separates words: say so to the model
                    pos += 1
                pending_space = False
            for c in a.path:
                if id(c) not in containers:
                    containers[id(c)] = [len(self.kinds), pos, pos]
                    self.kinds.append(("container", c))
                containers[id(c)][2] = pos + (len(text) if isinstance(a, _Text) else 0)
            if isinstance(a, _Text):
                parts.append(text)
                sig = (_signature(a.rpr, d.noise), tuple(id(c) for c in a.path))
                if sig != run_sig:
                    close_format(pos)
                    run_sig, run_start, run_key = sig, pos, None
                    if sig[0] != base_sig:
                        run_key = len(self.kinds)
                        self.kinds.append(("format", a.rpr))
                pos += len(text)
            else:
                marks.append(Mark(pos, pos, len(self.kinds)))
                self.kinds.append(("object", a))
                if a.el.tag in breaks and pos and not parts[-1][-1:].isspace():
                    pending_space = True
        close_format(pos)
        self.text = "".join(parts)
        marks.extend(Mark(start, end, key) for key, start, end in containers.values())
        self.marks = tuple(sorted(marks, key=lambda m: (m.start, -m.end, m.key)))

    def rebuild(self, t: Translated) -> None:
        from lxml import etree

        p, d = self.p, self.d
        breaks = {d.q(n) for n in d.breaks}
        last = [c for c in p if c.tag in {d.q(n) for n in d.keep_last}]
        for child in list(p):
            if child.tag != d.q("pPr"):
                p.remove(child)
        placed: set[int] = set()
        stack: list[tuple[object, tuple[int, ...]]] = [(p, ())]

        def run(rpr) -> object:
            r = etree.SubElement(stack[-1][0], d.q("r"))
            if rpr is not None:
                r.append(d.left_to_right(deepcopy(rpr)))
            return r

        last_t = [None]  # the last w:t written, and whether a break followed it
        after_break = [False]

        objects = [k for k, (kind, _) in enumerate(self.kinds) if kind == "object"]

        def put_object(key: int) -> None:
            # Points keep their order (a field's begin, code, separator and end; a
            # bookmark's start and end): any earlier one not yet placed comes first.
            for earlier in objects:
                if earlier >= key:
                    break
                if earlier not in placed:
                    put_one(earlier)
            put_one(key)

        def put_one(key: int) -> None:
            placed.add(key)
            obj = self.kinds[key][1]
            if obj.el.tag in breaks:  # the space that stood for it in the text goes
                if last_t[0] is not None and last_t[0].text.endswith(" "):
                    last_t[0].text = last_t[0].text.rstrip(" ")
                after_break[0] = True
            if obj.in_run:
                run(obj.rpr).append(obj.el)
            else:
                stack[-1][0].append(obj.el)

        def open_container(key: int):
            el = self.kinds[key][1]
            copy = etree.SubElement(stack[-1][0], el.tag, dict(el.attrib))
            for prop in el:  # properties (w:sdtPr, w:smartTagPr…), not content
                if isinstance(prop.tag, str) and prop.tag.endswith("Pr"):
                    copy.append(deepcopy(prop))
            if el.tag == d.q("sdt"):
                return etree.SubElement(copy, d.q("sdtContent"))
            return copy

        valid = [m for m in t.marks if 0 <= m.key < len(self.kinds)]
        for text, keys in pieces(t.text, valid):
            objects = [k for k in keys if self.kinds[k][0] == "object" and k not in placed]
            if not text:
                for k in objects:
                    put_object(k)
                continue
            path = tuple(k for k in keys if self.kinds[k][0] == "container")
            while stack[-1][1] != path[: len(stack[-1][1])]:
                stack.pop()
            for k in path[len(stack[-1][1]):]:
                stack.append((open_container(k), stack[-1][1] + (k,)))
            for k in objects:
                put_object(k)
            if after_break[0]:
                text = text.lstrip(" ")
                after_break[0] = False
                if not text:
                    continue
            formats = [k for k in keys if self.kinds[k][0] == "format"]
            rpr = self.kinds[formats[-1]][1] if formats else self.base_rpr
            t_el = etree.SubElement(run(rpr), d.q("t"))
            t_el.text = text
            if d.preserve_space:
                t_el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            last_t[0] = t_el
        del stack[1:]
        for k, (kind, _) in enumerate(self.kinds):
            if kind == "object" and k not in placed:  # lost by the translation: kept, at the end
                put_object(k)
        p.extend(last)
        ppr = p.find(d.q("pPr"))
        if ppr is not None:
            d.left_to_right(ppr)


def nothing_left_in_arabic(texts) -> None:
    """Text still in Arabic after the translation (somewhere no unit reached, such as a
    tracked move) fails the document: it is never left silently. (The message names no
    file: whoever reports it does.)"""
    left = [t for t in texts if t and has_arabic(t)]
    if left:
        raise DocumentError(f"{len(left)} piece(s) of text left in Arabic outside the translated paragraphs, e.g. {left[0][:40]!r}")
