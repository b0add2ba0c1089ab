"""PDF in, Word/Markdown/HTML out: reading order repaired on real PDFs that store Arabic in
visual order with presentation forms, layout rebuilt (paragraphs, columns, headings, lists,
tables, running headers), and the whole path through `translate`, `batch` and the server,
with the echo engine (glossary terms come out as their English targets)."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import docx
import pytest

from pdf_fixtures import news_report, one_paragraph
from tarjama.cli import app
from tarjama.formats import DocumentError, format_for, output_name, output_suffix
from tarjama.formats.pdf import FORMAT
from tarjama.formats.pdf_lines import fold_glyph, visual_to_logical
from tarjama.text.arabic import has_arabic

DATA = Path(__file__).parent / "data" / "pdf"


def extract(path: Path):
    return FORMAT.extract(path.read_bytes(), path.name)


# -- reading order -----------------------------------------------------------------------------
def test_a_visual_line_is_read_right_to_left_with_latin_and_numbers_kept_left_to_right():
    visual = list("2024 ماع SDF تلاق")  # "قالت SDF عام 2024" as drawn, left to right
    assert visual_to_logical(visual) == "قالت SDF عام 2024"
    assert visual_to_logical(list(")ةعامج(")) == "(جماعة)"  # a closing bracket first is mirrored
    # Numbers are runs of their own, as the bidirectional algorithm lays them out; digits
    # after Latin letters belong to the Latin run.
    assert visual_to_logical(list(")غ.ت 15,00( 18,00 ةعاسلا")) == "الساعة 18,00 (15,00 ت.غ)"
    assert visual_to_logical(list("١٤٣٤ ليربإ ١٤")) == "١٤ إبريل ١٤٣٤"
    assert visual_to_logical(list("COVID-19 ءابو")) == "وباء COVID-19"
    assert fold_glyph("\ufefb") == "لا" and fold_glyph("\ufe8d") == "ا"  # presentation forms → letters


def test_real_pdf_with_visual_order_and_presentation_forms_is_read_in_logical_order():
    """tabula-java's arabic.pdf: a ruled table whose Arabic is stored glyph by glyph,
    left to right, as presentation forms (U+FExx)."""
    x = extract(DATA / "tabula-arabic.pdf")
    texts = {u.id: u.text for u in x.units}
    # The right column of an Arabic table is its first column.
    assert texts["page 1 table r1c1"] == "اسمي سلطان"
    assert texts["page 1 table r1c2"] == "مرحباً"  # the tanween, drawn above the line, stays on its letter
    assert texts["page 1 table r2c2"] == "انا من ولاية كارولينا الشمال"
    assert texts["page 1 table r3c1"] == "عندي 47 قطط"  # the number stays left to right
    assert texts["page 1 table r5c2"] == "Jeremy is جرمي in Arabic"  # Arabic inside an English line
    assert not any(re.search("[\ufb50-\ufdff\ufe70-\ufeff]", t) for t in texts.values())
    notes = " | ".join(x.notes)
    assert "1 tables" in notes and "stored in visual order" in notes and "80 Arabic presentation-form glyphs" in notes


def test_real_pdf_with_cid_font_reads_its_title():
    """pdf.js's ArabicCIDTrueType.pdf: one title in four fonts, in visual order."""
    x = extract(DATA / "pdfjs-ArabicCIDTrueType.pdf")
    assert [u.text for u in x.units] == ["انواع الخطوط العربية"] * 4


def test_a_pdf_drawn_with_shaped_arabic_reads_back_word_for_word(tmp_path):
    line = "قالت قوات سوريا الديمقراطية إن تنظيم داعش هاجم نقطة في دير الزور عام 2024 وقتل ثلاثة مقاتلين."
    x = extract(one_paragraph(tmp_path / "one.pdf", line))
    assert [u.text for u in x.units] == [line]  # two lines on the page, one paragraph


# -- layout ------------------------------------------------------------------------------------
def test_layout_columns_headings_lists_tables_and_running_headers(tmp_path):
    x = extract(news_report(tmp_path / "report.pdf"))
    ids = [(u.id.split()[2], u.text) for u in x.units]
    assert ids == [
        ("header", "المرصد السوري — تقرير أسبوعي"),  # once, not on every page
        ("heading", "هجوم في دير الزور"),
        ("paragraph", "قالت قسد إن داعش هاجم نقطة عسكرية في ريف دير الزور الشرقي فجر الإثنين."),  # right column first
        ("paragraph", "وأضافت أن الهجوم أسفر عن مقتل ثلاثة مقاتلين وإصابة خمسة آخرين بجروح."),
        ("item", "نقطة عسكرية في ريف دير الزور"),
        ("item", "ثلاثة مقاتلين"),
        ("table", "المكان"),
        ("table", "العدد"),
        ("table", "دير الزور"),
        ("table", "ثلاثة"),
        # one paragraph, from the foot of page 1 to the top of page 2
        ("paragraph", "وقالت مصادر محلية إن التحالف الدولي نفذ غارات على مواقع التنظيم في البادية السورية خلال الأسبوع الماضي."),
        ("paragraph", "وفي حلب قالت الحكومة السورية إن الهدوء عاد إلى المدينة."),
    ]
    notes = " | ".join(x.notes)
    assert "2 page numbers left out" in notes and "running header/footer kept once" in notes
    assert "not carried:" in notes and "exact layout" in notes


@pytest.mark.parametrize("suffix", [".docx", ".md", ".html"])
def test_translated_into_the_kind_the_output_names_with_no_arabic_left(tmp_path, suffix):
    from tarjama import Translator
    from tarjama.documents import translate_documents
    from fakes import EchoEngine

    source = news_report(tmp_path / "report.pdf")
    (done,) = translate_documents(Translator(engine=EchoEngine()), [(source.name, source.read_bytes())], outputs=[f"x{suffix}"])
    assert done.problems == [] and done.suffix == suffix and done.translated == done.units == 12
    if suffix == ".docx":
        document = docx.Document(io.BytesIO(done.data))
        paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
        assert paragraphs[0][0] == "Heading 1" and paragraphs[0][1]
        assert [s for s, _ in paragraphs].count("List Bullet") == 2
        assert len(document.tables) == 1 and len(document.tables[0].rows) == 2
        assert document.sections[0].header.paragraphs[0].text
        text = "\n".join(t for _, t in paragraphs) + "".join(c.text for r in document.tables[0].rows for c in r.cells)
        assert "SDF" in text and "ISIS" in text
    else:
        text = done.data.decode("utf-8")
        if suffix == ".md":
            assert text.splitlines()[2].startswith("# ") and "\n- " in text and "| --- | --- |" in text
        else:
            assert text.startswith("<!DOCTYPE html>") and "<h1>" in text and "<ul>" in text and "<table>" in text
        assert "SDF" in text and "ISIS" in text
    assert not has_arabic(text)


def test_output_kinds_and_names():
    assert format_for("r.pdf").outputs == (".docx", ".md", ".html")
    assert output_suffix("r.pdf") == ".docx" and output_suffix("r.PDF", "out.md") == ".md"
    assert output_name("in/report.pdf") == "in/report.docx" and output_name("scan.tiff", "x.html") == "scan.html"
    assert output_suffix("a.md", "b.txt") == ".md"  # other formats keep their own kind
    with pytest.raises(DocumentError, match=r"^r.pdf is translated into .docx, .md or .html \(chosen by the output's suffix\), not .txt$"):
        output_suffix("r.pdf", "out.txt")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"hello", "not a PDF file"),
        (b"%PDF-1.4\n garbage", "cannot read the PDF"),
    ],
)
def test_bad_pdf_is_one_line_error(data, message):
    with pytest.raises(DocumentError, match=message) as e:
        FORMAT.extract(data, "bad.pdf")
    assert "\n" not in e.value.message


def test_a_pdf_with_nothing_to_read_is_never_translated(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.output(str(tmp_path / "blank.pdf"))
    with pytest.raises(DocumentError, match=r"blank.pdf: OCR read no text on its 1 scanned page\(s\); nothing to translate"):
        extract(tmp_path / "blank.pdf")


# -- command line, batch, server -------------------------------------------------------------
def invoke(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def test_translate_pdf_without_o_writes_docx_next_to_it_and_o_chooses_the_kind(runner, echo_engine, tmp_path):
    source = news_report(tmp_path / "report.pdf")
    r = invoke(runner, "translate", source, "--engine", "echo")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "" and "12 of 12 pdf units translated" in r.stderr and "wrote " in r.stderr
    written = tmp_path / "report.en.docx"
    assert not any(has_arabic(p.text) for p in docx.Document(str(written)).paragraphs)
    r = invoke(runner, "translate", source, "--engine", "echo", "-o", tmp_path / "report.md")
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "report.md").read_text(encoding="utf-8").startswith("*")
    r = invoke(runner, "translate", source, "--engine", "echo", "-o", tmp_path / "report.txt")
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1 and "not .txt" in r.stderr
    assert not (tmp_path / "report.txt").exists()


def test_batch_writes_pdfs_as_docx_and_never_two_files_on_one_output(runner, echo_engine, tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    news_report(src / "report.pdf")
    news_report(src / "other.pdf")
    (src / "other.docx").write_bytes((Path(__file__).parent / "data" / "formats" / "sky-news-france-syria.ar.docx").read_bytes())
    r = invoke(runner, "batch", src, out, "--engine", "echo", "--json")
    assert r.exit_code in (0, 1), r.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["other.docx", "report.docx"]
    assert "already the translation of" in r.stdout
    assert len(docx.Document(str(out / "report.docx")).tables) == 1


def test_server_translates_a_pdf_into_docx_or_the_kind_asked(tmp_path):
    from fakes import EchoEngine
    from serving import make_app, request, running

    source = news_report(tmp_path / "report.pdf").read_bytes()
    with running(make_app(EchoEngine())) as url:
        r = request("POST", f"{url}/v1/translate_file", files={"file": ("report.pdf", source)})
        assert r.status == 200, r.text
        body = r.json()
        assert body["filename"] == "report.docx" and body["translation"] == ""
        document = docx.Document(io.BytesIO(base64.b64decode(body["document_base64"])))
        assert len(document.tables) == 1 and not any(has_arabic(p.text) for p in document.paragraphs)
        r = request("POST", f"{url}/v1/translate_file", files={"file": ("report.pdf", source)}, form={"output": "md"})
        assert r.status == 200 and r.json()["filename"] == "report.md" and "| --- | --- |" in r.json()["translation"]
        r = request("POST", f"{url}/v1/translate_file", files={"file": ("report.pdf", source)}, form={"output": "txt"})
        assert r.status == 400 and "not .txt" in r.json()["error"]
        r = request("POST", f"{url}/translate_file", form={"source": "ar", "target": "en"}, files={"file": ("report.pdf", source)})
        assert r.status == 200 and r.json()["translatedFileUrl"].endswith(".report.docx")
        r = request("POST", f"{url}/v1/translate_file", files={"file": ("bad.pdf", b"%PDF-1.4 nothing")})
        assert r.status == 400 and r.json()["error"].startswith("bad.pdf: cannot read the PDF")



@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_page_shown_rotated_is_read_in_its_own_orientation(tmp_path, rotation):
    import pypdfium2

    line = "قالت قسد إن داعش هاجم نقطة في دير الزور."
    document = pypdfium2.PdfDocument(str(one_paragraph(tmp_path / "upright.pdf", line)))
    document[0].set_rotation(rotation)
    document.save(str(tmp_path / "rotated.pdf"))
    document.close()
    x = extract(tmp_path / "rotated.pdf")
    assert [u.text for u in x.units] == [line]


def test_diacritics_stay_on_their_letters_and_a_bracket_broken_over_two_lines_turns_right(tmp_path):
    """Both from real news (ANT corpus: France 24 Arabic FR-internationalNews-622-20180408 and
    Sky News Arabia SK-middleEast-505-20180323; the bracket: BB-middleEast-110-20180227): a kasratan
    under an alef inside a lam-alef ligature, a damma; a parenthesis whose two halves fall
    on two lines of a column."""
    line = "وتدعم الاٍرهاب في سوريا التي تُكلف بها"
    assert [u.text for u in extract(one_paragraph(tmp_path / "marks.pdf", line)).units] == [line]
    # The second line of "(7:00 إلى 12:00 بتوقيت غرنيتش) يوميا", drawn with shape-mapped glyphs:
    assert visual_to_logical(list(".ايموي (شتينرغ تيقوتب")) == "بتوقيت غرنيتش) يوميا."
