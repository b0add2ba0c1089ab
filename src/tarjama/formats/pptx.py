"""PowerPoint presentations (``.pptx``): every paragraph with Arabic in it on the slides
(text boxes, placeholders, tables, groups) and in the speaker notes is a unit.

DrawingML paragraphs are runs, like Word's, so ``runs`` does the work: formatting other
than the paragraph's own (bold, a colour, a link, which DrawingML keeps in the run's
properties) is a mark; line breaks and fields (the slide number) are points moved whole.
Spell-check flags (``dirty``, ``err``, ``smtClean``) are not formatting.

The package is rewritten entry for entry; only the slides and notes change, and
right-to-left paragraphs, lists and tables (``rtl="1"``) become left to right. Text of
layouts and masters (placeholder prompts) and of SmartArt is not translated. Charts are: their
titles and labels (DrawingML paragraphs) and the categories and series names the slide
shows (the string caches); not the workbook embedded behind a chart.
"""

from __future__ import annotations

import re

from ..text.arabic import has_arabic
from .archive import open_zip, write_zip
from .base import DocumentError, DocumentFormat, Extracted, Translated, Unit
from .runs import Dialect, RunParagraph, nothing_left_in_arabic
from .xml_inline import hardened_parser

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PARTS = re.compile(r"ppt/(slides/slide|notesSlides/notesSlide|charts/chart)\d+\.xml")
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _left_to_right(el):
    """``el`` and what it holds no longer right to left, and its text no longer said to
    be Arabic (for spelling)."""
    for node in el.iter():
        if node.get("rtl") == "1":
            node.set("rtl", "0")
        for attribute in ("lang", "altLang"):
            if node.get(attribute, "").lower().startswith("ar"):
                node.set(attribute, "en-US")
    return el


DIALECT = Dialect(
    A,
    breaks=frozenset({"br"}),
    keep_last=frozenset({"endParaRPr"}),
    preserve_space=False,
    noise=frozenset({"dirty", "err", "smtClean", "smtId"}),
    left_to_right=_left_to_right,
)


def _slide_order(name: str) -> tuple:
    kind, number = re.match(r"ppt/(\w+)/\D+(\d+)\.xml", name).groups()
    return (kind != "slides", int(number))


class PptxFormat(DocumentFormat):
    name = "pptx"
    suffixes = (".pptx",)
    binary = True

    def extract(self, data: bytes, name: str) -> Extracted:
        from lxml import etree

        package = open_zip(data, name, "a PowerPoint .pptx")
        names = package.namelist()
        if "ppt/presentation.xml" not in names:
            raise DocumentError(f"{name}: not a PowerPoint .pptx file (no ppt/presentation.xml)")
        roots = {}
        for part in sorted((n for n in names if _PARTS.fullmatch(n)), key=_slide_order):
            try:
                roots[part] = etree.fromstring(package.read(part), hardened_parser())
            except etree.XMLSyntaxError as e:
                raise DocumentError(f"{name}: {part} is not well-formed XML: {e}") from None
        paragraphs: list = []  # a RunParagraph, or a chart's cached string (<c:v>)
        units: list[Unit] = []
        for part, root in roots.items():
            where = part.rsplit("/", 1)[-1].removesuffix(".xml")
            for n, p in enumerate(root.iter(f"{{{A}}}p"), start=1):
                para = RunParagraph(p, DIALECT)
                if has_arabic(para.text):
                    paragraphs.append(para)
                    units.append(Unit(para.text, para.marks, f"{where} p{n}"))
            # A chart's categories and series names, as the slide shows them (the cache;
            # the embedded workbook behind the chart is not translated).
            for n, v in enumerate(root.iter(f"{{{C}}}v"), start=1):
                if has_arabic(v.text or "") and any(a.tag == f"{{{C}}}strCache" for a in v.iterancestors()):
                    paragraphs.append(v)
                    units.append(Unit(" ".join((v.text or "").split()), (), f"{where} label{n}"))

        def rebuild(translations: list[Translated]) -> bytes:
            if not paragraphs:
                return data
            for para, t in zip(paragraphs, translations):
                if isinstance(para, RunParagraph):
                    para.rebuild(t)
                else:
                    para.text = t.text
            nothing_left_in_arabic((t.text for root in roots.values() for t in root.iter(f"{{{A}}}t")
                                 if t.getparent().tag != f"{{{A}}}fld"))  # a field's text is the application's
            for root in roots.values():
                _left_to_right(root)
            entries = []
            for info in package.infolist():
                body = package.read(info)
                if info.filename in roots:
                    body = etree.tostring(roots[info.filename], xml_declaration=True, encoding="UTF-8", standalone=True)
                entries.append((info, body))
            return write_zip(entries)

        return Extracted(units, rebuild, [])


FORMAT = PptxFormat()
