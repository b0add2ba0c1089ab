"""Throughput of tarjama against what users would otherwise run.

    python bench/run.py            # about 6 minutes on 2 CPU cores; writes bench/results.json

A randomly initialised model with exactly the architecture of Helsinki-NLP/opus-mt-ar-en
(MarianConfig: d_model 512, 6+6 layers, 8 heads, FFN 2048, a shared vocabulary of 62,834
entries with 32,000 English pieces, swish, scaled embeddings) is built on first use, so no
download is needed and the timings carry over to the real model. It never chooses </s> by
itself, and every contender gets the same output length for each sentence, so all do the
same work: output tokens per second are comparable.

Contenders, each in its own process (peak RSS is that process's own, VmHWM):
  naive          tokenizer + model.generate, one sentence at a time, the model's default
                 generation config (beam 4): the model card's code
  default        tarjama's default path (--engine auto: CTranslate2 int8 when installed),
                 whole pipeline
  transformers   tarjama, --engine transformers (stock generate, beam 4), whole pipeline
  generate       transformers' stock generate() on the same length-sorted batches, beam 4
  ct2-tarjama    tarjama, CTranslate2 engine, int8, beam 4, whole pipeline
  ct2-direct     CTranslate2 called directly on the converted model, int8, beam 4,
                 the same length-sorted batches (32 sentences, 512 padded tokens)
  ct2-direct-large  the same with batches of 1,024 padded tokens (the previous default,
                 faster for a direct caller on this workload)
The glossary pipeline (segmentation, matching, protection, verification, repair) is timed
separately with an engine that costs nothing, and reported against ct2-tarjama's time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

ARCHITECTURE = dict(d_model=512, layers=6, heads=8, ffn_dim=2048, vocab_size=62834, spm_pieces=32000, spm_vocab=2000)
BEAMS = 4
from tarjama.engines.options import BATCH_TOKENS  # noqa: E402  tarjama's default


def output_length(source_tokens: int) -> int:
    """Decoding steps for a sentence, the same for every contender (</s> included)."""
    return round(1.1 * source_tokens) + 1


# -- setup ----------------------------------------------------------------------------------
def build_model(folder: Path) -> Path:
    from tarjama.testing import build_marian

    stamp = folder / "bench-architecture.json"
    if stamp.exists() and json.loads(stamp.read_text()) == ARCHITECTURE:
        return folder
    ar = (ROOT / "seeds" / "hasakah-prison.ar.txt").read_text(encoding="utf-8").splitlines()
    en = (ROOT / "seeds" / "hasakah-prison.en.txt").read_text(encoding="utf-8").splitlines()
    build_marian(folder, ar, en, never_end=True, **ARCHITECTURE)
    stamp.write_text(json.dumps(ARCHITECTURE))
    return folder


def make_workload(n: int, seed: int = 1) -> list[str]:
    """``n`` sentences whose lengths in words follow the seed article's sentences, cut from
    its text (so they hold its glossary terms too), each ending with a full stop.

    Words with digits are left out: tarjama protects numbers, and a random model cannot copy
    one, so every sentence holding a number would fail verification and be decoded two or
    three times (the real model copies them), which is work no other contender does."""
    import re

    from tarjama.text.segment import split_sentences

    text = (ROOT / "seeds" / "hasakah-prison.ar.txt").read_text(encoding="utf-8")
    lengths = [len(s.split()) for line in text.splitlines() for s in split_sentences(line)]
    words = [w for w in text.split() if not re.search(r"\d", w)]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        length = max(3, round(rng.choice(lengths) * rng.uniform(0.8, 1.2)))
        start = rng.randrange(0, len(words) - length)
        cut = [w.rstrip(".!؟?") or w for w in words[start : start + length]]  # one sentence: no inner end
        out.append(" ".join(cut).rstrip(".،") + ".")
    return out


def corpus_workload(corpus: Path, n: int, seed: int = 1) -> list[str]:
    """``n`` real sentences drawn from the articles of ``corpus`` (a folder of .txt files),
    under 120 words and without digits or Latin letters (protected spans: see
    make_workload), as tarjama's pipeline cuts them into units; the same for a given seed."""
    import re

    from tarjama import Translator
    from tarjama.engines import Engine
    from tarjama.text.segment import split_sentences

    Engine.register(CopyEngine)
    pool = []
    for path in sorted(corpus.rglob("*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            pool += [s for s in split_sentences(line.strip()) if 3 <= len(s.split()) <= 120 and not re.search(r"[\dA-Za-z]", s)]
    pool = sorted(set(pool))
    drawn = random.Random(seed).sample(pool, min(2 * n, len(pool)))
    # The units the pipeline decodes (it also cuts at some quotes and pauses), recorded with
    # an engine that returns its input: each is then one unit of its own.
    units: list[str] = []
    engine = CopyEngine()
    engine.translate = lambda texts, **kw: units.extend(texts) or list(texts)
    Translator("copy", glossary=None, engine=engine).translate_many([[s] for s in drawn])
    return list(dict.fromkeys(u for u in units if len(u.split()) >= 3))[:n]


# -- contenders (each runs in a fresh process) ----------------------------------------------
def run_naive(model: Path, sentences: list[str], threads: int) -> int:
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    torch.set_num_threads(threads)
    tokenizer = MarianTokenizer.from_pretrained(model)
    mt = MarianMTModel.from_pretrained(model).eval()
    produced = 0
    for sentence in sentences:
        batch = tokenizer([sentence], return_tensors="pt")
        steps = output_length(batch["input_ids"].shape[1])
        out = mt.generate(**batch, max_new_tokens=steps)  # num_beams=4 from the model's config
        produced += out.shape[1] - 1
    return produced


def _documents(sentences: list[str], per_article: int = 12) -> list[list[str]]:
    """Articles of a dozen sentences, a sentence to a paragraph line (random cuts joined on one
    line would not split where they were cut, and the contenders must decode the same units)."""
    return [sentences[i : i + per_article] for i in range(0, len(sentences), per_article)]


def run_tarjama(model: Path, sentences: list[str], threads: int, engine: str, **options) -> int:
    from tarjama import Translator

    translator = Translator(str(model), glossary=None, engine=engine, beams=BEAMS, threads=threads, batch_tokens=BATCH_TOKENS, **options)
    engine = translator.engine
    engine.output_budget = output_length  # the same work as every contender
    decoded = []
    real = engine.translate
    engine.translate = lambda texts, **kw: decoded.extend(texts) or real(texts, **kw)
    translator.translate_many(_documents(sentences))
    # Decoding a sentence twice (a retry after a failed verification) or in pieces would be
    # work the other contenders never do: the workload is built so that neither happens.
    if sorted(decoded) != sorted(sentences):
        raise SystemExit(f"tarjama decoded {len(decoded)} sentences for {len(sentences)}")
    return sum(output_length(n) for n in engine.count_tokens(sentences))


def run_generate(model: Path, sentences: list[str], threads: int) -> int:
    """transformers' stock ``generate()`` on the same length-sorted batches as tarjama's
    engines: what a user who batches would run, and the yardstick for tarjama's own decoding."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    from tarjama.engines.transformers import length_sorted_batches

    torch.set_num_threads(threads)
    tokenizer = MarianTokenizer.from_pretrained(model)
    mt = MarianMTModel.from_pretrained(model).eval()
    lengths = [len(x) for x in tokenizer(sentences)["input_ids"]]
    with torch.inference_mode():
        for batch in length_sorted_batches(lengths, 32, BATCH_TOKENS):
            encoded = tokenizer([sentences[i] for i in batch], return_tensors="pt", padding=True)
            steps = max(output_length(lengths[i]) for i in batch)
            mt.generate(**encoded, num_beams=BEAMS, max_new_tokens=steps)
    return sum(output_length(n) for n in lengths)


def ct2_direct_folder(model: Path) -> Path:
    """The model converted the way the CTranslate2 documentation shows (int8 weights)."""
    from ctranslate2.converters import TransformersConverter

    folder = model.parent / (model.name + "-ct2-int8")
    if not (folder / "model.bin").exists():
        TransformersConverter(str(model)).convert(str(folder), quantization="int8", force=True)
    return folder


def run_ct2_direct(model: Path, sentences: list[str], threads: int, batch_tokens: int = BATCH_TOKENS) -> int:
    import ctranslate2
    from transformers import MarianTokenizer

    from tarjama.engines.transformers import length_sorted_batches

    translator = ctranslate2.Translator(str(ct2_direct_folder(model)), device="cpu", compute_type="int8", intra_threads=threads)
    tokenizer = MarianTokenizer.from_pretrained(model)
    tokens = [tokenizer.convert_ids_to_tokens(tokenizer(s)["input_ids"]) for s in sentences]
    # The same length-sorted batches as tarjama's engines (32 sentences, 512 padded source
    # tokens at most): only tarjama's pipeline and its output layer differ.
    for batch in length_sorted_batches([len(t) for t in tokens], 32, batch_tokens):
        steps = max(output_length(len(tokens[i])) for i in batch)
        translator.translate_batch([tokens[i] for i in batch], beam_size=BEAMS, max_decoding_length=steps)
    return sum(output_length(len(t)) for t in tokens)


def prepare(model: Path, names: list[str]) -> None:
    """One-off conversions happen here, not inside the timed runs."""
    if any(n.startswith("ct2-direct") for n in names):
        ct2_direct_folder(model)
    if "ct2-tarjama" in names or "default" in names:
        from tarjama.engines.ctranslate2 import converted_folder

        converted_folder(str(model), restrict_vocab=True, compute_type="int8")


class CopyEngine:
    """An engine that costs nothing: returns its input (protected terms intact)."""

    name = "copy"
    max_input_tokens = 256

    def count_tokens(self, texts):
        return [len(t.split()) * 3 // 2 for t in texts]

    def translate(self, texts, *, avoid=None, progress=None):
        return list(texts)

    def describe(self):
        return {"engine": "copy"}


def run_glossary_overhead(sentences: list[str]) -> dict:
    from tarjama import Translator
    from tarjama.engines import Engine

    Engine.register(CopyEngine)
    docs = _documents(sentences)
    timings = {}
    for name, glossary in (("without", None), ("with", "default")):
        translator = Translator("copy", glossary=glossary, engine=CopyEngine())
        start = time.perf_counter()
        result = translator.translate_many(docs)
        timings[name] = time.perf_counter() - start
        if glossary:
            timings["terms"] = sum(r.applied for r in result)
    return timings


CONTENDERS = {
    "naive": lambda m, s, t: run_naive(m, s, t),
    "default": lambda m, s, t: run_tarjama(m, s, t, "auto"),
    "transformers": lambda m, s, t: run_tarjama(m, s, t, "transformers"),
    "generate": lambda m, s, t: run_generate(m, s, t),
    "ct2-tarjama": lambda m, s, t: run_tarjama(m, s, t, "ctranslate2", compute_type="int8"),
    "ct2-direct": lambda m, s, t: run_ct2_direct(m, s, t),
    "ct2-direct-large": lambda m, s, t: run_ct2_direct(m, s, t, batch_tokens=1024),
}

LABELS = {
    "naive": "(a) naive: generate() per sentence, beam 4",
    "default": "(b) tarjama default (--engine auto)",
    "transformers": "(b) tarjama --engine transformers",
    "generate": "(b') stock generate(), same batches",
    "ct2-tarjama": "(c) tarjama, CTranslate2 int8",
    "ct2-direct": "(d) CTranslate2 int8, called directly",
    "ct2-direct-large": "(d') the same, 1,024-token batches",
}


def child(args) -> None:
    sentences = json.loads(Path(args.workload).read_text(encoding="utf-8"))
    if args.contender == "naive":
        sentences = sentences[:: args.naive_every]
    start = time.perf_counter()
    tokens = CONTENDERS[args.contender](Path(args.model), sentences, args.threads)
    seconds = time.perf_counter() - start
    print(json.dumps({"tokens": tokens, "sentences": len(sentences), "seconds": seconds, "rss_mb": peak_rss_mb()}))


def peak_rss_mb() -> float | None:
    """This process's own peak resident memory, from the kernel's VmHWM.

    Not ``ru_maxrss``: it survives ``exec``, so a child started by a parent that had built
    the model reports the parent's peak when that was higher."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return None  # not Linux: no reliable per-process figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=100, help="workload size (default 100)")
    parser.add_argument("--naive-every", type=int, default=10, help="the naive baseline runs on every Nth sentence")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--only", default="naive,default,ct2-tarjama,ct2-direct", help=f"comma-separated, from: {', '.join(CONTENDERS)}"
    )
    parser.add_argument("--corpus", help="draw the sentences from this folder of articles (.txt) instead of the seed article")
    parser.add_argument("--runs", type=int, default=1, help="runs of every contender, interleaved; medians reported")
    parser.add_argument("--output", default=str(HERE / "results.json"))
    parser.add_argument("--contender", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--workload", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.contender:
        return child(args)

    os.environ.setdefault("TARJAMA_CACHE_DIR", str(HERE / ".cache" / "tarjama"))
    started = time.time()
    print("building the benchmark model (once)...", file=sys.stderr)
    model = build_model(HERE / ".cache" / "opus-mt-ar-en-random")
    sentences = corpus_workload(Path(args.corpus), args.sentences) if args.corpus else make_workload(args.sentences)
    workload = HERE / ".cache" / "workload.json"
    workload.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")

    names = args.only.split(",")
    prepare(model, names)
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for n in range(args.runs):  # interleaved: a busy spell of the machine hits every contender
        for name in names:
            print(f"run {n + 1}/{args.runs}: {name}...", file=sys.stderr)
            cmd = [sys.executable, __file__, "--contender", name, "--model", str(model), "--workload", str(workload),
                   "--threads", str(args.threads), "--naive-every", str(args.naive_every)]
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode != 0:
                print(done.stderr[-3000:], file=sys.stderr)
                raise SystemExit(f"{name} failed")
            r = json.loads(done.stdout.strip().splitlines()[-1])
            r["tokens_per_second"] = r["tokens"] / r["seconds"]
            runs[name].append(r)
            print(f"  {name}: {r['tokens_per_second']:.2f} tok/s, {r['seconds']:.1f} s, {r['rss_mb']:.0f} MB", file=sys.stderr, flush=True)
    results = {}
    for name, rs in runs.items():
        middle = sorted(rs, key=lambda r: r["seconds"])[len(rs) // 2]
        results[name] = {**middle, "runs_seconds": [round(r["seconds"], 2) for r in rs],
                         "rss_mb": max((r["rss_mb"] or 0) for r in rs) or None}
    overhead = run_glossary_overhead(sentences)

    base = results.get("naive", {}).get("tokens_per_second")
    full = next((r for n, r in results.items() if n != "naive"), None)
    print(
        f"\n{len(sentences)} sentences, {full['tokens'] if full else '?'} output tokens a run; the naive baseline on every"
        f" {args.naive_every}th sentence; beam {BEAMS}; {args.threads} threads\n"
    )
    print(f"{'contender':<42} {'tokens/s':>9} {'vs (a)':>7} {'peak RSS':>9}")
    for name, r in results.items():
        ratio = f"{r['tokens_per_second'] / base:.2f}x" if base else "-"
        rss = f"{r['rss_mb']:>6.0f} MB" if r["rss_mb"] is not None else "     -"
        print(f"{LABELS[name]:<42} {r['tokens_per_second']:>9.1f} {ratio:>7} {rss}")
    direct = [r for n, r in results.items() if n.startswith("ct2-direct")]
    if "ct2-tarjama" in results and direct:
        best = max(r["tokens_per_second"] for r in direct)
        ratio = results["ct2-tarjama"]["tokens_per_second"] / best
        print(f"\ntarjama's CTranslate2 path / CTranslate2 called directly (its faster batching): {ratio:.2f}x")
    fastest = max((r for n, r in results.items() if n != "naive"), key=lambda r: r["tokens_per_second"], default=None)
    glossary_cost = overhead["with"] - overhead["without"]
    if fastest:
        print(
            f"tarjama's own pipeline (segmentation, glossary matching, protection, verification, repair):"
            f" {overhead['with']:.2f} s for this workload ({overhead['terms']} terms enforced),"
            f" {100 * overhead['with'] / fastest['seconds']:.1f}% of the fastest path's {fastest['seconds']:.0f} s"
        )
    report = {
        "machine": {"cpus": os.cpu_count(), "threads": args.threads, "platform": sys.platform},
        "architecture": ARCHITECTURE,
        "beams": BEAMS,
        "sentences": len(sentences),
        "workload": "corpus" if args.corpus else "seed article",
        "naive_every": args.naive_every,
        "runs": args.runs,
        "batch_tokens": BATCH_TOKENS,
        "contenders": results,
        "pipeline_seconds": overhead,
        "glossary_seconds": glossary_cost,
        "wall_seconds": time.time() - started,
    }
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.output} ({time.time() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
