"""PowerPoint: slide and notes paragraphs translated; line breaks, fields, links, tables and
shapes kept; right to left turned to left to right.

The presentations are real .pptx files from python-pptx's test suite whose words are
replaced by Arabic ones, read back with a second, plain XML parse.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from format_translation import translate_document
from lxml import etree

from tarjama.formats import DocumentError, extract
from tarjama.text.arabic import has_arabic

DATA = Path(__file__).parent / "data" / "formats"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
PARTS = re.compile(r"ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml")
WORDS = "أكدت الرئاسة الفرنسية الجمعة أن فرنسا لا تنوي القيام بأي عملية عسكرية جديدة ضد تنظيم داعش".split()


def arabised(path: Path) -> bytes:
    """Each Latin word of the slides and notes replaced by an Arabic one (fields left
    alone), and every paragraph right to left."""
    source = zipfile.ZipFile(path)
    counter = iter(range(10**6))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if PARTS.fullmatch(info.filename):
                root = etree.fromstring(data)
                for t in root.iter(f"{A}t"):
                    if t.getparent().tag != f"{A}fld":
                        t.text = re.sub(r"[A-Za-z]+", lambda m: WORDS[next(counter) % len(WORDS)], t.text or "")
                for p in root.iter(f"{A}p"):
                    ppr = p.find(f"{A}pPr")
                    if ppr is None:
                        ppr = etree.Element(f"{A}pPr")
                        p.insert(0, ppr)
                    ppr.set("rtl", "1")
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, data)
    return out.getvalue()


def parts(data: bytes) -> dict:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {n: etree.fromstring(z.read(n)) for n in z.namelist() if PARTS.fullmatch(n)}


@pytest.mark.parametrize("name", ["python-pptx-txt-text.pptx", "python-pptx-sld-notes.pptx", "python-pptx-tbl-cell.pptx"])
def test_pptx_structure_is_kept_and_no_arabic_is_left(name, project_glossary):
    data = arabised(DATA / name)
    assert extract(data, name).units
    out = translate_document(data, name, project_glossary)
    z_in, z_out = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(out))
    assert z_out.namelist() == z_in.namelist()
    before, after = parts(data), parts(out)
    assert list(after) == list(before)
    for part, root in after.items():
        for local in ("sp", "graphicFrame", "tbl", "tc", "p", "br", "fld", "hlinkClick", "endParaRPr"):
            assert len(root.findall(f".//{{*}}{local}")) == len(before[part].findall(f".//{{*}}{local}")), (part, local)
        for p_in, p_out in zip(before[part].iter(f"{A}p"), root.iter(f"{A}p")):
            # Breaks, fields and the end-of-paragraph properties, in their order.
            assert [c.tag for c in p_out if c.tag != f"{A}r"] == [c.tag for c in p_in if c.tag != f"{A}r"]
            assert p_out[-1].tag == p_in[-1].tag
            text = "".join(t.text or "" for t in p_out.iter(f"{A}t"))
            assert not has_arabic(text), text
            assert bool(text.strip()) == bool("".join(t.text or "" for t in p_in.iter(f"{A}t")).strip())
        assert all(el.get("rtl") == "0" for el in root.iter() if "rtl" in el.attrib)


def test_pptx_breaks_and_fields_are_points_and_spell_check_flags_not_formatting():
    extracted = extract(arabised(DATA / "python-pptx-txt-text.pptx"), "a.pptx")
    first = extracted.units[0]
    assert [u.id for u in extracted.units][:2] == ["slide1 p1", "slide1 p2"]
    # Two line breaks and the slide-number field are points; the field's "1" is not text.
    # The run flagged err="1" (misspelt) has the paragraph's formatting: no mark for it.
    assert [m.start == m.end for m in first.marks] == [True, True, True] and "1" not in first.text


@pytest.mark.parametrize(
    "data, message",
    [(b"not a zip", "not a PowerPoint .pptx file"), (b"PK\x05\x06" + b"\0" * 18, "no ppt/presentation.xml")],
)
def test_bad_pptx_is_a_one_line_error(data, message):
    with pytest.raises(DocumentError, match=message):
        extract(data, "bad.pptx")


def test_arabic_slide_becomes_english_left_to_right(project_glossary):
    data = (DATA / "sky-news-france-syria.ar.pptx").read_bytes()
    after = parts(translate_document(data, "a.pptx", project_glossary))["ppt/slides/slide1.xml"]
    first = next(after.iter(f"{A}p"))
    assert [c.tag.replace(A, "") for c in first] == ["pPr", "r", "br", "r", "br", "fld", "endParaRPr"]
    assert first.find(f"{A}pPr").get("rtl") == "0"
    assert all(not el.get("lang", "").startswith("ar") for el in after.iter())  # spelling: English now
    assert "SDF" in "".join(t.text for t in after.iter(f"{A}t"))
