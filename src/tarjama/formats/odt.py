"""OpenDocument text (``.odt``, LibreOffice and others): every paragraph and heading with
Arabic in it is a unit: the body, tables, lists, frames, notes, headers and footers.

An ODF paragraph is mixed XML content, so ``xml_inline`` does the work: ``<text:span>``,
``<text:a>``, ``<text:meta>`` and fields that show text (a bookmark reference, a variable)
are marks over the words they wrap; spaces, tabs and line
breaks (``<text:s>``, ``<text:tab>``, ``<text:line-break>``) keep words apart; anything
else (a field, a note, a frame, a bookmark) is a point, moved whole with its words. A note
or a text box inside a paragraph holds paragraphs of its own, which are units of their own.

The package is rewritten entry for entry (``mimetype`` first and stored, as ODF requires);
only ``content.xml`` and ``styles.xml`` change. Right-to-left writing modes become
``lr-tb``, and text said to be Arabic (``fo:language="ar"``) is English.
"""

from __future__ import annotations

import zipfile

from ..text.arabic import has_arabic
from .archive import open_zip, write_zip
from .base import DocumentError, DocumentFormat, Extracted, Translated, Unit
from .xml_inline import InlineText, fill, hardened_parser

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
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

    def extract(self, data: bytes, name: str) -> Extracted:
        from lxml import etree

        package = open_zip(data, name, "an OpenDocument .odt")
        try:
            mimetype = package.read("mimetype").strip()
        except (zipfile.BadZipFile, KeyError, OSError) as e:
            raise DocumentError(f"{name}: not an OpenDocument .odt file ({e})") from None
        if mimetype != MIMETYPE:
            raise DocumentError(f"{name}: not an OpenDocument text but {mimetype.decode('ascii', 'replace')}")
        roots = {}
        for part in _PARTS:
            try:
                roots[part] = etree.fromstring(package.read(part), hardened_parser())
            except KeyError:
                continue
            except etree.XMLSyntaxError as e:
                raise DocumentError(f"{name}: {part} is not well-formed XML: {e}") from None
            tree = roots[part].getroottree()
            if tree.docinfo.internalDTD is not None or any(isinstance(n, etree._Entity) for n in roots[part].iter()):
                raise DocumentError(f"{name}: {part} has a DOCTYPE or XML entities; ODF needs neither and tarjama never expands entities")
        units: list[Unit] = []
        jobs: list[tuple[object, InlineText]] = []
        for part, root in roots.items():
            for n, p in enumerate(root.iter(f"{{{TEXT}}}p", f"{{{TEXT}}}h"), start=1):
                content = InlineText(p, _paired, separator=_separator)
                if has_arabic(content.text):
                    jobs.append((p, content))
                    units.append(Unit(content.text, tuple(content.marks), f"{part.removesuffix('.xml')} p{n}"))

        def rebuild(translations: list[Translated]) -> bytes:
            if not jobs:
                return data
            for (p, content), t in zip(jobs, translations):
                fill(p, content, t, copy=False)
            for root in roots.values():
                for el in root.iter():
                    mode = el.get(f"{{{STYLE}}}writing-mode", "")
                    if mode.startswith("rl"):
                        el.set(f"{{{STYLE}}}writing-mode", "lr-tb")
                    if el.get(f"{{{FO}}}language", "").lower() == "ar":  # Latin text said to be Arabic
                        el.set(f"{{{FO}}}language", "en")
                        el.set(f"{{{FO}}}country", "US")
            entries = []
            for info in package.infolist():
                body = package.read(info)
                if info.filename in roots:
                    body = etree.tostring(roots[info.filename], xml_declaration=True, encoding="UTF-8")
                entries.append((info, body))
            return write_zip(entries)

        return Extracted(units, rebuild, [])


FORMAT = OdtFormat()
