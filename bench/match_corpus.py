"""Run the glossary matcher over a corpus: per-entry counts, and samples to judge by hand.

    python bench/match_corpus.py [--corpus ../shared/corpus/ant-news-syria/] [--glossary PATH]...
                                 [--counts counts.tsv] [--sample 300] [--near 300]
                                 [--samples samples.tsv] [--seed 1]

- ``--counts FILE``: one row per entry: source, target, matches, files it occurs in, notes
  (occurrences deliberately not enforced) and how often each matcher rule was needed.
- ``--sample N``: N matches drawn at random over the whole corpus (precision: is each one
  really the term?).
- ``--near N``: N "loose near misses" drawn at random (recall): places where a distinctive
  word of an entry (its longest word, without article or ة) occurs inside a token or one
  letter away from one, outside every match. Each is a term the matcher missed, or not.

Samples go to ``--samples FILE`` (TSV, default stdout) with the file, line, entry, the
matched or loose text, the rules used, context on both sides, and an empty ``verdict``
column for the judge. Counts and samples depend only on the corpus, glossary and seed.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from tarjama.files import read_document  # noqa: E402
from tarjama.glossary.matching import Matcher, _TOKEN, _one_edit  # noqa: E402
from tarjama.glossary.model import load_default_glossary, load_glossary  # noqa: E402
from tarjama.text.arabic import normalize_with_map  # noqa: E402

DEFAULT_CORPUS = ROOT / ".." / "shared" / "corpus" / "ant-news-syria"
CONTEXT = 40
COLUMNS = ("kind", "file", "line", "source", "target", "text", "rules", "left", "right", "verdict")


class Reservoir:
    """A uniform random sample of a stream of unknown length."""

    def __init__(self, size: int, rng: random.Random):
        self.size, self.rng, self.seen, self.items = size, rng, 0, []

    def offer(self, make) -> None:
        self.seen += 1
        if len(self.items) < self.size:
            self.items.append(make())
        else:
            k = self.rng.randrange(self.seen)
            if k < self.size:
                self.items[k] = make()


def key_word(form: str) -> str:
    """The most distinctive word of a form, bare: the longest, without article or ending."""
    norm, _ = normalize_with_map(form)
    words = _TOKEN.findall(norm)
    bare = [w[2:] if w.startswith("ال") and len(w) > 4 else w for w in words]
    bare = [w[:-1] if w.endswith("ه") and len(w) > 3 else w for w in bare]
    return max(bare, key=len)


def clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def row(kind, path, line_no, entry, target, text, rules, line, start, end) -> tuple:
    return (
        kind, path, str(line_no), entry.source, target, clean(text), rules,
        clean(line[max(0, start - CONTEXT) : start]), clean(line[end : end + CONTEXT]), "",
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--glossary", action="append", type=Path, help="glossary file or folder (default: the project's)")
    ap.add_argument("--counts", type=Path, help="write per-entry counts (TSV) here")
    ap.add_argument("--sample", type=int, default=0, help="random matches to print for judging")
    ap.add_argument("--near", type=int, default=0, help="random loose near misses to print for judging")
    ap.add_argument("--samples", type=Path, help="write the samples (TSV) here instead of stdout")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    if not args.corpus.is_dir():
        sys.exit(f"Error: {args.corpus}: no such folder (give the corpus with --corpus)")
    glossary = load_glossary(args.glossary) if args.glossary else load_default_glossary()
    matcher = Matcher(glossary)
    files = sorted(args.corpus.rglob("*.txt"))
    rng = random.Random(args.seed)
    matches_sample, near_sample = Reservoir(args.sample, rng), Reservoir(args.near, rng)
    counts, notes, in_files = Counter(), Counter(), defaultdict(set)
    rules: dict[str, Counter] = defaultdict(Counter)
    keys = {e.source: {key_word(f) for f in e.forms} for e in glossary}
    loose_cache: dict[str, list] = {}

    def loose(token: str) -> list:
        hit = loose_cache.get(token)
        if hit is None:
            hit = [e for e in glossary if any(k in token or _one_edit(token, k) for k in keys[e.source] if len(k) >= 3)]
            loose_cache[token] = hit
        return hit

    for path in files:
        rel = str(path.relative_to(args.corpus))
        for line_no, line in enumerate(read_document(path).splitlines(), start=1):
            if not line.strip():
                continue
            found, left_alone = matcher.scan(line)
            covered = []
            for m in found:
                counts[m.entry.source] += 1
                in_files[m.entry.source].add(rel)
                for r in m.rules or ("exact",):
                    rules[m.entry.source][r] += 1
                covered.append((m.clitic_start, m.end))
                if args.sample:
                    matches_sample.offer(
                        lambda m=m: row("match", rel, line_no, m.entry, m.target, line[m.clitic_start : m.end], "+".join(m.rules), line, m.clitic_start, m.end)
                    )
            for n in left_alone:
                notes[n.entry.source] += 1
            if not args.near:
                continue
            norm, index = normalize_with_map(line)
            for tok in _TOKEN.finditer(norm):
                start, end = index[tok.start()], index[tok.end() - 1] + 1
                if any(s <= start and end <= e for s, e in covered):
                    continue
                for entry in loose(tok.group(0)):
                    near_sample.offer(lambda entry=entry, start=start, end=end: row("near-miss", rel, line_no, entry, entry.target, line[start:end], "", line, start, end))

    if args.counts:
        with args.counts.open("w", encoding="utf-8") as out:
            out.write("source\ttarget\tmatches\tfiles\tnotes\trules\n")
            for e in sorted(glossary, key=lambda e: -counts[e.source]):
                used = " ".join(f"{r}:{n}" for r, n in rules[e.source].most_common())
                out.write(f"{e.source}\t{e.target}\t{counts[e.source]}\t{len(in_files[e.source])}\t{notes[e.source]}\t{used}\n")
    total = sum(counts.values())
    print(
        f"{len(files)} files, {total} matches of {sum(1 for e in glossary if counts[e.source])} of {len(glossary)} entries,"
        f" {sum(notes.values())} left alone with a note; loose near misses: {near_sample.seen}",
        file=sys.stderr,
    )
    if args.sample or args.near:
        lines = ["\t".join(COLUMNS)] + ["\t".join(r) for r in matches_sample.items + near_sample.items]
        text = "\n".join(lines) + "\n"
        if args.samples:
            args.samples.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)


if __name__ == "__main__":
    main()
