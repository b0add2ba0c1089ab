"""The command line end to end, with a runner (and the tiny model where a model is needed)."""

import json
import os
from pathlib import Path

import pytest

from tarjama.cli import app
from tarjama.files import write_atomic

ARTICLE = Path(__file__).resolve().parent.parent / "seeds" / "hasakah-prison.ar.txt"


def invoke(runner, *args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


@pytest.fixture
def tiny(tiny_model):
    return ["--model", str(tiny_model), "--beams", "1"]


# -- translate ------------------------------------------------------------------------------
def test_translate_text_keeps_one_paragraph_per_line(runner, tiny):
    r = invoke(runner, "translate", ARTICLE, *tiny)
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 14 and all(lines)
    assert "glossary terms applied, 0 unresolved" in r.stderr
    assert "SDF" in lines[0] and "Cubs of the Caliphate" in lines[4]


def test_translate_json_has_one_object_per_sentence(runner, tiny):
    r = invoke(runner, "translate", ARTICLE, *tiny, "--format", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert {d["paragraph"] for d in data} == set(range(1, 15))
    first = data[0]
    assert set(first) >= {"paragraph", "sentence", "source", "translation", "glossary"}
    assert first["glossary"][0]["target"] == "SDF" and first["glossary"][0]["status"] == "applied"


def test_translate_bilingual(runner, tiny):
    r = invoke(runner, "translate", ARTICLE, *tiny, "--format", "bilingual")
    assert r.exit_code == 0, r.stderr
    blocks = r.stdout.strip().split("\n\n")
    assert len(blocks) == 14
    source, translation = blocks[4].split("\n")
    assert source == ARTICLE.read_text(encoding="utf-8").splitlines()[4]
    assert "Cubs of the Caliphate" in translation


def test_translate_reads_stdin_and_keeps_blank_lines(runner, tiny):
    r = invoke(runner, "translate", "-", *tiny, "-q", input="قالت قسد.\n\nوقال داعش.\n")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.split("\n")
    assert lines[1] == "" and "SDF" in lines[0] and "ISIS" in lines[2]
    assert r.stderr == ""  # --quiet


def test_output_file_is_written_atomically(runner, tiny, tmp_path):
    out = tmp_path / "out.txt"
    r = invoke(runner, "translate", ARTICLE, *tiny, "-o", out)
    assert r.exit_code == 0 and r.stdout == ""
    assert len(out.read_text(encoding="utf-8").splitlines()) == 14
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temp file left


def test_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "out.txt"
    out.write_text("old", encoding="utf-8")

    def crash(*a):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(out, "new " * 10000)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_empty_and_blank_input_give_empty_output(runner, tmp_path):
    # No model is needed (or loaded) for nothing: the default model is not even cached here.
    # Blank lines stay lines: one (blank) output line per input line.
    for content, expected in (("", ""), ("   \n\n \t\n", "\n\n\n")):
        f = tmp_path / "empty.txt"
        f.write_text(content, encoding="utf-8")
        r = invoke(runner, "translate", f)
        assert r.exit_code == 0, r.stderr
        assert r.stdout == expected


def test_bom_and_crlf_are_accepted(runner, echo_engine, tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes("\ufeffقالت قسد\r\nوداعش".encode("utf-8"))
    r = invoke(runner, "translate", f, "--engine", "echo")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "QAlt SDF\nW ISIS\n"


def missing(d):
    return d / "missing.txt"


def not_utf8(d):
    (d / "bad.txt").write_bytes("سطر\nقسد ".encode() + b"\xff")
    return d / "bad.txt"


@pytest.mark.parametrize(
    "make, message",
    [
        (missing, "missing.txt: no such file"),
        (lambda d: d, "is a directory"),
        (not_utf8, "bad.txt: not UTF-8: byte 0xff at line 2, column 8"),
    ],
)
def test_bad_input_is_one_clear_line(runner, tmp_path, make, message):
    r = invoke(runner, "translate", make(tmp_path))
    assert r.exit_code == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith("Error: ")


def test_unreadable_file(runner, tmp_path, monkeypatch):
    f = tmp_path / "secret.txt"
    f.write_text("قسد", encoding="utf-8")

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    r = invoke(runner, "translate", f)
    assert r.exit_code == 2 and "permission denied" in r.stderr


def test_malformed_glossary_is_reported_with_file_and_line(runner, tmp_path):
    g = tmp_path / "g.tsv"
    g.write_text("source\ttarget\nقسد\t\n", encoding="utf-8")
    r = invoke(runner, "translate", ARTICLE, "--glossary", g)
    assert r.exit_code == 2 and f"{g}:2: empty target" in r.stderr


def test_glossary_options_exclude_each_other(runner, tmp_path):
    r = invoke(runner, "translate", ARTICLE, "--glossary", tmp_path, "--no-glossary")
    assert r.exit_code == 2 and "exclude each other" in r.stderr


def test_unknown_engine(runner):
    r = invoke(runner, "translate", ARTICLE, "--engine", "nope")
    assert r.exit_code == 2 and "unknown engine 'nope'" in r.stderr


def test_no_glossary_means_no_enforcement(runner, echo_engine):
    r = invoke(runner, "translate", "-", "--engine", "echo", "--no-glossary", input="قالت قسد")
    assert r.exit_code == 0 and r.stdout == "QAlt qsd\n" and "glossary" not in r.stderr


# -- glossary find -----------------------------------------------------------------------------
def test_glossary_find_json_lists_every_seed_term(runner):
    r = invoke(runner, "glossary", "find", ARTICLE, "--json")
    assert r.exit_code == 0, r.stderr
    text = ARTICLE.read_text(encoding="utf-8")
    hits = json.loads(r.stdout)
    assert len(hits) == 53
    for h in hits:
        assert set(h) >= {"start", "end", "text", "source", "target"}
        assert text[h["start"] : h["end"]] == h["text"]
    assert sum(h["target"] == "SDF" for h in hits) == 10


def test_glossary_find_text_output(runner, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text('سطر\nقال لـ"داعش"', encoding="utf-8")
    r = invoke(runner, "glossary", "find", f)
    assert r.exit_code == 0
    assert r.stdout.startswith("2:") and "داعش\t→ ISIS" in r.stdout


# -- check ----------------------------------------------------------------------------------------
@pytest.fixture
def pair(tmp_path):
    src = tmp_path / "src.ar.txt"
    src.write_text('قالت "قسد" إن داعش هاجم السجن.\nوصل الرتل إلى الحسكة.\n', encoding="utf-8")
    tgt = tmp_path / "tgt.en.txt"
    tgt.write_text("Qasad said that Daesh attacked the prison.\nThe convoy reached Hasakah.\n", encoding="utf-8")
    return src, tgt


def test_check_finds_daesh_and_qasad(runner, pair):
    src, tgt = pair
    r = invoke(runner, "check", "--source", src, "--translation", tgt, "--json")
    assert r.exit_code == 1
    problems = json.loads(r.stdout)
    kinds = {(p["kind"], p["target"], p["found"]) for p in problems}
    assert ("missing", "SDF", None) in kinds
    assert ("missing", "ISIS", None) in kinds
    assert ("forbidden", "ISIS", "Daesh") in kinds
    assert ("forbidden", "SDF", "Qasad") in kinds
    assert all(p["line"] == 1 for p in problems)


def test_check_fix_writes_a_corrected_translation(runner, pair, tmp_path):
    src, tgt = pair
    fixed = tmp_path / "fixed.txt"
    r = invoke(runner, "check", "-s", src, "-t", tgt, "--fix", fixed)
    assert r.exit_code == 0, r.stdout + r.stderr
    assert fixed.read_text(encoding="utf-8") == "SDF said that ISIS attacked the prison.\nThe convoy reached Hasakah.\n"
    r = invoke(runner, "check", "-s", src, "-t", fixed)
    assert r.exit_code == 0 and "no violations" in r.stderr


def test_check_fix_leaves_what_it_cannot_fix(runner, pair, tmp_path):
    src, tgt = pair
    tgt.write_text("The group said the militants attacked the prison.\nThe convoy reached Hasaka.\n", encoding="utf-8")
    fixed = tmp_path / "fixed.txt"
    r = invoke(runner, "check", "-s", src, "-t", tgt, "--fix", fixed, "--json")
    assert r.exit_code == 1
    left = json.loads(r.stdout)
    assert {(p["line"], p["kind"], p["target"]) for p in left} == {(1, "missing", "SDF"), (1, "missing", "ISIS")}
    assert fixed.read_text(encoding="utf-8").splitlines()[1] == "The convoy reached Hasakah."


def test_check_misaligned_files(runner, pair):
    src, tgt = pair
    tgt.write_text("only one line\n", encoding="utf-8")
    r = invoke(runner, "check", "-s", src, "-t", tgt)
    assert r.exit_code == 2 and "2 lines but the translation has 1" in r.stderr


def test_help_is_fast_to_import():
    import subprocess
    import sys

    code = "import sys, tarjama.cli; print('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip() == "False False"
