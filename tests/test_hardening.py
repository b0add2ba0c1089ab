"""Hostile input and hostile files: one-line errors, exit codes, nothing silently wrong."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from tarjama.cli import app
from tarjama.document import read_document, write_atomic
from tarjama.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


def invoke(runner, *args, input=None, env=None):
    return runner.invoke(app, [str(a) for a in args], input=input, env=env)


def one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


# -- document.py: writing ------------------------------------------------------------------
def test_atomic_write_goes_through_a_symlink(tmp_path):
    real = tmp_path / "shared" / "real.txt"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, "new\n")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.txt"]


def test_atomic_write_through_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "later.txt")
    write_atomic(link, "x\n")
    assert link.is_symlink() and (tmp_path / "later.txt").read_text(encoding="utf-8") == "x\n"


def test_atomic_write_to_a_directory_is_a_one_line_error(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        write_atomic(tmp_path, "x")
    assert list(tmp_path.iterdir()) == []


def test_output_to_a_directory_is_one_line_for_every_command(runner, echo_engine, tmp_path):
    src = tmp_path / "a.ar.txt"
    src.write_text("قالت قسد.\n", encoding="utf-8")
    en = tmp_path / "a.en.txt"
    en.write_text("Qasad said.\n", encoding="utf-8")
    out = tmp_path / "outdir"
    out.mkdir()
    g = ["--glossary", ROOT / "glossary"]
    one_line_error(invoke(runner, "translate", src, "--engine", "echo", "-q", "-o", out, *g))
    one_line_error(invoke(runner, "check", "-s", src, "-t", en, "--fix", out, *g))
    one_line_error(invoke(runner, "glossary", "export", "-o", out, *g))
    assert list(out.iterdir()) == []


# -- document.py: reading ------------------------------------------------------------------
def test_nul_and_control_characters_are_not_text(tmp_path):
    utf16 = tmp_path / "utf16be.txt"
    utf16.write_bytes("قالت قسد\n".encode("utf-16-be"))
    with pytest.raises(InputError, match=r"utf16be.txt: not text: control character U\+0006 at line 1, column 1"):
        read_document(utf16)
    latin = tmp_path / "latin16.txt"
    latin.write_bytes("SDF\n".encode("utf-16-be"))
    with pytest.raises(InputError, match=r"not text: NUL \(U\+0000\) at line 1, column 1"):
        read_document(latin)
    bell = tmp_path / "bell.txt"
    bell.write_bytes("سطر\nقالت\x07 قسد\n".encode())
    with pytest.raises(InputError, match=r"U\+0007 at line 2, column 5"):
        read_document(bell)


def test_tabs_form_feeds_and_line_endings_are_text(tmp_path):
    ok = tmp_path / "ok.txt"
    ok.write_bytes("أ\tب\r\nج\fد\rه\n".encode())
    assert read_document(ok) == "أ\tب\nج\fد\nه\n"


def test_closed_stdin_is_a_one_line_error(monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(b""))
    stdin.close()
    monkeypatch.setattr(sys, "stdin", stdin)
    with pytest.raises(InputError, match="standard input"):
        read_document("-")


def test_translate_binary_file_is_refused(runner, echo_engine, tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes("قسد".encode("utf-16-be"))
    assert "not text" in one_line_error(invoke(runner, "translate", f, "--engine", "echo", "--no-glossary"))
