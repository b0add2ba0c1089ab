"""OpenDocument text: paragraphs, headings, tables, headers and footers translated; spans,
fields and tabs kept; right-to-left writing modes turned to left to right.

The documents are real .odt files from odfpy's test suite whose words are replaced by
Arabic ones; structure in and out is compared with a second, plain XML parse.
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
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
WORDS = "أكدت الرئاسة الفرنسية الجمعة أن فرنسا لا تنوي القيام بأي عملية عسكرية جديدة ضد تنظيم داعش".split()


def arabised(path: Path) -> bytes:
    """The document with each Latin word replaced by an Arabic one, written right to left."""
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    counter = iter(range(10**6))

    def arabic(text):
        return re.sub(r"[A-Za-z]+", lambda m: WORDS[next(counter) % len(WORDS)], text) if text else text

    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in ("content.xml", "styles.xml"):
                root = etree.fromstring(data)
                for p in root.iter(f"{TEXT}p", f"{TEXT}h"):
                    for el in p.iter():
                        if el.tag != f"{TEXT}page-number" and el.tag != f"{TEXT}page-count":
                            el.text = arabic(el.text)
                        if el is not p:
                            el.tail = arabic(el.tail)
                for props in root.iter(f"{STYLE}paragraph-properties"):
                    props.set(f"{STYLE}writing-mode", "rl-tb")
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, data)
    return out.getvalue()


def parts(data: bytes) -> dict:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {name: etree.fromstring(z.read(name)) for name in ("content.xml", "styles.xml")}


def shape(root) -> list:
    """Every element but the text: tags and attributes, in document order."""
    return [(el.tag, sorted(el.attrib.items())) for el in root.iter() if isinstance(el.tag, str)]


@pytest.mark.parametrize("name", ["odfpy-headerfooter.odt", "odfpy-simpletable.odt", "odfpy-simplestyles.odt"])
def test_odt_structure_is_kept_and_no_arabic_is_left(name, project_glossary):
    data = arabised(DATA / name)
    out = translate_document(data, name, project_glossary)
    z_in, z_out = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(out))
    assert [i.filename for i in z_out.infolist()] == [i.filename for i in z_in.infolist()]
    assert z_out.infolist()[0].filename == "mimetype" and z_out.infolist()[0].compress_type == zipfile.ZIP_STORED
    before, after = parts(data), parts(out)
    for part in before:
        shape_in = [(tag, [(k, "lr-tb" if k == f"{STYLE}writing-mode" else v) for k, v in attrs]) for tag, attrs in shape(before[part])]
        assert shape(after[part]) == shape_in
        paragraphs = list(after[part].iter(f"{TEXT}p", f"{TEXT}h"))
        for p_in, p_out in zip(before[part].iter(f"{TEXT}p", f"{TEXT}h"), paragraphs):
            assert not has_arabic("".join(p_out.itertext())), "".join(p_out.itertext())
            assert bool("".join(p_out.itertext()).strip()) == bool("".join(p_in.itertext()).strip())
    header = after["styles.xml"].find(f".//{STYLE}header/{TEXT}p")
    if header is not None:  # the page number field and both tabs, in their order
        assert [c.tag.replace(TEXT, "") for c in header] == ["tab", "page-number", "tab"]
        assert not (header.text or "").endswith(" ") and not (header[-1].tail or "").startswith(" ")


def test_odt_units_are_whole_paragraphs_with_spans_as_marks():
    units = extract(arabised(DATA / "odfpy-simplestyles.odt"), "a.odt").units
    km = [u for u in units if u.marks and u.text.count(" ") >= 2][0]  # "Km<span>2</span> - superscript"
    assert len(km.marks) == 2 and all(m.start < m.end for m in km.marks)


@pytest.mark.parametrize("data, message", [(b"not a zip", "not an OpenDocument .odt file")])
def test_bad_odt_is_a_one_line_error(data, message):
    with pytest.raises(DocumentError, match=message):
        extract(data, "bad.odt")


def test_a_spreadsheet_named_odt_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(DocumentError, match="not an OpenDocument text but application/vnd.oasis.opendocument.spreadsheet"):
        extract(buf.getvalue(), "a.odt")


def test_arabic_odt_keeps_its_span_and_header_fields(project_glossary):
    data = (DATA / "sky-news-france-syria.ar.odt").read_bytes()
    after = parts(translate_document(data, "a.odt", project_glossary))
    body = after["content.xml"].find(f".//{TEXT}p[@{TEXT}style-name='Text_20_body']")
    assert body.text == "Akdt " and body[0].text == "AlryAsp Alfrnsyp" and body[0].tail.endswith("ISIS.")
    header = after["styles.xml"].find(f".//{STYLE}header/{TEXT}p")
    assert [c.tag.replace(TEXT, "") for c in header] == ["tab", "page-number", "tab"]
    assert not has_arabic("".join(header.itertext()))
    modes = [el.get(f"{STYLE}writing-mode") for part in after.values() for el in part.iter() if el.get(f"{STYLE}writing-mode")]
    assert modes and set(modes) == {"lr-tb"}
