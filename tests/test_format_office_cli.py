"""Excel, EPUB and OpenDocument presentations through the command line (`tarjama translate
FILE -o`, `tarjama batch`) and the server (`/v1/translate_file`, LibreTranslate's
`/translate_file`, the web page's file picker), with the echo engine."""

from __future__ import annotations

import base64
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
from fakes import EchoEngine
from lxml import etree
from serving import GLOSSARY_TSV, make_app, request, running

from tarjama.cli import app
from tarjama.formats import supported_suffixes
from tarjama.text.arabic import has_arabic

DATA = Path(__file__).parent / "data" / "formats"
EPUB = DATA / "idpf-regime-anticancer-arabic.epub"


def invoke(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def arabic_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "قالت قسد إن عناصر داعش هاجموا السجن."
    sheet["A2"] = 1234.5
    sheet["A3"] = "=A2*2"
    book.save(path)
    return path


def english_cells(data: bytes) -> list:
    return [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows()]


def test_translate_xlsx_needs_an_output_file_and_reports_its_units(runner, echo_engine, tmp_path):
    source = arabic_workbook(tmp_path / "news.xlsx")
    r = invoke(runner, "translate", source, "--engine", "echo")
    assert r.exit_code == 2 and "give -o FILE" in r.stderr and r.stdout == ""
    out = tmp_path / "news.en.xlsx"
    r = invoke(runner, "translate", source, "--engine", "echo", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert "1 of 1 xlsx units translated" in r.stderr
    cells = english_cells(out.read_bytes())
    assert not has_arabic(cells[0][0]) and cells[1:] == [[1234.5], ["=A2*2"]]


def test_translate_epub_and_a_damaged_book_is_exit_2_and_nothing_written(runner, echo_engine, tmp_path):
    out = tmp_path / "book.en.epub"
    r = invoke(runner, "translate", EPUB, "--engine", "echo", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert re.search(r"(\d+) of \1 epub units translated", r.stderr)
    z = zipfile.ZipFile(out)
    assert z.infolist()[0].filename == "mimetype" and z.infolist()[0].compress_type == zipfile.ZIP_STORED
    bad = tmp_path / "damaged.epub"
    bad.write_bytes(EPUB.read_bytes()[:2000])
    r = invoke(runner, "translate", bad, "--engine", "echo", "-o", tmp_path / "damaged.en.epub")
    assert r.exit_code == 2 and r.stderr.startswith("Error: ") and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr and not (tmp_path / "damaged.en.epub").exists()


def test_batch_translates_workbooks_books_and_presentations(runner, echo_engine, tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    arabic_workbook(src / "figures.xlsx")
    shutil.copy(EPUB, src / "book.epub")
    from test_format_odp import arabised

    (src / "deck.odp").write_bytes(arabised())
    r = invoke(runner, "batch", src, out, "--engine", "echo", "--no-cache")
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["book.epub", "deck.odp", "figures.xlsx"]
    assert not has_arabic(english_cells((out / "figures.xlsx").read_bytes())[0][0])
    content = zipfile.ZipFile(out / "book.epub").read("EPUB/Content/C_content.xhtml").decode()
    assert 'lang="en"' in content and not has_arabic(re.sub(r"<[^>]+>", "", content))
    assert zipfile.ZipFile(out / "deck.odp").read("mimetype") == b"application/vnd.oasis.opendocument.presentation"


def test_server_translates_the_new_formats_and_the_page_offers_them(tmp_path):
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "terms.tsv").write_text(GLOSSARY_TSV, encoding="utf-8")
    workbook = arabic_workbook(tmp_path / "figures.xlsx").read_bytes()
    with running(make_app(EchoEngine(), folder)) as url:
        r = request("POST", f"{url}/v1/translate_file", files={"file": ("figures.xlsx", workbook)})
        assert r.status == 200, r.text
        body = r.json()
        assert body["translation"] == "" and body["filename"] == "figures.xlsx"
        cells = english_cells(base64.b64decode(body["document_base64"]))
        assert "SDF" in cells[0][0] and "ISIS" in cells[0][0] and cells[2] == ["=A2*2"]
        assert body["paragraphs"] == [cells[0][0]]  # what the page shows for a binary document

        r = request("POST", f"{url}/translate_file", form={"source": "ar", "target": "en"}, files={"file": ("book.epub", EPUB.read_bytes())})
        assert r.status == 200, r.text
        book = zipfile.ZipFile(io.BytesIO(request("GET", r.json()["translatedFileUrl"]).body))
        assert book.read("mimetype") == b"application/epub+zip"

        r = request("POST", f"{url}/v1/translate_file", files={"file": ("broken.xlsx", b"PK\x03\x04 not really")})
        assert r.status == 400 and "not an Excel .xlsx file" in r.json()["error"]

        accepted = request("GET", f"{url}/frontend/settings").json()["supportedFilesFormat"]  # the page's file picker
    assert {".xlsx", ".epub", ".odp", ".pptx"} <= set(accepted) and set(supported_suffixes()) <= set(accepted)


def test_translate_pptx_speaker_notes_through_the_command_line(runner, echo_engine, tmp_path):
    from test_format_pptx import A, arabised

    data = arabised(DATA / "python-pptx-sld-notes.pptx")
    z = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(z.read("ppt/slides/slide1.xml"))
    next(root.iter("{*}cNvPr")).set("descr", "صورة من الحسكة")  # a shape's alternative text
    slide = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    layout = next(n for n in sorted(z.namelist()) if n.startswith(("ppt/slideLayouts/", "ppt/slideMasters/", "ppt/notesMasters/")) and b"<a:t>" in z.read(n))
    layout_xml = re.sub(rb"<a:t>[^<]*</a:t>", "<a:t>انقر لإضافة عنوان</a:t>".encode(), z.read(layout), count=1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in z.infolist():
            target.writestr(info, {"ppt/slides/slide1.xml": slide, layout: layout_xml}.get(info.filename, z.read(info)))
    source = tmp_path / "deck.pptx"
    source.write_bytes(buffer.getvalue())
    notes_in = etree.fromstring(zipfile.ZipFile(source).read("ppt/notesSlides/notesSlide1.xml"))
    assert has_arabic("".join(t.text or "" for t in notes_in.iter(f"{A}t")))
    out = tmp_path / "deck.en.pptx"
    r = invoke(runner, "translate", source, "--engine", "echo", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert f"note: Arabic left as written in {layout} (not translated)" in r.stderr  # a placeholder prompt: said
    shape = etree.fromstring(zipfile.ZipFile(out).read("ppt/slides/slide1.xml")).find(".//{*}cNvPr")
    assert "Hasakah" in shape.get("descr") and not has_arabic(shape.get("descr"))  # the alt text, translated
    notes = etree.fromstring(zipfile.ZipFile(out).read("ppt/notesSlides/notesSlide1.xml"))
    text = "".join(t.text or "" for t in notes.iter(f"{A}t"))
    assert text.strip() and not has_arabic(text)
    # The notes page keeps its slide picture and its placeholders.
    assert [sp.tag for sp in notes.iter("{*}sp", "{*}pic")] == [sp.tag for sp in notes_in.iter("{*}sp", "{*}pic")]
