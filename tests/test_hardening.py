"""Hostile input and hostile files: one-line errors, exit codes, nothing silently wrong."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from tarjama.cli import app
from tarjama.files import read_document, write_atomic
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


# -- glossary text is text, never a regular-expression template -------------------------------
def write_glossary(folder: Path, rows: list[str], name: str = "g.tsv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("source\ttarget\tvariants\tforbidden\tnote\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("target", [r"Q\1D", r"Q$1D", r"Q\nD", r"Q\g<0>D"])
def test_check_fix_with_template_characters_in_the_target(runner, tmp_path, target):
    g = write_glossary(tmp_path / "g", [f"قسد\t{target}\t\tQasad\t"])
    src = tmp_path / "a.ar.txt"
    src.write_text("قالت قسد.\n", encoding="utf-8")
    en = tmp_path / "a.en.txt"
    en.write_text("Qasad Qasad said.\n", encoding="utf-8")
    fixed = tmp_path / "fixed.txt"
    r = invoke(runner, "check", "-s", src, "-t", en, "--fix", fixed, "-g", g)
    assert r.exit_code == 0, r.stderr
    assert fixed.read_text(encoding="utf-8") == f"{target} said.\n"


# -- one definition of "the target is present": check, check --fix and score agree ----------
@pytest.mark.parametrize("written", ["sdf", "S D F", "S.D.F", "Sdf"])
def test_a_mangled_target_is_a_violation_that_fix_repairs_and_score_misses(runner, tmp_path, written):
    g = write_glossary(tmp_path / "g", ["قسد\tSDF\t\t\t"])
    src = tmp_path / "a.ar.txt"
    src.write_text("قالت قسد.\n", encoding="utf-8")
    en = tmp_path / "a.en.txt"
    en.write_text(f"The {written} said.\n", encoding="utf-8")
    r = invoke(runner, "check", "-s", src, "-t", en, "-g", g, "--json")
    assert r.exit_code == 1
    import json

    [v] = json.loads(r.stdout)
    assert v["kind"] == "misspelled" and v["found"] == written and v["target"] == "SDF"
    fixed = tmp_path / "fixed.txt"
    r = invoke(runner, "check", "-s", src, "-t", en, "-g", g, "--fix", fixed)
    assert r.exit_code == 0 and "fixed 1, 0 left" in r.stderr
    assert fixed.read_text(encoding="utf-8") == "The SDF said.\n"
    r = invoke(runner, "score", "--hyp", en, "--ref", fixed, "--source", src, "-g", g, "--metrics", "chrf")
    assert r.exit_code == 0, r.stderr
    assert "Term success rate = 0.0 (0/1)" in r.stdout
    r = invoke(runner, "score", "--hyp", fixed, "--ref", fixed, "--source", src, "-g", g, "--metrics", "chrf")
    assert "Term success rate = 100.0 (1/1)" in r.stdout


# -- the command line's own interface ----------------------------------------------------------
def test_version_and_short_help(runner):
    r = invoke(runner, "--version")
    assert r.exit_code == 0 and r.stdout.startswith("tarjama ") and r.stdout.strip().split()[1][0].isdigit()
    for args in (["-h"], ["translate", "-h"], ["glossary", "add", "-h"]):
        r = invoke(runner, *args)
        assert r.exit_code == 0 and r.stdout.startswith("Usage: "), args


@pytest.mark.parametrize(
    "args, words",
    [
        (["translate", "--beams", "0", "x.txt"], "'--beams'"),
        (["translate", "--bogus"], "No such option: --bogus"),
        (["glossary", "add", "قسد"], "Missing argument 'TARGET'"),
        (["bogus"], "No such command"),
    ],
)
def test_usage_errors_are_one_line_with_the_hint_to_help(runner, args, words):
    line = one_line_error(invoke(runner, *args))
    assert words in line and line.endswith("--help`")
    assert "╭" not in line


def test_help_names_values_and_keeps_brackets(runner):
    for command in (["translate"], ["batch"], ["check"], ["score"], ["glossary", "add"], ["glossary", "list"]):
        text = invoke(runner, *command, "--help").stdout
        assert "<str>" not in text and "<bool>" not in text and "<list" not in text and "<path>" not in text, command
        assert "╭" not in text
    text = invoke(runner, "translate", "--help").stdout
    assert 'pip install -e ".[fast]"' in " ".join(text.split()) and "tarjama[" not in text
    assert "Examples:\n    tarjama translate article.ar.txt" in text
    assert "--install-completion" in invoke(runner, "--help").stdout


# -- batch: what it prints, and hostile folders ------------------------------------------------
def small_tree(root: Path) -> Path:
    src = root / "in"
    src.mkdir()
    (src / "a.txt").write_text("قالت قسد.\n", encoding="utf-8")
    (src / "b.txt").write_text("وقال داعش.\n", encoding="utf-8")
    return src


def run_batch(runner, *args, quiet=True):
    return invoke(runner, "batch", *args, "--engine", "echo", *(["-q"] if quiet else []), "--no-glossary")


def test_batch_summary_goes_to_stderr_and_json_to_stdout(runner, echo_engine, tmp_path):
    import json

    src = small_tree(tmp_path)
    quiet = run_batch(runner, src, tmp_path / "quiet", "--no-memory")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""  # -q: no summary either
    r = run_batch(runner, src, tmp_path / "out", quiet=False)
    assert r.exit_code == 0 and r.stdout == ""
    assert "translated" in r.stderr and "2 sentences (0 from the translation memory)" in r.stderr
    (src / "c.txt").write_text("قالت.\n", encoding="utf-8")
    r = run_batch(runner, src, tmp_path / "out", "--json", quiet=False)
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["summary"]["translated"] == 1 and data["summary"]["unchanged"] == 2
    assert "1 sentence (0 from" in r.stderr


def test_batch_report_dash_is_stdout_and_dry_run_writes_its_report(runner, echo_engine, tmp_path):
    import json

    src = small_tree(tmp_path)
    r = run_batch(runner, src, tmp_path / "out", "--report", "-")
    assert r.exit_code == 0 and json.loads(r.stdout)["summary"]["translated"] == 2
    assert not Path("-").exists() and not (tmp_path / "-").exists()
    (src / "a.txt").write_text("قالت قسد اليوم.\n", encoding="utf-8")
    report = tmp_path / "plan.json"
    r = run_batch(runner, src, tmp_path / "out", "--dry-run", "--report", report)
    assert r.exit_code == 0, r.stderr
    files = {f["path"]: f["status"] for f in json.loads(report.read_text(encoding="utf-8"))["files"]}
    assert files == {"a.txt": "changed", "b.txt": "unchanged"}


def test_batch_report_to_a_folder_is_refused_before_translating(runner, echo_engine, tmp_path):
    src = small_tree(tmp_path)
    (tmp_path / "reports").mkdir()
    one_line_error(run_batch(runner, src, tmp_path / "out", "--report", tmp_path / "reports"))
    assert echo_engine == [] and not (tmp_path / "out" / "a.txt").exists()


def test_batch_symlink_loop_and_fifo_are_skipped_not_fatal(runner, echo_engine, tmp_path):
    import json

    src = small_tree(tmp_path)
    (src / "loop.txt").symlink_to(src / "loop.txt")
    (src / "x").symlink_to(src / "y")
    (src / "y").symlink_to(src / "x")
    os.mkfifo(src / "pipe.txt")
    for extra in (["--dry-run"], []):
        r = run_batch(runner, src, tmp_path / "out", "--json", *extra)
        assert r.exit_code == 0, r.stderr
        files = {f["path"]: f for f in json.loads(r.stdout)["files"]}
        assert files["loop.txt"]["status"] == "skipped" and "loop" in files["loop.txt"]["reason"]
        assert files["pipe.txt"]["status"] == "skipped" and "not a regular file" in files["pipe.txt"]["reason"]
    assert (tmp_path / "out" / "a.txt").exists()


def test_batch_removes_temporaries_a_killed_run_left(runner, echo_engine, tmp_path):
    src = small_tree(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".a.txt.k3j_9xq2.tmp"
    stale.write_text("half", encoding="utf-8")
    unrelated = out / ".notes.tmp"
    unrelated.write_text("mine", encoding="utf-8")
    assert run_batch(runner, src, out).exit_code == 0
    assert not stale.exists() and unrelated.exists()


@pytest.mark.parametrize("dry_run", [True, False])
def test_batch_corrupt_manifest_is_one_line(runner, echo_engine, tmp_path, dry_run):
    src = small_tree(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".tarjama-manifest.sqlite3").write_bytes(b"this is not a database" * 100)
    line = one_line_error(run_batch(runner, src, out, *(["--dry-run"] if dry_run else [])))
    assert "manifest" in line


def test_corrupt_or_unusable_translation_memory_is_one_line(runner, echo_engine, tmp_path, monkeypatch):
    src = small_tree(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "memory.sqlite3").write_bytes(b"garbage" * 500)
    monkeypatch.setenv("TARJAMA_CACHE_DIR", str(cache))
    assert "--no-cache" in one_line_error(run_batch(runner, src, tmp_path / "out"))
    assert run_batch(runner, src, tmp_path / "out", "--no-cache").exit_code == 0
    r = invoke(runner, "cache", "clear")
    assert r.exit_code == 0 and "deleted" in r.stdout
    assert invoke(runner, "cache", "stats").stdout.startswith("0 sentences")
    monkeypatch.setenv("TARJAMA_CACHE_DIR", str(src / "a.txt"))  # a file, not a folder
    one_line_error(run_batch(runner, src, tmp_path / "out2"))


# -- glossaries that would silently enforce nothing, or say the wrong thing ---------------------
def test_missing_glossary_env_or_folder_without_tsv_is_an_error(runner, echo_engine, tmp_path, monkeypatch):
    src = tmp_path / "a.ar.txt"
    src.write_text("قالت قسد.\n", encoding="utf-8")
    en = tmp_path / "a.en.txt"
    en.write_text("Qasad said.\n", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no glossary files" in one_line_error(invoke(runner, "check", "-s", src, "-t", en, "-g", empty))
    assert "no glossary files" in one_line_error(invoke(runner, "translate", src, "--engine", "echo", "-g", empty))
    monkeypatch.setenv("TARJAMA_GLOSSARY", str(tmp_path / "nowhere"))
    assert "TARJAMA_GLOSSARY" in one_line_error(invoke(runner, "check", "-s", src, "-t", en))
    assert "TARJAMA_GLOSSARY" in one_line_error(invoke(runner, "translate", src, "--engine", "echo"))


def test_glossary_add_into_an_empty_folder_still_works(runner, tmp_path, monkeypatch):
    folder = tmp_path / "terms"
    folder.mkdir()
    monkeypatch.setenv("TARJAMA_GLOSSARY", str(folder))
    r = invoke(runner, "glossary", "add", "قسد", "SDF")
    assert r.exit_code == 0, r.stderr
    assert (folder / "custom.tsv").exists()


def test_glossary_add_refuses_a_line_that_would_be_a_comment(runner, tmp_path):
    g = write_glossary(tmp_path / "g", ["قسد\tSDF\t\t\t"])
    before = g.read_bytes()
    assert "comment" in one_line_error(invoke(runner, "glossary", "add", "#داعش", "ISIS", "--into", g, "-g", g))
    assert g.read_bytes() == before


def test_glossary_add_writes_through_a_symlinked_file(runner, tmp_path):
    shared = write_glossary(tmp_path / "shared", ["قسد\tSDF\t\t\t"])
    folder = tmp_path / "mine"
    folder.mkdir()
    link = folder / "team.tsv"
    link.symlink_to(shared)
    r = invoke(runner, "glossary", "add", "داعش", "ISIS", "--file", link)  # the older name of --into
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink() and "داعش\tISIS" in shared.read_text(encoding="utf-8")


def test_glossary_remove_a_term_listed_twice_removes_it(runner, tmp_path):
    g = write_glossary(tmp_path / "g", ["قسد\tSDF\t\t\t", "داعش\tISIS\t\t\t", "قسد\tSDF\t\t\t"])
    r = invoke(runner, "glossary", "remove", "قسد", "-g", g)
    assert r.exit_code == 0, r.stderr
    assert "قسد" not in g.read_text(encoding="utf-8") and "داعش" in g.read_text(encoding="utf-8")
    assert invoke(runner, "glossary", "show", "قسد", "-g", g).exit_code == 2


def test_glossary_set_says_what_a_new_list_removed(runner, tmp_path):
    g = write_glossary(tmp_path / "g", ["قسد\tSDF\t\tQasad|QSD\t"])
    r = invoke(runner, "glossary", "set", "قسد", "--forbidden", "Kasad", "-g", g)
    assert r.exit_code == 0 and "removed: Qasad | QSD" in r.stderr


def test_glossary_find_gives_line_and_column_also_for_crlf(runner, tmp_path):
    g = write_glossary(tmp_path / "g", ["قسد\tSDF\t\t\t"])
    f = tmp_path / "a.txt"
    f.write_bytes("سطر أول\r\nقالت قسد\r\n".encode())
    r = invoke(runner, "glossary", "find", f, "-g", g)
    assert r.exit_code == 0
    assert r.stdout.split("\t")[0] == "2:6"  # line 2, column 6: "قالت قسد"[5:] == "قسد"
    assert r.stderr.strip() == "1 occurrence of 1 term"


# -- translate and score: no silent wrong results ---------------------------------------------
def test_all_blank_input_gives_one_blank_line_per_line(runner, echo_engine):
    r = invoke(runner, "translate", "-", "--engine", "echo", "--no-glossary", "-q", input="\n  \n\t\n")
    assert r.exit_code == 0 and r.stdout == "\n\n\n"
    r = invoke(runner, "translate", "-", "--engine", "echo", "--no-glossary", "-q", input="")
    assert r.exit_code == 0 and r.stdout == ""


def test_score_two_identical_systems_are_not_significantly_different(runner, tmp_path):
    ref = ROOT / "seeds" / "hasakah-prison.en.txt"
    hyp = tmp_path / "hyp.txt"
    hyp.write_text(ref.read_text(encoding="utf-8").replace("the ", "a "), encoding="utf-8")
    r = invoke(runner, "score", "--hyp", hyp, "--hyp", hyp, "--ref", ref, "--metrics", "chrf", "--bootstrap-samples", "50")
    assert r.exit_code == 0, r.stderr
    assert "p = 1.0000" in r.stdout and "*" not in r.stdout.splitlines()[3]


# -- engines, devices and models: one line, exit 2 --------------------------------------------
@pytest.mark.parametrize("engine, device", [("transformers", "gpu"), ("ctranslate2", "gpu"), ("transformers", "cuda:x")])
def test_unknown_device_is_one_line(runner, tmp_path, engine, device):
    line = one_line_error(invoke(runner, "translate", "-", "--model", tmp_path, "--engine", engine, "--device", device, input="قسد\n"))
    assert "unknown device" in line and "cuda:N" in line


def test_cuda_without_cuda_is_one_line_for_ctranslate2(runner, tiny_model):
    pytest.importorskip("ctranslate2")
    import ctranslate2

    if ctranslate2.get_cuda_device_count() > 0:
        pytest.skip("this machine has CUDA")
    line = one_line_error(
        invoke(runner, "translate", "-", "--model", tiny_model, "--engine", "ctranslate2", "--device", "cuda", input="قسد\n")
    )
    assert "CUDA" in line


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_model_folder_without_source_spm_is_one_line(runner, tiny_model, tmp_path, engine):
    import shutil

    folder = tmp_path / "model"
    shutil.copytree(tiny_model, folder)
    (folder / "source.spm").unlink()
    line = one_line_error(invoke(runner, "translate", "-", "--model", folder, "--engine", engine, input="قسد\n"))
    assert "source.spm" in line


def test_models_download_of_a_local_path_and_offline(runner, monkeypatch):
    line = one_line_error(invoke(runner, "models", "download", "./opus-mt-ar-en"))
    assert "local path" in line and "Hub" in line
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    line = one_line_error(invoke(runner, "models", "download", "Helsinki-NLP/opus-mt-ar-en"))
    assert "cannot download" in line and "on a machine that reaches the hub" in line


def test_models_marks_the_default_of_tarjama_model(runner, monkeypatch, tiny_model):
    monkeypatch.setenv("TARJAMA_MODEL", "Helsinki-NLP/opus-mt-tc-big-ar-en")
    lines = invoke(runner, "models").stdout.splitlines()
    assert [l.split()[1] for l in lines if l.startswith("*")] == ["Helsinki-NLP/opus-mt-tc-big-ar-en"]
    monkeypatch.setenv("TARJAMA_MODEL", str(tiny_model))
    lines = invoke(runner, "models").stdout.splitlines()
    assert lines[0].startswith(f"* {tiny_model}") and "local" in lines[0]


def test_one_name_per_idea_with_the_old_names_still_working(runner, tmp_path):
    g = write_glossary(tmp_path / "g", ["قسد\tSDF\t\t\t"])
    other = write_glossary(tmp_path / "g", ["داعش\tISIS\t\t\t"], name="other.tsv")
    assert invoke(runner, "glossary", "add", "الحسكة", "Hasakah", "--into", g).exit_code == 0
    r = invoke(runner, "glossary", "list", "--from", other, "-g", tmp_path / "g")
    assert r.exit_code == 0 and r.stdout.startswith("داعش") and len(r.stdout.splitlines()) == 1
    r = invoke(runner, "glossary", "list", "--file", other, "-s", "داعش", "-g", tmp_path / "g")  # older names
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 1
    help_text = invoke(runner, "glossary", "list", "--help").stdout
    assert "--from" in help_text and "--file" not in help_text and "-s," not in help_text
    assert "--into" in invoke(runner, "glossary", "add", "--help").stdout


def test_evaluate_save_to_a_file_fails_before_translating(runner, echo_engine, tmp_path):
    src = tmp_path / "a.ar.txt"
    src.write_text("قالت قسد.\n", encoding="utf-8")
    ref = tmp_path / "a.en.txt"
    ref.write_text("The SDF said.\n", encoding="utf-8")
    taken = tmp_path / "taken"
    taken.write_text("x", encoding="utf-8")
    line = one_line_error(invoke(runner, "evaluate", "--source", src, "--ref", ref, "--engine", "echo", "--save", taken))
    assert "is a file" in line and echo_engine == []


def test_cr_only_glossary_loads_and_lints(runner, tmp_path):
    g = tmp_path / "g" / "mac.tsv"
    g.parent.mkdir()
    g.write_bytes("source\ttarget\rقسد\tSDF\rداعش\tISIS\r".encode())
    r = invoke(runner, "glossary", "list", "-g", g)
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 2
    # An edit keeps the file's own line endings (no LF mixed in).
    assert invoke(runner, "glossary", "add", "الحسكة", "Hasakah", "--into", g).exit_code == 0
    assert g.read_bytes() == "source\ttarget\rقسد\tSDF\rداعش\tISIS\rالحسكة\tHasakah\r".encode()


def test_lint_reports_a_duplicated_header_column_and_ignores_a_folder_named_tsv(runner, tmp_path):
    folder = tmp_path / "g"
    write_glossary(folder, ["قسد\tSDF\t\t\t"])
    (folder / "x.tsv").mkdir()
    (folder / "dup.tsv").write_text("source\ttarget\ttarget\nداعش\tISIS\tIS\n", encoding="utf-8")
    r = invoke(runner, "glossary", "lint", "-g", folder)
    assert r.exit_code == 1 and "Traceback" not in r.stderr
    assert "column 'target' appears twice" in r.stdout


# -- memory: one copy of the weights -----------------------------------------------------------
def test_reduced_output_layer_shares_the_reduced_embedding(tiny_model):
    from tarjama.engines.transformers import TransformersEngine

    engine = TransformersEngine(str(tiny_model), beams=1, device="cpu")
    decoder = engine.model.get_decoder()
    assert engine.vocab is not None
    assert engine.model.lm_head.weight.data_ptr() == decoder.embed_tokens.weight.data_ptr()
    assert engine.model.lm_head.weight.shape[0] == engine.vocab.size


def test_benchmark_reads_the_childs_own_peak_memory():
    import importlib.util
    import subprocess

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    if not Path("/proc/self/status").exists():
        pytest.skip("VmHWM is Linux's")
    big = bytearray(300 * 1024 * 1024)  # this process's peak is now above 300 MB...
    big[:: 4096] = b"x" * len(big[:: 4096])
    code = f"import importlib.util as u; s = u.spec_from_file_location('b', {str(ROOT / 'bench' / 'run.py')!r}); " \
           "b = u.module_from_spec(s); s.loader.exec_module(b); print(b.peak_rss_mb())"
    child = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert bench.peak_rss_mb() > 300 and child < 250  # ...and a child started now reports its own
    del big


def test_glossary_find_json_offsets_point_into_a_crlf_file(runner, tmp_path):
    import json

    g = write_glossary(tmp_path / "g", ["قسد\tSDF\t\t\t", "داعش\tISIS\t\t\t"])
    f = tmp_path / "a.txt"
    original = "سطر أول\r\nقالت قسد\r\n\r\nوقال داعش\r\n"
    f.write_bytes(original.encode())
    rows = json.loads(invoke(runner, "glossary", "find", f, "-g", g, "--json").stdout)
    assert [original[r["start"] : r["end"]] for r in rows] == ["قسد", "داعش"]
    assert [r["text"] for r in rows] == ["قسد", "داعش"]


def test_shell_completion_completes_commands():
    import subprocess

    env = {**os.environ, "_TARJAMA_COMPLETE": "complete_bash", "COMP_WORDS": "tarjama gl", "COMP_CWORD": "1",
           "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", "from tarjama.cli import main; main()"], env=env, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.split() == ["glossary"]
