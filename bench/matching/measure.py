"""Measure the glossary matcher on the ANT corpus: draw samples to judge by hand, and
recompute every figure from the judged TSVs.

    python bench/matching/measure.py draw  --round N [--corpus DIR] [--seed 23] [--per-entry 1] [--uniform 150]
                                           [--adjectives 60] [--near 0]
    python bench/matching/measure.py score [--corpus DIR]

The corpus is ANT (Arabic News Texts; A. Chouigui, O. Ben Khiroun and B. Elayeb, AICCSA 2017
and AJSE 46(8), 2021), read from ``../shared/corpus/ant-news-syria/`` relative to the
repository unless ``--corpus`` says otherwise.

**The split.** An article belongs to the *tuning* half when the first hex digit of the
SHA-256 of its path relative to the corpus (``BBC/xyz.txt``, UTF-8) is 0-7, else to the
*measurement* half. The rules and the glossary were tuned on examples of the tuning half
(and on the issue's own examples); every sample here is drawn from the measurement half.

``draw`` writes, over the measurement half, files suffixed with the round (``-r1``: drawn
on the commit that first measured, before the fixes it led to; ``-r2``: a fresh draw after
them, with another seed):

- ``precision-stratified-rN.tsv``: ``--per-entry`` matches of every entry that occurs there
  (seeded); each stratum is weighted by its share of all matches when the precision of
  the whole is estimated;
- ``precision-uniform-rN.tsv``: ``--uniform`` matches drawn uniformly over all matches;
- ``precision-adjectives-rN.tsv``: ``--adjectives`` matches enforced as a country's
  adjective (``Syrian``), drawn uniformly among them: the class of error the issue found worst;
- ``recall-near-misses-rN.tsv``: ``--near`` loose near misses (verdict ``miss`` or ``other``).

Each row has an empty ``verdict`` (``correct`` or ``wrong``; ``wrong-entity`` where the
English forced is another entity, a change of meaning) and ``reason`` for the judge.
``score`` prints, from the judged files: precision with a 95 % Wilson interval (and the
frequency-weighted estimate of the stratified sample), the wrong entities, how many of the
misses judged earlier (``recall-near-misses.tsv``, verdict ``miss``) are now found, whether
every match judged correct earlier (``precision-matches.tsv``) is still made with the same
English (or inside a longer name that holds it), how many judged rows today's matcher still
makes as judged (a sample is judged on the commit that drew it; later fixes show here, but
a fix found by judging a sample is no longer measured by it), and the splitter on the
issue's sentence ends. ``longer-name-drops.tsv`` holds every term the longer-name rule
dropped before this work, over the whole corpus, judged ``right-drop`` or ``wrong-drop``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import random
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tarjama.files import read_document  # noqa: E402
from tarjama.glossary.matching import Matcher  # noqa: E402
from tarjama.glossary.model import load_default_glossary  # noqa: E402
from tarjama.text.segment import sentence_spans, split_sentences  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "ant-news-syria"
CONTEXT = 45
COLUMNS = ["file", "line", "source", "target", "text", "rules", "left", "right", "verdict", "reason"]
SAMPLES = ("stratified", "uniform", "adjectives")


def sample_file(name: str, round_: int) -> Path:
    return HERE / f"precision-{name}-r{round_}.tsv"


def recall_file(round_: int) -> Path:
    return HERE / f"recall-near-misses-r{round_}.tsv"
# The sentence ends the issue found missed (held-out news, same sources): each must split.
BOUNDARIES = [
    ("حسبما علمت بي بي سي. وكان الهجوم", 2),
    ("وفقا لبيانات بي بي سي. وقد ارتفع", 2),
    ("قال سغران بي بي. ونسبت الوكالة", 2),
    ("قالت لميا ك. وحكمت المحكمة", 2),
    ("وصلوا إلى الرقة في. وفي نوفمبر عادوا", 2),
]


def half(rel: str) -> str:
    """``tune`` or ``measure``: the documented split of the corpus."""
    return "tune" if hashlib.sha256(rel.encode("utf-8")).hexdigest()[0] in "01234567" else "measure"


def articles(corpus: Path, which: str):
    for path in sorted(corpus.rglob("*.txt")):
        rel = path.relative_to(corpus).as_posix()
        if half(rel) == which:
            yield rel, read_document(path)


def clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def all_matches(corpus: Path, matcher: Matcher):
    for rel, text in articles(corpus, "measure"):
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            for m in matcher.find(line):
                yield {
                    "file": rel,
                    "line": str(line_no),
                    "source": m.entry.source,
                    "target": m.target,
                    "text": clean(line[m.clitic_start : m.end]),
                    "rules": "+".join(m.rules + (("adjective",) if m.adjective else ())),
                    "left": clean(line[max(0, m.clitic_start - CONTEXT) : m.clitic_start]),
                    "right": clean(line[m.end : m.end + CONTEXT]),
                    "verdict": "",
                    "reason": "",
                }


def write(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, COLUMNS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        w.writeheader()
        w.writerows(rows)


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\"))


def draw(args) -> None:
    if list(HERE.glob(f"*-r{args.round}.tsv")):
        sys.exit(f"Error: round {args.round} is drawn already (its files would be overwritten); give another --round")
    matcher = Matcher(load_default_glossary())
    rows = list(all_matches(args.corpus, matcher))
    rng = random.Random(args.seed)
    by_entry = defaultdict(list)
    for r in rows:
        by_entry[r["source"]].append(r)
    stratified = [x for s in sorted(by_entry) for x in rng.sample(by_entry[s], min(args.per_entry, len(by_entry[s])))]
    uniform = rng.sample(rows, min(args.uniform, len(rows)))
    adjectives = [r for r in rows if r["rules"].endswith("adjective")]
    adjectives = rng.sample(adjectives, min(args.adjectives, len(adjectives)))
    key = lambda r: (r["file"], int(r["line"]))  # noqa: E731
    for name, sample in (("stratified", stratified), ("uniform", uniform), ("adjectives", adjectives)):
        if sample:
            write(sample_file(name, args.round), sorted(sample, key=key))
    if args.near:
        write_near(args, matcher, rng)
    counts = HERE / f"measure-counts-r{args.round}.tsv"
    with counts.open("w", encoding="utf-8") as f:
        f.write("source\tmatches\n")
        for s in sorted(by_entry, key=lambda s: (-len(by_entry[s]), s)):
            f.write(f"{s}\t{len(by_entry[s])}\n")
    print(f"{len(rows)} matches of {len(by_entry)} entries in the measurement half; {len(stratified)} + {len(uniform)} + {len(adjectives)} drawn", file=sys.stderr)


def write_near(args, matcher: Matcher, rng: random.Random) -> None:
    """A uniform sample of the loose near misses of the measurement half: places where a
    form of an entry almost occurs (clitics, number and pronoun suffixes off, one letter
    more or less, quotes between words) and no match covers; each is a miss or another word."""
    from tarjama.glossary.tools.corpus import Document, LooseIndex, loose_hits

    glossary = load_default_glossary()
    index, by_source = LooseIndex(list(glossary)), {e.source: e for e in glossary}
    near = []
    for rel, text in articles(args.corpus, "measure"):
        doc = Document(rel, text)
        near += [h for h in loose_hits(doc, index, matcher.find(text), words=5) if not h.matched]
    sample = sorted(rng.sample(near, min(args.near, len(near))), key=lambda h: (h.doc, h.start))
    rows = [
        {"file": h.doc, "line": str(h.line), "source": h.entry, "target": by_source[h.entry].target, "text": clean(h.form),
         "rules": "", "left": clean(h.left), "right": clean(h.right), "verdict": "", "reason": ""}
        for h in sample
    ]
    write(recall_file(args.round), rows)
    print(f"{len(near)} loose near misses in the measurement half; {len(rows)} drawn", file=sys.stderr)


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half_width = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half_width, centre + half_width


def judged(rows: list[dict]) -> tuple[int, int, list[dict]]:
    done = [r for r in rows if r["verdict"]]
    unknown = sorted({r["verdict"] for r in done} - {"correct", "wrong", "wrong-entity"})
    if unknown:
        sys.exit(f"Error: unknown verdicts {unknown} (correct, wrong, wrong-entity)")
    return sum(r["verdict"] == "correct" for r in done), len(done), [r for r in done if r["verdict"] != "correct"]


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def now(corpus: Path, matcher: Matcher, r: dict) -> list:
    """The matches the matcher makes today over the text of a judged row."""
    line = read_document(corpus / r["file"]).splitlines()[int(r["line"]) - 1]
    text, left = r["text"], r["left"][-20:].strip()
    # the occurrence the row was drawn at: the one its left context leads to
    spots = [i for i in range(len(line)) if line.startswith(text, i)]
    spots = [i for i in spots if clean(line[max(0, i - 80) : i]).endswith(left)] or spots[:1]
    if not spots:
        return []
    at = spots[0]
    return [m for m in matcher.find(line) if m.clitic_start < at + len(text) and at < m.end]


def score(args) -> None:
    matcher = Matcher(load_default_glossary())
    total_wrong_entity = 0
    uniform = [0, 0]
    for path in sorted(HERE.glob("precision-*-r*.tsv")):
        name, round_ = path.stem.removeprefix("precision-").rsplit("-r", 1)
        counts = {r["source"]: int(r["matches"]) for r in read(HERE / f"measure-counts-r{round_}.tsv")}
        rows = read(path)
        name = f"round {round_}, {name}"
        k, n, errors = judged(rows)
        lo, hi = wilson(k, n)
        line = f"{name}: {k} of {n} correct = {pct(k / n if n else 0)} (95 % Wilson {pct(lo)} - {pct(hi)})"
        if "stratified" in name and n:
            # each entry's judged share correct, weighted by how often the entry matches
            per = defaultdict(lambda: [0, 0])
            for r in rows:
                if r["verdict"]:
                    per[r["source"]][0] += r["verdict"] == "correct"
                    per[r["source"]][1] += 1
            weight = sum(counts.get(s, 0) for s in per)
            est = sum(counts.get(s, 0) * c / t for s, (c, t) in per.items()) / weight
            line += f"; weighted by entry frequency {pct(est)}"
        # the same rows read by today's matcher: a wrong match fixed, a right one kept?
        same = sum(any(r["target"].lower() in m.target.lower() for m in now(args.corpus, matcher, r)) for r in rows if r["verdict"] == "correct")
        fixed = sum(not any(m.target == r["target"] for m in now(args.corpus, matcher, r)) for r in errors)
        line += f"; today: {same} of {k} correct ones still made, {fixed} of {len(errors)} wrong ones no longer"
        wrong_entity = [r for r in errors if r["verdict"] == "wrong-entity"]
        total_wrong_entity += len(wrong_entity)
        if "uniform" in name:
            uniform[0] += k
            uniform[1] += n
        print(line + f"; wrong entity forced: {len(wrong_entity)}")
        for r in errors:
            print(f"  {r['verdict']}: {r['source']} -> {r['target']} in …{r['left'][-25:]} [{r['text']}] {r['right'][:25]}… ({r['reason']})")
    if uniform[1]:
        lo, hi = wilson(*uniform)
        print(f"uniform samples together: {uniform[0]} of {uniform[1]} correct = {pct(uniform[0] / uniform[1])} (95 % Wilson {pct(lo)} - {pct(hi)})")
    # near misses of the measurement half: misses (the entity there, not enforced) or other words
    for path in sorted(HERE.glob("recall-near-misses-r*.tsv")):
        rows = [r for r in read(path) if r["verdict"]]
        misses = [r for r in rows if r["verdict"] == "miss"]
        found = sum(any(m.entry.source == r["source"] for m in now(args.corpus, matcher, r)) for r in misses)
        print(f"{path.name}: {len(rows)} near misses judged, {len(misses)} are misses, {found} of them found today")
        for r in misses:
            print(f"  miss: {r['source']} -> {r['target']} in …{r['left'][-25:]} [{r['text']}] {r['right'][:25]}… ({r['reason']})")
    # the terms the longer-name rule dropped before this work (all of them, whole corpus)
    drops = read(HERE / "longer-name-drops.tsv")
    wrong = [r for r in drops if r["verdict"] == "wrong-drop"]
    right = [r for r in drops if r["verdict"] == "right-drop"]
    # a wrong drop is mended when the term or the longer name holding it is enforced there
    still_wrong = sum(not now(args.corpus, matcher, r) for r in wrong)
    forced = sum(any(m.target == r["target"] for m in now(args.corpus, matcher, r)) for r in right)
    print(
        f"terms dropped inside a longer name before (longer-name-drops.tsv): {len(wrong)} wrong drops, {still_wrong} still"
        f" dropped today; {len(right)} right drops, {forced} of them forced today"
    )
    # the misses judged on the corpus before this work, found now?
    near = [r for r in read(HERE / "recall-near-misses.tsv") if r["verdict"] == "miss"]
    found = [any(m.entry.source == r["source"] for m in now(args.corpus, matcher, r)) for r in near]
    print(f"misses judged earlier (recall-near-misses.tsv): {sum(found)} of {len(found)} now found")
    # every match judged correct earlier is still made, with the same English
    kept, longer, lost = 0, [], []
    for r in read(HERE / "precision-matches.tsv"):
        if r["verdict"] != "correct":
            continue
        same = now(args.corpus, matcher, r)
        if any(m.target == r["target"] or m.entry.source == r["source"] for m in same):
            kept += 1
        elif any(len(m.text) > len(r["text"]) and r["target"].lower() in m.target.lower() for m in same):
            longer.append((r, same))
        else:
            lost.append(r)
    print(
        f"matches judged correct earlier (precision-matches.tsv): {kept + len(longer)} of {kept + len(longer) + len(lost)}"
        f" still made ({len(longer)} of them inside a longer name now)"
    )
    for r, same in longer:
        print(f"  longer: {r['text']} -> {', '.join(m.target for m in same)} in {r['file']}:{r['line']}")
    for r in lost:
        print(f"  lost: {r['source']} -> {r['target']} in {r['file']}:{r['line']} [{r['text']}]")
    ok = sum(len(split_sentences(t)) == n for t, n in BOUNDARIES)
    print(f"sentence ends of the issue split: {ok} of {len(BOUNDARIES)}")
    # the sentence ends this work added over the whole corpus, each judged (boundaries-new.tsv)
    rows = read(HERE / "boundaries-new.tsv")
    still = 0
    for r in rows:
        text = read_document(args.corpus / r["file"])
        at = text.find(r["left"] + r["right"])
        if at >= 0:
            para_start = text.rfind("\n", 0, at) + 1
            para_end = text.find("\n", at)
            para = text[para_start : para_end if para_end >= 0 else len(text)]
            cut = at - para_start + len(r["left"])
            still += any(e == cut for _, e in sentence_spans(para))
    good = sum(r["judgement"] == "ok" for r in rows)
    print(f"sentence ends added over the corpus: {len(rows)}, judged right {good}, still made {still}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draw")
    d.add_argument("--seed", type=int, default=23)
    d.add_argument("--per-entry", type=int, default=1)
    d.add_argument("--uniform", type=int, default=150)
    d.add_argument("--adjectives", type=int, default=60)
    d.add_argument("--near", type=int, default=0, help="loose near misses to draw (recall)")
    d.add_argument("--round", type=int, required=True, help="files are suffixed -rN; an earlier round is never overwritten")
    s = sub.add_parser("score")
    for p in (d, s):
        p.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"Error: {args.corpus}: no such folder (give the corpus with --corpus)")
    (draw if args.command == "draw" else score)(args)


if __name__ == "__main__":
    main()
