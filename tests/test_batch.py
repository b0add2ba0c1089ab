"""Batch translation of folders: formats, incremental re-runs, the translation memory,
resuming after SIGKILL, and never writing where it should not."""

import json
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tarjama.cli import app

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_LINES = (ROOT / "seeds" / "hasakah-prison.ar.txt").read_text(encoding="utf-8").splitlines()

MARKDOWN = """# تقرير عن "قسد"

قالت **قسد** إن [الهجوم](https://example.com/الهجوم?id=1 "عنوان") بدأ `run --now` اليوم.
ثم تابع *التقرير*.

- بند أول عن داعش
  1. بند مرقم

> اقتباس من بيان

```python
print("لا تترجم")
```

    كود مزاح لا يترجم
"""

HTML = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>تقرير</title>
<style>p { color: red } /* عربي */</style><script>var s = "لا تترجم";</script></head>
<body><p class="lead" data-id="7">قالت <b>قسد</b> إن <a href="/ar/الهجوم" title="x">الهجوم</a> بدأ.</p>
<!-- تعليق --><pre>سطر كود</pre><code>رمز</code><p dir="rtl">فقرة أخيرة</p></body></html>
"""


def make_tree(root: Path) -> Path:
    src = root / "in"
    (src / "2024" / "01").mkdir(parents=True)
    (src / "a.txt").write_text("\n".join(ARTICLE_LINES[:4]) + "\n", encoding="utf-8")
    (src / "2024" / "b.md").write_text(MARKDOWN, encoding="utf-8")
    (src / "2024" / "01" / "c.html").write_text(HTML, encoding="utf-8")
    (src / "2024" / "01" / "d.txt").write_text("\n".join(ARTICLE_LINES[4:7]) + "\n", encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "latin1.txt").write_bytes("سطر\n".encode() + b"caf\xe9\n")
    (src / "photo.gif").write_bytes(b"GIF89a")
    secret = root / "secret.txt"
    secret.write_text("قالت قسد سرا", encoding="utf-8")
    (src / "leak.txt").symlink_to(secret)
    return src


def batch(runner, *args):
    return runner.invoke(app, ["batch", *[str(a) for a in args], "--engine", "echo"])  # not -q: the tests read the summary


def test_mixed_folder(runner, echo_engine, tmp_path):
    src, out = make_tree(tmp_path), tmp_path / "out"
    report = tmp_path / "report.json"
    r = batch(runner, src, out, "--report", report)
    assert r.exit_code == 1, r.stdout + r.stderr  # latin1.txt failed, the others did not
    data = json.loads(report.read_text(encoding="utf-8"))
    status = {f["path"]: f["status"] for f in data["files"]}
    assert status == {
        "a.txt": "translated",
        "empty.txt": "no-arabic",  # written, but never counted as translated
        "latin1.txt": "failed",
        "leak.txt": "skipped",
        "photo.gif": "unsupported",
        "2024/b.md": "translated",
        "2024/01/c.html": "translated",
        "2024/01/d.txt": "translated",
    }
    assert "line 2, column 4" in next(f["error"] for f in data["files"] if f["path"] == "latin1.txt")
    assert data["summary"]["translated"] == 4 and data["summary"]["no_arabic"] == 1
    assert data["summary"]["terms_unresolved"] == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert written == ["2024/01/c.html", "2024/01/d.txt", "2024/b.md", "a.txt", "empty.txt"]
    assert (out / "empty.txt").read_text() == ""
    assert len((out / "a.txt").read_text(encoding="utf-8").splitlines()) == 4
    assert not (out / "leak.txt").exists() and "سرا" not in "".join(p.read_text() for p in out.rglob("*.txt"))
    assert "translated" in r.stderr and "failed: latin1.txt" in r.stderr and r.stdout == ""  # the summary is on stderr


def test_sentences_of_many_files_share_batches(runner, echo_engine, tmp_path):
    src, out = make_tree(tmp_path), tmp_path / "out"
    batch(runner, src, out)
    [engine] = echo_engine
    first_round = engine.calls[0]
    assert len(first_round) > 10  # one call for all files, not one per file


def test_markdown_structure_round_trips(runner, echo_engine, tmp_path):
    src, out = make_tree(tmp_path), tmp_path / "out"
    batch(runner, src, out)
    md = (out / "2024" / "b.md").read_text(encoding="utf-8")
    for kept in ("# ", "**SDF**", "](https://example.com/الهجوم?id=1 \"EnwAn\")", "`run --now`", "*", "- ", "  1. ", "> ",
                 '```python\nprint("لا تترجم")\n```', "    كود مزاح لا يترجم"):
        assert kept in md, kept
    prose = md.split("```")[0]
    assert "QAlt" in prose and "ISIS" in prose  # the prose was translated


def test_html_structure_round_trips(runner, echo_engine, tmp_path):
    src, out = make_tree(tmp_path), tmp_path / "out"
    batch(runner, src, out)
    before = BeautifulSoup(HTML, "html.parser")
    after = BeautifulSoup((out / "2024" / "01" / "c.html").read_text(encoding="utf-8"), "html.parser")
    tags = lambda soup: [(t.name, {k: v for k, v in t.attrs.items() if k not in ("lang", "dir")}) for t in soup.find_all(True)]  # noqa: E731
    assert tags(before) == tags(after)
    assert after.html["lang"] == "en" and after.html["dir"] == "ltr" and after.find_all("p")[1]["dir"] == "ltr"
    for kept in ('var s = "لا تترجم";', "/* عربي */", "<!-- تعليق -->", "<pre>سطر كود</pre>", "<code>رمز</code>", 'href="/ar/الهجوم"'):
        assert kept in str(after), kept
    assert after.b.string == "SDF" and after.title.string == "Tqryr"


def test_rerun_skips_everything_and_loads_no_model(runner, echo_engine, tmp_path):
    src, out = make_tree(tmp_path), tmp_path / "out"
    batch(runner, src, out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}
    echo_engine.clear()
    r = batch(runner, src, out)
    assert echo_engine == []  # the engine was never even created
    assert re.search(r"unchanged \(skipped\)\s+5\n", r.stderr)
    assert stamps == {p: p.stat().st_mtime_ns for p in stamps}


def test_changed_source_and_force(runner, echo_engine, tmp_path):
    src, out = make_tree(tmp_path), tmp_path / "out"
    batch(runner, src, out)
    (src / "a.txt").write_text("قالت قسد كلاما جديدا\n", encoding="utf-8")
    r = runner.invoke(app, ["batch", str(src), str(out), "--engine", "echo", "--dry-run"])
    assert "changed      a.txt" in r.stdout and r.stdout.count("unchanged") == 4
    batch(runner, src, out)
    assert (out / "a.txt").read_text(encoding="utf-8") == "QAlt SDF klAmA jdydA\n"
    r = runner.invoke(app, ["batch", str(src), str(out), "--engine", "echo", "--dry-run", "--force"])
    assert r.stdout.count("forced") == 5


def test_glossary_change_retranslates_only_files_with_that_term(runner, echo_engine, tmp_path):
    src, out = make_tree(tmp_path), tmp_path / "out"
    glossary = tmp_path / "g.tsv"
    glossary.write_text("source\ttarget\nقسد\tSDF\nداعش\tISIS\nالصليب الأحمر\tRed Cross\n", encoding="utf-8")
    batch(runner, src, out, "-g", glossary)
    # d.txt (paragraphs 5-7 of the article) has أشبال الخلافة, and no other file does.
    glossary.write_text("source\ttarget\nقسد\tSDF\nداعش\tISIS\nأشبال الخلافة\tCubs of the Caliphate\n", encoding="utf-8")
    r = runner.invoke(app, ["batch", str(src), str(out), "--engine", "echo", "-g", str(glossary), "--dry-run"])
    lines = {line.split()[1]: line.split()[0] for line in r.stdout.splitlines()[2:]}
    assert lines["2024/01/d.txt"] == "glossary"
    assert "أشبال الخلافة" in r.stdout and "اللجنة" not in r.stdout
    assert {k: v for k, v in lines.items() if k != "2024/01/d.txt" and v not in ("failed", "skipped", "unsupported")} == {
        "a.txt": "unchanged", "empty.txt": "unchanged", "2024/b.md": "unchanged", "2024/01/c.html": "unchanged",
    }
    batch(runner, src, out, "-g", glossary)
    assert "Cubs of the Caliphate" in (out / "2024" / "01" / "d.txt").read_text(encoding="utf-8")
    # d.txt also held the removed entry (الصليب الأحمر): one re-translation covered both.
    r = runner.invoke(app, ["batch", str(src), str(out), "--engine", "echo", "-g", str(glossary), "--dry-run"])
    assert "glossary" not in r.stdout


def test_translation_memory_serves_repeated_sentences(runner, echo_engine, tmp_path):
    src = make_tree(tmp_path)
    batch(runner, src, tmp_path / "out1")
    echo_engine.clear()
    r = batch(runner, src, tmp_path / "out2")
    assert echo_engine == []  # every sentence came from the memory: no model was loaded
    assert "from the translation memory" in r.stderr and " 0 from" not in r.stderr
    for name in ("a.txt", "2024/b.md", "2024/01/c.html"):
        assert (tmp_path / "out1" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes()
    r = runner.invoke(app, ["cache", "stats", "--json"])
    assert json.loads(r.stdout)["sentences"] > 10
    assert "removed" in runner.invoke(app, ["cache", "clear"]).stdout
    assert json.loads(runner.invoke(app, ["cache", "stats", "--json"]).stdout)["sentences"] == 0


def test_dry_run_loads_no_model(runner, tmp_path):
    src = make_tree(tmp_path)
    r = runner.invoke(app, ["batch", str(src), str(tmp_path / "out"), "--model", "/no/such/model", "--dry-run"])
    assert r.exit_code == 1  # latin1.txt cannot be read; nothing else went wrong
    assert "new" in r.stdout and "not translated yet" in r.stdout
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "out, glob, ok",
    [("in/translated", "*", False), ("in/translated", "2024/*", True), ("in", "*", False), (".", "*", False)],
)
def test_output_folder_inside_input(runner, echo_engine, tmp_path, out, glob, ok):
    src = make_tree(tmp_path)
    r = runner.invoke(app, ["batch", str(src), str(tmp_path / out), "--glob", glob, "--engine", "echo", "-q"])
    if ok:
        assert r.exit_code == 0 and (tmp_path / out / "2024" / "b.md").exists()
    else:
        assert r.exit_code == 2 and "Error:" in r.stderr


def test_output_symlinked_elsewhere_is_not_followed(runner, echo_engine, tmp_path):
    src, out = make_tree(tmp_path), tmp_path / "out"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    (out / "2024").symlink_to(elsewhere)
    r = batch(runner, src, out, "--report", tmp_path / "r.json")
    assert r.exit_code == 1  # latin1.txt
    data = json.loads((tmp_path / "r.json").read_text())
    assert {f["path"]: f["status"] for f in data["files"]}["2024/b.md"] == "skipped"
    assert list(elsewhere.iterdir()) == []


KILLABLE = """
import sys, time
sys.path.insert(0, {tests!r})
from fakes import EchoEngine
from tarjama.jobs import batch
from tarjama.engines import ENGINES
from tarjama.cli import app

batch.GROUP_SENTENCES = 3  # small groups: files complete one after another

class Slow(EchoEngine):
    def translate(self, texts, **kw):
        time.sleep(0.15)
        return super().translate(texts, **kw)

ENGINES["slow"] = lambda model, **kw: Slow()
app(sys.argv[1:])
"""


def run_killable(tmp_path, src, out, kill_after=None):
    script = tmp_path / "run.py"
    script.write_text(KILLABLE.format(tests=str(Path(__file__).parent)), encoding="utf-8")
    cmd = [sys.executable, str(script), "batch", str(src), str(out), "--engine", "slow", "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if kill_after is not None:
        deadline = time.time() + 60
        while time.time() < deadline and len([p for p in out.rglob("*.txt")]) < kill_after:
            time.sleep(0.02)
        proc.kill()
    proc.communicate(timeout=120)
    return proc.returncode


def test_killed_run_resumes_to_the_same_result(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(12):
        lines = ARTICLE_LINES[i % 14 : i % 14 + 2]
        (src / f"{i:02d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    reference, out = tmp_path / "reference", tmp_path / "out"
    assert run_killable(tmp_path, src, reference) == 0
    monkeypatch.setenv("TARJAMA_CACHE_DIR", str(tmp_path / "another-cache"))  # the resumed run starts cold
    code = run_killable(tmp_path, src, out, kill_after=3)
    assert code == -9
    done = sorted(p.name for p in out.glob("*.txt"))
    assert 3 <= len(done) < 12  # killed part-way
    with sqlite3.connect(out / ".tarjama-manifest.sqlite3") as db:  # the manifest is readable
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert run_killable(tmp_path, src, out) == 0
    for p in reference.glob("*.txt"):
        assert (out / p.name).read_bytes() == p.read_bytes()
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".tmp") == []
