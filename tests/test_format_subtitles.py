"""Subtitles: cue timings, numbers and blocks kept, the lines of a cue translated together.

Structure in and out is compared with independent parsers: pysubs2 for SubRip, webvtt-py
for WebVTT.
"""

from __future__ import annotations

import re
from pathlib import Path

import pysubs2
import pytest
import webvtt
from format_translation import translate_document, translate_units

from tarjama.formats import DocumentError, extract
from tarjama.formats.subtitles import LINE_WIDTH, _break_lines
from tarjama.text.arabic import has_arabic

DATA = Path(__file__).parent / "data" / "formats"
SRT = DATA / "sky-news-france-syria.ar.srt"
VTT = DATA / "sky-news-france-syria.ar.vtt"


def _plain(text: str) -> str:
    return re.sub(r"<[^>]*>|\{\\[^}]*\}", "", text)


def test_srt_cue_timings_numbers_and_line_ends_are_kept(tmp_path, project_glossary):
    data = SRT.read_bytes()
    out = translate_document(data, "a.srt", project_glossary)
    (tmp_path / "out.srt").write_bytes(out)
    before = pysubs2.load(str(SRT), encoding="utf-8")
    after = pysubs2.load(str(tmp_path / "out.srt"), encoding="utf-8")
    assert [(e.start, e.end) for e in after] == [(e.start, e.end) for e in before]
    assert len(after) == 5
    for event in after:
        assert not has_arabic(_plain(event.text)), event.text
    text = out.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")  # CRLF line ends as in the source
    source_lines = data.decode("utf-8").split("\r\n")
    kept = [line for line in source_lines if "-->" in line or line.isdigit()]
    assert [line for line in text.split("\r\n") if "-->" in line or line.isdigit()] == kept


def test_srt_cue_lines_are_one_unit_rebroken_and_tags_follow_the_words(project_glossary):
    extracted = extract(SRT.read_bytes(), "a.srt")
    ids = [u.id for u in extracted.units]
    # Cue 1's two lines are one sentence, one unit; cue 3 is a dialogue: a unit per speaker;
    # cue 4 (a number) is not sent at all.
    assert ids == ["cue 1", "cue 2", "cue 3.1", "cue 3.2", "cue 5"]
    assert extracted.units[0].text.startswith("أكدت الرئاسة") and "تنوي القيام" in extracted.units[0].text
    assert extracted.units[2].text == "تعهد ماكرون بدعم قوات سوريا الديمقراطية."
    translated = translate_units(extracted.units, project_glossary)
    cues = extracted.rebuild(translated).decode("utf-8").split("\r\n\r\n")
    first = cues[0].split("\r\n")[2:]
    assert all(len(line) <= LINE_WIDTH for line in first)
    assert " ".join(first) == translated[0].text
    second = " ".join(cues[1].split("\r\n")[2:])
    assert second.startswith("{\\an8}") and second.count("<i>") == 1 and second.count("</i>") == 1
    assert "ISIS" in second
    dialogue = cues[2].split("\r\n")[2:]
    assert len(dialogue) == 2 and all(line.startswith("- ") for line in dialogue)
    assert "SDF" in dialogue[0]
    assert cues[3].split("\r\n")[2] == "2018"
    fifth = "\r\n".join(cues[4].split("\r\n")[2:])
    assert fifth.startswith('<font color="#ffff00">') and fifth.count("</font>") == 1


def test_vtt_blocks_settings_and_timings_are_kept(tmp_path, project_glossary):
    data = VTT.read_bytes()
    assert [u.id for u in extract(data, "a.vtt").units][:2] == ["cue 1", "cue 1 speaker"]
    out = translate_document(data, "a.vtt", project_glossary)
    path = tmp_path / "out.vtt"
    path.write_bytes(out)
    before, after = webvtt.read(str(VTT)), webvtt.read(str(path))
    assert [(c.identifier, c.start, c.end) for c in after] == [(c.identifier, c.start, c.end) for c in before]
    for cue in after:
        assert not has_arabic(cue.text), cue.text
    text = out.decode("utf-8")
    source = data.decode("utf-8")
    # Everything before the first cue (header, NOTE, STYLE) and every timing line with its
    # settings are the source's bytes.
    assert text.split("intro\n")[0] == source.split("intro\n")[0].replace("Language: ar", "Language: en")
    assert [line for line in text.splitlines() if "-->" in line] == [line for line in source.splitlines() if "-->" in line]
    first = after[0].raw_text
    # The speaker's name is translated too (a unit of its own), the class tag kept.
    assert re.match(r"<v [A-Za-z]+>", first) and not has_arabic(first)
    assert first.count("<c.yellow>") == 1 and first.count("</c>") == 1
    assert "&rlm;" not in first and "\u200f" not in first  # a direction mark has no place in English
    assert "&amp;" in after[1].raw_text  # the ampersand written as WebVTT wants it
    karaoke = after[3].raw_text
    assert karaoke.startswith("<00:00:11.600>") and karaoke.count("<00:00:12.000>") == 1


def test_break_lines_balances_and_never_exceeds_the_width_when_words_allow():
    text = "French presidency confirmed on Friday that France does not intend any new military operation"
    broken = _break_lines(text)
    lines = broken.split("\n")
    assert len(broken) == len(text) and broken.replace("\n", " ") == text
    assert len(lines) == 3 and all(len(line) <= LINE_WIDTH for line in lines)
    assert max(map(len, lines)) - min(map(len, lines)) < 12
    assert _break_lines("short line") == "short line"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("a.vtt", "1\n00:00:01.000 --> 00:00:02.000\nقسد\n", "not WebVTT"),
        ("a.srt", "1\n00:00:0 --> 00:00:02,000\nقسد\n", "line 2: not a cue timing"),
        ("a.srt", "قسد\nداعش\n", "no subtitle cues"),
    ],
)
def test_bad_subtitles_are_one_line_errors(name, data, message):
    with pytest.raises(DocumentError) as e:
        extract(data.encode("utf-8"), name)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_a_windows_1256_srt_is_read_named_and_written_as_utf8(project_glossary):
    # Arabic subtitles often circulate in the Windows Arabic code page.
    data = SRT.read_bytes().decode("utf-8").encode("cp1256")
    extracted = extract(data, "a.srt")
    assert extracted.notes == ["read as WINDOWS-1256 (detected)"]
    assert extracted.units[0].text.startswith("أكدت الرئاسة الفرنسية")
    out = extracted.rebuild(translate_units(extracted.units, project_glossary)).decode("utf-8")
    assert "00:00:13,100 --> 00:00:17,000" in out and not has_arabic(out)


@pytest.mark.parametrize(
    "name, format_name, binary",
    [("a.srt", "subtitles", False), ("B.VTT", "subtitles", False), ("c.xlf", "xliff", False), ("d.xliff", "xliff", False),
     ("e.docx", "docx", True), ("f.odt", "odt", True), ("g.pptx", "pptx", True)],
)
def test_the_registry_routes_each_suffix_to_its_format(name, format_name, binary):
    from tarjama.formats import format_for

    fmt = format_for(name)
    assert fmt.name == format_name and fmt.binary is binary
