"""Excel workbooks (``.xlsx``): every text with Arabic in it is a unit: the shared strings
that text cells show, inline strings, comments, data-validation messages, link tooltips,
text boxes and chart titles, and the document's title and description.

The workbook is edited in place, part by part, not loaded into a spreadsheet model and
saved again: a library that rewrites the workbook (openpyxl) drops what it does not model
(charts, pictures, some data validation and extensions), while the parts changed here are
only those that hold text, and every other entry of the package is copied byte for byte.
A cell's kind never changes: a text cell stays a text cell (an English text that starts
with ``=`` is text, not a formula), and numbers, dates, formulas, styles, merged cells and
sheet structure are not touched.

- A cell's text with line breaks is translated line by line; rich text (runs of bold or
  colour within a cell) goes through ``runs``, formatting moved onto the English words.
- The cached text result of a formula, when it is Arabic, is removed and the workbook asks
  to be recalculated when opened, so no stale Arabic is shown.
- Formulas are never changed: one with Arabic text in it (``=IF(A1>0,"نعم","لا")``) is kept
  as written and said so in a note; so are sheet names (formulas, charts and links refer
  to sheets by name), and a note names every other place with Arabic left in it (a page
  header, an author's name, a picture's description, a pivot cache).
- The header cells of a table and the table's column names must agree: a translated
  header renames its column.
- Sheets shown right to left and cells set to right-to-left reading order become left to
  right.
"""

from __future__ import annotations

import re
from typing import Callable

from ..text.arabic import has_arabic
from .base import DocumentError, DocumentFormat, Extracted, Translated, Unit, tidy
from .runs import Dialect, RunParagraph, nothing_left_in_arabic
from .xml_inline import hardened_parser
from .zipped import open_package, parse_xml, read_part, write_package

S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DC = "http://purl.org/dc/elements/1.1/"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

DIALECT = Dialect(S)  # rich text of a cell or a comment: s:r runs with s:rPr


def s(local: str) -> str:
    return f"{{{S}}}{local}"


# What each part is, by its content type in [Content_Types].xml (where it lives is the
# producer's choice): the parts read here, and the workbook itself.
_KINDS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "workbook",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml": "strings",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml": "sheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml": "comments",
    "application/vnd.ms-excel.threadedcomments+xml": "threaded",
    "application/vnd.openxmlformats-officedocument.drawing+xml": "drawing",
    "application/vnd.openxmlformats-officedocument.drawingml.chart+xml": "chart",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml": "table",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml": "styles",
    "application/vnd.openxmlformats-package.core-properties+xml": "core",
}
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"

Job = Callable[[list[Translated]], None]


def _part_kinds(package, names, name: str) -> dict[str, str]:
    """Zip entry -> what it is ("sheet", "strings"…), from [Content_Types].xml."""
    if "[Content_Types].xml" not in names:
        raise DocumentError(f"{name}: not an Excel .xlsx file (no [Content_Types].xml)")
    types = parse_xml(read_part(package, "[Content_Types].xml", name), name, "[Content_Types].xml")
    kinds = {}
    for override in types.iter(f"{{{CONTENT_TYPES}}}Override"):
        kind = _KINDS.get(override.get("ContentType", "").split(";")[0].strip())
        part = override.get("PartName", "").lstrip("/")
        if kind and part in names:
            kinds[part] = kind
    return kinds


def _plain(el, units: list[Unit], jobs: list[Job], where: str) -> None:
    """A text element translated line by line (a cell's line breaks are kept)."""
    text = el.text or ""
    if not has_arabic(text):
        return
    lines = text.split("\n")
    slots = []
    for n, line in enumerate(lines):
        if has_arabic(line):
            core = tidy(line, ())[0]  # bidirectional controls order Arabic on screen: none in English
            slots.append((n, len(units), line[: len(line) - len(line.lstrip())], line[len(line.rstrip()):]))
            units.append(Unit(core, (), where if len(lines) == 1 else f"{where} line {n + 1}"))

    def apply(ts: list[Translated]) -> None:
        for n, i, lead, trail in slots:
            lines[n] = lead + ts[i].text + trail
        el.text = "\n".join(lines)
        if el.tag == s("t") and el.text != el.text.strip():  # SpreadsheetML text: its spaces kept
            el.set(XML_SPACE, "preserve")

    jobs.append(apply)


def _attribute(el, key: str, units: list[Unit], jobs: list[Job], where: str) -> None:
    """An attribute a reader sees (a data-validation prompt, a link's tooltip) as a unit."""
    text = tidy(el.get(key, ""), ())[0]
    if has_arabic(text):
        index = len(units)
        units.append(Unit(text, (), where))
        jobs.append(lambda ts: el.set(key, ts[index].text))


# Attributes of a sheet a reader sees: data-validation messages, link texts.
_SHEET_ATTRIBUTES = {"dataValidation": ("promptTitle", "prompt", "errorTitle", "error"), "hyperlink": ("display", "tooltip")}


def _rich(el, units: list[Unit], jobs: list[Job], where: str) -> None:
    """A string item (``si``, an inline ``is``, a comment's ``text``): plain or runs."""
    runs = el.findall(s("r"))
    if not runs:
        t = el.find(s("t"))
        if t is not None:
            _plain(t, units, jobs, where)
        return
    # Phonetic runs and their properties come after the runs: kept there.
    tail = [c for c in el if c.tag in (s("rPh"), s("phoneticPr"))]
    for c in tail:
        el.remove(c)
    para = RunParagraph(el, DIALECT)
    el.extend(tail)
    if not has_arabic(para.text):
        return
    index = len(units)
    units.append(Unit(para.text, para.marks, where))

    def apply(ts: list[Translated]) -> None:
        for c in tail:
            el.remove(c)
        para.rebuild(ts[index])
        el.extend(tail)

    jobs.append(apply)


def _drawing_text(root, units, jobs, where) -> None:
    """Text boxes and chart titles: DrawingML paragraphs, as on slides."""
    from .pptx import DIALECT as DRAWING

    for n, p in enumerate(root.iter(f"{{{A}}}p"), start=1):
        para = RunParagraph(p, DRAWING)
        if has_arabic(para.text):
            index = len(units)
            units.append(Unit(para.text, para.marks, f"{where} p{n}"))
            jobs.append(lambda ts, para=para, index=index: para.rebuild(ts[index]))


def _left_to_right(kind: str, root) -> bool:
    """Sheets shown right to left and cells read right to left made left to right (True
    if something changed); text boxes and charts as on slides."""
    from .pptx import _left_to_right as drawing_left_to_right

    changed = False
    if kind == "sheet":
        for view in root.iter(s("sheetView")):
            if view.get("rightToLeft") in ("1", "true"):
                view.set("rightToLeft", "0")
                changed = True
    elif kind == "styles":
        for alignment in root.iter(s("alignment")):
            if alignment.get("readingOrder") == "2":
                alignment.set("readingOrder", "1")
                changed = True
    elif kind in ("drawing", "chart"):
        drawing_left_to_right(root)
    return changed


class XlsxFormat(DocumentFormat):
    name = "xlsx"
    suffixes = (".xlsx",)
    binary = True

    def extract(self, data: bytes, name: str) -> Extracted:
        from lxml import etree

        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise DocumentError(f"{name}: an old binary Excel file (.xls) or an encrypted workbook, not .xlsx; save it as .xlsx first")
        package = open_package(data, name, "an Excel .xlsx file")
        names = package.namelist()
        kinds = _part_kinds(package, set(names), name)
        workbook_part = next((part for part, kind in kinds.items() if kind == "workbook"), None)
        if workbook_part is None:
            raise DocumentError(f"{name}: not an Excel .xlsx file (no workbook part)")
        roots: dict[str, object] = {}
        for part in names:
            if kinds.get(part) not in (None, "workbook"):
                roots[part] = parse_xml(read_part(package, part, name), part=part, name=name)
        units: list[Unit] = []
        jobs: list[Job] = []
        formulas_with_arabic = 0
        stale_results: list = []  # (cell, its cached <v>): text results of formulas in Arabic
        touched: set[str] = set()  # parts with text to translate or results to drop
        for part, root in roots.items():  # the shared strings first: what the cells show
            if kinds[part] == "strings":
                for n, si in enumerate(root.iter(s("si"))):
                    _rich(si, units, jobs, f"shared string {n}")
                if jobs:
                    touched.add(part)
        for part, root in roots.items():
            before, kind = len(jobs), kinds[part]
            short = part.rsplit("/", 1)[-1].removesuffix(".xml")
            if kind == "sheet":
                for cell in root.iter(s("c")):
                    ref = cell.get("r", "?")
                    f = cell.find(s("f"))
                    if f is not None and has_arabic(f.text or ""):
                        formulas_with_arabic += 1
                    inline = cell.find(s("is"))
                    if cell.get("t") == "inlineStr" and inline is not None:
                        _rich(inline, units, jobs, f"{short}!{ref}")
                    v = cell.find(s("v"))
                    if cell.get("t") == "str" and v is not None and has_arabic(v.text or ""):
                        stale_results.append((cell, v))
                        touched.add(part)
                for local, keys in _SHEET_ATTRIBUTES.items():
                    for el in root.iter(s(local)):
                        for key in keys:
                            _attribute(el, key, units, jobs, f"{short} {local} {el.get('sqref') or el.get('ref', '?')} {key}")
            elif kind == "comments":
                for comment in root.iter(s("comment")):
                    text = comment.find(s("text"))
                    if text is not None:
                        _rich(text, units, jobs, f"{short} {comment.get('ref', '?')}")
            elif kind == "threaded":
                for text in root.iter("{*}text"):
                    _plain(text, units, jobs, f"{short} {text.getparent().get('ref', '?')}")
            elif kind == "drawing":
                _drawing_text(root, units, jobs, short)
            elif kind == "chart":
                _drawing_text(root, units, jobs, short)
                for n, v in enumerate(root.iter(f"{{{C}}}v"), start=1):
                    if v.getparent().tag == f"{{{C}}}pt":  # a cached label of the chart's data
                        _plain(v, units, jobs, f"{short} label {n}")
            elif kind == "core":
                for el in root:
                    if el.tag in (f"{{{DC}}}title", f"{{{DC}}}subject", f"{{{DC}}}description", f"{{{CP}}}keywords"):
                        _plain(el, units, jobs, f"document {el.tag.rsplit('}', 1)[-1]}")
            if len(jobs) > before:
                touched.add(part)
        notes = _kept_notes(package, names, roots, kinds, workbook_part, formulas_with_arabic, name)
        workbook = read_part(package, workbook_part, name)

        def rebuild(translations: list[Translated]) -> bytes:
            if not units and not stale_results:
                return data
            for job in jobs:
                job(translations)
            for cell, v in stale_results:  # recalculated when the workbook is opened
                cell.remove(v)
            for part, root in roots.items():
                if kinds[part] == "strings":
                    nothing_left_in_arabic(t.text for t in root.iter(s("t")))
            changed_parts = set(touched) | _rename_table_columns(roots, kinds)
            for part, root in roots.items():
                if _left_to_right(kinds[part], root):
                    changed_parts.add(part)
            changed = {
                part: etree.tostring(roots[part], xml_declaration=True, encoding="UTF-8", standalone=True)
                for part in changed_parts
            }
            if stale_results:
                changed[workbook_part] = _recalculate_on_load(workbook)
            return write_package(package, changed)

        return Extracted(units, rebuild, notes)


def _kept_notes(package, names, roots, kinds, workbook_part: str, formulas_with_arabic: int, name: str) -> list[str]:
    """What stays in Arabic, said plainly: formulas, sheet names, parts not translated."""
    notes = []
    if formulas_with_arabic:
        notes.append(f"kept {formulas_with_arabic} formula(s) with Arabic text as written (formulas are never changed)")
    workbook = parse_xml(read_part(package, workbook_part, name), name, workbook_part)
    sheets = [el.get("name", "") for el in workbook.iter(s("sheet")) if has_arabic(el.get("name", ""))]
    if sheets:
        notes.append(f"kept {len(sheets)} sheet name(s) in Arabic (formulas and links refer to them): {', '.join(sheets)}")
    for part in names:
        if part in roots:
            left = _uncovered(kinds[part], roots[part])
            if left:
                notes.append(f"Arabic text left as written in {part} ({', '.join(left)}; not translated)")
        elif part not in (workbook_part, "docProps/app.xml") and part.endswith((".xml", ".rels", ".vml")):
            if has_arabic(read_part(package, part, name).decode("utf-8", "replace")):
                notes.append(f"Arabic text left as written in {part} (not translated)")
    return notes


# What the units of each kind of part cover: (element local names whose whole content is
# translated or deliberately kept, attributes translated).
_COVERED = {
    "strings": ({"si"}, set()),
    "sheet": ({"is", "f"}, {f"{local}@{key}" for local, keys in _SHEET_ATTRIBUTES.items() for key in keys}),  # formulas: counted apart
    "comments": ({"text"}, set()),
    "threaded": ({"text"}, set()),
    "drawing": ({"p"}, set()),
    "chart": ({"p", "pt", "f"}, set()),  # chart formulas name sheets (noted apart)
    "table": ({"calculatedColumnFormula", "totalsRowFormula"}, {"tableColumn@name"}),
    "core": ({"title", "subject", "description", "keywords"}, set()),
    "styles": (set(), set()),
}


def _uncovered(kind: str, root) -> list[str]:
    """Where a part holds Arabic that no unit translates (a page header, a data-validation
    prompt, a picture's description, an author's name): element or element@attribute names."""
    from lxml import etree

    skip, attributes = _COVERED.get(kind, (set(), set()))
    found: set[str] = set()

    def walk(el) -> None:
        local = etree.QName(el).localname
        if local in skip or (local == "v" and el.getparent().get("t") == "str"):
            return
        if has_arabic(el.text or ""):
            found.add(local)
        for key, value in el.attrib.items():
            where = f"{local}@{etree.QName(key).localname}"
            if where not in attributes and has_arabic(value):
                found.add(where)
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            if has_arabic(child.tail or ""):
                found.add(local)

    walk(root)
    return sorted(found)


def _rename_table_columns(roots, kinds) -> set[str]:
    """A table's column names follow its translated header cells (Excel requires them to
    agree); the tables renamed."""
    tables = [(part, root) for part, root in roots.items() if kinds[part] == "table"]
    renamed: set[str] = set()
    if not tables:
        return renamed
    sst = next((root for part, root in roots.items() if kinds[part] == "strings"), None)
    shown = ["".join(t.text or "" for t in si.iter(s("t")) if t.getparent().tag != s("rPh")) for si in sst.iter(s("si"))] if sst is not None else []
    for part, table in tables:
        used = set()
        for column in table.iter(s("tableColumn")):
            old = column.get("name", "")
            if not has_arabic(old):
                used.add(old)
                continue
            new = _header_text(roots, kinds, table, column, shown) or f"Column{column.get('id', '')}"
            base, k = new, 2
            while new.lower() in {u.lower() for u in used}:
                new, k = f"{base}{k}", k + 1
            used.add(new)
            column.set("name", new)
            renamed.add(part)
    return renamed


def _header_text(roots, kinds, table, column, shown) -> str | None:
    """The text of ``column``'s header cell, now translated."""
    ref = table.get("ref", "")
    m = re.match(r"([A-Z]+)(\d+):", ref)
    if not m or table.get("headerRowCount", "1") == "0":
        return None
    columns = list(table.iter(s("tableColumn")))
    first = 0
    for ch in m.group(1):
        first = first * 26 + ord(ch) - 64
    number = first + columns.index(column)
    letters = ""
    while number:
        number, r = divmod(number - 1, 26)
        letters = chr(65 + r) + letters
    cell_ref = f"{letters}{m.group(2)}"
    for part, root in roots.items():
        if kinds[part] != "sheet":
            continue
        for cell in root.iter(s("c")):
            if cell.get("r") != cell_ref:
                continue
            if cell.get("t") == "s" and cell.find(s("v")) is not None:
                try:
                    return shown[int(cell.find(s("v")).text)]
                except (ValueError, IndexError):
                    return None
            if cell.get("t") == "inlineStr":
                return "".join(t.text or "" for t in cell.iter(s("t")))
    return None


def _recalculate_on_load(workbook: bytes) -> bytes:
    """workbook.xml asking for a full recalculation when the workbook is opened."""
    from lxml import etree

    root = etree.fromstring(workbook, hardened_parser())
    calc = root.find(s("calcPr"))
    if calc is None:
        calc = etree.SubElement(root, s("calcPr"))
        # calcPr comes before these, in the schema's order
        for later in ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                      "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst"):
            found = root.find(s(later))
            if found is not None:
                found.addprevious(calc)
                break
    calc.set("fullCalcOnLoad", "1")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


FORMAT = XlsxFormat()
