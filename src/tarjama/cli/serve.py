"""`tarjama serve`: the HTTP API and the web page."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..engines.options import BATCH_TOKENS
from .common import (
    BeamsOption,
    ComputeTypeOption,
    DeviceOption,
    EngineOption,
    GlossaryOption,
    ModelOption,
    NoGlossaryOption,
    ThreadsOption,
    err,
    handle_errors,
)

app = typer.Typer()

# Every option can also come from the environment, as TARJAMA_ and the option's name
# (TARJAMA_PORT, TARJAMA_MAX_CHARS, TARJAMA_API_KEY_FILE, ...): containers set variables.
ENV_PREFIX = "TARJAMA"


def missing_extra() -> str | None:
    """The first module of the ``serve`` extra that cannot be imported, if any."""
    import importlib.util

    for module in ("fastapi", "uvicorn", "starlette"):
        try:
            if importlib.util.find_spec(module) is None:
                return module
        except (ImportError, ValueError):
            return module
    if all(importlib.util.find_spec(m) is None for m in ("python_multipart", "multipart")):
        return "python-multipart"
    return None


@app.command(context_settings={"auto_envvar_prefix": ENV_PREFIX})
@handle_errors
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (0.0.0.0 for every interface)."),
    port: int = typer.Option(5000, "--port", min=0, max=65535, help="Port to listen on."),
    model: Optional[str] = ModelOption,
    glossary: Optional[List[Path]] = GlossaryOption,
    no_glossary: bool = NoGlossaryOption,
    engine: str = EngineOption,
    compute_type: Optional[str] = ComputeTypeOption,
    beams: int = BeamsOption,
    device: str = DeviceOption,
    threads: Optional[int] = ThreadsOption,
    batch_tokens: Optional[int] = typer.Option(
        None, "--batch-tokens", min=1,
        help=f"Most padded source tokens in an engine batch (default {BATCH_TOKENS}); peak memory grows with it.",
    ),
    api_key_file: Optional[Path] = typer.Option(
        None, "--api-key-file", help="Keys allowed to edit the glossary, one a line; without it, edits are refused."
    ),
    max_chars: int = typer.Option(20000, "--max-chars", min=1, help="Most characters of text in one request (413 beyond)."),
    queue_size: int = typer.Option(64, "--queue-size", min=1, help="Most requests waiting for the engine (429 beyond)."),
    timeout: float = typer.Option(120.0, "--timeout", min=0.1, help="Seconds a request may wait for its translation (504 beyond)."),
    batch_wait_ms: float = typer.Option(5.0, "--batch-wait-ms", min=0.0, help="Milliseconds the queue waits for requests to share a batch; after a batch of several requests, up to 5% of its time (at most 250 ms); 0: never."),
    workers: int = typer.Option(1, "--workers", min=1, help="Server processes (each loads the model)."),
    cors_origin: Optional[List[str]] = typer.Option(None, "--cors-origin", help="Allow browser pages of this origin to call the API (repeatable); none by default."),
    no_cache: bool = typer.Option(False, "--no-memory", "--no-cache", help="Do not use the translation memory."),
):
    """Serve the HTTP API (tarjama's /v1 and LibreTranslate's) and the web page.

    Every option can also be set by an environment variable: TARJAMA_ and the option's
    name in capitals, dashes as underscores (TARJAMA_PORT=8080, TARJAMA_MAX_CHARS=5000,
    TARJAMA_API_KEY_FILE=/run/secrets/keys); an option given on the command line wins.
    """
    from ..errors import TarjamaError

    missing = missing_extra()
    if missing:
        raise TarjamaError(f'the server needs the "serve" extra ({missing} is missing): pip install -e ".[serve]" in a clone of tarjama')
    from ..server.run import serve as run
    from ..server.settings import ServerSettings, read_api_keys
    if no_glossary and glossary:
        raise TarjamaError("--glossary and --no-glossary exclude each other")
    settings = ServerSettings(
        model=model,
        engine=engine,
        glossary=[str(p) for p in glossary or []],
        no_glossary=no_glossary,
        api_keys=read_api_keys(api_key_file) if api_key_file else [],
        max_chars=max_chars,
        queue_size=queue_size,
        timeout=timeout,
        batch_wait=batch_wait_ms / 1000,
        cors_origins=list(cors_origin or []),
        cache=not no_cache,
        beams=beams,
        device=device,
        threads=threads,
        compute_type=compute_type,
        batch_tokens=batch_tokens,
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        err(f"note: listening on {host}: anyone who can reach this machine can use the server; put it behind a reverse proxy")
    run(settings, host, port, workers)
