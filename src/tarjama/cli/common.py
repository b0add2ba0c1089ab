"""What every command shares: error handling, output, options, progress."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from typer.core import TyperGroup

try:  # recent typer carries its own copy of click
    from typer._click.exceptions import ClickException, UsageError
except ImportError:  # pragma: no cover
    from click.exceptions import ClickException, UsageError

from ..engines.options import BATCH_TOKENS
from ..errors import TarjamaError


# -h as well as --help, everywhere.
CONTEXT = {"help_option_names": ["-h", "--help"]}


def version_callback(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"tarjama {version('tarjama')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            from .. import __version__

            typer.echo(f"tarjama {__version__}")
        raise typer.Exit(0)


class OneLineErrors(TyperGroup):
    """Usage errors (a bad value, an unknown option, a missing argument) as one line, like
    every other error, with the hint to --help instead of a usage box."""

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        name_metavars(self)
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except UsageError as e:
            if type(e).__name__ == "NoArgsIsHelpError":  # `tarjama glossary` alone: the help
                e.show()
                sys.exit(e.exit_code)
            hint = f"; see `{e.ctx.command_path} --help`" if e.ctx is not None else ""
            err(f"Error: {e.format_message().rstrip('.')}{hint}")
            sys.exit(e.exit_code)
        except ClickException as e:
            err(f"Error: {e.format_message()}")
            sys.exit(e.exit_code)
        except typer.Abort:
            err("Interrupted.")
            sys.exit(130)
        # Without standalone mode, an Exit comes back as its code (None when all went well).
        sys.exit(result if isinstance(result, int) else 0)


def name_metavars(command) -> None:
    """Name every value in --help for what it is (FILE, N, PATH, text|json) instead of the
    Python type Typer would show (<str>, <bool>, <list[Path]>); flags show none."""
    import enum
    import typing

    for param in getattr(command, "params", []):
        if param.metavar is not None or getattr(param, "is_flag", False):
            continue
        annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
        args = typing.get_args(annotation)
        if typing.get_origin(annotation) in (list, typing.Union) and args:
            annotation = args[0]
        if param.param_type_name == "argument":
            param.metavar = param.name.upper()
            # FILE, not "FILE <str>"; [FILE] when optional, FILE when required.
            param.display_type_rich = lambda ctx: None
            param._usage_display_name = (lambda p: lambda: p.metavar if p.required else f"[{p.metavar}]")(param)
        elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            param.metavar = "|".join(m.value for m in annotation)
        elif annotation is int:
            param.metavar = "N"
        elif annotation is float:
            param.metavar = "X"
        elif annotation is Path:
            param.metavar = "PATH"
        else:
            param.metavar = max(param.opts, key=len).lstrip("-").upper().replace("-", "_")
    for sub in getattr(command, "commands", {}).values():
        name_metavars(sub)


def examples(*lines: str) -> str:
    """An "Examples:" epilog for --help, kept as written (\\b stops click re-wrapping it)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def plural(n: int, word: str) -> str:
    """'1 file', '2 files', '1 entry', '3 entries'."""
    if n == 1:
        return f"{n} {word}"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return f"{n} {word[:-1]}ies"
    return f"{n} {word}s"


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
        except OSError as e:  # the last resort for the file system: a full disk, a read-only folder
            where = f"{e.filename}: " if e.filename else ""
            err(f"Error: {where}{e.strerror or e}")
            raise typer.Exit(2)

    return wrapper


def emit(text: str, output: Optional[Path]) -> None:
    """Write to ``output`` atomically, or to stdout."""
    from ..files import write_atomic

    if output is not None and str(output) != "-":
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def emit_bytes(data: bytes, output: Optional[Path], binary: bool = False) -> None:
    """A translated document: to ``output`` atomically, or to stdout (text formats only:
    a binary document needs ``-o``)."""
    from ..files import write_atomic
    from ..errors import InputError

    if output is not None and str(output) != "-":
        write_atomic(output, data)
    elif binary:
        raise InputError("this document is binary: give -o FILE to write it")
    else:
        sys.stdout.buffer.write(data)
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

# The engine's options, the same for every command that translates.
ModelOption = typer.Option(None, "--model", "-m", help="Listed model id, any hub id, or a local folder.")
EngineOption = typer.Option(
    "auto", "--engine",
    help='auto (CTranslate2 when installed, the "fast" extra: pip install -e ".[fast]"; else transformers), ctranslate2 or transformers.',
)
ComputeTypeOption = typer.Option(
    None, "--compute-type", help="ctranslate2: int8 (default), int16 or float32; transformers: float32."
)
BeamsOption = typer.Option(4, "--beams", min=1, help="Beam size.")
BatchSizeOption = typer.Option(32, "--batch-size", min=1, help="Most sentences decoded together.")
BatchTokensOption = typer.Option(None, "--batch-tokens", min=1, help=f"Most padded source tokens in a batch (default {BATCH_TOKENS}); peak memory grows with it.")
DeviceOption = typer.Option("auto", "--device", help="auto (CUDA when present), cpu, cuda, cuda:N.")
ThreadsOption = typer.Option(None, "--threads", min=1, help="CPU threads (default: all cores).")


def build_translator(
    model, *, glossary, no_glossary: bool, quiet: bool, use_memory: bool,
    engine, compute_type, device, beams, batch_size, batch_tokens, threads,
):
    """The Translator of `translate` and `batch`: engine settings in one EngineOptions, the
    translation memory unless turned off, and the engine line on stderr unless quiet."""
    from ..engines.options import EngineOptions
    from ..pipeline.translator import Translator

    memory = None
    if use_memory:
        from ..jobs.translation_memory import TranslationMemory

        memory = TranslationMemory()
    options = EngineOptions.build(
        model, engine=engine, compute_type=compute_type, device=device, beams=beams,
        batch_size=batch_size, batch_tokens=batch_tokens, threads=threads,
    )
    translator = Translator(glossary=pick_glossary(glossary, no_glossary, quiet), options=options, memory=memory)
    if not quiet:
        translator.announce = err
    return translator


def pick_glossary(glossary: Optional[List[Path]], no_glossary: bool, quiet: bool = False):
    from ..pipeline.translator import resolve_glossary

    if no_glossary and glossary:
        raise TarjamaError("--glossary and --no-glossary exclude each other")
    g = resolve_glossary(None if no_glossary else (glossary or "default"))
    if not no_glossary and not glossary:
        legacy_note()
    if not quiet:
        for line in g.overrides:
            err(f"note: {line}")
    return g


_legacy_told = False


def legacy_note() -> None:
    """Entries a user added where tarjama once wrote them (inside the shipped glossary) keep
    loading; say so once, with where they belong now."""
    global _legacy_told
    from ..glossary.model import legacy_files, user_glossary_dir

    files = legacy_files()
    if files and not _legacy_told:
        _legacy_told = True
        err(
            f"note: loading your entries from the old place {', '.join(map(str, files))};"
            f" move them to {user_glossary_dir()} to keep them across upgrades"
        )


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
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TimeRemainingColumn,
        )

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


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """A plain table: numbers aligned right, text left."""

    def numeric(cell) -> bool:
        return str(cell).replace(".", "", 1).replace("-", "", 1).split(" ")[0].isdigit()

    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = [header, ["-" * w for w in widths], *rows]
    return "\n".join(
        "  ".join(
            str(c).rjust(w) if numeric(c) and line is not header else str(c).ljust(w)
            for c, w in zip(line, widths)
        ).rstrip()
        for line in lines
    )