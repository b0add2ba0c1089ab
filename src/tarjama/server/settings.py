"""The server's settings, and building the service they describe.

Settings travel as JSON in an environment variable to the worker processes that
``--workers N`` starts (each loads its own model), so they are plain data.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import TarjamaError

ENV = "TARJAMA_SERVE_SETTINGS"

# A server batches the sentences of many requests, and the transformers engine's beam search
# lets each sentence leave its batch when done, so larger batches pay off there: with 16
# clients on the full-size model (2 cores, bench/serve_load.py) 2,048 tokens served 0.54 to
# 0.63 sentences/s in three runs, at a peak of 1.35 GB; the command line's 768 served 0.52 at 981 MB.
SERVER_BATCH_TOKENS = 2048


@dataclass
class ServerSettings:
    model: str | None = None
    engine: str = "transformers"
    glossary: list[str] = field(default_factory=list)
    no_glossary: bool = False
    api_keys: list[str] = field(default_factory=list)  # empty: glossary edits are refused
    max_chars: int = 20000  # of text per request
    queue_size: int = 64  # requests waiting for the engine
    timeout: float = 120.0  # seconds a request may wait for its translation
    batch_wait: float = 0.005  # seconds the queue waits for a batch to fill
    # Most paragraphs handed to the engine at once: about two engine batches of short
    # sentences, so a request that arrives behind a huge one waits for little (see queue.py).
    batch_paragraphs: int = 64
    piece_paragraphs: int = 8  # a request's share of a batch per turn of the round-robin
    cors_origins: list[str] = field(default_factory=list)
    cache: bool = True  # the translation memory
    beams: int = 4
    device: str = "auto"
    threads: int | None = None
    compute_type: str | None = None
    batch_tokens: int | None = None  # None: SERVER_BATCH_TOKENS for transformers, else the engine's default

    @property
    def max_bytes(self) -> int:
        """A request body's limit: the text limit escaped at worst (\\uXXXX, %XX%XX) plus room
        for the other fields and multipart framing. The text limit itself is checked after
        parsing, on the characters."""
        return 6 * self.max_chars + 65536

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> "ServerSettings":
        return cls(**json.loads(os.environ[ENV]))


def read_api_keys(path: str | os.PathLike) -> list[str]:
    """One key a line; blank lines and ``#`` comments ignored."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TarjamaError(f"{path}: no such API key file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise TarjamaError(f"{path}: cannot read the API key file: {e}") from None
    keys = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not keys:
        raise TarjamaError(f"{path}: no API key in the file")
    short = [k for k in keys if len(k) < 16]
    if short:
        raise TarjamaError(f"{path}: an API key must have at least 16 characters (one has {len(short[0])})")
    return keys


def build_service(settings: ServerSettings, engine=None):
    """The translator (model loaded now, once) and its glossary source."""
    from ..pipeline.translator import Translator
    from .service import GlossarySource, Service

    source = GlossarySource.pick(settings.glossary, settings.no_glossary)
    memory = None
    if settings.cache:
        from ..jobs.translation_memory import TranslationMemory

        memory = TranslationMemory()
    batch_tokens = settings.batch_tokens
    if batch_tokens is None and engine is None and settings.engine == "transformers":
        batch_tokens = SERVER_BATCH_TOKENS
    translator = Translator(
        settings.model,
        glossary=source.load(),
        engine=engine or settings.engine,
        device=settings.device,
        beams=settings.beams,
        threads=settings.threads,
        compute_type=settings.compute_type,
        batch_tokens=batch_tokens,
        memory=memory,
    )
    translator.engine  # load the model before the first request, not during it
    return Service(translator, source)
