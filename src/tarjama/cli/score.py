"""`tarjama score` and `tarjama evaluate`."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import TarjamaError
from .common import (
    Bar,
    BeamsOption,
    ComputeTypeOption,
    DeviceOption,
    EngineOption,
    GlossaryOption,
    ModelOption,
    dump_json,
    examples,
    err,
    format_table,
    handle_errors,
    pick_glossary,
)

app = typer.Typer()


def system_table(systems) -> str:
    names = [m.name for m in systems[0].metrics]
    header = ["system", *names] + (["term success"] if systems[0].terms else [])
    rows = []
    for s in systems:
        row = [s.name, *(f"{m.score:.1f}" for m in s.metrics)]
        if s.terms:
            row.append(f"{s.terms.rate:.1f} ({s.terms.hits}/{s.terms.total})")
        rows.append(row)
    return format_table(header, rows)


@app.command(epilog=examples(
    "tarjama score -i system.en.txt -r reference.en.txt",
    "tarjama score -i a.en.txt -i b.en.txt -r reference.en.txt -s article.ar.txt",
))
@handle_errors
def score(
    hyp: List[Path] = typer.Option(..., "--hyp", "-i", help="Hypothesis file (repeatable: several systems)."),
    ref: List[Path] = typer.Option(..., "--ref", "-r", help="Reference file (repeatable: several references)."),
    source: Optional[Path] = typer.Option(None, "--source", "-s", help="The Arabic source: adds the term success rate."),
    glossary: Optional[List[Path]] = GlossaryOption,
    metrics: str = typer.Option("bleu,chrf,chrf++,ter", "--metrics", help="Comma-separated: bleu, chrf, chrf++, ter."),
    sentences: bool = typer.Option(False, "--sentences", help="Per-line scores, worst first, and the missed terms."),
    samples: int = typer.Option(1000, "--bootstrap-samples", min=10, help="Paired bootstrap resamples (several --hyp)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Score translations with BLEU, chrF and TER (sacrebleu), and the glossary term success rate.

    With several --hyp: a comparison table with paired bootstrap resampling against the first.
    """
    from ..quality import score as scoring

    names = scoring.parse_metrics(metrics)
    refs = [scoring.read_lines(r) for r in ref]
    systems = [(str(h), scoring.read_lines(h)) for h in hyp]
    sources = scoring.read_lines(source) if source else None
    g = pick_glossary(glossary, False) if source else None
    if glossary and not source:
        raise TarjamaError("--glossary needs --source (the term success rate compares source and hypothesis)")
    results = scoring.score_systems(systems, refs, names, sources, g, sentences)
    paired = scoring.paired_bootstrap(systems, refs, names, samples) if len(systems) > 1 else None
    if as_json:
        data = {"systems": [r.as_dict() for r in results]}
        if paired:
            data["paired_bootstrap"] = paired
        typer.echo(dump_json(data), nl=False)
        return
    if paired:
        typer.echo(paired_table(paired, results))
    else:
        for m in results[0].metrics:
            typer.echo(m.line)
        if results[0].terms:
            typer.echo(results[0].terms.describe())
    if sentences:
        for r in results:
            print_sentences(r, show_name=len(results) > 1)


def paired_table(paired: dict, results) -> str:
    metrics = [k for k in paired["rows"][0] if k != "system"]
    header = ["system", *metrics] + (["term success"] if results[0].terms else [])
    rows = []
    for i, row in enumerate(paired["rows"]):
        cells = [("Baseline: " if i == 0 else "") + row["system"]]
        for m in metrics:
            v = row[m]
            cell = f"{v['score']:5.1f} (μ = {v['mean']:5.1f} ± {v['ci']:.1f})"
            if i > 0 and v["p_value"] is not None:
                cell += f" p = {v['p_value']:.4f}" + ("*" if v["p_value"] < 0.05 else "")
            cells.append(cell)
        if results[i].terms:
            cells.append(f"{results[i].terms.rate:.1f} ({results[i].terms.hits}/{results[i].terms.total})")
        rows.append(cells)
    for c in range(len(header)):  # cells of one width: the baseline's line up with the others'
        width = max(len(r[c]) for r in rows)
        for r in rows:
            r[c] = r[c].ljust(width)
    notes = [f"{m}: {sig}" for m, sig in paired["signatures"].items()]
    return "\n".join(
        [
            format_table(header, rows),
            "",
            f"Paired bootstrap resampling ({paired['n_samples']} samples) against the baseline;"
            " * marks p < 0.05 (the difference is significant).",
            *notes,
        ]
    )


def print_sentences(result, show_name: bool) -> None:
    typer.echo("")
    if show_name:
        typer.echo(f"== {result.name}")
    for row in result.sentences or []:
        typer.echo(f"line {row['line']}: chrF2 {row['chrf']:.1f}  BLEU {row['bleu']:.1f}")
        if "source" in row:
            typer.echo(f"  src: {row['source']}")
        typer.echo(f"  hyp: {row['hypothesis']}")
        for r in row["references"]:
            typer.echo(f"  ref: {r}")
    if result.terms and result.terms.misses:
        typer.echo("")
        for miss in result.terms.misses:
            typer.echo(f"missed term: line {miss['line']}: {miss['text']} → {miss['target']}")


@app.command()
@handle_errors
def evaluate(
    source: Path = typer.Option(..., "--source", "-s", help="The Arabic source, one segment per line."),
    ref: List[Path] = typer.Option(..., "--ref", "-r", help="Reference translation (repeatable)."),
    model: Optional[str] = ModelOption,
    glossary: Optional[List[Path]] = GlossaryOption,
    engine: str = EngineOption,
    compute_type: Optional[str] = ComputeTypeOption,
    beams: int = BeamsOption,
    device: str = DeviceOption,
    metrics: str = typer.Option("bleu,chrf,chrf++,ter", "--metrics", help="Comma-separated: bleu, chrf, chrf++, ter."),
    save: Optional[Path] = typer.Option(None, "--save", help="Keep both translations and report.json in this folder."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Translate the source without and with the glossary and score both: the glossary's effect."""
    from ..quality import evaluate as ev
    from ..files import read_document
    from ..engines import create_engine
    from ..models import default_model
    from ..quality.score import parse_metrics, read_lines

    names = parse_metrics(metrics)
    if save is not None:
        ev.check_save_folder(save)  # before translating twice, not after
    g = pick_glossary(glossary, False)
    text = read_document(source)
    refs = [read_lines(r) for r in ref]
    options = dict(device=device, beams=beams)
    if compute_type is not None:
        options["compute_type"] = compute_type
    eng = create_engine(engine, model or default_model(), **options)
    bar = Bar(True, "Evaluating")
    try:
        result = ev.evaluate(text, refs, eng, g, names, progress=bar)
    finally:
        bar.close()
    if save is not None:
        for path in ev.save(result, save):
            err(f"wrote {path}")
    if as_json:
        typer.echo(dump_json(result.as_dict()), nl=False)
        return
    typer.echo(system_table(result.systems))
    typer.echo("")
    for m in result.systems[0].metrics:
        typer.echo(f"{m.name}: {m.signature}")
