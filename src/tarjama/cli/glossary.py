"""`tarjama glossary ...` and `tarjama check`."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .common import GlossaryOption, dump_json, err, handle_errors, pick_glossary

app = typer.Typer()
glossary_app = typer.Typer(help="Find and maintain glossary terms.", no_args_is_help=True)


# -- glossary -----------------------------------------------------------------------------
@glossary_app.command("find")
@handle_errors
def glossary_find(
    file: str = typer.Argument("-", help="Arabic text file; '-' reads stdin."),
    glossary: Optional[List[Path]] = GlossaryOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Print every occurrence of a glossary term in an Arabic text."""
    from ..document import read_document
    from ..matching import Matcher

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
    from ..check import check_translation, fix_translation
    from ..document import read_document, write_atomic

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
