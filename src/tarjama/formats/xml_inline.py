"""Mixed XML content (text with inline elements in it) as a unit's text and marks, and back.

Shared by the XML formats whose paragraphs are mixed content (XLIFF sources, ODF
paragraphs). Each inline child is a mark: a *paired* element (its content is text to
translate: XLIFF ``<g>``, ODF ``<text:span>``) over the words it wraps, any other element
(a placeholder, a picture, a note) a point, kept whole. ``fill`` writes a translation back
with every element of the source at its new place, and any the translation lost at the
end: an element is never dropped.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Callable

from .base import Mark, Translated, pieces

Predicate = Callable[[object], bool]


def hardened_parser():
    """An lxml parser that never expands entities, loads a DTD or opens a connection."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=False, remove_pis=False, strip_cdata=False,
    )


def _never(el) -> bool:
    return False


class InlineText:
    """The text of ``el`` with its inline children as marks. White space is collapsed
    (runs of it become one space, none at the ends) unless ``preserve``. After a
    ``separator`` element (a tab, a line break) the text has a space, so that the words on
    either side stay apart."""

    def __init__(self, el, paired: Predicate, *, preserve: bool = False, separator: Predicate = _never):
        self.paired = paired
        self.separator = separator
        self.preserve = preserve
        self.parts: list[str] = []
        self.length = 0
        self.marks: list[Mark] = []
        self.elements: list = []  # key -> inline element of the source
        self._pending_space = False
        self._walk(el)
        text = "".join(self.parts)
        if not preserve:
            text = text.rstrip(" ")
        self.text = text
        n = len(text)
        self.marks = [Mark(min(m.start, n), min(m.end, n), m.key) for m in self.marks]

    def _add(self, s: str | None) -> None:
        if not s:
            return
        if not self.preserve:
            s = re.sub(r"\s+", " ", s)
            if s.startswith(" ") and (self.length == 0 or self.parts[-1].endswith(" ")):
                s = s[1:]
        if self._pending_space and s and not s[0].isspace():
            s = " " + s
        self._pending_space = False
        if s:
            self.parts.append(s)
            self.length += len(s)

    def _walk(self, el) -> None:
        self._add(el.text)
        for child in el:
            if not isinstance(child.tag, str):  # a comment or processing instruction
                self._add(child.tail)
                continue
            key = len(self.elements)
            self.elements.append(child)
            start = self.length
            if self.paired(child):
                self._walk(child)
            self.marks.append(Mark(start, self.length, key))
            if self.separator(child) and self.length and not self.parts[-1].endswith(" "):
                self._pending_space = True
            self._add(child.tail)


def fill(target, content: InlineText, t: Translated, *, copy: bool = True) -> None:
    """Make ``target``'s content the translation ``t`` of ``content``. Point elements are
    copied from the source (``copy``) or moved (the source is ``target`` itself); paired
    ones are written anew around their words, with the source's attributes."""
    from lxml import etree

    elements = content.elements
    paired = content.paired
    moved = {} if copy else {k: el for k, el in enumerate(elements)}
    for child in list(target):
        target.remove(child)
    target.text = None
    placed: set[int] = set()
    after_separator = [False]

    def append_text(parent, s: str) -> None:
        if after_separator[0]:
            s = s.lstrip(" ")
            after_separator[0] = False
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + s
        else:
            parent.text = (parent.text or "") + s

    points = [k for k, el in enumerate(elements) if not paired(el)]

    def put(key: int):
        el = elements[key]
        if paired(el):
            placed.add(key)
            return etree.SubElement(stack[-1][0], el.tag, dict(el.attrib))
        # Points keep their order (an opening code before its closing one): any earlier
        # one not yet placed comes first.
        for earlier in points:
            if earlier >= key:
                break
            if earlier not in placed:
                put_point(earlier)
        return put_point(key)

    def put_point(key: int):
        placed.add(key)
        el = elements[key]
        if content.separator(el):  # the space that stood for it in the text goes
            parent = stack[-1][0]
            if len(parent) and parent[-1].tail:
                parent[-1].tail = parent[-1].tail.rstrip(" ")
            elif not len(parent) and parent.text:
                parent.text = parent.text.rstrip(" ")
            after_separator[0] = True
        element = moved.get(key)
        if element is None:
            element = deepcopy(el)
        element.tail = None
        stack[-1][0].append(element)
        return None

    stack: list[tuple[object, tuple[int, ...]]] = [(target, ())]
    for text, keys in pieces(t.text, [m for m in t.marks if 0 <= m.key < len(elements)]):
        keys = tuple(k for k in keys if k not in placed or paired(elements[k]))
        if not text:
            for k in keys[-1:]:  # an empty element, at its place among the open ones
                put(k)
            continue
        open_keys = tuple(k for k in keys if paired(elements[k]))
        for k in keys:
            if k not in open_keys and k not in placed:  # a point that came back over words
                put(k)
        while stack[-1][1] != open_keys[: len(stack[-1][1])]:
            stack.pop()
        for k in open_keys[len(stack[-1][1]):]:
            stack.append((put(k), stack[-1][1] + (k,)))
        append_text(stack[-1][0], text)
    del stack[1:]
    for k in range(len(elements)):
        if k not in placed:
            put(k)
