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


def main() -> None:  # console script entry point
    app()
