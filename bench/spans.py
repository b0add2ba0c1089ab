"""Protected spans on real news: how many there are, and that all of them survive an
engine that mangles every one it is given.

    python bench/spans.py [--corpus DIR] [--articles N] [--json]

The corpus is ANT (Arabic News Texts; A. Chouigui, O. Ben Khiroun and B. Elayeb, AICCSA 2017
and AJSE 46(8), 2021), read from ``../shared/corpus/ant-news-syria/`` relative to the
repository unless ``--corpus`` says otherwise.

Every article goes through the whole pipeline (sentences, the project's glossary, protected
spans, protect → verify → repair → stitched fallback) with the adversarial fake engine of
the tests, which drops, duplicates, re-cases, splits, hyphenates or transliterates each
glossary target and each protected span in turn. A span *survives* when its English form
(Western digits) appears in the sentence's translation exactly as often as in the source.
Counts only: no timing here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

CORPUS = ROOT.parent / "shared" / "corpus" / "ant-news-syria"


def survival(corpus: Path, limit: int | None) -> dict:
    from fakes import SpanAdversarialEngine

    from tarjama import Translator
    from tarjama.glossary.model import load_glossary
    from tarjama.text.english import find_all_targets

    glossary = load_glossary([ROOT / "glossary"])
    files = sorted(p for p in corpus.rglob("*.txt") if p.is_file())[:limit]
    if not files:
        sys.exit(f"Error: no articles (*.txt) under {corpus}")
    translator = Translator("fake", glossary=glossary, engine=SpanAdversarialEngine(glossary))
    kinds: Counter = Counter()
    methods: Counter = Counter()
    lost: list[dict] = []
    sentences = 0
    for n, path in enumerate(files, start=1):
        result = translator.translate_document(path.read_text(encoding="utf-8"))
        for s in result.sentences:
            sentences += 1
            spans = [t for t in s.terms if t.kind != "term"]
            wanted = Counter(t.target for t in spans)
            for t in spans:
                kinds[t.kind] += 1
                methods[t.method] += 1
            # Longer targets claim their text first ("Drive My Car" inside "Baby you can
            # Drive My Car", "5" inside "6.5"), as the enforcer counts them.
            everything = Counter(t.target for t in s.terms)
            spans_found = find_all_targets(s.translation, everything)
            for target in wanted:
                count = everything[target]  # a glossary term may have the same target ("PKK")
                found = sum(s.translation[a:b] == target for a, b in spans_found[target])
                bad = [t for t in spans if t.target == target and t.status != "applied"]
                if found != count or bad:
                    lost.append({"file": str(path.relative_to(corpus)), "span": target, "expected": count, "found": found})
        if n % 200 == 0:
            print(f"{n}/{len(files)} articles", file=sys.stderr)
    return {
        "articles": len(files),
        "sentences": sentences,
        "spans": sum(kinds.values()),
        "by_kind": dict(kinds.most_common()),
        "kept_by_round": dict(methods.most_common()),
        "lost": len(lost),
        "lost_examples": lost[:20],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--articles", type=int, default=None, help="only the first N articles (sorted by path)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    report = survival(args.corpus, args.articles)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    print(f"{report['articles']} articles, {report['sentences']} sentences, {report['spans']} protected spans")
    print("  by kind: " + ", ".join(f"{k} {v}" for k, v in report["by_kind"].items()))
    print("  kept in round: " + ", ".join(f"{k} {v}" for k, v in report["kept_by_round"].items()))
    print(f"  lost with the adversarial engine: {report['lost']}")
    for ex in report["lost_examples"]:
        print(f"    {ex}")
    if report["lost"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
