"""HTML and XHTML: every run of text a reader sees as one piece is a unit; the rest is kept
byte for byte.

The page is tokenised with the standard library's HTMLParser, which tolerates real-world
markup and tells where each tag and text starts; nothing is re-serialised. A unit is the
text between two block boundaries with its inline elements (``<b>``, ``<a>``, ``<span>``…)
as marks, so a sentence with a link in it is translated whole and the link is put back
around the English words. Code, scripts and styles are never sent to the model; inline
code, ``<br>`` and images stay where they were in the sentence. Attributes a reader sees
(``alt``, ``title``, ``aria-label``, ``placeholder``, the page description and its
``og:``/``twitter:`` text) are units of their own. Where the source says Arabic or
right-to-left (``lang``, ``dir``, ``style="direction: rtl"``, ``class="rtl"``, a style
sheet's ``direction``), the output says English and left-to-right; a declared charset
becomes UTF-8, which is what is written.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Callable

from ..files import decode_text
from ..text.arabic import has_arabic
from .base import DocumentError, DocumentFormat, Extracted, Mark, Translated, Unit, splice, tidy, wrap

Render = Callable[[list[Translated]], str]
Edit = tuple[int, int, Render]

# Elements inside a sentence: they become marks, not unit boundaries.
INLINE = {
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "data", "del", "dfn", "em", "font", "i", "ins",
    "label", "mark", "nobr", "q", "s", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u",
}
# Standalone elements kept in place inside a sentence.
INLINE_EMPTY = {"br", "img", "wbr", "input"}
# Never translated: kept whole where they are (inline) or between units (block).
# Text a reader sees in <svg> (an infographic's <text>), <textarea>, <noscript> and
# <template> is translated; MathML is kept (the document's check fails on Arabic left in it).
INLINE_VERBATIM = {"code", "kbd", "samp", "var", "math"}
BLOCK_VERBATIM = {"script", "style", "pre", "xmp", "listing"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}

TRANSLATABLE_ATTRIBUTES = {"alt", "title", "aria-label", "aria-description", "placeholder", "summary"}
TRANSLATABLE_META = {
    "description", "keywords", "og:title", "og:description", "og:site_name", "og:image:alt",
    "twitter:title", "twitter:description", "twitter:image:alt",
}

_ATTR = re.compile(r"""([^\s"'<>/=]+)(?:(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_WHITESPACE = " \t\n\r\f"
_CSS_DIRECTION = re.compile(r"(direction\s*:\s*)rtl\b", re.IGNORECASE)
_CLASS_RTL = re.compile(r"(?<![\w-])rtl(?![\w-])", re.IGNORECASE)
_CHARSET_IN_CONTENT = re.compile(r"(charset\s*=\s*)([\w.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(r"""(encoding\s*=\s*["'])([\w.:-]+)(["'])""")

_SNIFF_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_SNIFF_XML = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)["']""")


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares (XML declaration, then <meta>), from its first bytes."""
    head = data[:4096]
    found = _SNIFF_XML.search(head) or _SNIFF_META.search(head)
    return found.group(1).decode("ascii") if found else None


class _Tokens(HTMLParser):
    """(kind, start, end, tag, raw or text) for every tag, text and comment, by offset."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.events: list[list] = []

    def _at(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or ""
        s = self._at()
        self.events.append(["start", s, s + len(raw), tag, raw])

    def handle_startendtag(self, tag, attrs):
        raw = self.get_starttag_text() or ""
        s = self._at()
        self.events.append(["empty", s, s + len(raw), tag, raw])

    def handle_endtag(self, tag):
        s = self._at()
        end = self.text.find(">", s)
        end = len(self.text) if end < 0 else end + 1
        self.events.append(["end", s, end, tag, self.text[s:end]])

    def handle_data(self, data):
        self.events.append(["data", self._at(), None, None, data])

    def _other(self, *_):
        self.events.append(["other", self._at(), None, None, ""])

    handle_comment = handle_decl = unknown_decl = _other

    def handle_pi(self, data):
        self.events.append(["pi", self._at(), None, None, ""])

    def tokens(self) -> list[list]:
        self.feed(self.text)
        self.close()
        for k, event in enumerate(self.events):
            if event[2] is None:
                event[2] = self.events[k + 1][1] if k + 1 < len(self.events) else len(self.text)
        return self.events


class _Tag:
    """One start tag as written, and what changes in it: translated attribute values,
    lang/dir/CSS direction, the declared charset."""

    def __init__(self, name: str, raw: str, units: list[Unit], id_prefix: str):
        self.name, self.raw = name, raw
        self.changes: list[tuple[int, int, str | int]] = []  # (start, end, new text | unit index)
        body = len(name) + 1
        attrs = []
        for m in _ATTR.finditer(raw, body, len(raw) - 1):
            group = 3 if m.group(3) is not None else 4 if m.group(4) is not None else 5
            value = m.group(group)
            span = (m.start(group), m.end(group)) if value is not None else None
            attrs.append((m.group(1).lower(), value, span))
        values = {k: html.unescape(v or "") for k, v, _ in attrs}
        for key, value, span in attrs:
            if value is None or span is None:
                continue
            plain = html.unescape(value)
            low = plain.strip().lower()
            if key in TRANSLATABLE_ATTRIBUTES or (
                name == "meta" and key == "content"
                and (values.get("name", "").lower() in TRANSLATABLE_META or values.get("property", "").lower() in TRANSLATABLE_META)
            ):
                if has_arabic(plain):
                    units.append(Unit(" ".join(plain.split()), (), f"{id_prefix}{name}@{key}"))
                    self.changes.append((*span, len(units) - 1))
            elif key in ("lang", "xml:lang") and (low == "ar" or low.startswith("ar-")):
                self.changes.append((*span, "en"))
            elif key == "dir" and low == "rtl":
                self.changes.append((*span, "ltr"))
            elif key == "style" and _CSS_DIRECTION.search(value):
                self.changes.append((*span, _CSS_DIRECTION.sub(r"\1ltr", value)))
            elif key == "class" and _CLASS_RTL.search(value):
                self.changes.append((*span, _CLASS_RTL.sub("ltr", value)))
            elif name == "meta" and key == "charset" and low not in ("utf-8", "utf8"):
                self.changes.append((*span, "utf-8"))
            elif name == "meta" and key == "content" and values.get("http-equiv", "").lower() == "content-type":
                m = _CHARSET_IN_CONTENT.search(value)
                if m and m.group(2).lower() not in ("utf-8", "utf8"):
                    self.changes.append((span[0] + m.start(2), span[0] + m.end(2), "utf-8"))

    def render(self, translations: list[Translated]) -> str:
        if not self.changes:
            return self.raw
        quote_safe = lambda s: html.escape(s, quote=True)  # noqa: E731
        return splice(self.raw, [(s, e, c if isinstance(c, str) else quote_safe(translations[c].text)) for s, e, c in self.changes])


class _Run:
    """Text and inline elements between two block boundaries: one unit if it has Arabic."""

    def __init__(self, start: int):
        self.start = self.end = start
        self.text = ""
        self.marks: list[Mark] = []
        self.elements: list[tuple[Callable, Callable]] = []  # key → (opening, closing) renderers
        self.open: list[tuple[str, int, int]] = []  # (tag, key, text offset)
        self.tags: list[tuple[int, int, _Tag]] = []  # every start tag in the run, for a run that stays
        self.first_data: str | None = None
        self.last_data: str | None = None

    def add_text(self, data: str) -> None:
        for c in data:
            if c in _WHITESPACE:
                if not self.text.endswith(" "):
                    self.text += " "
            else:
                self.text += c

    def element(self, opening: Callable, closing: Callable) -> int:
        self.elements.append((opening, closing))
        return len(self.elements) - 1

    def placeholder(self, opening: Callable) -> None:
        key = self.element(opening, lambda t: "")
        self.marks.append(Mark(len(self.text), len(self.text), key))


def scan(text: str, units: list[Unit], id_prefix: str = "") -> list[Edit]:
    """Units of an HTML text (appended to ``units``) and the edits that put their
    translations in: (start, end, render) over ``text``. Used for pages and for the
    HTML blocks of Markdown."""
    try:
        events = _Tokens(text).tokens()
    except Exception as e:  # HTMLParser tolerates nearly anything; be safe all the same
        raise DocumentError(f"cannot parse HTML: {e}") from None
    edits: list[Edit] = []
    run: _Run | None = None
    skip: list = []  # [tag, depth, start, inline?] while inside code, scripts, styles

    def close_run() -> None:
        nonlocal run
        if run is None:
            return
        r, run = run, None
        if not has_arabic(r.text):
            for s, e, tag in r.tags:
                if tag.changes:
                    edits.append((s, e, tag.render))
            return
        for _, key, at in r.open:  # elements left open at a block boundary stay where they were
            r.marks.append(Mark(at, at, key))
            r.elements[key] = (r.elements[key][0], lambda t: "")
        plain, marks = tidy(r.text, r.marks)
        start, end = r.start, r.end
        if r.first_data is not None:
            start += len(r.first_data) - len(r.first_data.lstrip(_WHITESPACE))
        if r.last_data is not None:
            end -= len(r.last_data) - len(r.last_data.rstrip(_WHITESPACE))
        unit = Unit(plain, marks, f"{id_prefix}p{len(units) + 1}")
        units.append(unit)
        index, elements = len(units) - 1, r.elements

        def render(translations: list[Translated]) -> str:
            t = translations[index]
            return wrap(
                t.text,
                t.marks,
                lambda k: elements[k][0](translations),
                lambda k: elements[k][1](translations),
                lambda s: html.escape(s, quote=False),
                source=unit,
            )

        edits.append((start, end, render))

    def ensure_run(at: int) -> _Run:
        nonlocal run
        if run is None:
            run = _Run(at)
        return run

    for kind, s, e, tag, raw in events:
        if skip:
            if kind == "start" and tag == skip[0] and tag not in VOID:
                skip[1] += 1
            elif kind == "end" and tag == skip[0]:
                skip[1] -= 1
            elif kind == "data" and skip[0] == "style" and _CSS_DIRECTION.search(text[s:e]):
                edits.append((s, e, lambda t, v=text[s:e]: _CSS_DIRECTION.sub(r"\1ltr", v)))
            if kind in ("start", "empty") and not skip[3]:  # inside inline code all is kept
                t = _Tag(tag, raw, units, id_prefix)
                if t.changes:
                    edits.append((s, e, t.render))
            if skip[1] == 0:
                if skip[3] and run is not None:  # inline code: kept whole inside its sentence
                    run.placeholder(lambda t, v=text[skip[2]:e]: v)
                    run.end = e
                    run.last_data = None
                skip = []
            continue
        if kind == "data":
            if run is None and not raw.strip(_WHITESPACE):
                continue
            new = run is None
            r = ensure_run(s)
            if new:
                r.first_data = text[s:e]
            r.add_text(raw)
            r.end, r.last_data = e, text[s:e]
            continue
        if kind in ("other", "pi"):
            if kind == "pi" and _XML_ENCODING.search(text[s:e]):
                m = _XML_ENCODING.search(text[s:e])
                if m.group(2).lower() not in ("utf-8", "utf8"):
                    edits.append((s + m.start(2), s + m.end(2), lambda t: "UTF-8"))
            if run is not None:  # a comment inside a sentence stays where it was
                run.placeholder(lambda t, v=text[s:e]: v)
                run.end, run.last_data = e, None
            continue
        if kind in ("start", "empty") and tag in BLOCK_VERBATIM:
            close_run()
            t = _Tag(tag, raw, units, id_prefix)
            if t.changes:
                edits.append((s, e, t.render))
            if kind == "start":
                skip = [tag, 1, s, False]
            continue
        if kind == "start" and tag in INLINE_VERBATIM:
            ensure_run(s)
            skip = [tag, 1, s, True]
            continue
        if kind in ("start", "empty") and (tag in INLINE_EMPTY or (kind == "empty" and tag in INLINE)):
            r = ensure_run(s)
            t = _Tag(tag, raw, units, id_prefix)
            r.tags.append((s, e, t))
            r.placeholder(t.render)
            r.end, r.last_data = e, None
            continue
        if kind == "start" and tag in INLINE:
            r = ensure_run(s)
            t = _Tag(tag, raw, units, id_prefix)
            r.tags.append((s, e, t))
            key = r.element(t.render, None)
            r.open.append((tag, key, len(r.text)))
            r.end, r.last_data = e, None
            continue
        if kind == "end" and tag in INLINE and run is not None:
            r = run
            found = next((k for k in range(len(r.open) - 1, -1, -1) if r.open[k][0] == tag), None)
            if found is None:
                r.placeholder(lambda t, v=raw: v)
            else:
                for name, key, at in r.open[found + 1:]:  # misnested: left where they were opened
                    r.marks.append(Mark(at, at, key))
                    r.elements[key] = (r.elements[key][0], lambda t: "")
                _, key, at = r.open[found]
                del r.open[found:]
                r.elements[key] = (r.elements[key][0], lambda t, v=raw: v)
                r.marks.append(Mark(at, len(r.text), key))
            r.end, r.last_data = e, None
            continue
        # A block boundary (or an inline end tag outside any run).
        close_run()
        if kind in ("start", "empty"):
            t = _Tag(tag, raw, units, id_prefix)
            if t.changes:
                edits.append((s, e, t.render))
    close_run()
    return edits


class HtmlFormat(DocumentFormat):
    name = "html"
    suffixes = (".html", ".htm", ".xhtml")

    def extract(self, data: bytes, name: str) -> Extracted:
        decoded = decode_text(data, name, declared_charset(data))
        text = decoded.text
        units: list[Unit] = []
        edits = scan(text, units)

        def rebuild(translations: list[Translated]) -> bytes:
            return splice(text, [(s, e, render(translations)) for s, e, render in edits]).encode("utf-8")

        return Extracted(units, rebuild, [decoded.note] if decoded.note else [])


FORMAT = HtmlFormat()
