"""Word documents (``.docx``, opened and saved with python-docx): every paragraph with
Arabic in it is a unit, wherever it stands: the body, tables (nested ones too), headers,
footers, footnotes, endnotes and text boxes.

``runs`` makes each paragraph a unit: formatting that differs from the paragraph's own,
hyperlinks, fields, tracked insertions and content controls are marks; pictures, tabs,
breaks, footnote references and bookmarks are points moved whole with their words.

Right to left becomes left to right: ``w:bidi`` of the translated paragraphs, of sections
and styles, ``w:rtl`` of runs and ``w:bidiVisual`` of tables are switched off, and runs no
longer ask for complex-script formatting (``w:cs``).
"""

from __future__ import annotations

import io

from ..text.arabic import has_arabic
from .archive import reproducible
from .base import DocumentError, DocumentFormat, Extracted, Translated, Unit
from .runs import Dialect, RunParagraph, nothing_left_in_arabic

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(local: str) -> str:
    return f"{{{W}}}{local}"


# Content types of the parts whose paragraphs are read.
_STORY_TYPES = ("document.main+xml", "header+xml", "footer+xml", "footnotes+xml", "endnotes+xml", "comments+xml")
# Properties that say right to left, and the element they belong to.
_RTL_PROPERTIES = (w("bidi"), w("rtl"), w("bidiVisual"))


def _left_to_right(el):
    """``el`` (a property element) with right-to-left switched off, runs no longer
    formatted as complex script, and an Arabic language of Latin text now English (for
    spelling and hyphenation)."""
    for prop in list(el.iter(*_RTL_PROPERTIES)):
        prop.set(w("val"), "0")
    for cs in list(el.iter(w("cs"))):
        cs.getparent().remove(cs)
    for lang in el.iter(w("lang")):
        if lang.get(w("val"), "").lower().startswith("ar"):
            lang.set(w("val"), "en-US")
    return el



DIALECT = Dialect(
    W,
    containers=frozenset({"hyperlink", "smartTag", "fldSimple", "ins", "customXml", "sdt", "moveTo"}),
    breaks=frozenset({"tab", "br", "cr", "ptab"}),
    left_to_right=_left_to_right,
)


def _story_roots(document):
    """(part, root element, write back) for each part with paragraphs a reader sees."""
    from docx.opc.part import XmlPart
    from lxml import etree

    from .xml_inline import hardened_parser

    for part in document.part.package.iter_parts():
        if not part.content_type.endswith(_STORY_TYPES):
            continue
        if isinstance(part, XmlPart):
            yield part, part.element, None
        else:  # python-docx keeps footnotes and endnotes as bytes: parse them the safe way
            root = etree.fromstring(part.blob, hardened_parser())

            def write(part=part, root=root):
                # python-docx has no setter for a plain part's bytes; its blob is _blob.
                part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

            yield part, root, write


def _refuse_entities(root, part, name: str) -> None:
    """Word never writes a DOCTYPE; a part that declares or uses an XML entity is refused
    (its text would be neither translated nor written back well-formed)."""
    from lxml import etree

    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or any(isinstance(n, etree._Entity) for n in root.iter()):
        raise DocumentError(f"{name}: {str(part.partname).lstrip('/')} declares or uses XML entities; Word never writes them and tarjama never expands them")


class DocxFormat(DocumentFormat):
    name = "docx"
    suffixes = (".docx",)
    binary = True

    def extract(self, data: bytes, name: str) -> Extracted:
        import zipfile

        import docx
        from docx.opc.exceptions import PackageNotFoundError

        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise DocumentError(f"{name}: an old binary Word file (.doc), not .docx; save it as .docx first")
        from .archive import open_zip

        open_zip(data, name, "a Word .docx")  # size limits, before python-docx inflates anything
        try:
            document = docx.Document(io.BytesIO(data))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
            raise DocumentError(f"{name}: not a Word .docx file ({e or type(e).__name__})") from None
        except Exception as e:  # a damaged package: python-docx raises many kinds
            raise DocumentError(f"{name}: cannot read the .docx: {e}") from None
        paragraphs: list[RunParagraph] = []
        units: list[Unit] = []
        writers = []
        roots = []
        for part, root, write in _story_roots(document):
            _refuse_entities(root, part, name)
            roots.append(root)
            if write is not None:
                writers.append(write)
            where = str(part.partname).rsplit("/", 1)[-1].removesuffix(".xml")
            for n, p in enumerate(root.iter(w("p")), start=1):
                text = "".join(t.text or "" for t in p.iter(w("t")))
                if not has_arabic(text):
                    continue
                para = RunParagraph(p, DIALECT)
                if not has_arabic(para.text):  # Arabic only in a nested text box: that box is its own unit
                    continue
                paragraphs.append(para)
                units.append(Unit(para.text, para.marks, f"{where} p{n}"))

        def rebuild(translations: list[Translated]) -> bytes:
            for para, t in zip(paragraphs, translations):
                para.rebuild(t)
            nothing_left_in_arabic((t.text for root in roots for t in root.iter(w("t"))))
            if paragraphs:  # the document is English now: sections, tables and styles left to right
                for root in roots:
                    for el in root.iter(w("sectPr"), w("tblPr"), w("pPr"), w("rPr")):
                        _left_to_right(el)
                for part in document.part.package.iter_parts():
                    if part.content_type.endswith("wordprocessingml.styles+xml") and hasattr(part, "element"):
                        for el in part.element.iter(w("pPr"), w("rPr")):
                            _left_to_right(el)
            for write in writers:
                write()
            out = io.BytesIO()
            document.save(out)
            return reproducible(out.getvalue())  # python-docx stamps entries with the time

        return Extracted(units, rebuild, [])


FORMAT = DocxFormat()
