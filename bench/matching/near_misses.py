"""Draw a seeded random sample of loose-search near misses over a corpus, for judging recall.

    python bench/matching/near_misses.py [--corpus ../shared/corpus/ant-news-syria/] [--near 300] [--seed 11] > near.tsv

A near miss is a hit of :func:`tarjama.glossary.tools.corpus.loose_hits` (clitics and plural,
dual and pronoun suffixes taken off, one long vowel more or less, quotes or underscores
between words, words run together) that no match of the matcher covers. Each is a term the
matcher missed, or another word; a person reads each one and writes the verdict.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from tarjama.glossary.tools.corpus import LooseIndex, loose_hits, read_corpus  # noqa: E402
from tarjama.glossary.matching import Matcher  # noqa: E402
from tarjama.glossary.model import load_default_glossary  # noqa: E402

COLUMNS = ("kind", "file", "line", "source", "target", "text", "left", "right", "verdict", "reason")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / ".." / "shared" / "corpus" / "ant-news-syria")
    ap.add_argument("--near", type=int, default=300)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    glossary = load_default_glossary()
    matcher, index = Matcher(glossary), LooseIndex(list(glossary))
    by_source = {e.source: e for e in glossary}
    near, matched = [], 0
    for doc in read_corpus(args.corpus):
        for h in loose_hits(doc, index, matcher.find(doc.text), words=5):
            if h.matched:
                matched += 1
            else:
                near.append(h)
    rng = random.Random(args.seed)
    sample = sorted(rng.sample(near, min(args.near, len(near))), key=lambda h: (h.doc, h.start))
    print(f"{len(near)} near misses, {matched} loose hits covered by a match", file=sys.stderr)
    print("\t".join(COLUMNS))
    for h in sample:
        cells = ("near-miss", h.doc, str(h.line), h.entry, by_source[h.entry].target, h.form, h.left, h.right, "", "")
        print("\t".join(" ".join(c.replace("\t", " ").split()) for c in cells))


if __name__ == "__main__":
    main()
