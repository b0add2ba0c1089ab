"""How the cost of segmentation grows with the input: the curves, as ratios from one run.

    python bench/segment_cost.py [--model-sizes 500,1000,2000,4000] [--json]

Each row is the time per unit of input relative to the smallest size of the same series
(1.00 = perfectly linear; a quadratic path doubles at every doubling). Series:

  run-split       split_long on one unbroken run (no white space) of N characters, with
                  the real SentencePiece tokenizer of a tiny Marian model
  spans-split     split_long on a line holding N protected spans (URLs and numbers)
  sentences       sentence_spans on a paragraph of N sentences full of pauses (..) and
                  abbreviations
  find-spans      find_spans on a line holding N protected spans
  run-translate   the whole pipeline on the tiny random Marian model for an unbroken run
                  of N characters; ``before`` is the same with unbroken runs cut only at
                  the token limit (RUN_PIECE_TOKENS off), as before this change

Wall times differ from machine to machine; the ratios are what carries over.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from tarjama.text import segment  # noqa: E402
from tarjama.text.segment import sentence_spans, split_long  # noqa: E402
from tarjama.text.spans import find_spans  # noqa: E402


def tiny_model() -> Path:
    from tarjama.testing import build_marian

    folder = HERE / ".cache" / "tiny-marian"
    if not (folder / "config.json").exists():
        folder.mkdir(parents=True, exist_ok=True)
        ar = (ROOT / "seeds" / "hasakah-prison.ar.txt").read_text(encoding="utf-8").splitlines()
        en = (ROOT / "seeds" / "hasakah-prison.en.txt").read_text(encoding="utf-8").splitlines()
        build_marian(folder, ar, en)
    return folder


def timed(fn) -> float:
    best = float("inf")
    gc.collect()
    gc.disable()  # the collector's passes grow with the heap, not with this code's work
    try:
        for _ in range(3):  # the best of three: the least disturbed by other work
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
    finally:
        gc.enable()
    return best


def curve(name: str, sizes, make, run, unit: str) -> dict:
    rows = []
    for n in sizes:
        data = make(n)
        rows.append((n, timed(lambda: run(data))))
        print(f"{name} {n}: {rows[-1][1]:.4f} s", file=sys.stderr, flush=True)
    n0, t0 = rows[0]
    points = [{"n": n, "seconds": round(t, 4), "per_unit_ratio": round((t / n) / (t0 / n0), 2)} for n, t in rows]
    return {"series": name, "unit": unit, "points": points}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-sizes", default="500,1000,2000,4000", help="run-translate sizes in characters ('' to skip)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from tarjama.models import load_model

    tokenizer, _ = load_model(str(tiny_model()))
    count = lambda t: len(tokenizer(t)["input_ids"])  # noqa: E731
    results = []

    results.append(
        curve("run-split", [2500, 5000, 10000, 20000, 40000], lambda n: "ب" * n, lambda t: split_long(t, count, 256), "character")
    )

    def spans_line(n):
        text = " ".join(f"زار https://example.com/{i} و{i} شخص" for i in range(n))
        return text, [(s.start, s.end) for s in find_spans(text)]

    words = lambda t: len(t.split()) + 1  # noqa: E731
    results.append(
        curve("spans-split", [500, 1000, 2000, 4000, 8000], spans_line, lambda d: split_long(d[0], words, 64, d[1]), "span")
    )
    paragraph = lambda n: " ".join(["مصر.. قال د. أحمد إن U.S. forces وصلت في 2. البند. ثم غادر؛ وعاد"] * n)  # noqa: E731
    results.append(curve("sentences", [500, 1000, 2000, 4000, 8000], paragraph, sentence_spans, "repetition"))
    results.append(curve("find-spans", [1000, 2000, 4000, 8000, 16000], lambda n: spans_line(n)[0], find_spans, "span"))

    sizes = [int(x) for x in args.model_sizes.split(",") if x.strip()]
    if sizes:
        from tarjama import Translator

        translator = Translator(str(tiny_model()), glossary=None, beams=2)
        translator.engine  # load once, outside the timings
        once = lambda text: translator.translate(text)  # noqa: E731
        for label, piece_tokens in (("run-translate", segment.RUN_PIECE_TOKENS), ("run-translate-before", 10**9)):
            segment.RUN_PIECE_TOKENS = piece_tokens
            rows = []
            for n in sizes if label == "run-translate" else sizes[:2]:
                t0 = time.perf_counter()
                once("ب" * n)
                rows.append((n, time.perf_counter() - t0))
                print(f"{label} {n}: {rows[-1][1]:.2f} s", file=sys.stderr, flush=True)
            n0, t0 = rows[0]
            results.append(
                {
                    "series": label,
                    "unit": "character",
                    "points": [{"n": n, "seconds": round(t, 2), "per_unit_ratio": round((t / n) / (t0 / n0), 2)} for n, t in rows],
                }
            )
        segment.RUN_PIECE_TOKENS = 64
        before = next(r for r in results if r["series"] == "run-translate-before")["points"]
        after = next(r for r in results if r["series"] == "run-translate")["points"]
        for b, a in zip(before, after):
            print(f"run-translate, {b['n']} characters: before/after = {b['seconds'] / a['seconds']:.1f}", file=sys.stderr)

    if args.json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        cells = ", ".join(f"{p['n']}: {p['per_unit_ratio']:.2f}" for p in r["points"])
        print(f"{r['series']:<22} per-{r['unit']} cost vs. smallest: {cells}")


if __name__ == "__main__":
    main()
