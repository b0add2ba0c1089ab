"""E-books (``.epub``, EPUB 2 and 3): every chapter, the navigation and the book's
metadata with Arabic in it.

- Chapters (the XHTML documents of the manifest, spine order first) go through the HTML
  format: each paragraph is a unit with its inline elements as marks, code is kept, and
  the chapter is spliced, not re-serialised, so its markup stays as written; ``lang``,
  ``xml:lang`` and ``dir`` that say Arabic and right to left become English and left to
  right. A chapter that was well-formed XML must still be, or the book fails.
- The EPUB 3 navigation document is a chapter like the others; the EPUB 2 ``toc.ncx``
  labels are translated, and a label with the same Arabic as a navigation link gets the
  same English, so both tables of contents agree.
- The package document (OPF): titles, descriptions, subjects and other metadata text in
  Arabic are translated (and their ``xml:lang`` made ``en``), ``dc:language`` becomes
  ``en``, a right-to-left ``page-progression-direction`` becomes ``ltr``; identifiers,
  dates, the manifest and the spine are kept.
- Style sheets that set ``direction: rtl`` say ``ltr``.

What no unit reaches and stays in Arabic (an anchor id, code, an SVG picture's text) is
named in a note. The package is written entry for entry in its order, ``mimetype`` first and stored
uncompressed (what e-readers check first); pictures, fonts and everything else are copied
byte for byte. XML is parsed without entity expansion, DTDs or network access; a book whose
chapters are encrypted (DRM) is refused.
"""

from __future__ import annotations

import posixpath
import re
from typing import Callable
from urllib.parse import unquote

from ..files import decode_text
from ..text.arabic import has_arabic
from .base import DocumentError, DocumentFormat, Extracted, Translated, Unit, splice, tidy
from .zipped import open_package, parse_xml, read_part, write_package

OPF = "http://www.idpf.org/2007/opf"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
DC = "http://purl.org/dc/elements/1.1/"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MIMETYPE = b"application/epub+zip"
_XHTML_TYPES = ("application/xhtml+xml", "text/html")
_KEPT_METADATA = {f"{{{DC}}}identifier", f"{{{DC}}}language", f"{{{DC}}}date"}
_CSS_DIRECTION = re.compile(rb"(direction\s*:\s*)rtl\b", re.IGNORECASE)

Job = Callable[[list[Translated]], None]


def _arabic_lang(value: str | None) -> bool:
    low = (value or "").strip().lower()
    return low == "ar" or low.startswith("ar-")


class _Chapter:
    """One XHTML document of the book, through the HTML format."""

    def __init__(self, path: str, body: bytes, name: str, units: list[Unit]):
        from .html import declared_charset, scan

        self.path = path
        decoded = decode_text(body, f"{name}: {path}", declared_charset(body))
        self.note = decoded.note
        self.text = decoded.text
        self.first = len(units)
        try:
            self.edits = scan(self.text, units, f"{path} ")
        except DocumentError as e:
            raise DocumentError(f"{name}: {path}: {e.message}") from None
        self.last = len(units)
        self.well_formed = _well_formed(body)

    def rebuild(self, translations: list[Translated], name: str) -> bytes:
        out = splice(self.text, [(s, e, render(translations)) for s, e, render in self.edits]).encode("utf-8")
        if self.well_formed and not _well_formed(out):
            raise DocumentError(f"{name}: {self.path} would no longer be well-formed XHTML after translation")
        return out


def _well_formed(body: bytes) -> bool:
    from lxml import etree

    from .xml_inline import hardened_parser

    try:
        etree.fromstring(body, hardened_parser())
    except etree.XMLSyntaxError:
        return False
    return True


def _text_unit(el, units: list[Unit], jobs: list[Job], where: str, reuse: dict[str, int] | None = None) -> None:
    """An element whose whole text is one unit (a metadata value, an NCX label)."""
    text = tidy(el.text or "", ())[0]  # white space and bidirectional controls as the HTML format has them
    if not has_arabic(text) or len(el):
        return
    index = (reuse or {}).get(text)
    if index is None:
        index = len(units)
        units.append(Unit(text, (), where))

    def apply(ts: list[Translated]) -> None:
        el.text = ts[index].text
        if _arabic_lang(el.get(XML_LANG)):
            el.set(XML_LANG, "en")

    jobs.append(apply)


class EpubFormat(DocumentFormat):
    name = "epub"
    suffixes = (".epub",)
    binary = True

    def extract(self, data: bytes, name: str) -> Extracted:
        from lxml import etree

        package = open_package(data, name, "an EPUB e-book")
        names = set(package.namelist())
        if "mimetype" in names and read_part(package, "mimetype", name).strip() != MIMETYPE:
            raise DocumentError(f"{name}: not an EPUB e-book (its mimetype is not {MIMETYPE.decode()})")
        if "META-INF/container.xml" not in names:
            raise DocumentError(f"{name}: not an EPUB e-book (no META-INF/container.xml)")
        container = parse_xml(read_part(package, "META-INF/container.xml", name), name, "META-INF/container.xml")
        rootfile = container.find(f".//{{{CONTAINER}}}rootfile")
        opf_path = _inside(rootfile.get("full-path", "") if rootfile is not None else "", "")
        if opf_path is None or opf_path not in names:
            raise DocumentError(f"{name}: not an EPUB e-book (its package document is missing)")
        opf = parse_xml(read_part(package, opf_path, name), name, opf_path)
        base = posixpath.dirname(opf_path)
        items = {}  # manifest id -> (path, media type, properties)
        for item in opf.iter(f"{{{OPF}}}item"):
            path = _inside(item.get("href", ""), base)
            if path is not None and path in names:
                items[item.get("id", "")] = (path, item.get("media-type", ""), item.get("properties", ""))
        encrypted = _encrypted(package, names, name)
        spine = [ref.get("idref", "") for ref in opf.iter(f"{{{OPF}}}itemref")]
        order = [i for i in spine if i in items] + [i for i in items if i not in spine]

        units: list[Unit] = []
        notes: list[str] = []
        chapters: list[_Chapter] = []
        for item_id in order:
            path, media_type, _ = items[item_id]
            if media_type not in _XHTML_TYPES:
                continue
            if path in encrypted:
                raise DocumentError(f"{name}: {path} is encrypted (DRM); tarjama cannot read protected books")
            chapter = _Chapter(path, read_part(package, path, name), name, units)
            if chapter.note:
                notes.append(f"{path}: {chapter.note}")
            chapters.append(chapter)
        # Both tables of contents say the same: an NCX label with the same Arabic as a unit
        # already found (the navigation document's link) gets that unit's English.
        known = {u.text: i for i, u in enumerate(units)}
        jobs: list[Job] = []
        xml_parts: dict[str, object] = {opf_path: opf}
        for path, media_type, _ in items.values():
            if media_type == "application/x-dtbncx+xml" and path not in encrypted:
                ncx = parse_xml(read_part(package, path, name), name, path)
                xml_parts[path] = ncx
                for n, text in enumerate(ncx.iter(f"{{{NCX}}}text"), start=1):
                    _text_unit(text, units, jobs, f"{posixpath.basename(path)} label {n}", known)
        for el in opf.iter():
            parent = el.getparent()
            if (
                isinstance(el.tag, str) and el.tag not in _KEPT_METADATA and parent is not None
                and parent.tag == f"{{{OPF}}}metadata"
            ):
                _text_unit(el, units, jobs, f"package {etree.QName(el).localname}")
        styles = [path for path, media_type, _ in items.values() if media_type == "text/css" and path not in encrypted]
        notes += _left_in_arabic(package, name, chapters, units, opf, opf_path, set(xml_parts))

        def rebuild(translations: list[Translated]) -> bytes:
            if not units:
                return data
            changed: dict[str, bytes] = {}
            for chapter in chapters:
                if chapter.last > chapter.first or chapter.edits:
                    changed[chapter.path] = chapter.rebuild(translations, name)
            for job in jobs:
                job(translations)
            _package_left_to_right(opf)
            for path, root in xml_parts.items():
                changed[path] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            for path in styles:
                css = read_part(package, path, name)
                if _CSS_DIRECTION.search(css):
                    changed[path] = _CSS_DIRECTION.sub(rb"\1ltr", css)
            left = [path for path, body in changed.items() if path in xml_parts and path != opf_path and has_arabic(_text_of(body))]
            if left:
                raise DocumentError(f"{name}: Arabic text left in {left[0]} outside the translated text")
            return write_package(package, changed)

        return Extracted(units, rebuild, notes)


def _left_in_arabic(package, name, chapters, units, opf, opf_path, translated_parts) -> list[str]:
    """Notes naming what stays in Arabic: in a chapter, what no unit reaches (an anchor id
    or a link, which must stay as written; code); in the package document, identifiers; any
    other part of the book with Arabic text (an SVG picture, a style sheet)."""
    notes = []
    # Each unit "translated" letter for letter into x, its marks where they were: what is
    # still Arabic in the result is what no unit reaches.
    blank = [Translated("".join("x" if has_arabic(c) else c for c in u.text), u.marks) for u in units]
    for chapter in chapters:
        rest = splice(chapter.text, [(s, e, render(blank)) for s, e, render in chapter.edits])
        found = next((i for i, c in enumerate(rest) if has_arabic(c)), None)
        if found is not None:
            around = rest[max(found - 20, 0): found + 20].replace("\n", " ")
            notes.append(f"Arabic left as written in {chapter.path} (ids, links or code), e.g. {around!r}")
    kept = [el for el in opf.iter() if el.tag in _KEPT_METADATA and has_arabic(el.text or "")]
    if kept:
        notes.append(f"Arabic left as written in {opf_path}: {', '.join(sorted({el.tag.rsplit('}', 1)[-1] for el in kept}))}")
    done = {c.path for c in chapters} | translated_parts
    for part in package.namelist():
        if part in done or not part.lower().endswith((".xhtml", ".html", ".htm", ".svg", ".xml", ".ncx", ".opf", ".css", ".smil", ".txt")):
            continue
        if has_arabic(read_part(package, part, name).decode("utf-8", "replace")):
            notes.append(f"Arabic left as written in {part} (not translated)")
    return notes


def _text_of(body: bytes) -> str:
    """The text content of an XML part (what a reader of it would see)."""
    from lxml import etree

    from .xml_inline import hardened_parser

    root = etree.fromstring(body, hardened_parser())
    return " ".join(t for t in root.itertext())


def _package_left_to_right(opf) -> None:
    for language in opf.iter(f"{{{DC}}}language"):
        if _arabic_lang(language.text):
            language.text = "en"
    if _arabic_lang(opf.get(XML_LANG)):
        opf.set(XML_LANG, "en")
    for spine in opf.iter(f"{{{OPF}}}spine"):
        if spine.get("page-progression-direction") == "rtl":
            spine.set("page-progression-direction", "ltr")


def _inside(href: str, base: str) -> str | None:
    """The zip path of ``href`` relative to ``base``; None if it leaves the book."""
    href = unquote(href.split("#", 1)[0])
    if not href or href.startswith("/") or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href):
        return None
    path = posixpath.normpath(posixpath.join(base, href))
    return None if path.startswith("../") or path == ".." else path


def _encrypted(package, names: set[str], name: str) -> set[str]:
    """Paths the book says are encrypted (fonts obfuscated by the publisher included)."""
    if "META-INF/encryption.xml" not in names:
        return set()
    root = parse_xml(read_part(package, "META-INF/encryption.xml", name), name, "META-INF/encryption.xml")
    out = set()
    for ref in root.iter("{*}CipherReference"):
        path = _inside(ref.get("URI", ""), "")
        if path:
            out.add(path)
    return out


FORMAT = EpubFormat()
