"""How glossary matching scales: with the glossary's size, the text's length, and the
number of occurrences in one text.

    python bench/match_scale.py [--corpus ../shared/corpus/ant-news-syria/] [--json FILE]

One run, timings as ratios measured in that run (the machine is shared and noisy):

1. entries: the shipped glossary vs the same grown to 10,000 entries with synthetic ones
   (each with a variant and a forbidden rendering), on the same 1,000 corpus sentences:
   matching alone, ``check`` (terminology QA of a translation) and the translate pipeline
   with an engine that costs nothing (segmentation, matching, protection, verification,
   repair), each with its glossary loaded once; and what loading costs once per run;
2. lines: 1,000 vs 50,000 short lines, time per line;
3. occurrences: one text with 500 vs 5,000 term occurrences (10x is linear).

Without the corpus folder the seed article's sentences are used instead.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from tarjama import Translator  # noqa: E402
from tarjama.quality.check import check_line  # noqa: E402
from tarjama.engines.base import Engine  # noqa: E402
from tarjama.glossary.matching import Matcher  # noqa: E402
from tarjama.glossary.tools.interchange import to_tsv  # noqa: E402
from tarjama.glossary.model import Entry, Glossary, load_default_glossary, parse_tsv  # noqa: E402
from tarjama.text.arabic import has_arabic  # noqa: E402

DEFAULT_CORPUS = ROOT / ".." / "shared" / "corpus" / "ant-news-syria"
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


class FreeEngine(Engine):
    """Returns its input: the pipeline around the model, at no model cost."""

    name = "free"
    max_input_tokens = 512

    def count_tokens(self, texts):
        return [len(t.split()) + 1 for t in texts]

    def translate(self, texts, *, avoid=None, progress=None):
        if progress:
            progress(len(texts))
        return list(texts)


def sentences(corpus: Path, n: int) -> list[str]:
    out: list[str] = []
    files = sorted(corpus.rglob("*.txt")) if corpus.is_dir() else []
    if not files:
        files = [ROOT / "seeds" / "hasakah-prison.ar.txt"]
    for path in files:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            for s in line.split(". "):
                if has_arabic(s) and 4 <= len(s.split()) <= 60:
                    out.append(s.strip())
        if len(out) >= n:
            break
    while len(out) < n:
        out += out[: n - len(out)]
    return out[:n]


def synthetic(n: int, rng: random.Random) -> list[Entry]:
    def word():
        return "".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 8)))

    entries, used = [], set()
    while len(entries) < n:
        source = " ".join(word() for _ in range(rng.randint(1, 3)))
        variant = word()
        if {source, variant} & used or source == variant:
            continue  # distinct forms, so none overrides another
        used |= {source, variant}
        entries.append(Entry(source, f"Term{len(entries)}", (variant,), (f"Wrong rendering {len(entries)}",)))
    return entries


def load_tsv_text(glossary: Glossary) -> Glossary:
    """Parse and merge a glossary written out as TSV, as loading a file does."""
    text = to_tsv(list(glossary))
    g = Glossary()
    g._merge(parse_tsv(text, "big.tsv"), origin="big.tsv")
    return g


def clock(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()

    rng = random.Random(11)
    shipped = load_default_glossary()
    big = Glossary.from_entries(list(shipped) + synthetic(args.entries - len(shipped), rng))
    texts = sentences(args.corpus, 1000)
    source = "\n".join(texts)
    results: dict = {"shipped_entries": len(shipped), "big_entries": len(big)}

    # 1. glossary size
    small_m, big_m = Matcher(shipped), Matcher(big)
    for m in (small_m, big_m):
        [m.find(t) for t in texts]  # warm the token cache alike
    found = sum(len(small_m.find(t)) for t in texts)
    t_small = clock(lambda: [small_m.find(t) for t in texts], 3)
    t_big = clock(lambda: [big_m.find(t) for t in texts], 3)
    # The glossary is loaded and compiled once per run; what must not grow is the work per text.
    small_t, big_t = Translator(glossary=shipped, engine=FreeEngine()), Translator(glossary=big, engine=FreeEngine())
    translation = small_t.translate(source)
    pairs = list(zip(source.splitlines(), translation.splitlines()))
    c_small = clock(lambda: [check_line(n, s, h, shipped, small_m) for n, (s, h) in enumerate(pairs)], 5)
    c_big = clock(lambda: [check_line(n, s, h, big, big_m) for n, (s, h) in enumerate(pairs)], 5)
    tr_small = clock(lambda: small_t.translate(source), 2)
    tr_big = clock(lambda: big_t.translate(source), 2)
    results["entries"] = {
        "sentences": len(texts),
        "terms_found": found,
        "match_ratio": round(t_big / t_small, 2),
        "check_ratio": round(c_big / c_small, 2),
        "translate_ratio": round(tr_big / tr_small, 2),
        "matcher_build_vs_match_1000": round(clock(lambda: Matcher(big)) / t_big, 2),
        "load_10k_tsv_vs_match_1000": round(clock(lambda: load_tsv_text(big)) / t_big, 2),
    }

    # 2. text length: per-line time, 1k vs 50k short lines
    short = [" ".join(t.split()[:12]) for t in sentences(args.corpus, 5000)]
    lines_1k = short[:1000]
    lines_50k = (short * 10)[:50_000]
    [small_m.find(t) for t in short]
    per_1k = clock(lambda: [small_m.find(t) for t in lines_1k], 3) / len(lines_1k)
    per_50k = clock(lambda: [small_m.find(t) for t in lines_50k]) / len(lines_50k)
    results["lines"] = {"per_line_ratio_50k_vs_1k": round(per_50k / per_1k, 2)}

    # 3. occurrences in one text
    unit = "قالت قسد إن مقاتلي داعش هاجموا الحسكة ودير الزور، "
    few, many = unit * 125, unit * 1250  # 500 and 5,000 occurrences
    assert len(small_m.find(few)) == 500 and len(small_m.find(many)) == 5000
    t_few = clock(lambda: small_m.find(few), 7)
    t_many = clock(lambda: small_m.find(many), 5)
    results["occurrences"] = {"ratio_5000_vs_500": round(t_many / t_few, 2)}

    print(f"glossary: {len(shipped)} shipped entries vs {len(big)} ({len(big) - len(shipped)} synthetic, each with a variant and a forbidden rendering)")
    e = results["entries"]
    print(f"on {e['sentences']} corpus sentences ({e['terms_found']} terms found with the shipped glossary):")
    print(f"  matching        {e['match_ratio']:.2f}x the time with {len(big)} entries")
    print(f"  check           {e['check_ratio']:.2f}x")
    print(f"  translate (pipeline, free engine) {e['translate_ratio']:.2f}x")
    print(f"once per run: reading the {len(big)}-entry TSV {e['load_10k_tsv_vs_match_1000']:.2f}x, building its matcher"
          f" {e['matcher_build_vs_match_1000']:.2f}x the time of matching the 1,000 sentences")
    print(f"per-line time, 50,000 vs 1,000 short lines: {results['lines']['per_line_ratio_50k_vs_1k']:.2f}x")
    print(f"one text, 5,000 vs 500 occurrences: {results['occurrences']['ratio_5000_vs_500']:.2f}x the time (10x is linear)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
