"""PowerPoint presentations (``.pptx``): every paragraph with Arabic in it on the slides
(text boxes, placeholders, tables, groups) and in the speaker notes is a unit.

DrawingML paragraphs are runs, like Word's, so ``runs`` does the work: formatting other
than the paragraph's own (bold, a colour, a link, which DrawingML keeps in the run's
properties) is a mark; line breaks and fields (the slide number) are points moved whole.
Spell-check flags (``dirty``, ``err``, ``smtClean``) are not formatting.

The package is rewritten entry for entry; only the slides and notes change, and
right-to-left paragraphs, lists and tables (``rtl="1"``) become left to right. A shape's
or picture's alternative text (``descr``, ``title``) is translated. Text of layouts and
masters (placeholder prompts), of charts and SmartArt, and comments are not translated; a
note names each part where Arabic is left.
"""

from __future__ import annotations

import re

from ..text.arabic import has_arabic
from .base import DocumentError, DocumentFormat, Extracted, Translated, Unit
from .runs import Dialect, RunParagraph, nothing_left_in_arabic
from .zipped import open_package, parse_xml, read_part, write_package

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_PARTS = re.compile(r"ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml")


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

        package = open_package(data, name, "a PowerPoint .pptx file")
        names = package.namelist()
        if "ppt/presentation.xml" not in names:
            raise DocumentError(f"{name}: not a PowerPoint .pptx file (no ppt/presentation.xml)")
        roots = {}
        for part in sorted((n for n in names if _PARTS.fullmatch(n)), key=_slide_order):
            roots[part] = parse_xml(read_part(package, part, name), name, part)
        paragraphs: list[RunParagraph] = []
        units: list[Unit] = []
        for part, root in roots.items():
            where = part.rsplit("/", 1)[-1].removesuffix(".xml")
            for n, p in enumerate(root.iter(f"{{{A}}}p"), start=1):
                para = RunParagraph(p, DIALECT)
                if has_arabic(para.text):
                    paragraphs.append(para)
                    units.append(Unit(para.text, para.marks, f"{where} p{n}"))
        # A shape's or picture's alternative text (what a screen reader says).
        alt_texts: list[tuple[object, str, int]] = []
        for part, root in roots.items():
            where = part.rsplit("/", 1)[-1].removesuffix(".xml")
            for el in root.iter(f"{{{P}}}cNvPr"):
                for key in ("descr", "title"):
                    text = " ".join(el.get(key, "").split())
                    if has_arabic(text):
                        alt_texts.append((el, key, len(units)))
                        units.append(Unit(text, (), f"{where} {el.get('name', 'shape')} {key}"))
        notes = [f"Arabic left as written in {part} (not translated)" for part in names
                 if part not in roots and part.endswith(".xml") and has_arabic(read_part(package, part, name).decode("utf-8", "replace"))]

        def rebuild(translations: list[Translated]) -> bytes:
            if not units:
                return data
            for para, t in zip(paragraphs, translations):
                para.rebuild(t)
            for el, key, index in alt_texts:
                el.set(key, translations[index].text)
            nothing_left_in_arabic((t.text for root in roots.values() for t in root.iter(f"{{{A}}}t")
                                 if t.getparent().tag != f"{{{A}}}fld"))  # a field's text is the application's
            for root in roots.values():
                _left_to_right(root)
            return write_package(package, {
                part: etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) for part, root in roots.items()
            })

        return Extracted(units, rebuild, notes)


FORMAT = PptxFormat()
