"""Excel workbooks: text cells, rich text, comments and table headers translated; formulas,
numbers, merged cells, charts, pictures and data validation kept; nothing else touched.

The workbooks are real files written by Excel (XlsxWriter's comparison files, see
tests/data/README.md) whose words are replaced by Arabic ones in memory, and workbooks
written by openpyxl; what comes out is read back with openpyxl and a plain XML parse.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from format_translation import translate_document
from lxml import etree

from tarjama.formats import DocumentError, extract
from tarjama.text.arabic import has_arabic

DATA = Path(__file__).parent / "data" / "formats"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
WORDS = "أكدت الرئاسة الفرنسية الجمعة أن فرنسا لا تنوي القيام بأي عملية عسكرية جديدة ضد تنظيم داعش".split()
TEXT_PARTS = re.compile(r"xl/(sharedStrings|comments\d+|tables/table\d+)\.xml")


def arabised(path: Path, right_to_left: bool = True) -> bytes:
    """The workbook with each Latin word of its text (shared strings, comments, table
    column names) replaced by an Arabic one, and its sheets shown right to left."""
    source = zipfile.ZipFile(path)
    counter = iter(range(10**6))

    def arabic(text):
        return re.sub(r"[A-Za-z]+", lambda m: WORDS[next(counter) % len(WORDS)], text) if text else text

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if TEXT_PARTS.fullmatch(info.filename):
                root = etree.fromstring(data)
                for t in root.iter(f"{S}t"):
                    t.text = arabic(t.text)
                    run = t.getparent()
                    if run.tag == f"{S}r" and run.getnext() is not None:  # runs are words apart
                        t.text += " "
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif right_to_left and info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b'<sheetView ', b'<sheetView rightToLeft="1" ')
            target.writestr(info, data)
    return out.getvalue()


def headers_named_like_columns(data: bytes) -> bytes:
    """table03 with its Arabic header cells and the table's column names agreeing, as Excel keeps them."""
    z = zipfile.ZipFile(io.BytesIO(data))
    sst = etree.fromstring(z.read("xl/sharedStrings.xml"))
    names = ["".join(si.itertext()) for si in sst.iter(f"{S}si")]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in z.infolist():
            body = z.read(info)
            if info.filename == "xl/tables/table1.xml":
                root = etree.fromstring(body)
                for column, name in zip(root.iter(f"{S}tableColumn"), names):
                    column.set("name", name)
                body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, body)
    return out.getvalue()


def values(data: bytes) -> dict:
    """Every cell's value and type, and the merged ranges, as openpyxl reads them."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        ws.title: ([(c.coordinate, c.data_type, c.value) for row in ws.iter_rows() for c in row], sorted(map(str, ws.merged_cells.ranges)))
        for ws in book
    }


FIXTURES = [
    "xlsxwriter-rich_string01.xlsx", "xlsxwriter-comment01.xlsx", "xlsxwriter-merge_range01.xlsx",
    "xlsxwriter-table03.xlsx", "xlsxwriter-chart_bar01.xlsx", "xlsxwriter-image01.xlsx",
    "xlsxwriter-data_validation01.xlsx", "xlsxwriter-formula_results01.xlsx",
]


@pytest.mark.parametrize("name", FIXTURES)
def test_xlsx_text_translated_and_every_other_part_kept_byte_for_byte(name, project_glossary):
    data = arabised(DATA / name)
    if name == "xlsxwriter-table03.xlsx":
        data = headers_named_like_columns(data)
    out = translate_document(data, name, project_glossary)
    z_in, z_out = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(out))
    assert [i.filename for i in z_out.infolist()] == [i.filename for i in z_in.infolist()]
    for info in z_in.infolist():
        if TEXT_PARTS.fullmatch(info.filename) or info.filename.startswith("xl/worksheets/sheet"):
            continue
        assert z_out.read(info.filename) == z_in.read(info.filename), info.filename  # charts, pictures, styles…
    before, after = values(data), values(out)
    assert list(after) == list(before)
    for sheet, (cells, merged) in after.items():
        cells_in, merged_in = before[sheet]
        assert merged == merged_in
        assert [(ref, kind) for ref, kind, _ in cells] == [(ref, kind) for ref, kind, _ in cells_in]
        for (ref, kind, value), (_, _, value_in) in zip(cells, cells_in):
            if kind == "s" and has_arabic(str(value_in)):
                assert value and not has_arabic(value), (ref, value)
            else:
                assert value == value_in, ref  # numbers, formulas, booleans, errors
    for part in (n for n in z_out.namelist() if TEXT_PARTS.fullmatch(n)):
        root = etree.fromstring(z_out.read(part))
        assert not has_arabic("".join(root.itertext())) and not any(has_arabic(v) for el in root.iter() for v in el.attrib.values())
    if not extract(data, name).units:  # nothing in Arabic: the workbook comes back as it was
        assert out == data
    for part in (n for n in z_out.namelist() if n.startswith("xl/worksheets/sheet")):
        assert (b'rightToLeft="1"' in z_out.read(part)) == (out == data)
    assert translate_document(data, name, project_glossary) == out  # byte-reproducible


def test_rich_text_keeps_its_bold_run_and_comments_are_translated(project_glossary):
    data = arabised(DATA / "xlsxwriter-rich_string01.xlsx")
    sst = etree.fromstring(zipfile.ZipFile(io.BytesIO(translate_document(data, "a.xlsx", project_glossary))).read("xl/sharedStrings.xml"))
    rich = list(sst.iter(f"{S}si"))[2]
    runs = rich.findall(f"{S}r")
    assert any(r.find(f"{S}rPr/{S}b") is not None for r in runs), etree.tostring(rich)
    assert not has_arabic("".join(rich.itertext()))
    comment = translate_document(arabised(DATA / "xlsxwriter-comment01.xlsx"), "c.xlsx", project_glossary)
    text = etree.fromstring(zipfile.ZipFile(io.BytesIO(comment)).read("xl/comments1.xml")).find(f".//{S}comment/{S}text")
    assert text.find(f"{S}r/{S}rPr/{S}rFont").get("val") == "Tahoma" and not has_arabic("".join(text.itertext()))


def test_table_column_names_follow_their_translated_headers(project_glossary):
    data = headers_named_like_columns(arabised(DATA / "xlsxwriter-table03.xlsx"))
    out = translate_document(data, "t.xlsx", project_glossary)
    book = openpyxl.load_workbook(io.BytesIO(out))
    sheet = book.active
    headers = [sheet.cell(3, col).value for col in range(3, 7)]
    assert list(sheet.tables["Table1"].column_names) == headers
    assert not any(has_arabic(h) for h in headers)


def test_formula_with_arabic_is_kept_and_said_and_its_stale_result_recalculated(project_glossary):
    source = zipfile.ZipFile(DATA / "xlsxwriter-formula_results01.xlsx")
    out_zip = io.BytesIO()
    with zipfile.ZipFile(out_zip, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b'"Foo"', '"داعش"'.encode()).replace(b"<v>Foo</v>", "<v>داعش</v>".encode())
            target.writestr(info, body)
    data = out_zip.getvalue()
    extracted = extract(data, "f.xlsx")
    assert extracted.units == [] and extracted.notes == ["kept 1 formula(s) with Arabic text as written (formulas are never changed)"]
    out = zipfile.ZipFile(io.BytesIO(translate_document(data, "f.xlsx", project_glossary)))
    sheet = etree.fromstring(out.read("xl/worksheets/sheet1.xml"))
    a2 = sheet.find(f".//{S}c[@r='A2']")
    assert a2.find(f"{S}f").text == '"داعش"' and a2.find(f"{S}v") is None  # formula as written, no stale result
    assert etree.fromstring(out.read("xl/workbook.xml")).find(f"{S}calcPr").get("fullCalcOnLoad") == "1"
    assert sheet.find(f".//{S}c[@r='A1']/{S}v").text == "2"  # other results kept


def test_openpyxl_workbook_inline_strings_lines_sheet_names_and_equals_text(tmp_path, project_glossary):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "الأخبار"
    sheet.sheet_view.rightToLeft = True
    sheet["A1"] = "قسد تسيطر على المدينة"
    sheet["A2"] = "السطر الأول\nداعش في السطر الثاني"
    sheet["A3"] = 42
    sheet["A4"] = "=SUM(A3:A3)"
    sheet["B1"] = "=داعش"
    sheet["B1"].data_type = "s"  # a text cell that starts with "="
    sheet["B2"] = "Reuters"
    sheet.merge_cells("C1:D1")
    sheet["C1"] = "الرئاسة الفرنسية"
    path = tmp_path / "news.xlsx"
    book.save(path)
    data = path.read_bytes()
    extracted = extract(data, "news.xlsx")
    assert [u.text for u in extracted.units] == ["قسد تسيطر على المدينة", "=داعش", "الرئاسة الفرنسية", "السطر الأول", "داعش في السطر الثاني"]
    assert any("sheet name(s) in Arabic" in n and "الأخبار" in n for n in extracted.notes)
    out = openpyxl.load_workbook(io.BytesIO(translate_document(data, "news.xlsx", project_glossary)))
    ws = out["الأخبار"]
    assert ws["A1"].value.startswith("SDF") and "\n" in ws["A2"].value and "ISIS" in ws["A2"].value.split("\n")[1]
    assert ws["A3"].value == 42 and ws["A4"].value == "=SUM(A3:A3)" and ws["A4"].data_type == "f"
    assert ws["B1"].value == "=ISIS" and ws["B1"].data_type == "s"  # text stays text
    assert ws["B2"].value == "Reuters" and "C1:D1" in map(str, ws.merged_cells.ranges)
    assert not ws.sheet_view.rightToLeft


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not a zip", "not an Excel .xlsx file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old binary Excel file"),
        (b"PK\x05\x06" + b"\0" * 18, "no \\[Content_Types\\].xml"),
    ],
)
def test_bad_xlsx_is_a_one_line_error(data, message):
    with pytest.raises(DocumentError, match=message) as e:
        extract(data, "bad.xlsx")
    assert "\n" not in str(e.value)


def test_xlsx_declaring_entities_is_refused_unexpanded():
    source = zipfile.ZipFile(DATA / "xlsxwriter-merge_range01.xlsx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/sharedStrings.xml":
                body = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
                        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&e;</t></si></sst>')
            target.writestr(info, body)
    with pytest.raises(DocumentError, match="declares XML entities"):
        extract(out.getvalue(), "hostile.xlsx")


def test_parts_are_found_by_content_type_wherever_they_live(project_glossary):
    """A producer may name its parts as it likes: [Content_Types].xml says which is which."""
    source = zipfile.ZipFile(io.BytesIO(arabised(DATA / "xlsxwriter-merge_range01.xlsx")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
                body = body.replace(b"sharedStrings.xml", b"strings/text.xml")
            target.writestr(info.filename.replace("xl/sharedStrings.xml", "xl/strings/text.xml"), body)
    data = out.getvalue()
    assert [u.id for u in extract(data, "moved.xlsx").units] == ["shared string 0"]
    book = openpyxl.load_workbook(io.BytesIO(translate_document(data, "moved.xlsx", project_glossary)))
    assert book.active["B2"].value and not has_arabic(book.active["B2"].value)


def test_arabic_no_unit_translates_is_named_in_a_note(tmp_path, project_glossary):
    """A page header and the author's name stay as written, and the notes say where
    (nothing in Arabic is left unsaid); a data-validation prompt is translated."""
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "قسد"
    sheet.oddHeader.center.text = "تقرير داخلي"
    check = DataValidation(type="list", formula1='"1,2"', prompt="اختر رقما", promptTitle="تنبيه")
    sheet.add_data_validation(check)
    check.add("B1")
    book.properties.creator = "محرر الأخبار"
    path = tmp_path / "notes.xlsx"
    book.save(path)
    notes = extract(path.read_bytes(), "notes.xlsx").notes
    sheet_note = next(n for n in notes if "xl/worksheets/sheet1.xml" in n)
    assert "oddHeader" in sheet_note and "dataValidation" not in sheet_note
    assert any("docProps/core.xml (creator;" in n for n in notes)
    out = openpyxl.load_workbook(io.BytesIO(translate_document(path.read_bytes(), "notes.xlsx", project_glossary)))
    (validation,) = out.active.data_validations.dataValidation
    assert validation.formula1 == '"1,2"' and validation.prompt and not has_arabic(validation.prompt + validation.promptTitle)
    assert out.active.oddHeader.center.text == "تقرير داخلي"


def test_a_damaged_entry_is_a_one_line_error_not_a_traceback(project_glossary):
    """An entry whose checksum does not match (a damaged download) fails the workbook
    with one line, even an entry tarjama only copies."""
    from fakes import EchoEngine

    from tarjama import Translator
    from tarjama.documents import translate_documents

    data = bytearray(arabised(DATA / "xlsxwriter-rich_string01.xlsx"))
    name = b"xl/theme/theme1.xml"
    at = data.find(b"PK\x01\x02")
    while data[at + 46: at + 46 + int.from_bytes(data[at + 28: at + 30], "little")] != name:
        at = data.find(b"PK\x01\x02", at + 4)
    data[at + 16] ^= 0xFF  # the central directory's CRC-32 of the theme
    (done,) = translate_documents(Translator(engine=EchoEngine(), glossary=project_glossary), [("damaged.xlsx", bytes(data))])
    assert done.data is None and "\n" not in done.error
    assert done.error.startswith("damaged.xlsx: cannot read xl/theme/theme1.xml") and "Bad CRC-32" in done.error
