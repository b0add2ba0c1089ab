"""Scanned PDFs and images read by the real Tesseract with its Arabic data (CI installs
tesseract-ocr and tesseract-ocr-ara), and the one-line error when it is missing."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from pdf_fixtures import one_paragraph, scan_of
from tarjama.cli import app
from tarjama.formats import DocumentError
from tarjama.formats.image import FORMAT as IMAGE
from tarjama.formats.pdf import FORMAT as PDF
from tarjama.text.arabic import has_arabic

LINE = "قالت قسد إن داعش هاجم نقطة في دير الزور."


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scans")
    source = one_paragraph(folder / "typed.pdf", LINE)
    return scan_of(source, folder / "scan.pdf"), scan_of(source, folder / "scan.png")


def test_a_scanned_pdf_is_read_by_tesseract(scans):
    x = PDF.extract(scans[0].read_bytes(), "scan.pdf")
    assert [u.text for u in x.units] == [LINE]
    assert any("1 page read by OCR (Tesseract, ara+eng)" in n and "mean confidence" in n for n in x.notes)


def test_an_image_is_read_and_translated_into_markdown(scans, runner, echo_engine, tmp_path):
    out = tmp_path / "scan.en.md"
    r = runner.invoke(app, ["translate", str(scans[1]), "--engine", "echo", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    assert "1 of 1 image units translated" in r.stderr and "read by OCR" in r.stderr
    text = out.read_text(encoding="utf-8")
    assert "SDF" in text and "ISIS" in text and not has_arabic(text)


def test_every_page_of_a_tiff_is_read(scans, tmp_path):
    from PIL import Image

    page = Image.open(scans[1])
    tiff = io.BytesIO()
    page.save(tiff, format="TIFF", save_all=True, append_images=[page.copy()])
    x = IMAGE.extract(tiff.getvalue(), "two.tiff")
    assert [u.text for u in x.units] == [LINE, LINE] and [u.id.split()[1] for u in x.units] == ["1", "2"]


def test_a_damaged_image_is_a_one_line_error():
    with pytest.raises(DocumentError, match="^photo.png: ") as e:
        IMAGE.extract(b"\x89PNG\r\n\x1a\n broken", "photo.png")
    assert "\n" not in e.value.message


def test_without_tesseract_a_scan_is_a_one_line_error_naming_what_to_install(scans, monkeypatch, runner, echo_engine, tmp_path):
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "no-tesseract-here"))
    for path, fmt in ((scans[0], PDF), (scans[1], IMAGE)):
        with pytest.raises(DocumentError) as e:
            fmt.extract(path.read_bytes(), path.name)
        assert "Tesseract is not installed" in e.value.message
        assert "apt-get install tesseract-ocr tesseract-ocr-ara" in e.value.message and "\n" not in e.value.message
    out = tmp_path / "scan.docx"
    r = runner.invoke(app, ["translate", str(scans[0]), "--engine", "echo", "-o", str(out)])
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1 and "tesseract-ocr-ara" in r.stderr
    assert not out.exists() and "translated" not in r.stderr


def test_a_text_pdf_never_needs_tesseract(monkeypatch, tmp_path):
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "no-tesseract-here"))
    x = PDF.extract(one_paragraph(tmp_path / "typed.pdf", LINE).read_bytes(), "typed.pdf")
    assert [u.text for u in x.units] == [LINE]


def test_a_real_scan_with_one_word_on_a_blank_page_is_read():
    """Tesseract's own test image testing/arabic.tif: one word on a large blank page, which
    automatic page segmentation misses; sparse-text segmentation reads it."""
    data = (Path(__file__).parent / "data" / "pdf" / "tesseract-arabic.tif").read_bytes()
    x = IMAGE.extract(data, "arabic.tif")
    assert [u.text for u in x.units] == ["العربي"]


def test_an_image_too_large_to_read_is_refused_before_it_is_decoded():
    from PIL import Image

    big = io.BytesIO()
    Image.new("1", (10_000, 7_000)).save(big, format="PNG")  # 70 million pixels, a few kB
    with pytest.raises(DocumentError, match=r"^huge.png: the image is too large to read \(10000×7000 pixels\)$"):
        IMAGE.extract(big.getvalue(), "huge.png")


def test_batch_reads_a_scan_once_and_writes_it_as_docx(scans, runner, echo_engine, monkeypatch, tmp_path):
    import shutil

    import pytesseract

    calls = []
    real = pytesseract.image_to_data

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pytesseract, "image_to_data", counted)
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(scans[1], src / "scan.png")
    r = runner.invoke(app, ["batch", str(src), str(out), "--engine", "echo"])
    assert r.exit_code == 0, r.stderr
    document = docx.Document(str(out / "scan.docx"))
    assert any("SDF" in p.text for p in document.paragraphs) and len(calls) == 1  # planned and translated from one read
