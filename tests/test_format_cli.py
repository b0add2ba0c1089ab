"""Word, subtitles, XLIFF, OpenDocument and PowerPoint through the command line:
`tarjama translate FILE` and `tarjama batch`, with the echo engine."""

from __future__ import annotations

import io
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import docx

from tarjama.cli import app
from tarjama.text.arabic import has_arabic

DATA = Path(__file__).parent / "data" / "formats"
X12 = "{urn:oasis:names:tc:xliff:document:1.2}"


def invoke(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def test_translate_xliff_writes_valid_xliff_to_stdout(runner, echo_engine):
    r = invoke(runner, "translate", DATA / "sky-news-france-syria.ar-1.2.xlf", "--engine", "echo")
    assert r.exit_code == 0, r.stderr
    root = ET.fromstring(r.stdout_bytes)
    assert len(root.findall(f".//{X12}target[@state-qualifier='leveraged-mt']")) == 5
    assert "6 of 6 xliff units translated" in r.stderr and "note: kept 1 existing target" in r.stderr


def test_translate_docx_needs_an_output_file_and_writes_it_atomically(runner, echo_engine, tmp_path):
    source = DATA / "sky-news-france-syria.ar.docx"
    r = invoke(runner, "translate", source, "--engine", "echo")
    assert r.exit_code == 2 and "give -o FILE" in r.stderr and r.stdout == ""
    out = tmp_path / "article.en.docx"
    r = invoke(runner, "translate", source, "--engine", "echo", "-o", out)
    assert r.exit_code == 0, r.stderr
    document = docx.Document(str(out))
    assert document.paragraphs[1].text.startswith("Akdt") and not has_arabic(document.paragraphs[1].text)
    assert [p.name for p in tmp_path.iterdir()] == ["article.en.docx"]  # no temporary file left


def test_hostile_xliff_is_an_error_exit_2_and_nothing_written(runner, echo_engine, tmp_path):
    hostile = tmp_path / "hostile.xlf"
    hostile.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x" source-language="ar" '
        'datatype="plaintext"><body><trans-unit id="1"><source>قسد &secret;</source></trans-unit></body></file></xliff>',
        encoding="utf-8",
    )
    out = tmp_path / "out.xlf"
    r = invoke(runner, "translate", hostile, "--engine", "echo", "-o", out)
    assert r.exit_code == 2
    assert r.stderr.startswith("Error: ") and "entities" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_batch_translates_every_new_format_in_a_folder(runner, echo_engine, tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name in ("sky-news-france-syria.ar.docx", "sky-news-france-syria.ar.srt", "sky-news-france-syria.ar.vtt",
                 "sky-news-france-syria.ar-2.0.xlf"):
        shutil.copy(DATA / name, src / name)
    r = invoke(runner, "batch", src, out, "--engine", "echo", "--no-cache")
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(p.name for p in src.iterdir())
    assert not has_arabic(docx.Document(io.BytesIO((out / "sky-news-france-syria.ar.docx").read_bytes())).paragraphs[1].text)
    assert b"\n" not in (out / "sky-news-france-syria.ar.srt").read_bytes().replace(b"\r\n", b"")  # CRLF kept
    assert ET.fromstring((out / "sky-news-france-syria.ar-2.0.xlf").read_bytes()).get("trgLang") == "en"
