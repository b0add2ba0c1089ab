"""The ``tarjama`` command: a thin Typer layer over the Python API.

Commands parse arguments, call the API and print. Errors the user can act on
(:class:`TarjamaError`) become one line on stderr and a non-zero exit code; results go
to stdout, progress and summaries to stderr.
"""

from __future__ import annotations

import functools
import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .errors import TarjamaError

app = typer.Typer(
    help="Translate Arabic news into English with OPUS-MT, enforcing a domain glossary.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
models_app = typer.Typer(help="List and download translation models.", no_args_is_help=False)
glossary_app = typer.Typer(help="Find and maintain glossary terms.", no_args_is_help=True)
app.add_typer(models_app, name="models")
app.add_typer(glossary_app, name="glossary")


def err(message: str) -> None:
    typer.echo(message, err=True)


def handle_errors(func):
    """Turn TarjamaError into 'Error: …' on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except TarjamaError as e:
            err(f"Error: {e.message}")
            raise typer.Exit(e.exit_code)
        except KeyboardInterrupt:
            err("Interrupted.")
            raise typer.Exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(1)

    return wrapper


def emit(text: str, output: Optional[Path]) -> None:
    """Write to ``output`` atomically, or to stdout."""
    from .document import write_atomic

    if output is not None and str(output) != "-":
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def dump_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# -- shared options -----------------------------------------------------------------------
GlossaryOption = typer.Option(
    None,
    "--glossary",
    "-g",
    help="Glossary TSV file or folder (repeatable); replaces the default glossary.",
)
NoGlossaryOption = typer.Option(False, "--no-glossary", help="Use no glossary at all.")


def pick_glossary(glossary: Optional[List[Path]], no_glossary: bool, quiet: bool = False):
    from .translator import resolve_glossary

    if no_glossary and glossary:
        raise TarjamaError("--glossary and --no-glossary exclude each other")
    g = resolve_glossary(None if no_glossary else (glossary or "default"))
    if not quiet:
        for line in g.overrides:
            err(f"note: {line}")
    return g


class Format(str, Enum):
    text = "text"
    json = "json"
    bilingual = "bilingual"


class Bar:
    """A progress bar on stderr, shown only to a person at a terminal."""

    def __init__(self, enabled: bool, label: str = "Translating"):
        self.enabled = enabled and sys.stderr.isatty()
        self.label = label
        self.progress = None
        self.task = None

    def start(self, total: int) -> None:
        if not self.enabled or total < 2:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self.progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.progress.start()
        self.task = self.progress.add_task(self.label, total=total)

    def advance(self, n: int) -> None:
        if self.progress is not None:
            self.progress.advance(self.task, n)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def render(result, fmt: Format) -> str:
    if fmt is Format.json:
        return dump_json([s.as_dict() for s in result.sentences])
    if not any(p.strip() for p in result.sources):
        return ""  # empty or blank input: nothing to say, and nothing invented
    if fmt is Format.bilingual:
        blocks = [f"{src}\n{tgt}" for src, tgt in zip(result.sources, result.paragraphs) if src.strip()]
        return "\n\n".join(blocks) + "\n"
    return result.text + "\n"


# -- translate ----------------------------------------------------------------------------
@app.command()
@handle_errors
def translate(
    file: str = typer.Argument("-", help="Arabic text file (UTF-8); '-' or nothing reads stdin."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here (atomically) instead of stdout."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Listed model id, any hub id, or a local folder."),
    glossary: Optional[List[Path]] = GlossaryOption,
    no_glossary: bool = NoGlossaryOption,
    engine: str = typer.Option("transformers", "--engine", help="Translation engine."),
    beams: int = typer.Option(4, "--beams", min=1, help="Beam size."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Most sentences decoded together."),
    batch_tokens: int = typer.Option(4096, "--batch-tokens", min=1, help="Most padded tokens in a batch."),
    device: str = typer.Option("auto", "--device", help="auto (CUDA when present), cpu, cuda, cuda:N."),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="CPU threads (default: all cores)."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text, json or bilingual."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary on stderr."),
):
    """Translate an Arabic article into English, one output paragraph per input paragraph."""
    from .document import read_document
    from .translator import Translator

    text = read_document(file)
    translator = Translator(
        model,
        glossary=pick_glossary(glossary, no_glossary, quiet),
        engine=engine,
        device=device,
        beams=beams,
        batch_size=batch_size,
        batch_tokens=batch_tokens,
        threads=threads,
    )
    bar = Bar(not quiet)
    try:
        result = translator.translate_document(text, progress=bar)
    finally:
        bar.close()
    emit(render(result, fmt), output)
    if not quiet and translator.glossary:
        err(result.summary())
    if result.unresolved:
        for s in result.sentences:
            for t in s.terms:
                if t.status != "applied":
                    err(f"unresolved: paragraph {s.paragraph}: {t.text} → {t.target}")


# -- models -------------------------------------------------------------------------------
@models_app.callback(invoke_without_command=True)
@handle_errors
def models(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """List the known models (models.txt) and whether each is in the local cache."""
    if ctx.invoked_subcommand is not None:
        return
    from .models import cache_dir, is_cached, known_models

    rows = [
        {"id": m.id, "default": m.default, "cached": is_cached(m.id), "description": m.description}
        for m in known_models()
    ]
    if as_json:
        typer.echo(dump_json(rows), nl=False)
        return
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        mark = "*" if r["default"] else " "
        state = "cached" if r["cached"] else "-"
        typer.echo(f"{mark} {r['id']:<{width}}  {state:<6}  {r['description']}")
    err(f"(* default; cache: {cache_dir()})")


@models_app.command("download")
@handle_errors
def models_download(model_id: Optional[str] = typer.Argument(None, help="Hub id (default: the default model).")):
    """Download a model into the Hugging Face cache, for offline use later."""
    from .models import default_model, download_model

    path = download_model(model_id or default_model())
    typer.echo(path)


# -- glossary -----------------------------------------------------------------------------
@glossary_app.command("find")
@handle_errors
def glossary_find(
    file: str = typer.Argument("-", help="Arabic text file; '-' reads stdin."),
    glossary: Optional[List[Path]] = GlossaryOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Print every occurrence of a glossary term in an Arabic text."""
    from .document import read_document
    from .matching import Matcher

    text = read_document(file)
    matches = Matcher(pick_glossary(glossary, False)).find(text)
    if as_json:
        typer.echo(dump_json([m.as_dict() for m in matches]), nl=False)
        return
    for m in matches:
        line = text.count("\n", 0, m.start) + 1
        typer.echo(f"{line}:{m.start}-{m.end}\t{m.text}\t→ {m.target}")
    err(f"{len(matches)} occurrences of {len({m.entry.source for m in matches})} terms")


# -- check --------------------------------------------------------------------------------
@app.command()
@handle_errors
def check(
    source: Path = typer.Option(..., "--source", "-s", help="The Arabic original."),
    translation: Path = typer.Option(..., "--translation", "-t", help="Its English translation, line-aligned."),
    glossary: Optional[List[Path]] = GlossaryOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    fix: Optional[Path] = typer.Option(None, "--fix", help="Write a corrected translation here."),
):
    """Check a translation against the glossary: missing terms and forbidden renderings.

    Exit code 0 when clean, 1 when violations remain, 2 on bad input.
    """
    from .check import check_translation, fix_translation
    from .document import read_document, write_atomic

    g = pick_glossary(glossary, False)
    src, tgt = read_document(source), read_document(translation)
    problems = check_translation(src, tgt, g)
    if fix is not None:
        fixed, remaining = fix_translation(src, tgt, g)
        write_atomic(fix, fixed)
        err(f"wrote {fix}: fixed {len(problems) - len(remaining)}, {len(remaining)} left")
        problems = remaining
    if as_json:
        typer.echo(dump_json([p.as_dict() for p in problems]), nl=False)
    else:
        for p in problems:
            typer.echo(p.describe())
        err(f"{len(problems)} violations" if problems else "no violations")
    raise typer.Exit(1 if problems else 0)


# -- score and evaluate -------------------------------------------------------------------
def format_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = [header, ["-" * w for w in widths], *rows]
    return "\n".join(
        "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(line, widths)))
        for line in lines
    )


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


@app.command()
@handle_errors
def score(
    hyp: List[Path] = typer.Option(..., "--hyp", help="Hypothesis file (repeatable: several systems)."),
    ref: List[Path] = typer.Option(..., "--ref", help="Reference file (repeatable: several references)."),
    source: Optional[Path] = typer.Option(None, "--source", help="The Arabic source: adds the term success rate."),
    glossary: Optional[List[Path]] = GlossaryOption,
    metrics: str = typer.Option("bleu,chrf,chrf++,ter", "--metrics", help="Comma-separated: bleu, chrf, chrf++, ter."),
    sentences: bool = typer.Option(False, "--sentences", help="Per-line scores, worst first, and the missed terms."),
    samples: int = typer.Option(1000, "--bootstrap-samples", min=10, help="Paired bootstrap resamples (several --hyp)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Score translations with BLEU, chrF and TER (sacrebleu), and the glossary term success rate.

    With several --hyp: a comparison table with paired bootstrap resampling against the first.
    """
    from . import score as scoring

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
            cell = f"{v['score']:.1f} (μ = {v['mean']:.1f} ± {v['ci']:.1f})"
            if i > 0 and v["p_value"] is not None:
                cell += f" p = {v['p_value']:.4f}" + ("*" if v["p_value"] < 0.05 else "")
            cells.append(cell)
        if results[i].terms:
            cells.append(f"{results[i].terms.rate:.1f} ({results[i].terms.hits}/{results[i].terms.total})")
        rows.append(cells)
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
    source: Path = typer.Option(..., "--source", help="The Arabic source, one segment per line."),
    ref: List[Path] = typer.Option(..., "--ref", help="Reference translation (repeatable)."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Listed model id, any hub id, or a local folder."),
    glossary: Optional[List[Path]] = GlossaryOption,
    engine: str = typer.Option("transformers", "--engine", help="Translation engine."),
    beams: int = typer.Option(4, "--beams", min=1, help="Beam size."),
    device: str = typer.Option("auto", "--device", help="auto, cpu, cuda, cuda:N."),
    metrics: str = typer.Option("bleu,chrf,chrf++,ter", "--metrics", help="Comma-separated: bleu, chrf, chrf++, ter."),
    save: Optional[Path] = typer.Option(None, "--save", help="Keep both translations and report.json in this folder."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Translate the source without and with the glossary and score both: the glossary's effect."""
    from . import evaluate as ev
    from .document import read_document
    from .engines import create_engine
    from .models import default_model
    from .score import parse_metrics, read_lines

    names = parse_metrics(metrics)
    g = pick_glossary(glossary, False)
    text = read_document(source)
    refs = [read_lines(r) for r in ref]
    eng = create_engine(engine, model or default_model(), device=device, beams=beams)
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


def main() -> None:  # console script entry point
    app()
