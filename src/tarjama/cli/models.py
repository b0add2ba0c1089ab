"""`tarjama models`: list, download, and build the offline demo model."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import TarjamaError
from .common import dump_json, err, examples, handle_errors

models_app = typer.Typer(
    help="List and download translation models; build the offline demo model.",
    no_args_is_help=False,
    epilog=examples("tarjama models list", "tarjama models demo demo-model", "tarjama models download"),
)

JsonOption = typer.Option(False, "--json", help="Print JSON.")


def list_models(as_json: bool) -> None:
    from ..models import KnownModel, cache_dir, default_model, is_cached, is_local, known_models

    default = default_model()  # $TARJAMA_MODEL, else the first of models.txt
    known = known_models()
    if default not in {m.id for m in known}:
        known.insert(0, KnownModel(default, "from $TARJAMA_MODEL", True))
    rows = [
        {
            "id": m.id,
            "default": m.id == default,
            "cached": Path(m.id).expanduser().is_dir() if is_local(m.id) else is_cached(m.id),
            "description": m.description,
        }
        for m in known
    ]
    if as_json:
        typer.echo(dump_json(rows), nl=False)
        return
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        mark = "*" if r["default"] else " "
        state = "local" if is_local(r["id"]) else "cached" if r["cached"] else "-"
        typer.echo(f"{mark} {r['id']:<{width}}  {state:<6}  {r['description']}")
    err(f"(* default; cache: {cache_dir()})")


@models_app.callback(invoke_without_command=True)
@handle_errors
def models(ctx: typer.Context, as_json: bool = JsonOption):
    """List the known models (models.txt) and whether each is in the local cache
    (the same as `tarjama models list`)."""
    if ctx.invoked_subcommand is None:
        list_models(as_json)


@models_app.command("list")
@handle_errors
def models_list(as_json: bool = JsonOption):
    """List the known models (models.txt) and whether each is in the local cache."""
    list_models(as_json)


@models_app.command("download")
@handle_errors
def models_download(model_id: Optional[str] = typer.Argument(None, help="Hub id (default: the default model).")):
    """Download a model into the Hugging Face cache, for offline use later."""
    from ..models import default_model, download_model

    path = download_model(model_id or default_model())
    typer.echo(path)


@models_app.command("demo")
@handle_errors
def models_demo(folder: Path = typer.Argument(..., help="A new (or empty) folder to build the demo model in.")):
    """Build a tiny demo model into FOLDER, with no network: try every command offline.

    Its weights are random, so its English is gibberish; the glossary terms are still
    enforced in it. Use it with -m FOLDER (or TARJAMA_MODEL=FOLDER)."""
    from ..resources import resource_path

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise TarjamaError(f"{folder} already exists and is not an empty folder: give a new folder")
    seeds = resource_path("seeds")
    source = seeds / "hasakah-prison.ar.txt" if seeds else None
    target = seeds / "hasakah-prison.en.txt" if seeds else None
    if source is None or not source.is_file() or not target.is_file():
        raise TarjamaError("the demo's training text (seeds/) is missing from this installation")
    import shutil
    import tempfile

    from transformers.utils import logging as hf_logging

    from ..testing import build_marian

    err(f"Building the demo model in {folder} (random weights: its English is gibberish) …")
    hf_logging.disable_progress_bar()
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".demo-model-", dir=folder.parent))  # built aside, then moved: never half a model
    try:
        build_marian(work, source.read_text(encoding="utf-8").splitlines(), target.read_text(encoding="utf-8").splitlines())
        if folder.exists():
            folder.rmdir()  # empty, checked above
        work.rename(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    typer.echo(str(folder))
    err(f"Try it: tarjama translate -m {folder} ARTICLE.ar.txt (the glossary terms are enforced)")
