"""Glossary edits under races and with the file's own conventions (CRLF, BOM)."""

import subprocess
import sys

from tarjama.glossary.tools.edit import add_entry, remove_entry, set_fields
from tarjama.glossary.model import Entry, load_glossary, read_tsv

ADDER = """
import sys
from pathlib import Path
from tarjama.glossary.tools.edit import add_entry
from tarjama.glossary.model import Entry, GlossaryError, load_glossary
folder, name, target = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
try:
    add_entry(folder / name, Entry("الجبهة", target), load_glossary([folder]))
except GlossaryError:
    sys.exit(3)
"""


def test_concurrent_adds_of_one_term_to_two_files_of_a_folder_never_conflict(tmp_path):
    """16 writers add the same term, half to a.tsv and half to b.tsv: exactly one wins, and
    the folder never ends up defining the term twice (the check and the write are one
    critical section for the whole folder)."""
    for trial in range(3):
        folder = tmp_path / f"g{trial}"
        folder.mkdir()
        for name in ("a.tsv", "b.tsv"):
            (folder / name).write_text("source\ttarget\n", encoding="utf-8")
        procs = [
            subprocess.Popen([sys.executable, "-c", ADDER, str(folder), "ab"[k % 2] + ".tsv", f"Front{k}"])
            for k in range(16)
        ]
        codes = [p.wait(timeout=120) for p in procs]
        assert sorted(codes) == [0] + [3] * 15, codes
        entries = read_tsv(folder / "a.tsv") + read_tsv(folder / "b.tsv")
        assert [e.source for e in entries] == ["الجبهة"]
        load_glossary([folder])  # and the folder loads without a conflict


def test_an_edit_keeps_crlf_line_endings_and_the_byte_order_mark(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_bytes("\ufeffsource\ttarget\tnote\r\nقسد\tSDF\r\n".encode("utf-8"))
    add_entry(path, Entry("داعش", "ISIS"), load_glossary([tmp_path]))
    set_fields(path, "قسد", note="house style")
    remove_entry(path, "داعش")
    add_entry(path, Entry("الحسكة", "Hasakah"), load_glossary([tmp_path]))
    assert path.read_bytes() == "\ufeffsource\ttarget\tnote\r\nقسد\tSDF\thouse style\r\nالحسكة\tHasakah\r\n".encode("utf-8")
    assert [e.target for e in read_tsv(path)] == ["SDF", "Hasakah"]


def test_an_edit_keeps_lf_and_no_bom(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("source\ttarget\nقسد\tSDF\n", encoding="utf-8")
    add_entry(path, Entry("داعش", "ISIS"), load_glossary([tmp_path]))
    assert path.read_bytes() == "source\ttarget\nقسد\tSDF\nداعش\tISIS\n".encode("utf-8")
