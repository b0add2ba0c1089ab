"""A second reader for every written document: is there Arabic left where a reader sees text?

The formats extract units and rebuild documents; this module does not trust them. It
reads a document again with the format family's own well-kept reader (lxml for OOXML,
ODF and XLIFF, python-docx for ``.docx``, pysubs2 for subtitles, markdown-it with no
nesting limit for Markdown, lxml's HTML parser for HTML) and reports:

- ``units``: what that reader counts (paragraphs, cues, segments), to compare the output
  with its source; ``None`` where a count means nothing to compare (plain text, HTML);
- ``left``: the places where text a reader sees still holds Arabic letters, each with its
  place in the document and a short excerpt;
- ``letters``: how many Arabic letters that text holds in all;
- ``problems``: why the reader could not read the document at all (not well-formed XML,
  python-docx cannot open it).

What a format keeps on purpose is not counted: code (Markdown code, HTML ``<code>``,
``<script>``, ``<style>``), ``translate="no"`` and protected XLIFF marks, native code in
XLIFF placeholders, document properties (``docProps/``), placeholder prompts of slide
layouts and masters. Everything else with Arabic in it is reported, even where the
format does not look (a PowerPoint chart, ``<svg><text>``): that is the point.

``audit(data, name)`` picks the reader by suffix. A new format registers its reader with
``@register(".suffix")`` on a function ``(data: bytes, name: str) -> Audit``; a zip-based
format can reuse ``audit_ooxml`` or ``audit_odf`` (``.xlsx``, ``.odp``, ``.ods`` and
``.epub`` are registered here already). A suffix with no reader gives ``checked=False``:
the document path then says in a note that nothing checked the output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Callable

from ..text.arabic import has_arabic
from .base import DocumentError

_LETTER = re.compile(r"[\u0621-\u063A\u0641-\u064A\u0671-\u06D3\u06FA-\u06FF\uFB50-\uFDFF\uFE70-\uFEFC]")
EXCERPT = 30
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.I)


@dataclass
class Audit:
    units: int | None = None
    unit_kind: str = "units"
    left: list[tuple[str, str]] = field(default_factory=list)  # (where, excerpt)
    letters: int = 0
    problems: list[str] = field(default_factory=list)
    checked: bool = True  # False: no second reader for this format (said in a note, never a pass)

    def see(self, where: str, text: str) -> None:
        """Count the Arabic of ``text``, a piece a reader sees at ``where`` (a web address
        in it is an address, not words: https://ar.wikipedia.org/wiki/سوريا stays)."""
        text = _URL.sub(" ", text)
        n = len(_LETTER.findall(text))
        if n:
            self.letters += n
            m = _LETTER.search(text)
            start = max(0, m.start() - 5)
            self.left.append((where, " ".join(text[start:start + EXCERPT].split())))

    def where(self, most: int = 1) -> str:
        """The first places with Arabic left, for a one-line message."""
        shown = "; ".join(f"{w}: {e!r}" for w, e in self.left[:most])
        more = len(self.left) - most
        return shown + (f" (and {more} more place{'s' if more != 1 else ''})" if more > 0 else "")


Reader = Callable[[bytes, str], Audit]
_READERS: dict[str, Reader] = {}


def register(*suffixes: str) -> Callable[[Reader], Reader]:
    def add(reader: Reader) -> Reader:
        for suffix in suffixes:
            _READERS[suffix.lower()] = reader
        return reader

    return add


def audit(data: bytes, name: str) -> Audit:
    """What the second reader finds in the document ``data`` (named ``name``). A suffix
    with no reader gives an Audit with a problem, never a silent pass."""
    reader = _READERS.get(PurePath(name).suffix.lower())
    if reader is None:
        return Audit(checked=False)
    try:
        return reader(data, name)
    except DocumentError as e:
        return Audit(problems=[e.message])
    except RecursionError:
        return Audit(problems=["too deeply nested to check"])


def _text(data: bytes) -> str:
    from ..text.encoding import decode

    return decode(data, "document").text


# -- plain text ---------------------------------------------------------------------------------
@register(".txt")
def audit_text(data: bytes, name: str) -> Audit:
    out = Audit()
    for n, line in enumerate(_text(data).splitlines(), start=1):
        out.see(f"line {n}", line)
    return out


# -- subtitles ----------------------------------------------------------------------------------
_CUE_TIMING = re.compile(r"^[ \t]*(?:\d+:)?\d+:\d\d[.,]\d+[ \t]+-->[ \t]+(?:\d+:)?\d+:\d\d[.,]\d+", re.M)


@register(".srt", ".vtt")
def audit_subtitles(data: bytes, name: str) -> Audit:
    """pysubs2 reads the cues (a timing line starts a cue, blank line or not)."""
    import pysubs2

    text = _text(data)
    fmt = "vtt" if name.lower().endswith(".vtt") else "srt"
    try:
        subs = pysubs2.SSAFile.from_string(text, format_=fmt)
    except Exception as e:  # pysubs2 raises several kinds for a file it cannot read
        raise DocumentError(f"pysubs2 cannot read it: {e}") from None
    # Cues by the WebVTT rule (a line with a timestamp, "-->" between white space, a
    # timestamp): pysubs2 takes any line with two timestamps, even "00:01 -&gt; 00:02".
    out = Audit(units=len(_CUE_TIMING.findall(text)), unit_kind="cues")
    for n, event in enumerate(subs, start=1):
        # A speaker's name in <v Name> is seen on screen by some players: it counts.
        out.see(f"cue {n}", re.sub(r"<v(?:\.[^\s>]*)?\s+([^>]*)>", r"\1 ", event.text))
    return out


# -- XML ----------------------------------------------------------------------------------------
def _parse_xml(body: bytes, where: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as e:
        raise DocumentError(f"{where} is not well-formed XML: {e}") from None
    if any(isinstance(n, etree._Entity) for n in root.iter()):
        raise DocumentError(f"{where} uses XML entities (never expanded, so never translated)")
    return root


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _own_text(el, skip: Callable) -> str:
    """The text of ``el`` and its descendants, less the subtrees ``skip`` says to leave."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and not skip(child):
            parts.append(_own_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


# -- XLIFF --------------------------------------------------------------------------------------
_XLIFF_CODE = {"ph", "bpt", "ept", "it", "x", "bx", "ex", "sc", "ec", "sm", "em", "cp", "sub"}


def _xliff_skip(el) -> bool:
    local = _local(el)
    return local in _XLIFF_CODE or el.get("translate") == "no" or el.get("mtype") == "protected"


def _translatable(el) -> bool:
    """``translate`` of the nearest element that says (XLIFF 1.2 and 2.0 both inherit)."""
    while el is not None:
        value = el.get("translate")
        if value in ("yes", "no"):
            return value == "yes"
        el = el.getparent()
    return True


@register(".xlf", ".xliff", ".sdlxliff", ".mqxliff")
def audit_xliff(data: bytes, name: str) -> Audit:
    """Every translatable segment must have a target with no Arabic in it (a copy of the
    Arabic source, or an empty target, is Arabic left)."""
    root = _parse_xml(data, "the XLIFF")
    out = Audit(units=0, unit_kind="segments")
    units = [el for el in root.iter() if _local(el) in ("trans-unit", "segment")]
    for unit in units:
        if not _translatable(unit):
            continue
        out.units += 1
        uid = unit.get("id") or (unit.getparent().get("id") if _local(unit) == "segment" else None) or "?"
        where = f"{_local(unit)} {uid}"
        source = next((c for c in unit if _local(c) == "source"), None)
        target = next((c for c in unit if _local(c) == "target"), None)
        source_text = _own_text(source, _xliff_skip) if source is not None else ""
        target_text = _own_text(target, _xliff_skip) if target is not None else ""
        if target is None or not target_text.strip():
            if has_arabic(source_text):
                out.see(f"{where} (no target)", source_text)
        else:
            out.see(where, target_text)
    return out


# -- zip packages: OOXML and ODF ----------------------------------------------------------------
def _package(data: bytes, name: str):
    from .archive import open_zip

    return open_zip(data, name, "a zip")


_OOXML_SKIP_PARTS = re.compile(r"^(docProps/|customXml/|word/glossary/|\[Content_Types\]\.xml$)|\.rels$")
_LAYOUT_PARTS = re.compile(r"^ppt/(slideLayouts|slideMasters|notesMasters|handoutMasters)/")
_OOXML_PARAGRAPHS = {"p"}


def _placeholder(el) -> bool:
    """A shape of a layout or master that is a placeholder: its text is a prompt."""
    return any(_local(n) == "ph" for n in el.iter()) if _local(el) == "sp" else False


def audit_ooxml(data: bytes, name: str) -> Audit:
    """Word, PowerPoint, Excel: the text runs (``w:t``, ``a:t``, ``m:t``, shared strings)
    and chart strings (``c:v`` in a string cache) of every XML part, parsed by lxml."""
    package = _package(data, name)
    out = Audit(units=0, unit_kind="paragraphs")
    for info in package.infolist():
        part = info.filename
        if not part.endswith(".xml") or _OOXML_SKIP_PARTS.search(part):
            continue
        root = _parse_xml(package.read(info), part)
        layout = bool(_LAYOUT_PARTS.match(part))
        prompts = {id(n) for sp in root.iter() if layout and _placeholder(sp) for n in sp.iter()}
        paragraph = 0
        for el in root.iter():
            local = _local(el)
            if local in _OOXML_PARAGRAPHS:
                out.units += 1
                paragraph += 1
            if id(el) in prompts:
                continue
            if local == "t" or (local == "v" and "chart" in (el.tag or "")):
                out.see(f"{part} p{paragraph}" if paragraph else part, el.text or "")
    return out


@register(".docx")
def audit_docx(data: bytes, name: str) -> Audit:
    """``audit_ooxml``, and python-docx must open the document."""
    out = audit_ooxml(data, name)
    import io

    import docx

    try:
        docx.Document(io.BytesIO(data))
    except Exception as e:  # whatever python-docx raises, the document is broken
        out.problems.append(f"python-docx cannot open it: {e}")
    return out


register(".pptx", ".xlsx")(audit_ooxml)


@register(".epub")
def audit_epub(data: bytes, name: str) -> Audit:
    """An EPUB: the (X)HTML documents of the package, each by ``audit_html``'s reader."""
    package = _package(data, name)
    out = Audit()
    for info in package.infolist():
        if re.search(r"\.(x?html?)$", info.filename, re.I):
            found = Audit()
            _audit_html_text(_text(package.read(info)), found, info.filename)
            out.left += found.left
            out.letters += found.letters
    return out

_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


@register(".odt", ".odp", ".ods")
def audit_odf(data: bytes, name: str) -> Audit:
    """OpenDocument: the paragraphs and headings of every ``content.xml`` and
    ``styles.xml`` (embedded objects such as charts too), parsed by lxml."""
    package = _package(data, name)
    out = Audit(units=0, unit_kind="paragraphs")
    for info in package.infolist():
        if not re.search(r"(^|/)(content|styles)\.xml$", info.filename):
            continue
        root = _parse_xml(package.read(info), info.filename)
        tree = root.getroottree()
        if tree.docinfo.internalDTD is not None:
            out.problems.append(f"{info.filename} has a DOCTYPE")
        paragraphs = [el for el in root.iter(f"{{{_ODF_TEXT}}}p", f"{{{_ODF_TEXT}}}h")]
        out.units += len(paragraphs)
        inner = {f"{{{_ODF_TEXT}}}p", f"{{{_ODF_TEXT}}}h"}
        for n, p in enumerate(paragraphs, start=1):
            # A note or a text box inside a paragraph holds paragraphs of its own: counted there.
            out.see(f"{info.filename} p{n}", _own_text(p, lambda el: el.tag in inner))
    return out


# -- HTML ---------------------------------------------------------------------------------------
_HTML_KEPT = {"script", "style", "code", "kbd", "samp", "var", "pre", "xmp", "listing"}  # code: kept on purpose
_HTML_ATTRIBUTES = ("alt", "title", "aria-label", "aria-description", "placeholder", "summary")


def _html_skip(el) -> bool:
    from lxml import etree

    if not isinstance(el.tag, str):
        return True  # comments and processing instructions: no one sees them
    local = _local(el).lower()
    if el.tag is etree.Comment or local in _HTML_KEPT:
        return True
    if el.get("translate", "").lower() == "no" or "notranslate" in el.get("class", "").split():
        return True
    return False


def _audit_html_text(text: str, out: Audit, where: str = "") -> None:
    import lxml.html
    from lxml import etree

    if not text.strip():
        return
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError) as e:
        raise DocumentError(f"lxml cannot read the HTML: {e}") from None
    skipped: set[int] = set()
    for el in root.iter():
        parent = el.getparent()
        if parent is not None and id(parent) not in skipped:
            out.see(f"{where} <{_local(parent).lower()}>".strip(), el.tail or "")
        if (parent is not None and id(parent) in skipped) or _html_skip(el):
            skipped.add(id(el))
            continue
        tag = _local(el).lower()
        here = f"{where} <{tag}>".strip()
        for attribute in _HTML_ATTRIBUTES:
            if el.get(attribute):
                out.see(f"{here} {attribute}", el.get(attribute))
        if tag == "input" and el.get("type", "").lower() in ("button", "submit", "reset") and el.get("value"):
            out.see(f"{here} value", el.get("value"))
        if tag == "meta" and el.get("content") and (el.get("name") or el.get("property") or "").lower() in (
            "description", "og:title", "og:description", "twitter:title", "twitter:description",
        ):
            out.see(f"{here} content", el.get("content"))
        if tag == "iframe" and el.get("srcdoc"):
            _audit_html_text(el.get("srcdoc"), out, f"{here} srcdoc")
        out.see(here, el.text or "")


@register(".html", ".htm", ".xhtml")
def audit_html(data: bytes, name: str) -> Audit:
    """Text and readable attributes of every element, by lxml's HTML parser (not the
    tokenizer the format uses): ``<svg><text>``, ``<textarea>``, ``<noscript>``,
    ``<template>``, MathML and ``<iframe srcdoc>`` count."""
    out = Audit()
    _audit_html_text(_text(data), out)
    return out


# -- Markdown -----------------------------------------------------------------------------------
_READABLE_KEYS = re.compile(
    r"^\s*(?:-\s+)?(title|subtitle|description|summary|excerpt|abstract|caption|alt|lead)\s*[:=]\s*(.*)$"
)


@register(".md", ".markdown")
def audit_markdown(data: bytes, name: str) -> Audit:
    """markdown-it (CommonMark, tables) with no practical nesting limit: text, link titles
    and image descriptions count; code does not; HTML goes through ``audit_html``; in front
    matter, the values of readable keys (title, description…) count."""
    from markdown_it import MarkdownIt

    text = _text(data).replace("\r\n", "\n")
    out = Audit()
    body = text
    m = re.match(r"(---|\+\+\+)\n(.*?)\n(---|\.\.\.|\+\+\+)[ \t]*(\n|$)", text, re.S)
    if m:
        for n, line in enumerate(m.group(2).splitlines(), start=2):
            key = _READABLE_KEYS.match(line)
            if key:
                out.see(f"front matter {key.group(1)}", key.group(2))
        body = text[m.end():]
    parser = MarkdownIt("commonmark", {"maxNesting": 10_000}).enable("table")
    for token in parser.parse(body):
        line = f"line {token.map[0] + 1 + text.count(chr(10), 0, len(text) - len(body))}" if token.map else "?"
        if token.type == "html_block":
            _audit_html_text(token.content, out, line)
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "text":
                    out.see(line, child.content)
                elif child.type == "image":
                    out.see(f"{line} image", child.content)
                if child.type in ("link_open", "image") and child.attrs.get("title"):
                    out.see(f"{line} title", str(child.attrs["title"]))
                if child.type == "html_inline" and has_arabic(child.content):
                    _audit_html_text(child.content, out, line)
    return out
