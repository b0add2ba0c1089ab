"""OpenDocument text (``.odt``, LibreOffice and others): every paragraph and heading with
Arabic in it is a unit: the body, tables, lists, frames, notes, headers and footers.

An ODF paragraph is mixed XML content, so ``xml_inline`` does the work: ``<text:span>``,
``<text:a>``, ``<text:meta>`` and fields that show text (a bookmark reference, a variable)
are marks over the words they wrap; spaces, tabs and line
breaks (``<text:s>``, ``<text:tab>``, ``<text:line-break>``) keep words apart; anything
else (a field, a note, a frame, a bookmark) is a point, moved whole with its words. A note
or a text box inside a paragraph holds paragraphs of its own, which are units of their own.

A frame's title and description (``svg:title``, ``svg:desc``: a picture's alternative
text) are units too; Arabic that no unit reaches (a link's address, a slide's name) is
named in a note.

The package is rewritten entry for entry (``mimetype`` first and stored, as ODF requires);
only ``content.xml`` and ``styles.xml`` change. Right-to-left writing modes become
``lr-tb``, and text said to be Arabic (``fo:language="ar"``) is English.
"""

from __future__ import annotations

import zipfile

from ..text.arabic import has_arabic
from .base import DocumentError, DocumentFormat, Extracted, Translated, Unit
from .xml_inline import InlineText, fill
from .zipped import open_package, parse_xml, read_part, write_package

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Elements whose content is text a reader sees: styled spans and links, and fields that
# show text (a reference to a bookmark, a variable, the title), translated with the sentence.
_PAIRED = {f"{{{TEXT}}}{local}" for local in (
    "span", "a", "meta", "bookmark-ref", "reference-ref", "sequence-ref", "user-field-get",
    "variable-get", "user-defined", "title", "subject", "description", "chapter",
)}
_SEPARATORS = {f"{{{TEXT}}}s", f"{{{TEXT}}}tab", f"{{{TEXT}}}line-break"}
_PARTS = ("content.xml", "styles.xml")


def _paired(el) -> bool:
    return el.tag in _PAIRED


def _separator(el) -> bool:
    return el.tag in _SEPARATORS


class OdtFormat(DocumentFormat):
    name = "odt"
    suffixes = (".odt",)
    binary = True
    mimetype = MIMETYPE
    kind = "text"  # "an OpenDocument text"

    def extract(self, data: bytes, name: str) -> Extracted:
        from lxml import etree

        package = open_package(data, name, f"an OpenDocument {self.suffixes[0]} file")
        try:
            mimetype = package.read("mimetype").strip()
        except (zipfile.BadZipFile, KeyError, OSError) as e:
            raise DocumentError(f"{name}: not an OpenDocument {self.suffixes[0]} file ({e})") from None
        if mimetype != self.mimetype:
            raise DocumentError(f"{name}: not an OpenDocument {self.kind} but {mimetype.decode('ascii', 'replace')}")
        roots = {}
        for part in _PARTS:
            if part in package.namelist():
                roots[part] = parse_xml(read_part(package, part, name), name, part)
        units: list[Unit] = []
        jobs: list[tuple[object, InlineText]] = []
        for part, root in roots.items():
            for n, p in enumerate(root.iter(f"{{{TEXT}}}p", f"{{{TEXT}}}h"), start=1):
                content = InlineText(p, _paired, separator=_separator)
                if has_arabic(content.text):
                    jobs.append((p, content))
                    units.append(Unit(content.text, tuple(content.marks), f"{part.removesuffix('.xml')} p{n}"))
        # A frame's title and description (what a screen reader says for a picture).
        titles: list[tuple[object, int]] = []
        for part, root in roots.items():
            for el in root.iter(f"{{{SVG}}}title", f"{{{SVG}}}desc"):
                text = " ".join((el.text or "").split())
                if has_arabic(text) and not len(el):
                    titles.append((el, len(units)))
                    units.append(Unit(text, (), f"{part.removesuffix('.xml')} {etree.QName(el).localname}"))
        covered = {p for p, _ in jobs} | {el for el, _ in titles}
        notes = [f"Arabic left as written in {part} ({', '.join(left)}; not translated)"
                 for part, root in roots.items() if (left := _left_in_arabic(root, covered))]

        def rebuild(translations: list[Translated]) -> bytes:
            if not units:
                return data
            for (p, content), t in zip(jobs, translations):
                fill(p, content, t, copy=False)
            for el, index in titles:
                el.text = translations[index].text
            for root in roots.values():
                for el in root.iter():
                    mode = el.get(f"{{{STYLE}}}writing-mode", "")
                    if mode.startswith("rl"):
                        el.set(f"{{{STYLE}}}writing-mode", "lr-tb")
                    if el.get(f"{{{FO}}}language", "").lower() == "ar":  # Latin text said to be Arabic
                        el.set(f"{{{FO}}}language", "en")
                        el.set(f"{{{FO}}}country", "US")
            return write_package(
                package,
                {part: etree.tostring(root, xml_declaration=True, encoding="UTF-8") for part, root in roots.items()},
            )

        return Extracted(units, rebuild, notes)


def _left_in_arabic(root, covered: set) -> list[str]:
    """Where ``root`` holds Arabic that no unit translates (a slide's name, a link's
    address, a style's name): element or element@attribute local names."""
    from lxml import etree

    found: set[str] = set()

    def walk(el, inside: bool) -> None:
        inside = inside or el in covered
        local = etree.QName(el).localname
        if not inside and has_arabic(el.text or ""):
            found.add(local)
        for key, value in el.attrib.items():
            if has_arabic(value):
                found.add(f"{local}@{etree.QName(key).localname}")
        for child in el:
            if isinstance(child.tag, str):
                walk(child, inside)
            if not inside and has_arabic(child.tail or ""):
                found.add(local)

    walk(root, False)
    return sorted(found)


FORMAT = OdtFormat()
