"""Scoring translations against references: sacrebleu's metrics, and term success rate.

Files are read the way sacrebleu's command line reads them (one segment per ``\\n``-ended
line, trailing white space stripped), so the figures match its CLI digit for digit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..files import read_document
from .check import accepted_counts
from ..errors import InputError
from ..glossary.model import Glossary
from ..glossary.matching import Matcher

METRIC_NAMES = ("bleu", "chrf", "chrf++", "ter")
DEFAULT_METRICS = ("bleu", "chrf", "chrf++", "ter")
WIDTH = 1  # decimals, as sacrebleu's CLI prints them


def read_lines(path: str | Path) -> list[str]:
    text = read_document(path)
    if text.endswith("\n"):
        text = text[:-1]
    return [line.rstrip() for line in text.split("\n")] if text else []


def check_lengths(named: Sequence[tuple[str, Sequence[str]]]) -> None:
    """All files must have the same number of lines: never a silent zip that drops lines."""
    counts = {name: len(lines) for name, lines in named}
    empty = [name for name, n in counts.items() if n == 0]
    if empty:
        raise InputError(f"{empty[0]} has no lines to score")
    if len(set(counts.values())) > 1:
        detail = ", ".join(f"{name}: {n}" for name, n in counts.items())
        raise InputError(f"line counts differ ({detail}); files must be line-aligned")


def parse_metrics(spec: str | Sequence[str]) -> list[str]:
    names = [m.strip().lower() for m in (spec.split(",") if isinstance(spec, str) else spec) if m.strip()]
    unknown = [m for m in names if m not in METRIC_NAMES]
    if unknown or not names:
        raise InputError(f"unknown metric {', '.join(unknown) or '(none)'}; choose from {', '.join(METRIC_NAMES)}")
    return names


def make_metric(name: str, references=None, sentence_level: bool = False):
    from sacrebleu.metrics import BLEU, CHRF, TER

    if name == "bleu":
        return BLEU(references=references, effective_order=sentence_level)
    if name == "chrf":
        return CHRF(references=references)
    if name == "chrf++":
        return CHRF(word_order=2, references=references)
    return TER(references=references)


@dataclass
class MetricScore:
    name: str  # as sacrebleu names it: BLEU, chrF2, chrF2++, TER
    score: float
    signature: str
    line: str  # sacrebleu's own text line: "BLEU|nrefs:1|... = 23.4 ..."

    def as_dict(self) -> dict:
        return {"name": self.name, "score": round(self.score, WIDTH), "signature": self.signature, "line": self.line}


@dataclass
class TermScore:
    """Term success rate: of the glossary occurrences in the source, the share whose
    target appears in the aligned hypothesis line."""

    hits: int = 0
    total: int = 0
    misses: list[dict] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return 100.0 * self.hits / self.total if self.total else 100.0

    def describe(self) -> str:
        return f"Term success rate = {self.rate:.{WIDTH}f} ({self.hits}/{self.total})"

    def as_dict(self) -> dict:
        return {"rate": round(self.rate, WIDTH), "hits": self.hits, "total": self.total, "misses": self.misses}


def corpus_scores(hypotheses: Sequence[str], references: Sequence[Sequence[str]], metrics: Sequence[str]) -> list[MetricScore]:
    out = []
    for name in metrics:
        metric = make_metric(name)
        score = metric.corpus_score(list(hypotheses), [list(r) for r in references])
        signature = metric.get_signature().format()
        out.append(MetricScore(score.name, score.score, signature, score.format(WIDTH, False, signature)))
    return out


def term_success(sources: Sequence[str], hypotheses: Sequence[str], glossary: Glossary) -> TermScore:
    matcher = Matcher(glossary)
    result = TermScore()
    for number, (src, hyp) in enumerate(zip(sources, hypotheses), start=1):
        matches = matcher.find(src)
        expected = Counter(m.target for m in matches)
        found = accepted_counts(hyp, matches)
        for target, n in expected.items():
            hit = min(n, found[target])
            result.total += n
            result.hits += hit
            missed = [m for m in matches if m.target == target][hit:]
            for m in missed:
                result.misses.append({"line": number, "source": m.entry.source, "text": m.text, "target": target})
    return result


def sentence_scores(
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str]],
    sources: Sequence[str] | None = None,
) -> list[dict]:
    """Per-line BLEU and chrF, worst chrF first (chrF is the steadier at sentence level)."""
    bleu, chrf = make_metric("bleu", sentence_level=True), make_metric("chrf")
    rows = []
    for i, hyp in enumerate(hypotheses):
        refs = [r[i] for r in references]
        row = {
            "line": i + 1,
            "bleu": round(bleu.sentence_score(hyp, refs).score, WIDTH),
            "chrf": round(chrf.sentence_score(hyp, refs).score, WIDTH),
            "hypothesis": hyp,
            "references": refs,
        }
        if sources is not None:
            row["source"] = sources[i]
        rows.append(row)
    return sorted(rows, key=lambda r: (r["chrf"], r["bleu"], r["line"]))


@dataclass
class SystemScore:
    name: str
    metrics: list[MetricScore]
    terms: TermScore | None = None
    sentences: list[dict] | None = None

    def as_dict(self) -> dict:
        d = {"system": self.name, "metrics": [m.as_dict() for m in self.metrics]}
        if self.terms is not None:
            d["term_success"] = self.terms.as_dict()
        if self.sentences is not None:
            d["sentences"] = self.sentences
        return d


def score_systems(
    systems: Sequence[tuple[str, Sequence[str]]],
    references: Sequence[Sequence[str]],
    metrics: Sequence[str] = DEFAULT_METRICS,
    sources: Sequence[str] | None = None,
    glossary: Glossary | None = None,
    sentences: bool = False,
) -> list[SystemScore]:
    named = [*systems, *((f"reference {i + 1}", r) for i, r in enumerate(references))]
    if sources is not None:
        named.append(("source", sources))
    check_lengths(named)
    out = []
    for name, hyps in systems:
        terms = term_success(sources, hyps, glossary) if sources is not None and glossary is not None else None
        per_line = sentence_scores(hyps, references, sources) if sentences else None
        out.append(SystemScore(name, corpus_scores(hyps, references, metrics), terms, per_line))
    return out


def paired_bootstrap(
    systems: Sequence[tuple[str, Sequence[str]]],
    references: Sequence[Sequence[str]],
    metrics: Sequence[str] = DEFAULT_METRICS,
    n_samples: int = 1000,
) -> dict:
    """sacrebleu's paired bootstrap resampling of every system against the first.

    Returns ``{"signatures": {metric: str}, "rows": [{"system", metric: {score, mean, ci, p_value}}]}``.
    """
    from sacrebleu.significance import PairedTest

    check_lengths([*systems, *((f"reference {i + 1}", r) for i, r in enumerate(references))])
    refs = [list(r) for r in references]
    objects = {name.upper(): make_metric(name, references=refs) for name in metrics}
    test = PairedTest([(n, list(h)) for n, h in systems], objects, references=None, test_type="bs", n_samples=n_samples)
    signatures, results = test()
    rows = []
    baseline = list(systems[0][1])
    for i, name in enumerate(results["System"]):
        # sacrebleu gives identical systems p = 1/(n+1), "significant"; no difference is none.
        same = i > 0 and list(systems[i][1]) == baseline
        row = {"system": name}
        for metric, values in results.items():
            if metric != "System":
                r = values[i]
                row[metric] = {
                    "score": round(float(r.score), WIDTH),
                    "mean": None if r.mean is None else round(float(r.mean), WIDTH),
                    "ci": None if r.ci is None else round(float(r.ci), WIDTH),
                    "p_value": None if r.p_value is None else 1.0 if same else float(r.p_value),
                }
        rows.append(row)
    return {"signatures": {k: v.format() for k, v in signatures.items()}, "rows": rows, "n_samples": n_samples}
