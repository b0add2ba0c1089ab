"""`tarjama batch` and `tarjama cache`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from .common import (
    BatchSizeOption,
    BatchTokensOption,
    BeamsOption,
    ComputeTypeOption,
    DeviceOption,
    EngineOption,
    GlossaryOption,
    ModelOption,
    NoGlossaryOption,
    ThreadsOption,
    build_translator,
    dump_json,
    emit,
    examples,
    err,
    format_table,
    handle_errors,
    plural,
)

app = typer.Typer()
cache_app = typer.Typer(help="The translation memory shared by batch runs.", no_args_is_help=True)


class BatchBar:
    """Files and sentences done, throughput and ETA, on stderr at a terminal."""

    def __init__(self, enabled: bool, files: int):
        self.enabled = enabled and sys.stderr.isatty()
        self.files = files
        self.done_files = 0
        self.progress = None
        self.stream = None  # where to draw, when not sys.stderr (Ray sends its own output elsewhere)

    def start(self, total: int) -> None:
        if not self.enabled or total == 0:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            "Translating",
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("sentences · {task.fields[files]} files ·"),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=Console(file=self.stream, force_terminal=True) if self.stream else Console(stderr=True),
            transient=True,
        )
        self.progress.start()
        self.task = self.progress.add_task("batch", total=total, files=f"0/{self.files}", rate="")

    def advance(self, n: int) -> None:
        if self.progress is not None:
            self.progress.advance(self.task, n)
            speed = self.progress.tasks[0].speed
            self.progress.update(self.task, rate=f"{speed:.1f} sentences/s" if speed else "")

    def file_done(self, job) -> None:
        self.done_files += 1
        if self.progress is not None:
            self.progress.update(self.task, files=f"{self.done_files}/{self.files}")

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


@app.command(epilog=examples(
    "tarjama batch articles/ english/ --dry-run",
    "tarjama batch articles/ english/ --glob '2024/*.md' --json",
))
@handle_errors
def batch(
    in_dir: Path = typer.Argument(..., help="Folder of Arabic documents (.txt, .md, .html), walked recursively."),
    out_dir: Path = typer.Argument(..., help="Where translations go, at the same relative paths and names."),
    glob: str = typer.Option("*", "--glob", help="Only paths (relative to IN_DIR) matching this pattern, e.g. '2024/*.md'."),
    model: Optional[str] = ModelOption,
    glossary: Optional[List[Path]] = GlossaryOption,
    no_glossary: bool = NoGlossaryOption,
    engine: str = EngineOption,
    compute_type: Optional[str] = ComputeTypeOption,
    beams: int = BeamsOption,
    batch_size: int = BatchSizeOption,
    batch_tokens: Optional[int] = BatchTokensOption,
    device: str = DeviceOption,
    threads: Optional[int] = ThreadsOption,
    force: bool = typer.Option(False, "--force", help="Translate every file again."),
    allow_arabic: bool = typer.Option(
        False, "--allow-arabic", help="Write a document even where its check finds Arabic left (noted in the report)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would be translated and why; load no model."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write the JSON report to this file ('-': stdout)."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON report on stdout instead of the table."),
    no_cache: bool = typer.Option(False, "--no-memory", "--no-cache", help="Do not use the translation memory."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary on stderr (failures are still reported)."),
    use_ray: bool = typer.Option(False, "--ray", help='Translate on Ray (the "ray" extra: pip install -e ".[ray]"); a local runtime unless --ray-address.'),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="Join a cluster: auto, or ray://HOST:PORT (implies --ray)."),
    workers: Optional[int] = typer.Option(None, "--ray-workers", min=1, help="Ray actors (default: as many as the cluster's CPUs allow)."),
    workers_alias: Optional[int] = typer.Option(None, "--workers", min=1, hidden=True),  # the older name of --ray-workers
    cpus_per_worker: Optional[float] = typer.Option(
        None, "--cpus-per-worker", min=0.1, help="CPUs (and threads) per Ray actor (default: --threads, or this machine's cores)."
    ),
    gpus_per_worker: float = typer.Option(0, "--gpus-per-worker", min=0, help="GPUs per Ray actor."),
):
    """Translate a folder of documents, incrementally: unchanged files are skipped.

    Exit code 0 when every file succeeded, 1 when some failed (see the summary), 2 on bad input.
    """
    from ..jobs import batch as batching

    if workers_alias is not None:
        err("note: --workers is now --ray-workers (--workers of `tarjama serve` counts server processes)")
        workers = workers if workers is not None else workers_alias

    translator = build_translator(
        model, glossary=glossary, no_glossary=no_glossary, quiet=quiet, use_memory=not no_cache and not dry_run,
        engine=engine, compute_type=compute_type, device=device, beams=beams,
        batch_size=batch_size, batch_tokens=batch_tokens, threads=threads,
    )
    memory, options = translator.memory, translator.options
    check_report_path(report)
    jobs = batching.plan(in_dir, out_dir, translator, glob, force)
    if dry_run:
        todo = sum(j.todo for j in jobs)
        result = batching.BatchReport(jobs)
        if as_json:
            typer.echo(dump_json(result.as_dict()), nl=False)
        else:
            rows = [[j.status, j.rel, j.reason or j.error] for j in jobs]
            typer.echo(format_table(["status", "file", "why"], rows) if rows else "no files")
        write_report(report, result, as_json)
        err(f"{todo} of {plural(len(jobs), 'file')} would be translated")
        raise typer.Exit(1 if any(j.status == "failed" for j in jobs) else 0)
    bar = BatchBar(not quiet, sum(j.todo for j in jobs))
    try:
        if use_ray or ray_address:
            from ..jobs import ray_batch

            if not quiet:
                err(f"engine: {options.resolved()[0].engine} on the Ray workers ({options.resolved()[1]})")
            config = {
                "glossary": translator.glossary,
                "memory": str(memory.path) if memory is not None else None,
                "allow_arabic": allow_arabic,
                # Resolved here: every worker runs the engine the driver's settings name.
                "options": options.resolved()[0],
            }
            result = ray_batch.run(
                jobs,
                out_dir,
                config,
                translator.settings,
                address=ray_address,
                workers=workers,
                cpus_per_worker=cpus_per_worker,
                gpus_per_worker=gpus_per_worker,
                progress=bar,
                on_file=bar.file_done,
            )
        else:
            result = batching.run(jobs, out_dir, translator, progress=bar, on_file=bar.file_done, allow_arabic=allow_arabic)
    finally:
        bar.close()
        if memory is not None:
            memory.close()
    summary = result.summary()
    # The report is the result (stdout with --json); the table and notes are a summary (stderr).
    if as_json:
        typer.echo(dump_json(result.as_dict()), nl=False)
    write_report(report, result, as_json)
    if not quiet:
        print_summary(summary)
    for job in jobs:
        if job.status == "failed":
            err(f"failed: {job.error}")
        elif job.status in ("unsupported", "skipped"):
            err(f"{job.status}: {job.rel} ({job.reason})")
        elif job.status == "no-arabic" and not quiet:
            err(f"note: {job.rel}: no Arabic text; written with nothing translated, not counted as translated")
        if job.status in ("translated", "no-arabic"):
            for note in job.notes:
                if note.startswith("Arabic left"):
                    err(f"note: {job.rel}: {note}")
    raise typer.Exit(1 if summary["failed"] else 0)


def print_summary(summary: dict) -> None:
    rows = [
        ["translated", str(summary["translated"])],
        ["unchanged (skipped)", str(summary["unchanged"])],
        ["failed", str(summary["failed"])],
        ["unsupported (skipped)", str(summary["unsupported"])],
        ["unsafe or symlinked (skipped)", str(summary["skipped"])],
    ]
    if summary["no_arabic"]:  # a line of its own, never among the translated
        rows.insert(1, ["no Arabic text (nothing translated)", str(summary["no_arabic"])])
    err(format_table(["", "files"], rows))
    err(
        f"{plural(summary['sentences'], 'sentence')} ({summary['cached_sentences']} from the translation memory), "
        f"{plural(summary['terms_applied'], 'glossary term')} applied, {summary['terms_unresolved']} unresolved, "
        f"{summary['seconds']} s"
    )


def check_report_path(report: Optional[Path]) -> None:
    """Refuse a report path that cannot be written before the batch runs, not after."""
    from ..files import resolve_link
    from ..errors import InputError

    if report is None or str(report) == "-":
        return
    target = resolve_link(report)
    if target.is_dir():
        raise InputError(f"--report {report} is a directory; give a file name")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"--report {report}: folder {folder} does not exist")


def write_report(report: Optional[Path], result, printed: bool = False) -> None:
    if report is not None and not (printed and str(report) == "-"):  # --json --report -: once
        emit(dump_json(result.as_dict()), report)


@cache_app.command("stats")
@handle_errors
def cache_stats(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Where the translation memory is, and how much it holds."""
    from ..jobs.translation_memory import TranslationMemory

    memory = TranslationMemory()
    stats = memory.stats()
    memory.close()
    if as_json:
        typer.echo(dump_json(stats), nl=False)
    else:
        typer.echo(f"{plural(stats['sentences'], 'sentence')}, {stats['bytes'] / 1e6:.1f} MB in {stats['path']}")


@cache_app.command("clear")
@handle_errors
def cache_clear():
    """Empty the translation memory (a corrupt one is deleted)."""
    from ..jobs.translation_memory import TranslationMemory, TranslationMemoryError, default_path, delete_memory

    try:
        memory = TranslationMemory()
    except TranslationMemoryError as e:
        if "not a usable" not in e.message:
            raise
        delete_memory(default_path())
        typer.echo(f"deleted the unusable translation memory {default_path()}")
        return
    n = memory.clear()
    memory.close()
    typer.echo(f"removed {plural(n, 'sentence')} from {memory.path}")
