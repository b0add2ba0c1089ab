"""One vocabulary for options across commands, the old names kept as aliases; translate's
--json and translation memory; models list and demo; plurals; the terminal hint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tarjama.cli import app

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GLOSSARY = "source\ttarget\tvariants\tforbidden\tnote\nقسد\tSDF\t\tSyrian Democratic Forces\t\nداعش\tISIS\t\tDaesh\t\n"
ARABIC = 'وقالت "قسد" إن 300 من مقاتلي داعش استسلموا.\n'


def invoke(runner, *args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


@pytest.fixture
def texts(tmp_path, monkeypatch):
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "terms.tsv").write_text(GLOSSARY, encoding="utf-8")
    monkeypatch.setenv("TARJAMA_GLOSSARY", str(tmp_path / "glossary"))
    monkeypatch.setenv("TARJAMA_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "a.ar.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "mine.en.txt").write_text("The Syrian Democratic Forces said 300 Daesh fighters surrendered.\n", encoding="utf-8")
    (tmp_path / "ref.en.txt").write_text("The SDF said 300 ISIS fighters surrendered.\n", encoding="utf-8")
    return tmp_path


# -- check: -s/--source and -i/--hyp (-t/--translation kept) -----------------------------------
@pytest.mark.parametrize("src, hyp", [("-s", "-i"), ("--source", "--hyp"), ("-s", "-t"), ("--source", "--translation")])
def test_check_takes_the_new_and_the_old_names(runner, texts, src, hyp):
    r = invoke(runner, "check", src, texts / "a.ar.txt", hyp, texts / "mine.en.txt", "--json")
    assert r.exit_code == 1, r.stderr
    kinds = sorted(v["kind"] for v in json.loads(r.stdout))
    assert kinds == ["forbidden", "forbidden", "missing", "missing"]


# -- score: -i/--hyp, -r/--ref, -s/--source -------------------------------------------------------
@pytest.mark.parametrize(
    "names",
    [("-i", "-r", "-s"), ("--hyp", "--ref", "--source")],
)
def test_score_short_and_long_names_agree(runner, texts, names):
    i, r_, s = names
    r = invoke(runner, "score", i, texts / "mine.en.txt", r_, texts / "ref.en.txt", s, texts / "a.ar.txt", "--json")
    assert r.exit_code == 0, r.stderr
    system = json.loads(r.stdout)["systems"][0]
    assert system["term_success"]["hits"] == 0 and system["term_success"]["total"] == 2


def test_score_baseline_row_lines_up_with_the_others(runner, texts):
    r = invoke(runner, "score", "-i", texts / "ref.en.txt", "-i", texts / "mine.en.txt", "-r", texts / "ref.en.txt", "--bootstrap-samples", "10")
    assert r.exit_code == 0, r.stderr
    header, rule, base, other = r.stdout.splitlines()[:4]
    assert base.startswith("Baseline: ")
    columns = [i for i, c in enumerate(base) if base.startswith("(μ", i)]
    assert len(columns) == 4 and columns == [i for i, c in enumerate(other) if other.startswith("(μ", i)]


@pytest.mark.parametrize("src, ref", [("-s", "-r"), ("--source", "--ref")])
def test_evaluate_takes_the_short_names(runner, texts, src, ref):
    r = invoke(runner, "evaluate", src, texts / "missing.ar.txt", ref, texts / "ref.en.txt", "--engine", "echo")
    assert r.exit_code == 2 and "missing.ar.txt" in r.stderr  # parsed: the file is what is wrong


# -- translate: --json, the translation memory, the terminal hint ---------------------------------
def test_translate_json_is_format_json(runner, texts, echo_engine):
    a = invoke(runner, "translate", texts / "a.ar.txt", "--engine", "echo", "--json", "--no-memory")
    b = invoke(runner, "translate", texts / "a.ar.txt", "--engine", "echo", "--format", "json", "--no-memory")
    assert a.exit_code == b.exit_code == 0, a.stderr
    assert json.loads(a.stdout) == json.loads(b.stdout)
    assert [t["target"] for t in json.loads(a.stdout)[0]["glossary"] if t["kind"] == "term"] == ["SDF", "ISIS"]


def test_translate_json_and_another_format_is_an_error(runner, texts, echo_engine):
    r = invoke(runner, "translate", texts / "a.ar.txt", "--engine", "echo", "--json", "-f", "bilingual")
    assert r.exit_code == 2 and r.stderr.startswith("Error: --json and --format bilingual") and not r.stdout


def test_translate_uses_the_translation_memory(runner, texts, echo_engine):
    first = invoke(runner, "translate", texts / "a.ar.txt", "--engine", "echo")
    assert first.exit_code == 0 and "translation memory" not in first.stderr
    assert len(echo_engine) == 1 and len(echo_engine[-1].calls) == 1
    again = invoke(runner, "translate", texts / "a.ar.txt", "--engine", "echo")
    assert again.exit_code == 0 and again.stdout == first.stdout
    assert all(e.calls == [] for e in echo_engine[1:])  # nothing reached an engine
    assert "1 of 1 sentence from the translation memory" in again.stderr
    for flag in ("--no-memory", "--no-cache"):
        fresh = invoke(runner, "translate", texts / "a.ar.txt", "--engine", "echo", flag)
        assert fresh.exit_code == 0 and fresh.stdout == first.stdout
        assert len(echo_engine[-1].calls) == 1 and "translation memory" not in fresh.stderr


def test_translate_summary_plural(runner, texts, echo_engine):
    r = invoke(runner, "translate", "-", "--engine", "echo", "--no-memory", input="قالت قسد\n")
    assert r.exit_code == 0 and "1 glossary term applied, 0 unresolved" in r.stderr


def test_translate_hints_when_reading_a_terminal(runner, texts, echo_engine, monkeypatch):
    import types

    import tarjama.cli.translate as module
    from tarjama.text.encoding import Decoded

    class Terminal:
        def isatty(self):
            return True

    seen = []
    monkeypatch.setattr(module, "sys", types.SimpleNamespace(stdin=Terminal()))
    monkeypatch.setattr("tarjama.files.read_any_text", lambda f: seen.append(f) or Decoded("قسد"))
    r = invoke(runner, "translate", "--engine", "echo", "--no-memory")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.startswith("Reading Arabic from the terminal: paste or type it, then press Ctrl-D")
    assert seen == ["-"] and r.stdout.strip() == "SDF"
    quiet = invoke(runner, "translate", "--engine", "echo", "--no-memory", "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_no_hint_for_a_pipe(runner, texts, echo_engine):
    r = invoke(runner, "translate", "--engine", "echo", "--no-memory", input=ARABIC)
    assert r.exit_code == 0 and "terminal" not in r.stderr


# -- check: plural ----------------------------------------------------------------------------------
def test_misaligned_check_says_one_line(runner, texts):
    two = texts / "two.en.txt"
    two.write_text("The SDF.\nISIS.\n", encoding="utf-8")
    r = invoke(runner, "check", "-s", texts / "a.ar.txt", "-i", two)
    assert r.exit_code == 2 and "the source has 1 line but the translation has 2" in r.stderr


# -- batch: --ray-workers (--workers kept), -q hides the summary, --no-memory ---------------------
def test_batch_quiet_hides_the_summary(runner, texts, echo_engine):
    (texts / "in").mkdir()
    (texts / "in" / "a.txt").write_text(ARABIC, encoding="utf-8")
    loud = invoke(runner, "batch", texts / "in", texts / "out", "--engine", "echo", "--no-memory")
    assert loud.exit_code == 0 and "translated" in loud.stderr and "glossary terms applied" in loud.stderr
    quiet = invoke(runner, "batch", texts / "in", texts / "out2", "--engine", "echo", "--no-memory", "-q")
    assert quiet.exit_code == 0 and quiet.stderr == "" and (texts / "out2" / "a.txt").is_file()


def test_batch_workers_is_ray_workers(runner, texts):
    from typer.main import get_command

    batch = get_command(app).commands["batch"]
    names = {n for p in batch.params for n in p.opts}
    assert {"--ray-workers", "--workers", "--no-memory", "--no-cache", "--json", "-q"} <= names
    hidden = {n for p in batch.params if p.hidden for n in p.opts}
    assert "--workers" in hidden and "--ray-workers" not in hidden
    serve = get_command(app).commands["serve"]
    assert {"--no-memory", "--no-cache", "--workers"} <= {n for p in serve.params for n in p.opts}


def test_batch_workers_alias_still_works(runner, texts):
    r = invoke(runner, "batch", texts / "in-missing", texts / "out", "--workers", "2", "--dry-run")
    assert "--workers is now --ray-workers" in r.stderr


# -- one name, one meaning; --json wherever results are printed ------------------------------------
def test_every_command_that_prints_results_has_json():
    from typer.main import get_command

    root = get_command(app)
    for path in (["translate"], ["batch"], ["check"], ["score"], ["evaluate"], ["models", "list"], ["cache", "stats"],
                 ["glossary", "find"], ["glossary", "list"], ["glossary", "show"], ["glossary", "stats"]):
        command = root
        for name in path:
            command = command.commands[name]
        assert "--json" in {n for p in command.params for n in p.opts}, path


def test_short_names_mean_one_thing_everywhere():
    from typer.main import get_command

    meaning: dict[str, set[str]] = {}

    def walk(command):
        for p in command.params:
            if p.hidden:  # older names kept for scripts (glossary list's -s is its --search)
                continue
            for opt in p.opts:
                if opt in ("-s", "-r", "-i", "-o", "-m", "-g", "-q"):
                    meaning.setdefault(opt, set()).add(max(p.opts, key=len))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(get_command(app))
    assert meaning["-s"] == {"--source"} and meaning["-r"] == {"--ref"}
    assert meaning["-i"] <= {"--hyp", "--translation"} and meaning["-o"] == {"--output"}
    assert meaning["-q"] == {"--quiet"} and meaning["-m"] == {"--model"} and meaning["-g"] == {"--glossary"}


# -- models --------------------------------------------------------------------------------------
def test_models_list_is_models(runner, monkeypatch, tmp_path):
    monkeypatch.setenv("TARJAMA_MODEL", str(tmp_path))
    bare = invoke(runner, "models", "--json")
    listed = invoke(runner, "models", "list", "--json")
    assert bare.exit_code == listed.exit_code == 0
    assert json.loads(bare.stdout) == json.loads(listed.stdout)
    assert json.loads(listed.stdout)[0] == {"id": str(tmp_path), "default": True, "cached": True, "description": "from $TARJAMA_MODEL"}


def test_models_demo_builds_a_model_that_enforces_the_glossary(runner, texts):
    demo = texts / "demo"
    r = invoke(runner, "models", "demo", demo)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == str(demo) and "gibberish" in r.stderr
    assert {"config.json", "model.safetensors", "source.spm", "target.spm", "vocab.json"} <= {p.name for p in demo.iterdir()}
    assert not [p for p in texts.iterdir() if p.name.startswith(".demo-model-")]  # built aside, moved in place
    t = invoke(runner, "translate", texts / "a.ar.txt", "-m", demo, "--beams", "1", "--json", "--no-memory")
    assert t.exit_code == 0, t.stderr
    terms = [g for s in json.loads(t.stdout) for g in s["glossary"] if g["kind"] == "term"]
    assert [(g["target"], g["status"]) for g in terms] == [("SDF", "applied"), ("ISIS", "applied")]


def test_models_demo_refuses_a_folder_that_holds_something(runner, tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine", encoding="utf-8")
    r = invoke(runner, "models", "demo", tmp_path / "x")
    assert r.exit_code == 2 and r.stderr.startswith("Error: ") and "not an empty folder" in r.stderr
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["keep.txt"]
