"""Draw the sentence-boundary sample that is judged by hand, and score the judged sample.

    python bench/boundaries.py draw  [--corpus DIR] [--seed 12] [--n 320] [--articles 100]
    python bench/boundaries.py score [--tsv bench/boundaries.tsv]

The corpus is ANT (Arabic News Texts; A. Chouigui, O. Ben Khiroun and B. Elayeb, AICCSA 2017
and AJSE 46(8), 2021), one article per file, read from ``../shared/corpus/ant-news-syria/``
relative to the repository unless ``--corpus`` says otherwise.

A *candidate* is every place where the splitter has a decision to make: a run of
``. ! ? ؟ ؛ …`` inside a paragraph (a paragraph's last mark ends it whatever the rules say,
and a period between two digits is a decimal point, so neither is drawn). ``draw`` writes
two sets to the TSV, each row with the splitter's decision (``end`` or ``no``):

- ``random``: ``--n`` candidates drawn uniformly (seeded) from the whole corpus;
- ``special``: in ``--articles`` articles drawn (seeded), every pause mark (``..``, ``...``,
  ``…``), every period after an abbreviation, an initial or a list number, and every period
  glued between two Arabic words.

The ``judgement`` column is then filled by a reader (``ok`` or ``wrong``, with a note);
``score`` prints the wrong-boundary rate of each set and of both together. Rows keep a
short context only (30 characters each side) and the article's file name.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from tarjama.text.segment import _is_abbreviation, _word_before, sentence_spans, split_paragraphs  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "ant-news-syria"
TSV = HERE / "boundaries.tsv"
COLUMNS = ["id", "set", "file", "offset", "left", "mark", "right", "decision", "judgement", "note"]
_MARKS = re.compile(r"[.!?؟؛…]+")
_ARABIC = re.compile(r"[\u0621-\u064A]")


def candidates(paragraph: str):
    """(start, end) of each mark run the splitter decides on."""
    for m in _MARKS.finditer(paragraph):
        s, e = m.span()
        if not paragraph[e:].strip(" \"'»”’)]}›"):
            continue  # the paragraph's last mark
        if m.group() == "." and 0 < s and e < len(paragraph) and paragraph[s - 1].isdigit() and paragraph[e].isdigit():
            continue  # a decimal point
        yield s, e


def is_special(paragraph: str, s: int, e: int) -> bool:
    mark = paragraph[s:e]
    if mark.startswith("..") or "…" in mark:
        return True
    if mark != ".":
        return False
    word = _word_before(paragraph, s)
    glued = e < len(paragraph) and _ARABIC.match(paragraph[e]) and s > 0 and _ARABIC.match(paragraph[s - 1])
    return bool(glued or _is_abbreviation(word) or (word and word.isdigit()) or len(word.rsplit(".", 1)[-1]) == 1)


def decision(paragraph: str, s: int, e: int) -> str:
    ends = {b for _, b in sentence_spans(paragraph)}
    # A sentence span ends after the mark and its closing quotes/brackets (a quotation
    # mark after a space may close the quotation too).
    j = e
    while j < len(paragraph) and paragraph[j] in " \"'»”’)]}›":
        j += 1
    return "end" if any(x in ends for x in range(s + 1, j + 1)) else "no"


def row(file: str, paragraph_offset: int, paragraph: str, s: int, e: int, set_name: str) -> dict:
    clean = lambda t: t.replace("\t", " ")  # noqa: E731
    return {
        "set": set_name,
        "file": file,
        "offset": paragraph_offset + s,
        "left": clean(paragraph[max(0, s - 30) : s]),
        "mark": paragraph[s:e],
        "right": clean(paragraph[e : e + 30]),
        "decision": decision(paragraph, s, e),
        "judgement": "",
        "note": "",
    }


def articles(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.txt") if p.is_file())


def draw(corpus: Path, seed: int, n: int, n_articles: int, out: Path) -> None:
    if out.exists() and any(r.get("judgement") for r in _read(out)):
        sys.exit(f"Error: {out} holds judged rows; draw to another file with --out")
    files = articles(corpus)
    if not files:
        sys.exit(f"Error: no articles (*.txt) under {corpus}")
    everything = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        offset = 0
        for paragraph in split_paragraphs(text):
            for s, e in candidates(paragraph):
                everything.append((path, offset, paragraph, s, e))
            offset += len(paragraph) + 1
    rng = random.Random(seed)
    rows = [row(str(p.relative_to(corpus)), o, para, s, e, "random") for p, o, para, s, e in rng.sample(everything, n)]
    chosen = set(rng.sample(files, n_articles))
    rows += [
        row(str(p.relative_to(corpus)), o, para, s, e, "special")
        for p, o, para, s, e in everything
        if p in chosen and is_special(para, s, e)
    ]
    for i, r in enumerate(rows, start=1):
        r["id"] = i
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, COLUMNS, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(everything)} candidates in {len(files)} articles; wrote {len(rows)} rows to {out}", file=sys.stderr)


def _read(tsv: Path) -> list[dict]:
    with tsv.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\"))


def score(tsv: Path) -> None:
    rows = _read(tsv)
    unjudged = [r["id"] for r in rows if r["judgement"] not in ("ok", "wrong")]
    if unjudged:
        sys.exit(f"Error: {len(unjudged)} rows are not judged yet (first: id {unjudged[0]})")
    for name in ("random", "special", None):
        part = [r for r in rows if name is None or r["set"] == name]
        wrong = sum(r["judgement"] == "wrong" for r in part)
        print(f"{name or 'both'}: {wrong} wrong of {len(part)} ({100 * wrong / max(1, len(part)):.1f} %)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draw")
    d.add_argument("--corpus", type=Path, default=CORPUS)
    d.add_argument("--seed", type=int, default=12)
    d.add_argument("--n", type=int, default=320)
    d.add_argument("--articles", type=int, default=100)
    d.add_argument("--out", type=Path, default=TSV)
    s = sub.add_parser("score")
    s.add_argument("--tsv", type=Path, default=TSV)
    args = ap.parse_args()
    if args.command == "draw":
        draw(args.corpus, args.seed, args.n, args.articles, args.out)
    else:
        score(args.tsv)


if __name__ == "__main__":
    main()
