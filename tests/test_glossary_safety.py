"""The glossary is the newsroom's data: it goes where the user says, and nothing poisons it.

Where entries are written (-g, $TARJAMA_GLOSSARY, the user folder, never the shipped base),
outputs that never replace inputs, temporaries of killed writes, formula cells in exports,
lint agreeing with the loader, every documented column from the command line, and the
corpus tools' reading and cost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tarjama.cli import app
from tarjama.glossary.model import load_glossary

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "glossary"


def invoke(runner, *args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def tsv(path: Path, *rows: str, header: str = "source\ttarget") -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def shipped_bytes() -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(SHIPPED.iterdir()) if f.is_file()}


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    """A copy of the shipped glossary standing in for the package's, to see that nothing
    writes there (and to place a legacy custom.tsv in it)."""
    import shutil

    base = tmp_path / "site-packages" / "tarjama" / "data" / "glossary"
    shutil.copytree(SHIPPED, base, ignore=shutil.ignore_patterns(".*"))
    monkeypatch.setattr("tarjama.glossary.model.shipped_glossary_dir", lambda: base)
    monkeypatch.delenv("TARJAMA_GLOSSARY", raising=False)
    return base


# -- where writes go ------------------------------------------------------------------------
def test_add_and_import_write_into_the_folder_g_names(runner, tmp_path, monkeypatch, private_user_folder):
    monkeypatch.delenv("TARJAMA_GLOSSARY", raising=False)
    before = shipped_bytes()
    desk = tmp_path / "desk"
    desk.mkdir()
    tsv(desk / "desk.tsv", "قسد\tSDF")
    r = invoke(runner, "glossary", "add", "الفرقة الرابعة", "Fourth Division", "-g", desk)
    assert r.exit_code == 0, r.stderr
    assert "added" in r.stdout and str(desk / "custom.tsv") in r.stdout
    imported = tsv(tmp_path / "terms.csv", "مخيم الهول,al-Hol camp", header="source,target")
    r = invoke(runner, "glossary", "import", imported, "-g", desk)
    assert r.exit_code == 0, r.stderr
    assert str(desk / "imported.tsv") in r.stdout
    # Visible to readers of -g DIR, and written nowhere else.
    r = invoke(runner, "glossary", "list", "-g", desk, "--json")
    assert {"قسد", "الفرقة الرابعة", "مخيم الهول"} <= {e["source"] for e in __import__("json").loads(r.stdout)}
    assert shipped_bytes() == before
    assert not private_user_folder.exists()


def test_g_file_is_written_itself_and_duplicates_are_checked_against_g(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("TARJAMA_GLOSSARY", raising=False)
    house = tsv(tmp_path / "house.tsv", "قسد\tSDF")
    r = invoke(runner, "glossary", "add", "قسد", "S.D.F.", "-g", house)
    assert "already exists" in one_line_error(r)
    r = invoke(runner, "glossary", "add", "داعش", "ISIS", "-g", house)
    assert r.exit_code == 0, r.stderr
    assert [e.source for e in load_glossary([house])] == ["قسد", "داعش"]


def test_default_writes_go_to_the_user_folder_over_a_read_only_base(runner, shipped, private_user_folder):
    before = {f.name: f.read_bytes() for f in shipped.iterdir()}
    r = invoke(runner, "glossary", "add", "الفرقة الرابعة", "Fourth Division")
    assert r.exit_code == 0, r.stderr
    user_file = private_user_folder / "glossary" / "custom.tsv"
    assert str(user_file) in r.stdout and user_file.is_file()
    # A shipped entry is overridden from the user's file; the base stays as shipped.
    r = invoke(runner, "glossary", "set", "قسد", "--target", "Syrian Democratic Forces")
    assert r.exit_code == 0, r.stderr
    assert "overrides it" in r.stderr
    assert {f.name: f.read_bytes() for f in shipped.iterdir()} == before
    r = invoke(runner, "glossary", "show", "قسد", "--json")
    assert __import__("json").loads(r.stdout)["target"] == "Syrian Democratic Forces"
    # add --replace of a shipped entry overrides too; remove of one is refused, in one line.
    r = invoke(runner, "glossary", "add", "داعش", "Islamic State", "--replace")
    assert r.exit_code == 0, r.stderr
    assert "read-only" in one_line_error(invoke(runner, "glossary", "remove", "الحسكة"))
    assert {f.name: f.read_bytes() for f in shipped.iterdir()} == before
    # Naming the shipped folder with -g does not make it writable.
    r = invoke(runner, "glossary", "add", "مخيم الهول", "al-Hol camp", "-g", shipped)
    assert "read-only" in one_line_error(r)
    assert {f.name: f.read_bytes() for f in shipped.iterdir()} == before
    # What `glossary path` says: both layers, in order, and where writes go.
    r = invoke(runner, "glossary", "path", "--json")
    data = __import__("json").loads(r.stdout)
    roles = {Path(row["file"]).name: row["role"] for row in data["files"]}
    assert roles["custom.tsv"] == "yours" and roles["places.tsv"] == "shipped, read-only"
    assert [Path(row["file"]).name for row in data["files"]][-1] == "custom.tsv"
    assert data["writes_to"] == str(user_file)


def test_entries_added_in_the_old_place_keep_loading_and_it_is_said_once(runner, shipped):
    tsv(shipped / "custom.tsv", "مخيم الركبان\tRukban camp\t\t\t", header="source\ttarget\tvariants\tforbidden\tnote")
    tsv(shipped / "imported.tsv", "قسد\tS.D.F.")  # overrides the base, as it did in the old place
    r = invoke(runner, "glossary", "show", "مخيم الركبان")
    assert r.exit_code == 0 and "Rukban camp" in r.stdout
    assert "S.D.F." in invoke(runner, "glossary", "show", "قسد").stdout
    notes = [line for line in r.stderr.splitlines() if "old place" in line]
    assert len(notes) == 1 and str(shipped / "custom.tsv") in notes[0] and str(shipped / "imported.tsv") in notes[0]
    # The user's old file stays theirs: it can be edited where it is.
    r = invoke(runner, "glossary", "set", "مخيم الركبان", "--note", "north-east Syria")
    assert r.exit_code == 0, r.stderr
    assert "north-east Syria" in r.stdout and str(shipped / "custom.tsv") in r.stdout, r.stdout
    assert "north-east Syria" in (shipped / "custom.tsv").read_text(encoding="utf-8")


def test_concurrent_writers_on_one_g_folder_all_land(tmp_path):
    desk = tmp_path / "desk"
    desk.mkdir()
    terms = [(f"مصطلح{chr(0x0628 + i)}", f"term {i}") for i in range(8)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("TARJAMA_GLOSSARY", None)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tarjama", "glossary", "add", src, tgt, "-g", str(desk)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for src, tgt in terms
    ]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    g = load_glossary([desk])
    assert sorted(e.source for e in g) == sorted(s for s, _ in terms)
    assert not [f for f in desk.iterdir() if f.name.endswith(".tmp")]


# -- outputs never replace inputs --------------------------------------------------------------
def test_translate_refuses_an_output_that_is_its_input(runner, echo_engine, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("قالت قسد إن الهجوم فشل.\n", encoding="utf-8")
    original = article.read_bytes()
    r = invoke(runner, "translate", article, "-o", article, "--engine", "echo")
    assert "would replace the original" in one_line_error(r)
    link = tmp_path / "link.txt"
    link.symlink_to(article)
    r = invoke(runner, "translate", article, "-o", link, "--engine", "echo")
    assert "would replace the original" in one_line_error(r)
    hard = tmp_path / "hard.md"
    os.link(article, hard)
    r = invoke(runner, "translate", hard, "-o", article, "--engine", "echo")
    assert "would replace the original" in one_line_error(r)
    assert article.read_bytes() == original
    assert not echo_engine  # refused before any model was loaded


def test_library_write_path_refuses_an_output_that_is_its_input(tmp_path):
    from fakes import EchoEngine

    from tarjama import Translator
    from tarjama.errors import InputError

    doc = tmp_path / "a.md"
    doc.write_text("# قسد\n", encoding="utf-8")
    t = Translator(engine=EchoEngine(), glossary=None)
    with pytest.raises(InputError, match="would replace the original"):
        t.translate_file(doc, output=doc)
    assert doc.read_text(encoding="utf-8") == "# قسد\n"


def test_check_fix_and_export_never_replace_their_inputs(runner, folder, tmp_path):
    tsv(folder / "g.tsv", "قسد\tSDF")
    src = tmp_path / "a.ar.txt"
    src.write_text("قسد\n", encoding="utf-8")
    en = tmp_path / "a.en.txt"
    en.write_text("the SDF\n", encoding="utf-8")
    assert "would replace" in one_line_error(invoke(runner, "check", "-s", src, "-t", en, "--fix", src))
    assert "would replace" in one_line_error(invoke(runner, "glossary", "export", "-o", folder / "g.tsv"))
    assert src.read_text(encoding="utf-8") == "قسد\n"


# -- temporaries of killed writes --------------------------------------------------------------
KILLED_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from tarjama.files import write_atomic
    def hang(*a, **k):
        print("writing", flush=True)
        time.sleep(600)
    os.replace = hang
    write_atomic(sys.argv[1], "half of it")
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_writes_temporary_is_removed_by_the_next_write(tmp_path):
    from tarjama.files import write_atomic

    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    p = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)], env=env, stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "writing"
    # While the writer lives, another write leaves its temporary alone.
    write_atomic(target, "meanwhile\n")
    litter = [f for f in tmp_path.iterdir() if f.name.endswith(".tmp")]
    assert len(litter) == 1 and litter[0].name.startswith(".out.txt.")
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert litter[0].exists()  # SIGKILL leaves it behind
    (tmp_path / ".other.txt.abcd1234.tmp").write_text("another file's", encoding="utf-8")
    write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert sorted(f.name for f in tmp_path.iterdir()) == [".other.txt.abcd1234.tmp", "out.txt"]


def test_glossary_add_cleans_what_a_killed_add_left(runner, folder):
    tsv(folder / "custom.tsv", "قسد\tSDF")
    stale = folder / ".custom.tsv.x1y2z3w4.tmp"
    stale.write_text("source\ttarget\nقسد\tSD", encoding="utf-8")
    r = invoke(runner, "glossary", "add", "داعش", "ISIS")
    assert r.exit_code == 0, r.stderr
    assert not stale.exists()


# -- formula cells -------------------------------------------------------------------------------
HOSTILE = ["=HYPERLINK(\"http://x.example\",\"click\")", "+cmd /C calc!A1", "-2+3", "@SUM(A1:A2)"]


@pytest.mark.parametrize("value", HOSTILE)
def test_add_and_set_refuse_formula_values(runner, folder, value):
    tsv(folder / "custom.tsv", "قسد\tSDF")
    assert "formula" in one_line_error(invoke(runner, "glossary", "add", "داعش", "--", value))
    assert "formula" in one_line_error(invoke(runner, "glossary", "add", "داعش", "ISIS", "--note", value))
    assert "formula" in one_line_error(invoke(runner, "glossary", "set", "قسد", "--alternatives", value))
    assert [e.target for e in load_glossary([folder])] == ["SDF"]


def test_server_entry_route_refuses_formulas(tmp_path):
    pytest.importorskip("fastapi")
    from fakes import EchoEngine
    from serving import make_app, request, running

    g = tmp_path / "g"
    g.mkdir()
    tsv(g / "custom.tsv", "قسد\tSDF")
    key = "k" * 8 + "-test-key-0123456789"
    with running(make_app(EchoEngine(), g, api_keys=[key])) as url:
        for body in ({"source": "داعش", "target": "=1+1"}, {"source": "داعش", "target": "ISIS", "note": "@SUM(A1)"}):
            r = request("POST", f"{url}/v1/glossary/entry", json_body=body, headers={"X-API-Key": key})
            assert r.status == 400 and "formula" in r.json()["error"]
        r = request("PATCH", f"{url}/v1/glossary/entry?source=قسد", json_body={"target": "+cmd"}, headers={"X-API-Key": key})
        assert r.status == 400 and "formula" in r.json()["error"]
    assert (g / "custom.tsv").read_text(encoding="utf-8") == "source\ttarget\nقسد\tSDF\n"


@pytest.mark.parametrize("fmt", ["csv", "deepl", "amazon", "google"])
def test_spreadsheet_exports_neutralise_formulas_and_import_restores_them(runner, folder, tmp_path, fmt):
    import csv
    import io

    # A hand-edited file may hold anything: the export must make it inert all the same.
    tsv(folder / "hand.tsv", *(f"{chr(0x0628 + i)}قسد\t{v}\t\t\t{v}" for i, v in enumerate(HOSTILE)),
        "داعش\t'=already quoted\t\t\t'x", header="source\ttarget\tvariants\tforbidden\tnote")
    out = tmp_path / f"export.{fmt}"
    r = invoke(runner, "glossary", "export", "-f", fmt, "-o", out)
    assert r.exit_code == 0, r.stderr
    cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8"))) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=HYPERLINK(\"http://x.example\",\"click\")" in cells and "''=already quoted" in cells
    # Import gives the very text back.
    from tarjama.glossary.tools.interchange import read_file

    back = {e.source: (e.target, e.note) for e in read_file(out, "csv").entries}
    want = {e.source: (e.target, e.note if fmt == "csv" else "") for e in load_glossary([folder])}
    assert back == want


def test_neutralise_and_restore_are_inverse():
    from hypothesis import given, strategies as st

    from tarjama.glossary.tools.spreadsheet import neutralise, restore

    @given(st.text(alphabet="'=+-@\t\rab ", max_size=8))
    def inverse(value):
        assert restore(neutralise(value)) == value
        assert neutralise(value)[:1] not in ("=", "+", "-", "@", "\t", "\r")

    inverse()


# -- lint agrees with the loader ------------------------------------------------------------------
BROKEN = {
    "two blank column names": "source\ttarget\t\t\nقسد\tSDF\n",
    "no target column": "source\tenglish\nقسد\tSDF\n",
    "too many fields": "source\ttarget\nقسد\tSDF\tx\n",
    "bad rule": "source\ttarget\trules\nقسد\tSDF\t+nothing\n",
    "latin source": "source\ttarget\nSDF\tSDF\n",
    "not utf-8": b"source\ttarget\n\xff\tSDF\n",
    "conflict in a file": "source\ttarget\nقسد\tSDF\nقسد\tS.D.F.\n",
}


@pytest.mark.parametrize("name", BROKEN)
def test_lint_rejects_what_the_loader_rejects(runner, tmp_path, name):
    from tarjama.glossary.model import GlossaryError
    from tarjama.glossary.tools.lint import lint

    content = BROKEN[name]
    f = tmp_path / "g.tsv"
    f.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(GlossaryError):
        load_glossary([f])
    assert [x for x in lint([f]) if x.level == "error"], name
    assert invoke(runner, "glossary", "lint", "-g", f).exit_code == 1


@pytest.mark.parametrize("name", ["not utf-8", "two blank column names", "too many fields"])
def test_a_broken_file_in_a_glossary_folder_is_named(runner, tmp_path, name):
    g = tmp_path / "desk"
    g.mkdir()
    tsv(g / "a.tsv", "قسد\tSDF")
    content = BROKEN[name]
    (g / "b.tsv").write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    article = tmp_path / "x.txt"
    article.write_text("قسد\n", encoding="utf-8")
    for args in (("glossary", "find", article), ("glossary", "list"), ("check", "-s", article, "-t", article)):
        assert str(g / "b.tsv") in one_line_error(invoke(runner, *args, "-g", g))


# -- every documented column from the command line ---------------------------------------------------
def test_add_and_set_take_plural_rules_and_context(runner, folder):
    r = invoke(runner, "glossary", "add", "سورية", "Syria", "--variants", "سوريا",
               "--rules", "-number +article", "--context", "سورية: not-adjective", "--plural", "Syrias", "--adjective", "Syrian")
    assert r.exit_code == 0, r.stderr
    (e,) = load_glossary([folder])
    assert (e.rules, [c.text for c in e.context], e.plural) == (("-number", "+article"), ["سورية: not-adjective"], "Syrias")
    assert e.adjective == "Syrian"
    r = invoke(runner, "glossary", "set", "سوريا", "--plural", "", "--rules", "", "--context", "not-after جامعة")
    assert r.exit_code == 0, r.stderr
    (e,) = load_glossary([folder])
    assert (e.rules, [c.text for c in e.context], e.plural) == ((), ["not-after جامعة"], "")
    assert "unknown rule" in one_line_error(invoke(runner, "glossary", "set", "سوريا", "--rules", "+nothing"))
    assert "not a form" in one_line_error(invoke(runner, "glossary", "add", "حلب", "Aleppo", "--context", "دمشق: not-adjective"))


# -- the corpus tools ---------------------------------------------------------------------------------
def test_suggest_prints_names_as_written_not_normalized(runner, folder, tmp_path):
    tsv(folder / "g.tsv", "قسد\tSDF")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("\n\n".join(["وصل الوفد إلى مدينة أعزاز الحدودية أمس."] * 6), encoding="utf-8")
    r = invoke(runner, "glossary", "suggest", "--in", corpus, "--min", "5", "--json")
    assert r.exit_code == 0, r.stderr
    texts = [s["text"] for s in __import__("json").loads(r.stdout)]
    assert "أعزاز الحدودية" in texts
    assert not [t for t in texts if "اعزاز" in t or t.endswith("ه")]


def test_line_positions_are_built_once_per_text(runner, folder, tmp_path, monkeypatch):
    """`glossary find` over N one-word lines: one pass to index the lines, then a lookup per
    match (it used to count the line breaks before every match: quadratic)."""
    from tarjama.text import lines

    tsv(folder / "g.tsv", "قسد\tSDF")
    built, looked_up = [], []

    class Counting(lines.LineIndex):
        def __init__(self, text):
            built.append(len(text))
            super().__init__(text)

        def position(self, offset):
            looked_up.append(offset)
            return super().position(offset)

    monkeypatch.setattr("tarjama.cli.glossary.LineIndex", Counting)
    for n in (500, 1000):
        built.clear(), looked_up.clear()
        f = tmp_path / f"{n}.txt"
        f.write_text("قسد\n" * n, encoding="utf-8")
        r = invoke(runner, "glossary", "find", f)
        assert r.exit_code == 0 and r.stdout.splitlines()[-1].startswith(f"{n}:1\t")
        assert len(built) == 1 and len(looked_up) == n


def test_concordance_context_reads_a_window_not_the_whole_text():
    """The words around a hit come from a window about it: the characters read per hit do
    not grow with the document (they did: all the text before each hit was split)."""
    from tarjama.glossary.tools.corpus import context

    class Sliced(str):
        read = 0

        def __getitem__(self, key):
            piece = str.__getitem__(self, key)
            if isinstance(key, slice):
                Sliced.read += len(piece)
            return piece

    per_hit = []
    for n in (1000, 4000):
        text = Sliced("كلمة قسد أخرى\n" * n)
        Sliced.read = 0
        starts = [i * 14 + 5 for i in range(n)]
        results = [context(text, s, s + 3, 6) for s in starts]
        per_hit.append(Sliced.read / n)
        assert results[n // 2][1] == "قسد"
        assert results[n // 2][0].split() == ["قسد", "أخرى", "كلمة", "قسد", "أخرى", "كلمة"]
        assert results[n // 2][2].split() == ["أخرى", "كلمة", "قسد", "أخرى", "كلمة", "قسد"]
    assert per_hit[1] <= per_hit[0] * 1.1


def test_line_index_agrees_with_counting():
    from tarjama.text.lines import LineIndex

    text = "ab\n\ncd\nefg"
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        assert index.position(offset) == (line, column)


# -- terminology import ----------------------------------------------------------------------------
TBX_DEPRECATED = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
<termEntry id="c1">
  <langSet xml:lang="ar">
    <tig><term>جهاز الأمن العام</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
    <tig><term>جهاز</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
  </langSet>
  <langSet xml:lang="en"><tig><term>General Security Directorate</term></tig></langSet>
</termEntry>
<termEntry id="c2">
  <langSet xml:lang="ar"><tig><term>الأمن</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig></langSet>
  <langSet xml:lang="en"><tig><term>security</term></tig></langSet>
</termEntry>
</body></text></martif>
"""


def test_deprecated_arabic_terms_are_reported_not_enforced(runner, folder, tmp_path):
    f = tmp_path / "base.tbx"
    f.write_text(TBX_DEPRECATED, encoding="utf-8")
    r = invoke(runner, "glossary", "import", f, "--json")
    assert r.exit_code == 0, r.stderr
    data = __import__("json").loads(r.stdout)
    [added] = data["added"]
    assert added["source"] == "جهاز الأمن العام" and added["variants"] == []
    assert any("جهاز" in n and "not enforced" in n for n in data["notices"])
    assert any("only deprecated" in s for s in data["skipped"])
    # Asked for, they are variants.
    (tmp_path / "asked").mkdir()
    r = invoke(runner, "glossary", "import", f, "--deprecated-variants", "-g", tmp_path / "asked", "--json")
    assert r.exit_code == 0, r.stderr
    data = __import__("json").loads(r.stdout)
    assert [e["variants"] for e in data["added"]] == [["جهاز"], []]


def test_arabterm_synonyms_and_article_placeholder_become_real_forms(runner, folder, tmp_path):
    # The shape of arabterm.org's CSV extracts: synonyms after an Arabic comma, "(ال..)".
    f = tmp_path / "electronic_warfare.csv"
    f.write_text(
        "id,english,arabic,french\n"
        "1,air-to-surface missile,\"صاروخ جو أرض، صاروخ جو سطح\",fusée avion-terre\n"
        "2,acceleration (maximum...),تسارُع (ال..) الأقصى,accélération maximale\n",
        encoding="utf-8",
    )
    r = invoke(runner, "glossary", "import", f)
    assert r.exit_code == 0, r.stderr
    assert "2 added" in r.stdout
    g = load_glossary([folder])
    by_target = {e.target: e for e in g}
    assert by_target["air-to-surface missile"].forms == ("صاروخ جو أرض", "صاروخ جو سطح")
    assert by_target["acceleration (maximum...)"].source == "التسارُع الأقصى"
    from tarjama.glossary.tools.lint import lint

    assert not [x for x in lint([folder]) if x.rule in ("dead", "unreachable") or x.level == "error"]
    from tarjama.glossary.matching import Matcher

    text = "أطلقت الطائرة صاروخ جو سطح بعد التسارع الأقصى."
    assert {m.target for m in Matcher(g).find(text)} == {"air-to-surface missile", "acceleration (maximum...)"}


def test_a_persian_column_is_refused_and_a_persian_letter_is_flagged(runner, folder, tmp_path):
    persian = tmp_path / "fa.csv"
    persian.write_text("source,target\nنیروهای دموکراتیک سوریه,SDF\nگروه,group\n", encoding="utf-8")
    r = invoke(runner, "glossary", "import", persian)
    assert "Persian or Urdu" in one_line_error(r)
    assert not list(folder.glob("*.tsv"))
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("source,target\nقسد,SDF\nداعش,ISIS\nحلب,Aleppo\nسوریا,Syria\n", encoding="utf-8")
    r = invoke(runner, "glossary", "import", mixed)
    assert r.exit_code == 0, r.stderr
    assert "Persian or Urdu" in r.stderr and "سوریا" in r.stderr
