"""Never a silent success: every written document is read back by a second reader
(``tarjama.formats.audit``), and the holes that reader found are closed.

Each test is a way "N of N units translated" was once false with exit 0: cues merged,
Trados segments left empty, Arabic left where tarjama did not look, zip bombs inflated.
The documents are built in ``tmp_path`` from the real fixtures of ``tests/data/formats``
(python-docx, python-pptx and odfpy test files, attributed in ``tests/data/README.md``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pysubs2
import pytest
import webvtt
from fakes import EchoEngine
from lxml import etree

from tarjama import Translator
from tarjama.cli import app
from tarjama.documents import DocumentTranslation, check_output, translate_documents
from tarjama.formats import DocumentError, extract
from tarjama.formats.archive import open_zip, reproducible
from tarjama.formats.audit import audit
from tarjama.text.arabic import has_arabic

DATA = Path(__file__).parent / "data" / "formats"
X12 = "urn:oasis:names:tc:xliff:document:1.2"


def translate(data: bytes, name: str, allow_arabic: bool = False) -> DocumentTranslation:
    return translate_documents(Translator(engine=EchoEngine()), [(name, data)], allow_arabic=allow_arabic)[0]


def rezip(data: bytes, changes: dict[str, bytes]) -> bytes:
    """The zip ``data`` with some entries replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, changes.pop(info.filename, source.read(info)))
        for name, body in changes.items():
            target.writestr(name, body)
    return out.getvalue()


# -- 1. subtitles without blank lines between cues ----------------------------------------------
# As youtube-dl writes WebVTT, and as many SRT files come: no blank line before a timing line.
VTT_TIGHT = (
    "WEBVTT\n\n"
    "00:00:01.000 --> 00:00:03.000\nقالت الرئاسة الفرنسية\n"
    "00:00:03.000 --> 00:00:05.000\nإن فرنسا لا تنوي\n"
    "00:00:05.000 --> 00:00:07.000\nالقيام بعملية عسكرية\n"
    "00:00:07.000 --> 00:00:09.000\nفي شمال سوريا\n"
)
SRT_TIGHT = (
    "1\n00:00:01,000 --> 00:00:03,000\nقالت الرئاسة الفرنسية\n"
    "2\n00:00:03,000 --> 00:00:05,000\nإن فرنسا لا تنوي\n"
    "3\n00:00:05,000 --> 00:00:07,000\nالقيام بعملية عسكرية\n"
)


def test_vtt_cues_without_blank_lines_stay_four_cues():
    done = translate(VTT_TIGHT.encode(), "tight.vtt")
    assert done.problems == [] and done.units == done.translated == 4
    out = done.data.decode()
    assert "-&gt;" not in out and out.count(" --> ") == 4
    cues = list(webvtt.from_buffer(io.StringIO(out)))  # the WebVTT rules, by another library
    assert len(cues) == 4 and not any(has_arabic(c.text) for c in cues)
    assert [c.start for c in cues] == ["00:00:01.000", "00:00:03.000", "00:00:05.000", "00:00:07.000"]


def test_srt_cues_without_blank_lines_keep_their_numbers():
    done = translate(SRT_TIGHT.encode(), "tight.srt")
    assert done.problems == []
    subs = pysubs2.SSAFile.from_string(done.data.decode(), format_="srt")
    assert len(subs) == 3 and not any(has_arabic(e.text) for e in subs)
    assert done.data.decode().splitlines()[3] == "2"  # the cue number is not translated as text


def test_a_lone_dialogue_dash_is_kept():
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n- نعم، قالت الرئاسة\n"
    done = translate(vtt.encode(), "dash.vtt")
    assert done.problems == [] and done.data.decode().splitlines()[-1].startswith("- ")


YOUTUBE_DL_WORDS = {"yeah": "نعم", "what": "ماذا", "this": "هذا", "will": "سوف", "happen": "يحدث", "is": "هو",
                    "I'm": "أنا", "telling": "أقول"}


def test_youtube_dl_webvtt_keeps_its_cues_settings_and_karaoke_tags():
    """youtube-dl's WebVTT as webvtt-py's tests keep it (a cue with no blank line before
    the next timing line), its English words made Arabic in memory."""
    import re

    source = (DATA / "webvtt-py-youtube_dl.vtt").read_text(encoding="utf-8")
    arabic = re.sub(r"\b(yeah|what|this|will|happen|is|I'm|telling)\b", lambda m: YOUTUBE_DL_WORDS[m.group(1)], source)
    done = translate(arabic.encode(), "youtube_dl.vtt")
    assert done.problems == [] and done.units == done.translated == 4
    out = done.data.decode()
    timings = [line for line in source.splitlines() if "-->" in line]
    assert [line for line in out.splitlines() if "-->" in line] == timings  # settings too
    assert "-&gt;" not in out and not has_arabic(out)
    assert out.count("<00:05:0") == source.count("<00:05:0") == 5 and "<c.colorE5E5E5>" in out
    assert len(list(webvtt.from_buffer(io.StringIO(out)))) == 4


def test_the_audit_fails_merged_cues():
    """What the subtitle format once wrote for VTT_TIGHT (two cues merged, a timing line
    translated as text): the second reader sees 3 cues where the source has 4."""
    broken = VTT_TIGHT.replace("00:00:05.000 --> 00:00:07.000", "00:00:05.000 -&gt; 00:00:07.000")
    for arabic, english in [("قالت الرئاسة الفرنسية", "The presidency"), ("إن فرنسا لا تنوي", "France does not"),
                            ("القيام بعملية عسكرية", "carry out"), ("في شمال سوريا", "in northern Syria")]:
        broken = broken.replace(arabic, english)
    done = DocumentTranslation("tight.vtt", None, units=4)
    check_output(done, VTT_TIGHT.encode(), broken.encode())
    assert done.data is None and done.problems == ["4 cues in the source but 3 in the output"]


# -- 2, 3. XLIFF: Trados, copied targets, translate inheritance, the wrong direction -------------
SDLXLIFF = f"""<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" xmlns="{X12}" version="1.2" sdl:version="1.0">
<file original="news.docx" datatype="x-sdlfilterframework2" source-language="ar-SA" target-language="en-US">
<body>
<trans-unit id="a1"><source>قالت الرئاسة الفرنسية. إن فرنسا لا تنوي القيام بعملية.</source>
<seg-source><mrk mtype="seg" mid="1">قالت الرئاسة الفرنسية.</mrk> <mrk mtype="seg" mid="2">إن فرنسا لا تنوي القيام بعملية.</mrk></seg-source>
<target><mrk mtype="seg" mid="1"/> <mrk mtype="seg" mid="2"/></target>
<sdl:seg-defs><sdl:seg id="1"/><sdl:seg id="2"/></sdl:seg-defs>
</trans-unit>
<trans-unit id="a2"><source>في شمال سوريا</source><target>في شمال سوريا</target></trans-unit>
</body></file></xliff>
"""


def test_trados_sdlxliff_empty_segments_and_copied_targets_are_translated():
    done = translate(SDLXLIFF.encode(), "news.sdlxliff")
    assert done.problems == [] and done.units == 3 and done.translated == 3
    root = etree.fromstring(done.data)
    targets = root.findall(f".//{{{X12}}}target")
    assert all("".join(t.itertext()).strip() and not has_arabic("".join(t.itertext())) for t in targets)
    assert audit(done.data, "news.sdlxliff").letters == 0


def test_an_arabic_target_someone_signed_off_is_kept_and_fails_the_check():
    xliff = SDLXLIFF.replace("<target>في شمال سوريا</target>", '<target state="final">في شمال سوريا</target>')
    done = translate(xliff.encode(), "news.xlf")
    assert done.data is None and done.problems[0].startswith("Arabic left in the output at trans-unit a2: ")
    assert translate(xliff.encode(), "news.xlf", allow_arabic=True).data is not None


def test_xliff2_unit_translate_yes_inside_file_translate_no_is_translated():
    xliff = """<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ar" trgLang="en">
<file id="f1" translate="no"><unit id="u1" translate="yes"><segment><source>في شمال سوريا</source></segment></unit>
<unit id="u2"><segment><source>لا تترجم</source></segment></unit></file></xliff>"""
    done = translate(xliff.encode(), "inherit.xlf")
    assert done.problems == [] and done.units == 1
    assert b"lA ttrjm" not in done.data and "لا تترجم" in done.data.decode()  # u2 inherits translate="no"


def test_xliff_into_arabic_is_refused():
    xliff = f'<xliff xmlns="{X12}" version="1.2"><file original="x" source-language="en" target-language="ar" datatype="plaintext"><body><trans-unit id="1"><source>Hello</source></trans-unit></body></file></xliff>'
    done = translate(xliff.encode(), "en-ar.xlf")
    assert done.data is None and "translates en into ar" in done.problems[0]


# -- 4, 9. XML entities in Word and OpenDocument parts --------------------------------------------
@pytest.mark.parametrize("name,part", [("sky-news-france-syria.ar.docx", "word/document.xml"), ("sky-news-france-syria.ar.odt", "content.xml")])
def test_a_part_that_declares_an_entity_is_refused(name, part):
    data = (DATA / name).read_bytes()
    xml = zipfile.ZipFile(io.BytesIO(data)).read(part).decode()
    declaration_end = xml.index("?>") + 2
    root_name = xml[xml.index("<", declaration_end) + 1:].split()[0]
    hostile = xml[:declaration_end] + f'<!DOCTYPE {root_name} [<!ENTITY country "سوريا">]>' + xml[declaration_end:]
    hostile = hostile.replace("سوريا", "&country;", 1)
    with pytest.raises(DocumentError, match="entities"):
        extract(rezip(data, {part: hostile.encode()}), name)


# -- 5, 6, 7. Arabic where the format does not look: loud, not silent -----------------------------
def test_html_text_outside_the_formats_reach_fails_the_file_and_names_where():
    page = "<html><body><p>في شمال سوريا</p><math><mtext>قالت الرئاسة</mtext></math></body></html>"
    done = translate(page.encode(), "page.html")
    assert done.data is None and done.translated == 0
    assert done.problems[0].startswith("Arabic left in the output at <mtext>: ")
    allowed = translate(page.encode(), "page.html", allow_arabic=True)
    assert allowed.problems == [] and allowed.data and any("<mtext>" in n for n in allowed.notes)


def test_svg_text_textarea_noscript_and_template_are_translated():
    page = (
        '<p>في شمال سوريا</p><svg viewBox="0 0 9 9"><path d="M0 0"/><text x="1">عدد النازحين</text></svg>'
        "<textarea>قالت الرئاسة</textarea><noscript><p>قالت الرئاسة</p></noscript><template><p>قالت الرئاسة</p></template>"
    )
    done = translate(page.encode(), "page.html")
    assert done.problems == [] and done.units == done.translated == 5
    assert not has_arabic(done.data.decode()) and '<path d="M0 0"/><text x="1">' in done.data.decode()


@pytest.mark.parametrize("tag", ["<svg><text>قالت الرئاسة</text></svg>", "<noscript>قالت الرئاسة</noscript>",
                                 "<math><mi>قالت الرئاسة</mi></math>", '<iframe srcdoc="&lt;b&gt;قالت الرئاسة&lt;/b&gt;"></iframe>'])
def test_the_html_reader_sees_visible_text_everywhere(tag):
    found = audit(f"<html><body><p>North of Syria</p>{tag}</body></html>".encode(), "x.html")
    assert found.letters == len("قالتالرئاسة")


def test_code_is_kept_on_purpose_and_not_counted():
    found = audit("<p>Syria <code>متغير</code></p><script>var a = 'نص'</script>".encode(), "x.html")
    assert found.letters == 0
    assert audit("Text\n\n```\nنص برمجي\n```\n\n`رمز` here\n".encode(), "x.md").letters == 0


def test_markdown_nested_deeper_than_commonmarks_preset_is_translated_and_deeper_still_fails():
    deep_list = "".join("  " * level + f"- بند رقم {level} في شمال سوريا\n" for level in range(12))
    deep_quote = ">" * 25 + " قالت الرئاسة الفرنسية في شمال سوريا\n"
    for text, units in ((deep_list, 12), (deep_quote, 1)):
        done = translate(text.encode(), "deep.md")
        assert done.problems == [] and done.units == done.translated == units
        assert not has_arabic(done.data.decode())
    hostile = translate((">" * 3000 + " قالت الرئاسة\n").encode(), "hostile.md")
    assert hostile.data is None and hostile.problems  # never "0 of 0 units translated"


CHART = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart><c:title><c:tx><c:rich><a:p><a:r>'
    "<a:t>عدد النازحين</a:t></a:r></a:p></c:rich></c:tx></c:title><c:plotArea><c:barChart><c:ser><c:cat><c:strRef><c:strCache>"
    '<c:ptCount val="2"/><c:pt idx="0"><c:v>دمشق</c:v></c:pt><c:pt idx="1"><c:v>حلب</c:v></c:pt></c:strCache></c:strRef></c:cat>'
    '<c:val><c:numRef><c:numCache><c:pt idx="0"><c:v>12</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser></c:barChart>'
    "</c:plotArea></c:chart></c:chartSpace>"
)


def test_arabic_in_a_pptx_chart_is_not_zero_of_zero_translated():
    data = rezip((DATA / "python-pptx-txt-text.pptx").read_bytes(), {"ppt/charts/chart1.xml": CHART.encode()})
    done = translate(data, "chart.pptx")
    assert done.data is None and done.problems[0].startswith("Arabic left in the output at ppt/charts/chart1.xml")


def test_arabic_only_where_the_format_does_not_look_is_not_zero_of_zero_translated():
    """SmartArt is not translated: a presentation with Arabic only there fails, naming it."""
    smartart = CHART.replace("c:chartSpace", "dgm:dataModel").replace(
        "http://schemas.openxmlformats.org/drawingml/2006/chart", "http://schemas.openxmlformats.org/drawingml/2006/diagram"
    ).replace('xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram"', "").replace("c:", "dgm:")
    smartart = smartart.replace("<dgm:dataModel ", '<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" ', 1)
    data = rezip((DATA / "python-pptx-txt-text.pptx").read_bytes(), {"ppt/diagrams/data1.xml": smartart.encode()})
    assert audit(data, "x.pptx").letters > 0
    done = translate(data, "smartart.pptx")
    assert done.data is None and done.problems[0].startswith("Arabic left in the output at ppt/diagrams/data1.xml")


# -- files with no Arabic text ---------------------------------------------------------------------
def test_a_file_with_no_arabic_is_not_translated_but_noted():
    done = translate(b"# Syria\n\nNothing in Arabic here.\n", "english.md")
    assert done.problems == [] and done.no_arabic and done.units == 0
    assert "no Arabic text: nothing to translate" in done.notes


def test_batch_counts_files_with_no_arabic_apart(runner, echo_engine, tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "english.md").write_text("Nothing in Arabic.\n", encoding="utf-8")
    (src / "arabic.md").write_text("في شمال سوريا\n", encoding="utf-8")
    (src / "page.html").write_text("<p>سوريا</p><math><mtext>قالت</mtext></math>", encoding="utf-8")
    r = runner.invoke(app, ["batch", str(src), str(out), "--engine", "echo", "--json", "-q"])
    import json

    report = json.loads(r.stdout)
    assert r.exit_code == 1, r.stderr  # page.html failed its check
    assert report["summary"]["translated"] == 1 and report["summary"]["no_arabic"] == 1 and report["summary"]["failed"] == 1
    statuses = {f["path"]: f["status"] for f in report["files"]}
    assert statuses == {"arabic.md": "translated", "english.md": "no-arabic", "page.html": "failed"}
    assert not (out / "page.html").exists()
    r = runner.invoke(app, ["batch", str(src), str(out), "--engine", "echo", "--json", "-q", "--allow-arabic"])
    report = json.loads(r.stdout)
    assert r.exit_code == 0 and (out / "page.html").exists()
    assert any("Arabic left (allowed)" in n for f in report["files"] for n in f.get("notes", []))


def test_translate_cli_fails_with_one_line_and_allow_arabic_writes(runner, echo_engine, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>سوريا</p><math><mtext>قالت الرئاسة</mtext></math>", encoding="utf-8")
    out = tmp_path / "page.en.html"
    r = runner.invoke(app, ["translate", str(page), "--engine", "echo", "-o", str(out)])
    assert r.exit_code == 2 and not out.exists()
    # Past the line that names the engine, the failure is one line.
    failure = [line for line in r.stderr.splitlines() if not line.startswith("engine: ")]
    assert failure[0].startswith(f"Error: {page}: Arabic left in the output at <mtext>") and len(failure) == 1
    r = runner.invoke(app, ["translate", str(page), "--engine", "echo", "-o", str(out), "--allow-arabic"])
    assert r.exit_code == 0 and out.exists() and "note: Arabic left (allowed) at <mtext>" in r.stderr
    english = tmp_path / "english.txt"
    english.write_text("Nothing in Arabic.\n", encoding="utf-8")
    r = runner.invoke(app, ["translate", str(english), "--engine", "echo"])
    assert r.exit_code == 0 and "no Arabic text; nothing translated" in r.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    r = runner.invoke(app, ["translate", str(empty), "--engine", "echo"])
    assert r.exit_code == 0 and r.stdout == "" and "empty; nothing to translate" in r.stderr


# -- 8. zip bombs ----------------------------------------------------------------------------------
def bomb(data: bytes, size: int) -> bytes:
    return rezip(data, {"word/media/zeros.bin": b"\0" * size})


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    data = bomb((DATA / "sky-news-france-syria.ar.docx").read_bytes(), 64 * 1024 * 1024)
    assert len(data) < 200_000
    with pytest.raises(DocumentError, match=r"zeros\.bin inflates .* times its size .*zip bomb"):
        extract(data, "bomb.docx")
    with pytest.raises(DocumentError, match="zip bomb"):
        extract(bomb((DATA / "sky-news-france-syria.ar.pptx").read_bytes(), 64 * 1024 * 1024), "bomb.pptx")


def test_the_total_inflated_size_is_limited(monkeypatch):
    monkeypatch.setenv("TARJAMA_MAX_UNZIPPED", "100000")
    data = (DATA / "sky-news-france-syria.ar.odt").read_bytes()
    with pytest.raises(DocumentError, match="inflates to more than 100,000 bytes"):
        open_zip(rezip(data, {"Pictures/big.bin": bytes(range(256)) * 1000}), "big.odt")


# -- reproducible outputs ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["sky-news-france-syria.ar.docx", "sky-news-france-syria.ar.odt", "sky-news-france-syria.ar.pptx"])
def test_the_same_input_gives_the_same_bytes(name, monkeypatch):
    import time

    data = (DATA / name).read_bytes()
    monkeypatch.setattr(time, "time", lambda: 1_000_000_000.0)
    first = translate(data, name).data
    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.0)
    second = translate(data, name).data
    assert first is not None and first == second
    if name.endswith(".docx"):  # python-docx stamps the time: rewritten with a fixed one
        assert reproducible(first) == first
    docx.Document(io.BytesIO(first)) if name.endswith(".docx") else None


# -- the server goes through the same check -----------------------------------------------------------
def test_the_server_refuses_arabic_left_and_zip_bombs_with_a_4xx(tmp_path):
    from serving import GLOSSARY_TSV, make_app, request, running

    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "terms.tsv").write_text(GLOSSARY_TSV, encoding="utf-8")
    page = "<p>سوريا</p><math><mtext>قالت الرئاسة</mtext></math>".encode()
    bombed = bomb((DATA / "sky-news-france-syria.ar.docx").read_bytes(), 64 * 1024 * 1024)
    with running(make_app(EchoEngine(), folder)) as url:
        r = request("POST", f"{url}/translate_file", form={"source": "ar", "target": "en"}, files={"file": ("page.html", page)})
        assert r.status == 400 and r.json()["error"].startswith("page.html: Arabic left in the output at <mtext>"), r.text
        r = request("POST", f"{url}/v1/translate_file", files={"file": ("bomb.docx", bombed)})
        assert 400 <= r.status < 500 and "zip bomb" in r.text, r.text
