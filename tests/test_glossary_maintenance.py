"""Glossary maintenance: add/list/show/set/remove, lint, import/export, and safe writes."""

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tarjama.cli import app
from tarjama.glossary.model import Entry, Glossary, GlossaryError, load_glossary, read_tsv
from tarjama.glossary.tools.edit import GlossaryFile, add_entry, set_fields
from tarjama.glossary.tools.interchange import export_text, from_tbx, read_entries
from tarjama.glossary.tools.lint import lint

ENTRIES = [
    Entry("قسد", "SDF", ("قوات سوريا الديمقراطية",), ("Qasad", "Syrian Democratic Forces"), "house style"),
    Entry("داعش", "ISIS", ("تنظيم الدولة", "الدولة الإسلامية"), ("Daesh", "ISIL"), 'never "Daesh", ever'),
    Entry("الحسكة", "Hasakah"),
    Entry("أشبال الخلافة", "Cubs of the Caliphate", (), ("Caliphate Cubs",), "comma, \"quotes\" & <xml>"),
]


def invoke(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


# -- the user story ----------------------------------------------------------------------------
def test_build_a_glossary_from_nothing(runner, folder):
    assert invoke(runner, "glossary", "add", "قسد", "SDF", "--forbidden", "Qasad|Syrian Democratic Forces").exit_code == 0
    assert invoke(runner, "glossary", "add", "داعش", "ISIS", "--variants", "تنظيم الدولة", "--note", "house style").exit_code == 0
    assert invoke(runner, "glossary", "add", "الحسكة", "Hasaka").exit_code == 0

    r = invoke(runner, "glossary", "list", "--search", "الدوله", "--json")  # ta marbuta spelled with ha
    assert [e["target"] for e in json.loads(r.stdout)] == ["ISIS"]
    r = invoke(runner, "glossary", "list", "--search", "qasad")
    assert r.stdout.startswith("قسد\tSDF")

    r = invoke(runner, "glossary", "set", "الحسكه", "--target", "Hasakah", "--forbidden", "Hasaka")
    assert r.exit_code == 0, r.stderr
    assert load_glossary([folder]).lookup("الحسكة").target == "Hasakah"

    (folder / "other.tsv").write_text("source\ttarget\nقسد\tQSD\n", encoding="utf-8")
    r = invoke(runner, "glossary", "lint")
    assert r.exit_code == 1 and "[conflict]" in r.stdout and "other.tsv:2" in r.stdout
    (folder / "other.tsv").unlink()

    tbx = folder.parent / "g.tbx"
    assert invoke(runner, "glossary", "export", "-o", tbx).exit_code == 0
    before = (folder / "custom.tsv").read_text(encoding="utf-8")
    (folder / "custom.tsv").unlink()
    r = invoke(runner, "glossary", "import", tbx, "--into", folder / "custom.tsv")
    assert r.exit_code == 0 and "3 added" in r.stdout
    assert (folder / "custom.tsv").read_text(encoding="utf-8") == before


def test_add_refuses_any_spelling_of_an_existing_source(runner, folder):
    invoke(runner, "glossary", "add", "قسد", "SDF", "--variants", "قوات سوريا الديمقراطية")
    before = (folder / "custom.tsv").read_bytes()
    for spelling in ("قَسَد", "قسـد", "قوات سوريا الديمقراطيه"):
        r = invoke(runner, "glossary", "add", spelling, "QSD")
        assert r.exit_code == 2 and "already exists" in r.stderr and "قسد → SDF" in r.stderr
    assert (folder / "custom.tsv").read_bytes() == before
    r = invoke(runner, "glossary", "add", "قَسَد", "QSD", "--replace")
    assert r.exit_code == 0 and r.stdout.startswith("replaced")
    assert [e.target for e in load_glossary([folder])] == ["QSD"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["SDF", "SDF"], "has no Arabic letters"),
        (["قسد", " "], "target for 'قسد' is empty"),
        (["قسد", "SDF", "--variants", "QSD"], "variant 'QSD' has no Arabic letters"),
    ],
)
def test_invalid_additions_leave_the_file_as_it_was(runner, folder, args, message):
    invoke(runner, "glossary", "add", "داعش", "ISIS")
    before = (folder / "custom.tsv").read_bytes()
    r = invoke(runner, "glossary", "add", *args)
    assert r.exit_code == 2 and message in r.stderr
    assert (folder / "custom.tsv").read_bytes() == before


def test_show_with_occurrences(runner, folder, tmp_path):
    invoke(runner, "glossary", "add", "قسد", "SDF", "--note", "acronym")
    text = tmp_path / "a.txt"
    text.write_text('قال\nإن "قسد" وقسد', encoding="utf-8")
    r = invoke(runner, "glossary", "show", "SDF", "--in", text)
    assert r.exit_code == 0
    assert "note:      acronym" in r.stdout and "2 occurrences" in r.stdout and "line 2" in r.stdout
    assert json.loads(invoke(runner, "glossary", "show", "قسد", "--in", text, "--json").stdout)["occurrences"][1]["clitic"] == "و"
    assert invoke(runner, "glossary", "show", "حلب").exit_code == 2


def test_remove(runner, folder):
    invoke(runner, "glossary", "add", "قسد", "SDF")
    invoke(runner, "glossary", "add", "داعش", "ISIS")
    r = invoke(runner, "glossary", "remove", "قَسَد")
    assert r.exit_code == 0 and "removed: قسد → SDF" in r.stdout
    assert [e.source for e in load_glossary([folder])] == ["داعش"]
    assert invoke(runner, "glossary", "remove", "قسد").exit_code == 2


def test_edits_keep_comments_order_and_change_one_line(folder):
    path = folder / "g.tsv"
    original = "# house glossary\nsource\tnote\ttarget\textra\nقسد\tacronym\tSDF\tkeep me\n# places\nالحسكة\t\tHasaka\nداعش\t\tISIS\n"
    path.write_text(original, encoding="utf-8")
    set_fields(path, "الحسكة", target="Hasakah")
    after = path.read_text(encoding="utf-8").split("\n")
    before = original.split("\n")
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert changed == [4] and after[4] == "الحسكة\t\tHasakah"
    set_fields(path, "قسد", note="the acronym")
    assert path.read_text(encoding="utf-8").split("\n")[2] == "قسد\tthe acronym\tSDF\tkeep me"


# -- lint ----------------------------------------------------------------------------------------
def test_every_lint_rule(folder):
    (folder / "a.tsv").write_text(
        "source\ttarget\tvariants\tforbidden\n"
        "قسد\tSDF\t\tSDF\n"  # forbidden-is-target (own)
        "داعش\tISIS\tتنظيم الدولة||x\tSyrian Democratic Forces\n"  # empty item, no-arabic variant, forbidden = other's target
        "قوات سوريا الديمقراطية\tSyrian Democratic Forces\n"
        "حلب \tAleppo\n"  # whitespace
        "حلب\tHalab\n"  # conflict (same file)
        "ISIS\tISIS\n"  # no-arabic source
        "ادلب\t\n"  # empty target
        "الرقة\tRaqqa\tالرقه\n",  # variant equal to its own source after normalization
        encoding="utf-8",
    )
    (folder / "b.tsv").write_text("source\ttarget\tvariants\nالحسكة\tHasakah\tتنظيم الدولة\nالرقة\tRaqqa\n", encoding="utf-8")
    findings = lint([folder])
    got = {(f.level, Path(f.file).name, f.line, f.rule) for f in findings}
    expected = {
        ("error", "a.tsv", 2, "forbidden-is-target"),
        ("error", "a.tsv", 3, "forbidden-is-target"),
        ("warning", "a.tsv", 3, "empty-field"),
        ("error", "a.tsv", 3, "no-arabic"),
        ("warning", "a.tsv", 5, "whitespace"),
        ("error", "a.tsv", 6, "conflict"),
        ("error", "a.tsv", 7, "no-arabic"),
        ("error", "a.tsv", 8, "empty-field"),
        ("warning", "a.tsv", 9, "duplicate"),
        ("error", "b.tsv", 2, "conflict"),  # across files: variant of ISIS used for Hasakah
        ("warning", "b.tsv", 3, "duplicate"),  # same source, same target, another file
    }
    assert expected <= got, sorted(got - expected)
    assert all(f.level == "error" for f in findings[: sum(f.level == "error" for f in findings)])


def test_a_variant_that_is_another_entry(folder):
    (folder / "a.tsv").write_text("source\ttarget\tvariants\nأمريكا\tUnited States\nالولايات المتحدة\tUnited States\tأمريكا\n", encoding="utf-8")
    assert {(f.line, f.rule) for f in lint([folder])} == {(3, "variant-is-entry")}


def test_project_glossary_lints_clean(runner):
    root = Path(__file__).resolve().parent.parent / "glossary"
    assert [f.describe() for f in lint([root])] == []


# -- formats -------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["tsv", "csv", "tbx"])
def test_round_trip(tmp_path, fmt):
    path = tmp_path / f"g.{fmt}"
    path.write_text(export_text(ENTRIES, fmt), encoding="utf-8")
    back = read_entries(path)
    strip = lambda es: [(e.source, e.target, e.variants, e.forbidden, e.note) for e in es]  # noqa: E731
    assert strip(back) == strip(ENTRIES)


def test_csv_header_mapping_and_quoting(tmp_path):
    path = tmp_path / "memoq.csv"
    path.write_text('English,Arabic,Comment\n"Cubs of the Caliphate, ISIS",أشبال الخلافة,"a ""quoted"" note"\n', encoding="utf-8")
    [e] = read_entries(path)
    assert (e.source, e.target, e.note) == ("أشبال الخلافة", "Cubs of the Caliphate, ISIS", 'a "quoted" note')


def test_tbx_v3_and_statuses(tmp_path):
    tbx = """<?xml version="1.0"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" xml:lang="en"><text><body>
  <conceptEntry id="c1"><descrip type="definition">Kurdish-led alliance</descrip>
    <langSec xml:lang="ar"><termSec><term>قسد</term></termSec><termSec><term>قوات سوريا الديمقراطية</term></termSec></langSec>
    <langSec xml:lang="en-US"><termSec><term>Syrian Democratic Forces</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
      <termSec><term>SDF</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
  </conceptEntry></body></text></tbx>"""
    [e] = from_tbx(tbx, "x.tbx")
    assert (e.source, e.target, e.variants, e.forbidden, e.note) == (
        "قسد", "SDF", ("قوات سوريا الديمقراطية",), ("Syrian Democratic Forces",), "Kurdish-led alliance",
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bad.csv", "term,meaning\nقسد,SDF\n", "needs a source and a target column"),
        ("bad.tbx", "<martif><text><body><termEntry><langSet xml:lang='en'><tig><term>SDF</term></tig></langSet></termEntry></body></text></martif>", "no Arabic term"),
        ("bad2.tbx", "<martif><text><body>", "not well-formed"),
        ("bad3.csv", "source,target\nقسد,\n", "bad3.csv:2: no English side for 'قسد'"),
        ("bad4.csv", "source,target\nقسد,SDF\nقَسَد,QSD\n", "already defined by"),
    ],
)
def test_malformed_imports_change_nothing(runner, folder, tmp_path, name, content, message):
    invoke(runner, "glossary", "add", "داعش", "ISIS")
    before = (folder / "custom.tsv").read_bytes()
    src = tmp_path / name
    src.write_text(content, encoding="utf-8")
    r = invoke(runner, "glossary", "import", src, "--into", folder / "custom.tsv")
    assert r.exit_code == 2 and message in r.stderr, r.stderr
    assert (folder / "custom.tsv").read_bytes() == before


def test_import_merges_and_reports(runner, folder, tmp_path):
    invoke(runner, "glossary", "add", "قسد", "SDF")
    src = tmp_path / "new.csv"
    src.write_text("source,target\nقسد,SDF\nداعش,ISIS\n", encoding="utf-8")
    r = invoke(runner, "glossary", "import", src, "--into", folder / "custom.tsv")
    assert r.exit_code == 0 and "1 added, 0 replaced, 1 already there" in r.stdout
    src.write_text("source,target\nقسد,QSD\n", encoding="utf-8")
    assert invoke(runner, "glossary", "import", src, "--into", folder / "custom.tsv").exit_code == 2
    r = invoke(runner, "glossary", "import", src, "--into", folder / "custom.tsv", "--replace")
    assert "1 replaced" in r.stdout and load_glossary([folder]).lookup("قسد").target == "QSD"


def test_stats(runner, folder, tmp_path):
    invoke(runner, "glossary", "add", "قسد", "SDF")
    invoke(runner, "glossary", "add", "حلب", "Aleppo")
    corpus = tmp_path / "corpus" / "day1"
    corpus.mkdir(parents=True)
    (corpus / "a.txt").write_text("قالت قسد ثم وقسد", encoding="utf-8")
    data = json.loads(invoke(runner, "glossary", "stats", "--in", corpus.parent, "--json").stdout)
    assert data["corpus"]["occurrences"] == {"قسد": 2, "حلب": 0} and data["never"] == ["حلب"]


# -- safety ------------------------------------------------------------------------------------
def _add_many(path: str, start: int, count: int) -> None:
    for i in range(start, start + count):
        add_entry(Path(path), Entry(f"مصطلح{_arabic_number(i)}", f"term {i}"), Glossary())


def _arabic_number(i: int) -> str:
    return "".join("ابتثجحخدذر"[int(d)] for d in str(i))


def test_concurrent_adds_from_several_processes_lose_nothing(tmp_path):
    path = tmp_path / "shared.tsv"
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_add_many, args=(str(path), k * 100, 15)) for k in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
        assert w.exitcode == 0
    entries = read_tsv(path)
    assert len(entries) == 60 and len({e.source for e in entries}) == 60


WRITER = """
import sys
from pathlib import Path
from tarjama.glossary.tools.edit import set_fields
path = Path(sys.argv[1])
i = 0
while True:
    i += 1
    set_fields(path, "قسد", note="n" * (i % 2) * 200000)
"""


def test_a_killed_write_leaves_old_or_new_never_partial(tmp_path):
    path = tmp_path / "g.tsv"
    rows = "".join(f"مصطلح{_arabic_number(i)}\tterm {i}\n" for i in range(2000))
    path.write_text("source\ttarget\tvariants\tforbidden\tnote\nقسد\tSDF\n" + rows, encoding="utf-8")
    for delay in (0.5, 0.9, 1.3):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)])
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        entries = read_tsv(path)  # parses: never a half-written file
        assert len(entries) == 2001
        assert entries[0].note in ("", "n" * 200000)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("g.tsv", ".glossary.lock")]
    assert all(name.endswith(".tmp") for name in leftovers)  # a killed writer's temp file, never the glossary


def test_interrupted_edit_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "g.tsv"
    path.write_text("source\ttarget\nقسد\tSDF\n", encoding="utf-8")
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        set_fields(path, "قسد", target="QSD")
    assert path.read_text(encoding="utf-8") == "source\ttarget\nقسد\tSDF\n"


def test_editing_a_broken_file_is_refused(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("source\ttarget\nقسد\t\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="empty target"):
        GlossaryFile.read(path)
