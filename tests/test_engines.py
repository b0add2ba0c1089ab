"""The engines behind one interface: transformers (stock generate) and CTranslate2."""

import importlib.util
import re
from pathlib import Path

import pytest

from tarjama import Translator
from tarjama.cli import app
from tarjama.engines.ctranslate2 import CTranslate2Engine, converted_folder
from tarjama.engines.transformers import TransformersEngine
from tarjama.text.segment import split_sentences

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [s for line in (ROOT / "seeds" / "hasakah-prison.ar.txt").read_text(encoding="utf-8").splitlines() for s in split_sentences(line)][:5]


@pytest.fixture(scope="module")
def hf(tiny_model):
    return TransformersEngine(str(tiny_model), beams=1)


def test_ctranslate2_and_transformers_agree_greedy_float32(tiny_model, hf):
    ct2 = CTranslate2Engine(str(tiny_model), beams=1, compute_type="float32")
    for sentence in SENTENCES:
        assert ct2.translate([sentence]) == hf.translate([sentence])


def test_ctranslate2_suppresses_only_where_needed_and_keeps_one_call(tiny_model):
    engine = CTranslate2Engine(str(tiny_model), beams=2, compute_type="float32")
    calls = []

    class Recorder:
        def __init__(self, real):
            self.real = real

        def translate_batch(self, batch, **options):
            calls.append((len(batch), options.get("suppress_sequences")))
            return self.real.translate_batch(batch, **options)

    engine.translator = Recorder(engine.translator)
    text, other = SENTENCES[0], SENTENCES[1]
    # The same batch without bans is the baseline: CTranslate2 does not promise that a
    # sentence decodes to the same tokens alone and in a padded batch (4.8 does not).
    free = engine.translate([text, other])
    tok = engine.tokenizer
    words = [w for w in free[0].split() if len(tok(text_target=[w], add_special_tokens=False)["input_ids"][0]) == 1]
    calls.clear()
    # Renderings that the translations do not contain: one call for both, nothing changed.
    assert engine.translate([text, other], avoid=[["zebra crossing"], ["quantum flux"]]) == free
    assert [n for n, _ in calls] == [2]
    calls.clear()
    # A rendering that the translation contains: that sentence alone is decoded again without it.
    [with_ban, neighbour] = engine.translate([text, other], avoid=[[words[0]], ["quantum flux"]])
    assert with_ban != free[0] and neighbour == free[1]
    assert [n for n, _ in calls] == [2, 1] and calls[1][1]


def test_ctranslate2_decodes_batches_in_parallel_and_keeps_input_order(tiny_model):
    from tarjama.engines.ctranslate2 import cpu_workers

    assert cpu_workers(1) == (1, 1) and cpu_workers(2) == (2, 1) and cpu_workers(16) == (2, 8)
    # One sentence a batch: five batches in flight on two workers that share the weights.
    engine = CTranslate2Engine(str(tiny_model), beams=2, compute_type="float32", batch_size=1, threads=2, device="cpu")
    assert engine.translator.num_translators == 2
    alone = [engine.translate([s])[0] for s in SENTENCES]
    assert engine.translate(SENTENCES) == alone
    assert engine.translate(SENTENCES[::-1]) == alone[::-1]


def test_output_layer_is_restricted_to_english_pieces(tiny_model, hf):
    assert hf.vocab is not None and hf.vocab.size < hf.tokenizer.vocab_size
    assert hf.model.lm_head.weight.shape[0] == hf.vocab.size
    full = TransformersEngine(str(tiny_model), beams=1, restrict_vocab=False)
    arabic = re.compile(r"[\u0600-\u06FF]")
    unrestricted = full.translate(SENTENCES)
    restricted = hf.translate(SENTENCES)
    assert any(arabic.search(t) for t in unrestricted)  # a random model wanders into Arabic pieces...
    assert not any(arabic.search(t) for t in restricted)  # ...which an English output never needs
    # Banned sequences with Arabic-side ids cannot occur in the reduced space and are dropped.
    arabic_id = hf.tokenizer.encoder[next(p for p in hf.tokenizer.encoder if arabic.search(p))]
    english_id = int(hf.vocab.full[5])
    assert hf.vocab.to_reduced([[arabic_id], [english_id]]) == [[5]]


def test_reordering_the_shared_embedding_never_writes_the_model_file(tiny_model):
    import hashlib

    def digest():
        return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in Path(tiny_model).iterdir() if f.is_file()}

    before = digest()
    engine = TransformersEngine(str(tiny_model), beams=1)
    assert engine.vocab.encoder_ids is not None  # the in-place reordering was taken
    engine.translate(SENTENCES[:2])
    assert digest() == before


def test_int8_is_ctranslate2s(tiny_model):
    """torch's dynamic quantization is deprecated: int8 is CTranslate2's, and the
    transformers engine says so instead of quantizing."""
    from tarjama.errors import TarjamaError

    with pytest.raises(TarjamaError, match=r"float32 only.*--engine ctranslate2"):
        TransformersEngine(str(tiny_model), beams=2, compute_type="int8")
    ct2 = CTranslate2Engine(str(tiny_model), beams=2, compute_type="int8")
    assert all(ct2.translate(SENTENCES[:2]))


def test_conversion_is_done_once(tiny_model):
    first = converted_folder(str(tiny_model), True, "float32")
    stamp = (first / "model.bin").stat().st_mtime_ns
    again = converted_folder(str(tiny_model), True, "float32")
    assert again == first and (again / "model.bin").stat().st_mtime_ns == stamp
    assert (first / "vmap.txt").exists()
    assert converted_folder(str(tiny_model), True, "int8") != first  # weights stored as computed


def test_ctranslate2_through_the_glossary_pipeline(tiny_model, article):
    result = Translator(str(tiny_model), engine="ctranslate2", beams=2).translate_document(article)
    assert result.unresolved == 0 and result.applied > 40 and len(result.paragraphs) == 14


def test_cli_engine_options(runner, tiny_model, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("قالت قسد إن داعش هاجم", encoding="utf-8")
    r = runner.invoke(app, ["translate", str(src), "--model", str(tiny_model), "--engine", "ctranslate2", "--compute-type", "float32", "-q"])
    assert r.exit_code == 0, r.stderr
    assert "SDF" in r.stdout and "ISIS" in r.stdout
    r = runner.invoke(app, ["translate", str(src), "--model", str(tiny_model), "--engine", "transformers", "--compute-type", "int8"])
    assert r.exit_code == 2 and "float32 only" in r.stderr and "Traceback" not in r.stderr
    r = runner.invoke(app, ["translate", str(src), "--model", str(tiny_model), "--engine", "ctranslate2", "--compute-type", "bf17"])
    assert r.exit_code == 2 and "unknown compute type" in r.stderr


def test_benchmark_code_runs_on_a_small_model(tiny_model, tmp_path):
    """The benchmark's contenders, on the tiny model and three sentences: no timings, only
    that each runs and counts the same work."""
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    workload = bench.make_workload(30)
    assert len(workload) == 30 and all(s.endswith(".") for s in workload)
    sentences = workload[:3]
    counts = {
        name: bench.CONTENDERS[name](Path(tiny_model), sentences, 1)
        for name in ("naive", "default", "generate", "ct2-tarjama", "ct2-direct", "ct2-direct-large")
    }
    assert len(set(counts.values())) == 1, counts  # equal work for every contender
    # Real articles: the units the pipeline decodes, each one sentence, no protected spans.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text((ROOT / "seeds" / "hasakah-prison.ar.txt").read_text(encoding="utf-8"), encoding="utf-8")
    drawn = bench.corpus_workload(corpus, 5)
    assert len(drawn) == 5 and not any(re.search(r"[0-9A-Za-z]", s) for s in drawn)
    assert bench.CONTENDERS["ct2-tarjama"](Path(tiny_model), drawn, 1) > 0  # decoded once each, or it exits
    overhead = bench.run_glossary_overhead(sentences)
    assert overhead["terms"] > 0 and overhead["with"] >= 0
