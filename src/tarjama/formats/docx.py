"""Word documents (``.docx``, opened and saved with python-docx): every paragraph with
Arabic in it is a unit, wherever it stands: the body, tables (nested ones too), headers,
footers, footnotes, endnotes and text boxes.

Word cuts a paragraph into runs for reasons a reader never sees (spell checking, revision
ids), so runs with the same formatting are one stretch of text. The formatting most of the
paragraph has is its base; each stretch formatted otherwise (bold, italic, a colour, a
character style) is a mark, and so is each hyperlink, field, tracked insertion or content
control around runs. What is not text (a picture, a tab, a line break, a footnote
reference, a field code, a bookmark) is an empty mark, moved whole to its new place, never
dropped. The paragraph's runs are then written anew from the English and its marks, each
with a copy of its formatting.

Right to left becomes left to right: ``w:bidi`` of the translated paragraphs, of sections
and styles, ``w:rtl`` of runs and ``w:bidiVisual`` of tables are switched off, and runs no
longer ask for complex-script formatting (``w:cs``).
"""

from __future__ import annotations

import io
from copy import deepcopy
from dataclasses import dataclass

from ..text.arabic import has_arabic
from .base import DocumentError, DocumentFormat, Extracted, Mark, Translated, Unit, pieces

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(local: str) -> str:
    return f"{{{W}}}{local}"


# Elements that hold runs and carry meaning around them (a link, a field, a revision).
_CONTAINERS = {w("hyperlink"), w("smartTag"), w("fldSimple"), w("ins"), w("customXml"), w("sdt"), w("moveTo")}
# Content types of the parts whose paragraphs are read.
_STORY_TYPES = ("document.main+xml", "header+xml", "footer+xml", "footnotes+xml", "endnotes+xml", "comments+xml")
# Run content that separates words: the unit's text has a space there.
_BREAKS = {w("tab"), w("br"), w("cr"), w("ptab")}
# Properties that say right to left, and the element they belong to.
_RTL_PROPERTIES = (w("bidi"), w("rtl"), w("bidiVisual"))


@dataclass
class _Text:
    text: str
    rpr: object  # the run's w:rPr, or None
    path: tuple  # the containers around the run, outermost first


@dataclass
class _Object:
    el: object  # the element, moved whole
    rpr: object
    path: tuple
    in_run: bool  # a child of a run (a picture, a tab) or of the paragraph (a bookmark)


def _signature(rpr) -> bytes:
    from lxml import etree

    return b"" if rpr is None else etree.tostring(rpr)


def _flatten(p) -> list:
    atoms: list = []

    def walk(el, path):
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag == w("pPr"):
                continue
            if tag == w("r"):
                rpr = child.find(w("rPr"))
                for part in child:
                    if part.tag == w("rPr"):
                        continue
                    if part.tag == w("t"):
                        atoms.append(_Text(part.text or "", rpr, path))
                    elif isinstance(part.tag, str):
                        atoms.append(_Object(part, rpr, path, True))
            elif tag in _CONTAINERS:
                content = child.find(w("sdtContent")) if tag == w("sdt") else child
                if content is not None:
                    walk(content, path + (child,))
            else:
                atoms.append(_Object(child, None, path, False))

    walk(p, ())
    return atoms


class _Paragraph:
    """A paragraph as a unit: its text, its marks, and what each mark key stands for."""

    def __init__(self, p):
        self.p = p
        self.atoms = _flatten(p)
        self.kinds: list[tuple] = []  # key -> ("container", el) | ("format", rPr) | ("object", _Object)
        texts = [a for a in self.atoms if isinstance(a, _Text)]
        parts: list[str] = []
        # The base formatting: the one most of the text has.
        weight: dict[bytes, int] = {}
        for a in texts:
            weight[_signature(a.rpr)] = weight.get(_signature(a.rpr), 0) + len(a.text)
        base_sig = max(weight, key=weight.get) if weight else b""
        self.base_rpr = next((a.rpr for a in texts if _signature(a.rpr) == base_sig), None)
        marks: list[Mark] = []
        containers: dict[int, list] = {}  # id(container) -> [key, start, end]
        pos = 0
        run_start, run_sig, run_key = 0, None, None

        def close_format(end):
            if run_key is not None and end > run_start:
                marks.append(Mark(run_start, end, run_key))

        pending_space = False
        for a in self.atoms:
            if isinstance(a, _Text):
                text = a.text
                if pending_space and text and not text[0].isspace():
                    parts.append(" ")  # a tab or line break separates words: say so to the model
                    pos += 1
                pending_space = False
            for c in a.path:
                if id(c) not in containers:
                    containers[id(c)] = [len(self.kinds), pos, pos]
                    self.kinds.append(("container", c))
                containers[id(c)][2] = pos + (len(text) if isinstance(a, _Text) else 0)
            if isinstance(a, _Text):
                parts.append(text)
                sig = (_signature(a.rpr), tuple(id(c) for c in a.path))
                if sig != run_sig:
                    close_format(pos)
                    run_sig, run_start, run_key = sig, pos, None
                    if sig[0] != base_sig:
                        run_key = len(self.kinds)
                        self.kinds.append(("format", a.rpr))
                pos += len(text)
            else:
                marks.append(Mark(pos, pos, len(self.kinds)))
                self.kinds.append(("object", a))
                if a.el.tag in _BREAKS and pos and not parts[-1][-1:].isspace():
                    pending_space = True
        close_format(pos)
        self.text = "".join(parts)
        marks.extend(Mark(start, end, key) for key, start, end in containers.values())
        self.marks = tuple(sorted(marks, key=lambda m: (m.start, -m.end, m.key)))

    def rebuild(self, t: Translated) -> None:
        from lxml import etree

        p = self.p
        for child in list(p):
            if child.tag != w("pPr"):
                p.remove(child)
        placed: set[int] = set()
        stack: list[tuple[object, tuple[int, ...]]] = [(p, ())]

        def run(rpr) -> object:
            r = etree.SubElement(stack[-1][0], w("r"))
            if rpr is not None:
                r.append(_left_to_right(deepcopy(rpr)))
            return r

        last_t = [None]  # the last w:t written, and whether a break followed it
        after_break = [False]

        def put_object(key: int) -> None:
            placed.add(key)
            obj = self.kinds[key][1]
            if obj.el.tag in _BREAKS:  # the space that stood for it in the text goes
                if last_t[0] is not None and last_t[0].text.endswith(" "):
                    last_t[0].text = last_t[0].text.rstrip(" ")
                after_break[0] = True
            if obj.in_run:
                run(obj.rpr).append(obj.el)
            else:
                stack[-1][0].append(obj.el)

        def open_container(key: int):
            el = self.kinds[key][1]
            copy = etree.SubElement(stack[-1][0], el.tag, dict(el.attrib))
            for prop in el:  # properties (w:sdtPr, w:smartTagPr…), not content
                if isinstance(prop.tag, str) and prop.tag.endswith("Pr"):
                    copy.append(deepcopy(prop))
            if el.tag == w("sdt"):
                return etree.SubElement(copy, w("sdtContent"))
            return copy

        valid = [m for m in t.marks if 0 <= m.key < len(self.kinds)]
        for text, keys in pieces(t.text, valid):
            objects = [k for k in keys if self.kinds[k][0] == "object" and k not in placed]
            if not text:
                for k in objects:
                    put_object(k)
                continue
            path = tuple(k for k in keys if self.kinds[k][0] == "container")
            while stack[-1][1] != path[: len(stack[-1][1])]:
                stack.pop()
            for k in path[len(stack[-1][1]):]:
                stack.append((open_container(k), stack[-1][1] + (k,)))
            for k in objects:
                put_object(k)
            if after_break[0]:
                text = text.lstrip(" ")
                after_break[0] = False
                if not text:
                    continue
            formats = [k for k in keys if self.kinds[k][0] == "format"]
            rpr = self.kinds[formats[-1]][1] if formats else self.base_rpr
            t_el = etree.SubElement(run(rpr), w("t"))
            t_el.text = text
            t_el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            last_t[0] = t_el
        del stack[1:]
        for k, (kind, _) in enumerate(self.kinds):
            if kind == "object" and k not in placed:  # lost by the translation: kept, at the end
                put_object(k)
        ppr = p.find(w("pPr"))
        if ppr is not None:
            _left_to_right(ppr)


def _left_to_right(el):
    """``el`` (a property element) with right-to-left switched off, and runs no longer
    formatted as complex script."""
    for prop in list(el.iter(*_RTL_PROPERTIES)):
        prop.set(w("val"), "0")
    for cs in list(el.iter(w("cs"))):
        cs.getparent().remove(cs)
    return el


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
        try:
            document = docx.Document(io.BytesIO(data))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
            raise DocumentError(f"{name}: not a Word .docx file ({e or type(e).__name__})") from None
        except Exception as e:  # a damaged package: python-docx raises many kinds
            raise DocumentError(f"{name}: cannot read the .docx: {e}") from None
        paragraphs: list[_Paragraph] = []
        units: list[Unit] = []
        writers = []
        roots = []
        for part, root, write in _story_roots(document):
            roots.append(root)
            if write is not None:
                writers.append(write)
            where = str(part.partname).rsplit("/", 1)[-1].removesuffix(".xml")
            for n, p in enumerate(root.iter(w("p")), start=1):
                text = "".join(t.text or "" for t in p.iter(w("t")))
                if not has_arabic(text):
                    continue
                para = _Paragraph(p)
                if not has_arabic(para.text):  # Arabic only in a nested text box: that box is its own unit
                    continue
                paragraphs.append(para)
                units.append(Unit(para.text, para.marks, f"{where} p{n}"))

        def rebuild(translations: list[Translated]) -> bytes:
            for para, t in zip(paragraphs, translations):
                para.rebuild(t)
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
            return out.getvalue()

        return Extracted(units, rebuild, [])


FORMAT = DocxFormat()
