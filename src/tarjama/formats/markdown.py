"""Markdown: headings, paragraphs, list items, quotes and table cells are units; front
matter keeps its keys; HTML blocks go through the HTML format; code is never translated.

markdown-it-py parses the document; each inline block is located in the source, line by
line, and walked token by token against the source characters (so ``\\*``, ``&rlm;`` and
``\\|`` are matched to what they stand for). Emphasis and links become marks over the
sentence, which is translated whole; inline code, HTML tags, images and hard breaks stay
in place as written. The translated inline replaces only its own source span; markers,
indentation, URLs, code blocks and everything else stay as they were.
"""

from __future__ import annotations

import html as htmllib
import re
from typing import Callable

from ..files import decode_text
from ..text.arabic import has_arabic
from . import html as htmlformat
from .base import DocumentError, DocumentFormat, Extracted, Mark, Translated, Unit, splice, tidy, wrap

Render = Callable[[list[Translated]], str]

# How deep lists and quotes may nest (CommonMark's preset says 20: a list 12 levels deep
# lost its last items). Deeper than this, the document's check fails it, loudly.
NESTING = 200
# Front matter keys whose string values a reader sees.
READABLE_KEYS = {"title", "subtitle", "description", "summary", "excerpt", "abstract", "caption", "alt", "lead"}

_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")
_END_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)")
_BLOCK_START = re.compile(r"^(?:[#>+\-=*]|\d{1,9}[.)])")


def escape(text: str) -> str:
    """Translated text made literal in Markdown: no accidental emphasis, link, code or cell."""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


class _NoMatch(Exception):
    """The source does not read as markdown-it read it: translate the block as plain text."""


class _Inline:
    """One inline block: its raw source, line by line, and where each line is in the file."""

    def __init__(self, source: str, spans: list[tuple[int, int]]):
        self.source = source
        self.spans = spans  # (start, end) in source of each line's content
        self.raw = "\n".join(source[a:b] for a, b in spans)
        self.line_at = []  # raw offset of each line
        pos = 0
        for a, b in spans:
            self.line_at.append(pos)
            pos += b - a + 1

    def src(self, p: int) -> int:
        j = max(k for k, at in enumerate(self.line_at) if at <= p)
        return self.spans[j][0] + (p - self.line_at[j])


def _match(raw: str, pos: int, decoded: str) -> int:
    """Where the source text that markdown-it decoded to ``decoded`` ends, from ``pos``."""
    i = 0
    while i < len(decoded):
        if pos >= len(raw):
            raise _NoMatch
        c = raw[pos]
        if c == "\\" and pos + 1 < len(raw) and raw[pos + 1] in _PUNCT and decoded[i] == raw[pos + 1]:
            pos, i = pos + 2, i + 1
            continue
        if c == "&":
            m = _ENTITY.match(raw, pos)
            if m:
                value = htmllib.unescape(m.group())
                if decoded.startswith(value, i):
                    pos, i = m.end(), i + len(value)
                    continue
        if c != decoded[i]:
            raise _NoMatch
        pos, i = pos + 1, i + 1
    return pos


def _closing_bracket(raw: str, pos: int) -> int:
    """Offset of the ``]`` that closes the ``[`` just before ``pos``."""
    depth = 0
    while pos < len(raw):
        c = raw[pos]
        if c == "\\":
            pos += 2
            continue
        if c == "`":  # code spans hide brackets
            run = len(raw[pos:]) - len(raw[pos:].lstrip("`"))
            close = raw.find("`" * run, pos + run)
            pos = close + run if close >= 0 else pos + run
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            if depth == 0:
                return pos
            depth -= 1
        pos += 1
    raise _NoMatch


def _link_tail(raw: str, pos: int) -> int:
    """End of a link's destination part after its ``]``: ``(url "title")``, ``[ref]`` or nothing."""
    if raw.startswith("(", pos):
        depth, i, quote = 0, pos, None
        while i < len(raw):
            c = raw[i]
            if c == "\\":
                i += 2
                continue
            if quote:
                if c == quote:
                    quote = None
            elif c in "\"'" and raw[i - 1].isspace():
                quote = c
            elif c == "<":
                close = raw.find(">", i)
                i = close if close >= 0 else i
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        raise _NoMatch
    if raw.startswith("[", pos):
        close = raw.find("]", pos)
        if close < 0:
            raise _NoMatch
        return close + 1
    return pos


_TITLE = re.compile(r"""(\s+)(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|\(((?:[^)\\]|\\.)*)\))(\s*\))$""", re.DOTALL)


def _skip_break(raw: str, pos: int) -> int:
    while pos < len(raw) and raw[pos] in " \t\\":
        pos += 1
    if pos < len(raw) and raw[pos] == "\n":
        pos += 1
    while pos < len(raw) and raw[pos] in " \t":
        pos += 1
    return pos


def _walk(inline: _Inline, children, units: list[Unit], uid: str):
    """(unit text, marks, elements) of an inline block; elements are (opening, closing)
    renderers by mark key."""
    raw, source = inline.raw, inline.source
    text = ""
    marks: list[Mark] = []
    elements: list[list] = []
    stack: list[tuple[int, int]] = []  # (key, text offset)
    html_stack: list[tuple[str, int, int]] = []  # (tag, key, text offset) of inline HTML
    pos, k = 0, 0

    def placeholder(p: int, q: int, render: Render | None = None) -> None:
        verbatim = source[inline.src(p): inline.src(q)] if q > p else ""
        elements.append([render or (lambda t: verbatim), lambda t: ""])
        marks.append(Mark(len(text), len(text), len(elements) - 1))

    while k < len(children):
        child = children[k]
        kind = child.type
        if kind in ("text", "text_special"):
            pos = _match(raw, pos, child.content)
            text += child.content
        elif kind == "softbreak":
            pos = _skip_break(raw, pos)
            if not text.endswith(" "):
                text += " "
        elif kind == "hardbreak":
            start = pos
            pos = _skip_break(raw, pos)
            placeholder(start, pos)
            text += " "
        elif kind in ("strong_open", "em_open", "s_open"):
            if not raw.startswith(child.markup, pos):
                raise _NoMatch
            pos += len(child.markup)
            elements.append([lambda t, m=child.markup: m, lambda t, m=child.markup: m, "emphasis"])
            stack.append((len(elements) - 1, len(text)))
        elif kind in ("strong_close", "em_close", "s_close"):
            if not raw.startswith(child.markup, pos) or not stack:
                raise _NoMatch
            pos += len(child.markup)
            key, at = stack.pop()
            marks.append(Mark(at, len(text), key))
        elif kind == "link_open" and child.markup == "autolink":
            end = raw.find(">", pos)
            if not raw.startswith("<", pos) or end < 0:
                raise _NoMatch
            placeholder(pos, end + 1)
            pos = end + 1
            while k < len(children) and children[k].type != "link_close":
                k += 1
        elif kind == "link_open":
            if not raw.startswith("[", pos):
                raise _NoMatch
            pos += 1
            elements.append([lambda t: "[", None])
            stack.append((len(elements) - 1, len(text)))
        elif kind == "link_close":
            if not raw.startswith("]", pos) or not stack:
                raise _NoMatch
            end = _link_tail(raw, pos + 1)
            tail = source[inline.src(pos): inline.src(end)]
            key, at = stack.pop()
            elements[key][1] = _titled(tail, units, uid)
            marks.append(Mark(at, len(text), key))
            pos = end
        elif kind == "image":
            if not raw.startswith("![", pos):
                raise _NoMatch
            close = _closing_bracket(raw, pos + 2)
            end = _link_tail(raw, close + 1)
            tail = _titled(source[inline.src(close): inline.src(end)], units, uid)
            alt = child.content
            if has_arabic(alt):
                units.append(Unit(" ".join(alt.split()), (), f"{uid} image"))
                index = len(units) - 1
                placeholder(pos, end, lambda t, i=index, tail=tail: "![" + escape(t[i].text) + tail(t))
            else:
                head = source[inline.src(pos): inline.src(close)]
                placeholder(pos, end, lambda t, head=head, tail=tail: head + tail(t))
            pos = end
        elif kind == "code_inline":
            run = child.markup
            if not raw.startswith(run, pos):
                raise _NoMatch
            close = pos + len(run)
            while True:
                close = raw.find(run, close)
                if close < 0:
                    raise _NoMatch
                if raw[close + len(run): close + len(run) + 1] != "`" and raw[close - 1] != "`":
                    break
                close += len(run)
            placeholder(pos, close + len(run))
            pos = close + len(run)
        elif kind == "html_inline":
            if not raw.startswith(child.content, pos):
                raise _NoMatch
            end = pos + len(child.content)
            tag = _TAG_NAME.match(child.content)
            closing = _END_TAG.match(child.content)
            open_html = [i for i, (name, _, _) in enumerate(html_stack) if closing and name == closing.group(1).lower()]
            if tag and not child.content.rstrip().endswith("/>") and tag.group(1).lower() not in htmlformat.VOID:
                # <span …> … </span> inside a sentence: a mark, like emphasis
                converted = htmlformat._Tag(tag.group(1).lower(), child.content, units, f"{uid} ")
                elements.append([converted.render, lambda t: ""])
                html_stack.append((tag.group(1).lower(), len(elements) - 1, len(text)))
            elif open_html:
                for _, key, at in html_stack[open_html[-1] + 1:]:
                    marks.append(Mark(at, at, key))  # misnested: stays where it was opened
                _, key, at = html_stack[open_html[-1]]
                del html_stack[open_html[-1]:]
                elements[key][1] = lambda t, v=child.content: v
                marks.append(Mark(at, len(text), key))
            elif tag:
                converted = htmlformat._Tag(tag.group(1).lower(), child.content, units, f"{uid} ")
                placeholder(pos, end, converted.render)
            else:
                placeholder(pos, end)
            pos = end
        else:
            raise _NoMatch
        k += 1
    if stack:
        raise _NoMatch
    for _, key, at in html_stack:  # opened here, closed in a later block: kept in place
        marks.append(Mark(at, at, key))
    return text, marks, elements


def _titled(tail: str, units: list[Unit], uid: str) -> Render:
    """A link's or image's ``](url "title")``, its title translated if it is Arabic."""
    m = _TITLE.search(tail)
    if not m:
        return lambda t: tail
    group = 2 if m.group(2) is not None else 3 if m.group(3) is not None else 4
    title = m.group(group)
    if not has_arabic(title):
        return lambda t: tail
    units.append(Unit(" ".join(title.replace("\\", "").split()), (), f"{uid} title"))
    index, quote = len(units) - 1, {2: '"', 3: "'", 4: ")"}[group]
    a, b = m.start(group), m.end(group)
    return lambda t: tail[:a] + t[index].text.replace("\\", "\\\\").replace(quote, "\\" + quote) + tail[b:]


class _Locator:
    """Finds the source span of each line of an inline block's content."""

    def __init__(self, text: str, base: int):
        self.text = text
        self.lines = text.split("\n")
        self.starts = [base]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.cursor: dict[int, int] = {}

    def spans(self, first_line: int, content: str, cell: bool = False) -> list[tuple[int, int]]:
        """A paragraph's lines end with their content; a table cell is found left to right."""
        out = []
        for j, part in enumerate(content.split("\n")):
            n = first_line + j
            if n >= len(self.lines):
                raise _NoMatch
            line, stripped = self.lines[n], part.strip()
            cursor = self.cursor.get(n, 0)
            if not cell and line.rstrip().endswith(stripped):
                col = len(line.rstrip()) - len(stripped)
                end = col + len(stripped)
            else:
                found = line.find(stripped, cursor)
                if found >= 0:
                    col, end = found, found + len(stripped)
                else:  # a table cell: markdown-it has taken the backslash out of "\|"
                    pattern = r"\\?\|".join(re.escape(p) for p in stripped.split("|"))
                    m = re.compile(pattern).search(line, cursor)
                    if not m:
                        raise _NoMatch
                    col, end = m.start(), m.end()
            self.cursor[n] = end
            out.append((self.starts[n] + col, self.starts[n] + end))
        return out


def _front_matter(text: str) -> tuple[str, int]:
    """('yaml' | 'toml' | '', offset where the body starts)."""
    for fence, kind in (("---", "yaml"), ("+++", "toml")):
        if text.startswith(fence + "\n"):
            ends = [fence] + (["..."] if kind == "yaml" else [])
            pos = len(fence) + 1
            while pos <= len(text):
                nl = text.find("\n", pos)
                line = text[pos: nl if nl >= 0 else len(text)]
                if line.rstrip() in ends:
                    return kind, (nl + 1 if nl >= 0 else len(text))
                if nl < 0:
                    break
                pos = nl + 1
    return "", 0


_YAML_KEY = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*)(\s*:[ \t]+)(.*?)\s*$")
_TOML_KEY = re.compile(r"^(\s*)([A-Za-z_][\w-]*)(\s*=\s*)(\"(?:[^\"\\]|\\.)*\"|'[^']*')\s*(#.*)?$")


def _yaml_string(value: str) -> str | None:
    """The string a one-line YAML scalar stands for, or None if it is not a plain string."""
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        return re.sub(r'\\(["\\/])', r"\1", value[1:-1])
    if value.startswith("'") and value.endswith("'") and len(value) >= 2:
        return value[1:-1].replace("''", "'")
    if value[:1] in "[{&*!|>%@`#" or value == "":
        return None
    return re.split(r"\s+#", value, maxsplit=1)[0]


def _front_matter_units(text: str, kind: str, end: int, units: list[Unit]) -> list[tuple[int, int, Render]]:
    """Readable string values of the front matter as units; keys and everything else kept."""
    edits = []
    pos = text.find("\n") + 1
    lines = text[pos:end].split("\n")
    for n, line in enumerate(lines):
        start = pos
        pos += len(line) + 1
        if kind == "yaml":
            m = _YAML_KEY.match(line)
            if not m or m.group(2).lower() not in READABLE_KEYS:
                continue
            value = m.group(4)
            if value[:1] in "|>":  # a block scalar: its more indented lines
                indent = len(m.group(1)) + 1
                block, p = [], start + len(line) + 1
                for follow in lines[n + 1:]:
                    if follow.strip() and len(follow) - len(follow.lstrip()) < indent:
                        break
                    block.append(follow)
                while block and not block[-1].strip():
                    block.pop()
                plain = " ".join(" ".join(block).split())
                if not has_arabic(plain):
                    continue
                units.append(Unit(plain, (), f"front matter {m.group(2)}"))
                index = len(units) - 1
                vstart = start + m.start(4)
                bend = p + sum(len(b) + 1 for b in block) - 1
                pad = " " * (len(block[0]) - len(block[0].lstrip())) if block else "  "
                edits.append((vstart, bend, lambda t, i=index, pad=pad, v=value: f"{v}\n{pad}{t[i].text}"))
                continue
            plain = _yaml_string(value)
            if plain is None or not has_arabic(plain):
                continue
            units.append(Unit(" ".join(plain.split()), (), f"front matter {m.group(2)}"))
            index = len(units) - 1
            edits.append((start + m.start(4), start + m.end(4), lambda t, i=index, v=value: _yaml_quote(t[i].text, v)))
        else:
            m = _TOML_KEY.match(line)
            if not m or m.group(2).lower() not in READABLE_KEYS:
                continue
            value = m.group(4)
            plain = value[1:-1] if value.startswith("'") else re.sub(r'\\(["\\])', r"\1", value[1:-1])
            if not has_arabic(plain):
                continue
            units.append(Unit(" ".join(plain.split()), (), f"front matter {m.group(2)}"))
            index = len(units) - 1
            edits.append((start + m.start(4), start + m.end(4), lambda t, i=index: _double_quoted(t[i].text)))
    return edits


def _double_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _yaml_quote(text: str, original: str) -> str:
    """The translation written the way the source wrote its value, where that is safe."""
    if original.startswith("'"):
        return "'" + text.replace("'", "''") + "'"
    plain_ok = text and text[0] not in "-?:,[]{}#&*!|>'\"%@`" and ": " not in text and " #" not in text and not text.endswith(":")
    if original.startswith('"') or not plain_ok:
        return _double_quoted(text)
    return text


class MarkdownFormat(DocumentFormat):
    name = "markdown"
    suffixes = (".md", ".markdown")

    def extract(self, data: bytes, name: str) -> Extracted:
        from markdown_it import MarkdownIt

        decoded = decode_text(data, name)
        original = decoded.text
        crlf = "\r\n" in original and original.count("\r\n") == original.count("\n")
        text = original.replace("\r\n", "\n") if crlf else original
        units: list[Unit] = []
        edits: list[tuple[int, int, Render]] = []
        kind, body_start = _front_matter(text)
        if kind:
            edits += _front_matter_units(text, kind, body_start, units)
        body = text[body_start:]
        try:
            tokens = MarkdownIt("commonmark", {"maxNesting": NESTING}).enable("table").parse(body)
        except Exception as e:  # markdown-it accepts almost anything; be safe all the same
            raise DocumentError(f"cannot parse Markdown: {e}") from None
        locator = _Locator(body, body_start)
        for k, token in enumerate(tokens):
            if token.type == "html_block" and token.map:
                a, b = locator.starts[token.map[0]], locator.starts[min(token.map[1], len(locator.lines))]
                block = text[a:b]
                edits += [(a + s, a + e, r) for s, e, r in htmlformat.scan(block, units, f"line {token.map[0] + 1} ")]
            elif token.type == "inline" and token.map and token.children is not None:
                cell = k > 0 and tokens[k - 1].type in ("th_open", "td_open")
                edits += self._inline(text, token, locator, units, cell)
        for s, e, _ in edits:
            if s > e:
                raise DocumentError("cannot locate a block of the Markdown source")

        def rebuild(translations: list[Translated]) -> bytes:
            out = splice(text, [(s, e, render(translations)) for s, e, render in edits])
            return (out.replace("\n", "\r\n") if crlf else out).encode("utf-8")

        return Extracted(units, rebuild, [decoded.note] if decoded.note else [])

    @staticmethod
    def _inline(text: str, token, locator: _Locator, units: list[Unit], cell: bool) -> list[tuple[int, int, Render]]:
        uid = f"line {token.map[0] + 1}"
        if not has_arabic(token.content) and not any(has_arabic(c.content) for c in token.children):
            return []
        try:
            spans = locator.spans(token.map[0], token.content, cell)
        except _NoMatch:
            raise DocumentError(f"{uid}: cannot locate this block in the source") from None
        inline = _Inline(text, spans)
        start, end = spans[0][0], spans[-1][1]
        mark_units = len(units)
        try:
            plain, marks, elements = _walk(inline, token.children, units, uid)
        except _NoMatch:
            # The source does not read as the parser read it: the block is still translated,
            # as plain text, rather than left in Arabic.
            del units[mark_units:]
            plain = " ".join(c.content for c in token.children if c.type in ("text", "text_special"))
            marks, elements = [], []
        stripped, marks = tidy(plain, marks)
        if not has_arabic(stripped):
            if len(units) == mark_units:
                return []
            # Only an image alt or a link title to translate: rebuild the block all the same.
        unit = Unit(stripped, marks, uid)
        units.append(unit)
        index = len(units) - 1

        def render(translations: list[Translated]) -> str:
            t = translations[index]
            opening = lambda k: elements[k][0](translations)  # noqa: E731
            closing = lambda k: elements[k][1](translations)  # noqa: E731
            # Emphasis whose words merged into others' (two marks inside one glossary term's
            # English) is dropped: "****" would be literal asterisks.
            empty = lambda k: "" if elements[k][2:] == ["emphasis"] else opening(k) + closing(k)  # noqa: E731
            out = wrap(t.text, t.marks, opening, closing, escape, empty, source=unit)
            if _BLOCK_START.match(out):  # "1." or "#" at the start of a line would make a new block
                out = re.sub(r"^(\d{1,9})([.)])", r"\1\\\2", out) if out[0].isdigit() else "\\" + out
            return out

        return [(start, end, render)]


FORMAT = MarkdownFormat()
