"""Scores equal sacrebleu's (API and CLI); term success rate; paired bootstrap; evaluate."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sacrebleu

from tarjama.cli import app
from tarjama.glossary.model import Glossary
from tarjama.quality.score import read_lines, score_systems, term_success

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "seeds" / "hasakah-prison.en.txt"
SRC = ROOT / "seeds" / "hasakah-prison.ar.txt"


@pytest.fixture
def hyps(tmp_path):
    ref = REF.read_text(encoding="utf-8")
    a = tmp_path / "a.txt"
    a.write_text(ref.replace("the ", "a ").replace("SDF", "Syrian Democratic Forces"), encoding="utf-8")
    b = tmp_path / "b.txt"
    lines = ref.splitlines()
    lines[3] = ""  # an empty hypothesis line, handled as sacrebleu does
    b.write_text("\n".join(lines).replace("ISIS", "Daesh") + "\n", encoding="utf-8")
    return a, b


def test_scores_equal_sacrebleu_api(hyps):
    a, _ = hyps
    hyp, ref = read_lines(a), read_lines(REF)
    [system] = score_systems([("a", hyp)], [ref], ["bleu", "chrf", "chrf++", "ter"])
    expected = {
        "BLEU": sacrebleu.corpus_bleu(hyp, [ref]).score,
        "chrF2": sacrebleu.corpus_chrf(hyp, [ref]).score,
        "chrF2++": sacrebleu.corpus_chrf(hyp, [ref], word_order=2).score,
        "TER": sacrebleu.corpus_ter(hyp, [ref]).score,
    }
    assert {m.name: m.score for m in system.metrics} == pytest.approx(expected)


def test_cli_prints_what_sacrebleus_cli_prints(runner, hyps):
    for hyp in hyps:
        ours = runner.invoke(app, ["score", "--hyp", str(hyp), "--ref", str(REF), "--metrics", "bleu,chrf,ter"])
        assert ours.exit_code == 0, ours.stderr
        theirs = subprocess.run(
            [sys.executable, "-m", "sacrebleu", str(REF), "-i", str(hyp), "-m", "bleu", "chrf", "ter", "-f", "text"],
            capture_output=True, text=True, check=True,
        ).stdout
        assert ours.stdout.splitlines() == [line.strip() for line in theirs.splitlines()]


def test_multiple_references(tmp_path, hyps):
    a, _ = hyps
    ref2 = tmp_path / "ref2.txt"
    ref2.write_text(REF.read_text(encoding="utf-8").replace("neighbourhood", "district"), encoding="utf-8")
    hyp, refs = read_lines(a), [read_lines(REF), read_lines(ref2)]
    [system] = score_systems([("a", hyp)], refs, ["bleu"])
    assert system.metrics[0].score == pytest.approx(sacrebleu.corpus_bleu(hyp, refs).score)
    assert "nrefs:2" in system.metrics[0].signature


def test_line_counts_that_differ_are_an_error(runner, tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("one line\n", encoding="utf-8")
    r = runner.invoke(app, ["score", "--hyp", str(short), "--ref", str(REF)])
    assert r.exit_code == 2 and "line counts differ" in r.stderr and f"{short}: 1" in r.stderr


def test_empty_files_are_a_clear_error(runner, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    r = runner.invoke(app, ["score", "--hyp", str(empty), "--ref", str(REF)])
    assert r.exit_code == 2 and f"{empty} has no lines to score" in r.stderr


def test_term_success_rate_counts_hits_and_misses():
    g = Glossary.from_entries([("قسد", "SDF"), ("داعش", "ISIS"), ("الحسكة", "Hasakah")])
    sources = ['قالت "قسد" إن داعش هاجم بالحسكة', "ولقَسَدٍ مقاتلون", "وصل لـ\"داعش\" مدد", "لا شيء هنا"]
    hyps = ["The SDF said ISIS attacked in Hasaka", "And the Qasad has fighters", "ISIS got help", "nothing"]
    result = term_success(sources, hyps, g)
    assert (result.hits, result.total) == (3, 5)
    assert result.rate == pytest.approx(60.0)
    assert [(m["line"], m["target"]) for m in result.misses] == [(1, "Hasakah"), (2, "SDF")]
    assert result.misses[1]["text"] == "قَسَدٍ"


def test_score_json_with_source_and_sentences(runner, hyps):
    a, _ = hyps
    r = runner.invoke(app, ["score", "--hyp", str(a), "--ref", str(REF), "--source", str(SRC), "--sentences", "--json"])
    assert r.exit_code == 0, r.stderr
    [system] = json.loads(r.stdout)["systems"]
    assert system["term_success"]["total"] == 53
    # every SDF became "Syrian Democratic Forces"; "of the" became "of a" in 3 targets
    assert system["term_success"]["hits"] == 53 - 10 - 3
    lines = system["sentences"]
    assert len(lines) == 14 and lines[0]["chrf"] <= lines[-1]["chrf"]  # worst first
    assert {"source", "hypothesis", "references", "bleu", "chrf"} <= set(lines[0])


def test_sentences_text_lists_the_misses(runner, hyps):
    a, _ = hyps
    r = runner.invoke(app, ["score", "--hyp", str(a), "--ref", str(REF), "--source", str(SRC), "--sentences"])
    assert r.exit_code == 0
    assert "Term success rate = 75.5 (40/53)" in r.stdout
    assert "missed term: line 1: قسد → SDF" in r.stdout and "  src: " in r.stdout


def test_two_systems_get_a_paired_bootstrap(runner, hyps):
    a, b = hyps
    r = runner.invoke(app, ["score", "--hyp", str(a), "--hyp", str(b), "--ref", str(REF), "--metrics", "bleu,chrf", "--json"])
    assert r.exit_code == 0, r.stderr
    paired = json.loads(r.stdout)["paired_bootstrap"]
    base, other = paired["rows"]
    assert base["BLEU"]["p_value"] is None and 0 <= other["BLEU"]["p_value"] <= 1
    assert "bs:1000" in paired["signatures"]["BLEU"]
    text = runner.invoke(app, ["score", "--hyp", str(a), "--hyp", str(b), "--ref", str(REF), "--metrics", "bleu"]).stdout
    assert "Baseline: " in text and "Paired bootstrap resampling (1000 samples)" in text


def test_unknown_metric(runner, hyps):
    r = runner.invoke(app, ["score", "--hyp", str(hyps[0]), "--ref", str(REF), "--metrics", "bleu,meteor"])
    assert r.exit_code == 2 and "unknown metric meteor" in r.stderr


def test_evaluate_on_the_tiny_model(runner, tiny_model, tmp_path):
    out = tmp_path / "eval"
    r = runner.invoke(
        app,
        ["evaluate", "--source", str(SRC), "--ref", str(REF), "--model", str(tiny_model), "--beams", "1", "--save", str(out)],
    )
    assert r.exit_code == 0, r.stderr
    header, _, without, with_ = r.stdout.splitlines()[:4]
    assert header.split()[:5] == ["system", "BLEU", "chrF2", "chrF2++", "TER"]
    assert without.startswith("no glossary") and with_.startswith("glossary")
    assert with_.rstrip().endswith("100.0 (53/53)")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [s["system"] for s in report["systems"]] == ["no glossary", "glossary"]
    for name in ("no-glossary.en.txt", "glossary.en.txt"):
        assert len((out / name).read_text(encoding="utf-8").splitlines()) == 14


def test_accepted_alternatives_count_as_present_for_check_and_score(runner, tmp_path):
    from tarjama.quality.check import check_translation

    glossary = tmp_path / "g.tsv"
    glossary.write_text(
        "source\ttarget\tvariants\tforbidden\tnote\talternatives\n"
        "داعش\tISIS\t\tDaesh\t\tIslamic State|IS\n"
        "عبوة ناسفة\tIED\t\t\t\troadside bomb\n",
        encoding="utf-8",
    )
    from tarjama.glossary.model import load_glossary

    g = load_glossary([glossary])
    source = "هاجم داعش المدينة\nفجر داعش عبوات ناسفة\nقال داعش\nهاجم داعش"
    translation = "Islamic State attacked the city\nISIS set off roadside bombs\nDaesh said\nIS attacked"
    problems = check_translation(source, translation, g)
    # An alternative is the term being there (a plural match accepts the plural); a
    # forbidden rendering is still wrong and the term still missing.
    assert [(p.line, p.kind, p.target) for p in problems] == [(3, "missing", "ISIS"), (3, "forbidden", "ISIS")]
    result = term_success(source.splitlines(), translation.splitlines(), g)
    assert (result.hits, result.total) == (4, 5)
    src, hyp = tmp_path / "src.ar", tmp_path / "hyp.en"
    src.write_text(source + "\n", encoding="utf-8")
    hyp.write_text(translation + "\n", encoding="utf-8")
    out = runner.invoke(app, ["check", "-s", str(src), "-t", str(hyp), "--glossary", str(glossary), "--json"])
    assert out.exit_code == 1
    assert {v["line"] for v in json.loads(out.stdout)} == {3}
    # Without the alternatives the same translation misses the term on lines 1, 2 and 4.
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("\tIslamic State|IS\n", "\t\n").replace("\troadside bomb\n", "\t\n"), encoding="utf-8")
    assert {p.line for p in check_translation(source, translation, load_glossary([glossary]))} == {1, 2, 3, 4}


def test_check_accepts_a_capital_at_a_sentence_start_and_reads_plural_forbidden_renderings(tmp_path):
    from tarjama.quality.check import check_translation, fix_translation
    from tarjama.glossary.model import load_glossary

    glossary = tmp_path / "g.tsv"
    glossary.write_text(
        "source\ttarget\tvariants\tforbidden\tnote\talternatives\n"
        "طائرة مسيرة\tdrone\t\tUAV\t\tunmanned aerial vehicle\n"
        "داعش\tISIS\t\tIslamic State\t\tIslamic State group\n",
        encoding="utf-8",
    )
    g = load_glossary([glossary])
    kinds = lambda src, tgt: [(p.kind, p.target, p.found) for p in check_translation(src, tgt, g)]  # noqa: E731
    # tarjama capitalises a sentence's first word, and so does everyone: not a misspelling.
    assert kinds("طائرة مسيرة أسقطت.", "Drone was shot down.") == []
    assert kinds("طائرة مسيرة أسقطت.", 'He said: "Drone down."') == []
    assert kinds("طائرة مسيرة أسقطت.", "A Drone was shot down.") == [("misspelled", "drone", "Drone")]
    assert kinds("طائرة مسيرة أسقطت.", "Unmanned aerial vehicle was shot down.") == []
    assert fix_translation("طائرة مسيرة أسقطت.", "Drone was shot down.", g)[0] == "Drone was shot down."
    # A forbidden rendering in the plural is reported with the plural target, as --fix replaces it.
    assert kinds("أسقطت طائرات مسيرة.", "Two UAVs were downed.") == [("missing", "drones", None), ("forbidden", "drones", "UAVs")]
    assert fix_translation("أسقطت طائرات مسيرة.", "Two UAVs were downed.", g)[0] == "Two drones were downed."
    # A replacement opening a sentence, after its quote too, gets the sentence's capital.
    assert fix_translation("أسقطت طائرة مسيرة.", 'They said. "UAV downed."', g)[0] == 'They said. "Drone downed."'
    assert fix_translation("أسقطت طائرة مسيرة.", "They said a UAV fell.", g)[0] == "They said a drone fell."
    # A forbidden phrase inside an accepted alternative is no fault, and --fix leaves it whole.
    assert kinds("قال داعش.", "The Islamic State group said.") == []
    assert fix_translation("قال داعش.", "The Islamic State group said.", g)[0] == "The Islamic State group said."
    assert kinds("قال داعش.", "The Islamic State said.") == [("missing", "ISIS", None), ("forbidden", "ISIS", "Islamic State")]


def test_a_forbidden_singular_whose_plural_is_the_target_is_no_fault(tmp_path):
    """The shipped glossary forbids "United Nation"; its plural is the target itself, so
    neither check nor the repair step may call "United Nations" wrong (it once suggested
    "United Nationses")."""
    from tarjama.glossary.model import Entry, load_glossary
    from tarjama.pipeline.enforce import Repairer
    from tarjama.quality.check import check_translation

    un = Entry("الأمم المتحدة", "United Nations", (), ("United Nation",))
    assert un.forbidden_plurals == ()
    assert Entry("طائرة مسيرة", "drone", (), ("UAV",)).forbidden_plurals == ("UAVs",)
    glossary = tmp_path / "g.tsv"
    glossary.write_text("source\ttarget\tvariants\tforbidden\nالأمم المتحدة\tUnited Nations\t\tUnited Nation\n", encoding="utf-8")
    g = load_glossary([glossary])
    assert check_translation("دعت الأمم المتحدة", "The United Nations called", g) == []
    assert "United Nationses" not in {t for _, t in Repairer(g).forbidden}
