"""Word documents: paragraphs, tables, headers and footers translated; run formatting,
hyperlinks, pictures, fields and bookmarks kept; right to left turned to left to right.

The documents are real Word files from python-docx's test suite whose text is replaced by
Arabic news words (so Word's own run splitting, bookmarks and proofing marks stay), made
right to left as Arabic documents are. Structure in and out is compared with python-docx
and with the raw XML.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from fakes import EchoEngine
from format_translation import translate_document, translate_units
from lxml import etree

from tarjama import Translator
from tarjama.formats import DocumentError, extract
from tarjama.documents import translate_documents
from tarjama.text.arabic import has_arabic

DATA = Path(__file__).parent / "data" / "formats"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Words of a Sky News Arabia report (30 March 2018, ANT corpus).
WORDS = (
    "أكدت الرئاسة الفرنسية الجمعة أن فرنسا لا تنوي القيام بأي عملية عسكرية جديدة في شمال سوريا "
    "خارج إطار التحالف الدولي ضد تنظيم داعش وتعهد ماكرون بدعم قوات سوريا الديمقراطية"
).split()
STORIES = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
OBJECTS = ("drawing", "br", "tab", "bookmarkStart", "bookmarkEnd", "fldChar", "instrText", "footnoteReference", "hyperlink", "tbl", "tc", "p")


def arabised(path: Path) -> bytes:
    """The document with every word of its text replaced by an Arabic one, and its
    paragraphs and runs marked right to left."""
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    n = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if STORIES.fullmatch(item.filename):
                root = etree.fromstring(data)
                for t in root.iter(f"{W}t"):
                    words = []
                    for word in re.findall(r"\S+", t.text or ""):
                        words.append(WORDS[n % len(WORDS)] if re.search(r"[A-Za-z]", word) else word)
                        n += 1
                    lead = " " if (t.text or "").startswith(" ") else ""
                    trail = " " if (t.text or "").endswith(" ") and words else ""
                    t.text = lead + " ".join(words) + trail
                for p in root.iter(f"{W}p"):
                    ppr = p.find(f"{W}pPr")
                    if ppr is None:
                        ppr = etree.Element(f"{W}pPr")
                        p.insert(0, ppr)
                    etree.SubElement(ppr, f"{W}bidi")
                for r in root.iter(f"{W}r"):
                    rpr = r.find(f"{W}rPr")
                    if rpr is None:
                        rpr = etree.Element(f"{W}rPr")
                        r.insert(0, rpr)
                    etree.SubElement(rpr, f"{W}rtl")
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, data)
    return out.getvalue()


def stories(data: bytes) -> dict[str, etree._Element]:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {name: etree.fromstring(z.read(name)) for name in z.namelist() if STORIES.fullmatch(name)}


def run_formats(paragraph) -> list:
    """What a reader sees of a paragraph's formatting: bold, italic, underline, character
    style and hyperlinks, in order, repeats collapsed (how Word splits runs is not seen)."""
    seen = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, docx.text.hyperlink.Hyperlink):
            key = ("link", item.address, item.fragment)
        elif item.text.strip():
            key = ("run", item.bold, item.italic, item.underline, item.style.name if item.style else None)
        else:
            continue
        if not seen or seen[-1] != key:
            seen.append(key)
    return seen


def all_paragraphs(document):
    """Body, tables (nested too), headers and footers, through python-docx."""

    def of(container):
        for block in container.iter_inner_content():
            if isinstance(block, docx.table.Table):
                for row in block.rows:
                    for cell in row.cells:
                        yield from of(cell)
            else:
                yield block

    yield from of(document)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                     section.even_page_header, section.even_page_footer):
            if not part.is_linked_to_previous:
                yield from of(part)


def table_shapes(document):
    def shape(table):
        return [(len(table.rows), len(table.columns), [shape(t) for row in table.rows for c in row.cells for t in c.tables])]

    return [shape(t) for t in document.tables]


@pytest.mark.parametrize("name", ["python-docx-hdr-header-footer.docx", "python-docx-par-hlink-frags.docx", "python-docx-blk-paras-and-tables.docx"])
def test_docx_structure_is_kept_and_no_arabic_is_left(name, project_glossary):
    data = arabised(DATA / name)
    out = translate_document(data, name, project_glossary)
    before, after = docx.Document(io.BytesIO(data)), docx.Document(io.BytesIO(out))
    paragraphs_before, paragraphs_after = list(all_paragraphs(before)), list(all_paragraphs(after))
    assert len(paragraphs_after) == len(paragraphs_before)
    assert sum(has_arabic(p.text) for p in paragraphs_before) > 0
    for p_in, p_out in zip(paragraphs_before, paragraphs_after):
        assert not has_arabic(p_out.text), p_out.text
        assert bool(p_out.text.strip()) == bool(p_in.text.strip())
        assert run_formats(p_out) == run_formats(p_in)
        assert p_out.style.name == p_in.style.name
    assert table_shapes(after) == table_shapes(before)
    xml_before, xml_after = stories(data), stories(out)
    assert sorted(xml_after) == sorted(xml_before)
    for part, root in xml_after.items():
        for local in OBJECTS:  # pictures, breaks, fields, bookmarks, links, cells: none lost, none added
            assert len(root.findall(f".//{W}{local}")) == len(xml_before[part].findall(f".//{W}{local}")), (part, local)
        for t in root.iter(f"{W}t"):
            assert not has_arabic(t.text or ""), (part, t.text)
        for prop in root.iter(f"{W}bidi", f"{W}rtl", f"{W}bidiVisual"):
            assert prop.get(f"{W}val") == "0", part


def test_docx_bold_italic_and_a_tab_stay_with_their_words(project_glossary):
    document = docx.Document()
    p = document.add_paragraph("أكدت ")
    p.add_run("الرئاسة الفرنسية").bold = True
    p.add_run("، الجمعة، أن فرنسا لا تنوي القيام بأي عملية عسكرية ضد تنظيم داعش.")
    p.add_run().add_tab()
    p.add_run("سكاي نيوز").italic = True
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "قسد"
    table.cell(0, 1).text = "2018"
    document.sections[0].header.paragraphs[0].text = "سكاي نيوز عربية"
    buf = io.BytesIO()
    document.save(buf)
    extracted = extract(buf.getvalue(), "a.docx")
    assert [u.id for u in extracted.units] == ["document p1", "document p2", "header1 p1"]
    unit = extracted.units[0]
    # One unit for the whole sentence: the bold words and the italic words are marks, the tab a point.
    assert unit.text.startswith("أكدت الرئاسة الفرنسية، الجمعة") and unit.text.endswith("سكاي نيوز")
    spans = sorted((m.start, m.end) for m in unit.marks)
    assert [unit.text[s:e] for s, e in spans if s < e] == ["الرئاسة الفرنسية", "سكاي نيوز"]
    assert sum(s == e for s, e in spans) == 1
    assert "داعش. سكاي" in unit.text  # the tab keeps the words apart for the model
    translated = translate_units(extracted.units, project_glossary)
    out = docx.Document(io.BytesIO(extracted.rebuild(translated)))
    runs = out.paragraphs[0].runs
    assert [r.text for r in runs if r.bold] == ["AlryAsp Alfrnsyp"]
    assert [r.text for r in runs if r.italic] == ["Sky News"]  # a glossary term (organisations.tsv)
    assert "ISIS" in out.paragraphs[0].text
    # The tab still stands between the sentence and the italic words, once.
    texts = [r.text for r in runs]
    assert texts.count("\t") == 1 and texts[-1] == "Sky News"
    assert "ISIS" in "".join(texts[: texts.index("\t")])
    assert out.tables[0].cell(0, 0).text == "SDF" and out.tables[0].cell(0, 1).text == "2018"
    assert not has_arabic(out.sections[0].header.paragraphs[0].text)


def test_english_docx_has_no_units():
    extracted = extract((DATA / "python-docx-par-hlink-frags.docx").read_bytes(), "a.docx")
    assert extracted.units == []


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old binary Word file (.doc)"),
        (b"plain text, not a zip", "not a Word .docx file"),
    ],
)
def test_bad_docx_is_a_one_line_error(data, message):
    with pytest.raises(DocumentError) as e:
        extract(data, "bad.docx")
    assert message in str(e.value) and "\n" not in str(e.value)


def test_docx_footnotes_are_translated(project_glossary):
    # python-docx keeps footnotes as plain bytes: add one in Arabic to a real document.
    source = zipfile.ZipFile(DATA / "python-docx-hdr-header-footer.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/footnotes.xml":
                root = etree.fromstring(data)
                note = etree.SubElement(root, f"{W}footnote", {f"{W}id": "7"})
                etree.SubElement(etree.SubElement(etree.SubElement(note, f"{W}p"), f"{W}r"), f"{W}t").text = "المصدر: سكاي نيوز عربية عن تنظيم داعش"
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, data)
    extracted = extract(buf.getvalue(), "a.docx")
    assert [u.id for u in extracted.units] == ["footnotes p3"]
    out = stories(extracted.rebuild(translate_units(extracted.units, project_glossary)))
    texts = ["".join(t.text for t in p.iter(f"{W}t")) for p in out["word/footnotes.xml"].iter(f"{W}p")]
    assert texts[-1].endswith("ISIS") and not has_arabic(texts[-1])
    assert len(texts) == 3  # the separators are still there


def test_arabic_article_docx_link_and_bold_land_on_their_english_words(project_glossary):
    data = (DATA / "sky-news-france-syria.ar.docx").read_bytes()
    translated = translate_document(data, "a.docx", project_glossary)
    out = docx.Document(io.BytesIO(translated))
    paragraph = out.paragraphs[1]
    items = list(paragraph.iter_inner_content())
    links = [x for x in items if isinstance(x, docx.text.hyperlink.Hyperlink)]
    # The glossary knows where "International Coalition" is: the link wraps exactly it.
    assert [(x.text, x.address) for x in links] == [("International Coalition", "https://www.skynewsarabia.com/")]
    assert [x.text for x in items if not isinstance(x, docx.text.hyperlink.Hyperlink) and x.bold] == ["AlryAsp Alfrnsyp"]
    assert [[c.text for c in row.cells] for row in out.tables[0].rows][1][0] == "SDF"
    assert not has_arabic(out.sections[0].header.paragraphs[0].text)
    props = list(stories(translated)["word/document.xml"].iter(f"{W}bidi", f"{W}rtl", f"{W}bidiVisual"))
    assert len(props) > 10 and all(p.get(f"{W}val") == "0" for p in props)  # the table's bidiVisual too


def test_arabic_that_no_unit_reaches_fails_the_document(project_glossary):
    # A tracked move keeps its old text in w:t: tarjama cannot translate it, so it says so.
    document = docx.Document()
    p = document.add_paragraph("أكدت الرئاسة الفرنسية")
    moved = etree.SubElement(p._p, f"{W}moveFrom", {f"{W}id": "1", f"{W}author": "x"})
    etree.SubElement(etree.SubElement(moved, f"{W}r"), f"{W}t").text = "ضد تنظيم داعش"
    buf = io.BytesIO()
    document.save(buf)
    done = translate_documents(Translator(engine=EchoEngine(), glossary=project_glossary), [("moved.docx", buf.getvalue())])[0]
    assert done.data is None
    assert done.error == "moved.docx: 1 piece(s) of text left in Arabic outside the translated paragraphs, e.g. 'ضد تنظيم داعش'"
