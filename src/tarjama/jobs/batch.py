"""Translating folders: plan what needs doing, translate in shared batches, write safely.

``OUT_DIR/.tarjama-manifest.sqlite3`` records, per file, the hash of its source, the
engine settings, and the glossary entries found in it (with a digest of each). A file is
translated again only when one of these changed: its text, the model or options, or an
entry it contains (added, changed or removed). Outputs are written atomically and the
manifest is updated after each file, so a run killed at any moment resumes where it was;
with the translation memory, nothing already translated goes to the model twice.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
import sqlite3
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..files import write_atomic
from ..errors import InputError, TarjamaError
from ..formats import DocumentError, Extracted, extract, format_for, output_name, supported_suffixes
from ..documents import translate_documents
from .translation_memory import entry_digest
from ..text.segment import sentence_spans
from ..pipeline.translator import Translator

MANIFEST = ".tarjama-manifest.sqlite3"
# Files translated together share batches; this many sentences make a group. Groups are
# also the unit of work on Ray: both paths then form the same engine batches, so their
# outputs are the same bytes. 256 sentences fill 8 batches of 32.
GROUP_SENTENCES = 256


class Manifest:
    """What was translated, from what, with what: one row per output file."""

    def __init__(self, out_dir: Path, create: bool = True):
        self.path = out_dir / MANIFEST
        try:
            if not create and not self.path.exists():
                self.db = sqlite3.connect(":memory:")
            else:
                self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, source_sha TEXT, settings TEXT,"
                " terms TEXT, sentences INTEGER, updated REAL)"
            )
            self.db.execute("SELECT source_sha, settings, terms FROM files LIMIT 1").fetchall()
        except sqlite3.Error as e:
            raise self.error(e) from None

    def error(self, e: Exception) -> TarjamaError:
        if isinstance(e, sqlite3.DatabaseError) and not isinstance(e, sqlite3.OperationalError) or "no such column" in str(e):
            return InputError(
                f"{self.path}: not a usable tarjama manifest ({e}); move it away (or delete it:"
                " every file is then translated again)"
            )
        return InputError(f"{self.path}: cannot use the manifest: {e}")

    def get(self, rel: str) -> dict | None:
        try:
            row = self.db.execute("SELECT source_sha, settings, terms FROM files WHERE path = ?", (rel,)).fetchone()
            if row is None:
                return None
            return {"source_sha": row[0], "settings": row[1], "terms": json.loads(row[2])}
        except (sqlite3.Error, ValueError, TypeError) as e:
            raise self.error(e) from None

    def record(self, rel: str, source_sha: str, settings: str, terms: dict, sentences: int) -> None:
        try:
            with self.db:
                self.db.execute(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                    (rel, source_sha, settings, json.dumps(terms, ensure_ascii=False, sort_keys=True), sentences, time.time()),
                )
        except sqlite3.Error as e:  # a full disk, a folder made read-only during the run
            raise self.error(e) from None

    def close(self) -> None:
        self.db.close()


@dataclass
class FileJob:
    rel: str  # path relative to IN_DIR, with '/'
    source: Path
    output: Path
    status: str  # new | changed | settings | glossary | forced | unchanged | unsupported | skipped | failed | no-arabic
    reason: str = ""
    data: bytes | None = None
    sha: str = ""
    terms: dict = field(default_factory=dict)
    kind: str | None = None  # the format's name
    extracted: Extracted | None = None
    units: int = 0  # translatable units found in the document
    units_translated: int = 0  # and translated (verified): a file is done only when all are
    notes: list[str] = field(default_factory=list)  # e.g. the encoding assumed
    sentences: int = 0
    sentences_planned: int = 0
    cached: int = 0
    applied: int = 0
    unresolved: int = 0
    error: str = ""

    @property
    def todo(self) -> bool:
        return self.status in ("new", "changed", "settings", "glossary", "forced")

    def as_dict(self) -> dict:
        d = {"path": self.rel, "status": self.status}
        for key in ("reason", "error"):
            if getattr(self, key):
                d[key] = getattr(self, key)
        if self.kind:
            d["format"] = self.kind
        if self.notes:
            d["notes"] = list(self.notes)
        if self.todo or self.status in ("translated", "no-arabic") or (self.status == "failed" and self.units):
            d.update(units=self.units, units_translated=self.units_translated)
        if self.todo or self.status == "translated":
            d.update(sentences=self.sentences, cached=self.cached, applied=self.applied, unresolved=self.unresolved)
        return d


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def check_folders(in_dir: Path, out_dir: Path, glob: str) -> None:
    if in_dir.exists() and not in_dir.is_dir():
        raise InputError(f"{in_dir} is a file; `tarjama batch` translates folders (for one file: tarjama translate {in_dir})")
    if not in_dir.is_dir():
        raise InputError(f"{in_dir}: no such folder")
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir} exists and is not a folder")
    src, dst = in_dir.resolve(), out_dir.resolve()
    if src == dst:
        raise InputError("the output folder must not be the input folder")
    if _inside(dst, src):
        rel = dst.relative_to(src).as_posix()
        probes = [f"{rel}/x.txt", f"{rel}/a/x.md", f"{rel}/x.html"]
        if any(fnmatch.fnmatch(p, glob) for p in probes):
            raise InputError(
                f"the output folder {out_dir} is inside the input folder and --glob {glob!r} would see its files;"
                " choose another output folder or a --glob that excludes it"
            )
    if _inside(src, dst):
        raise InputError(f"the input folder {in_dir} is inside the output folder {out_dir}")


def walk(in_dir: Path, out_dir: Path, glob: str) -> Iterable[FileJob]:
    """Every file under ``in_dir`` matching ``glob``, in a stable order, never leaving it."""
    src, dst = in_dir.resolve(), out_dir.resolve()
    outputs: dict[str, str] = {}  # output path → the input it is written for
    for folder, dirs, files in os.walk(in_dir):
        dirs.sort()
        here = Path(folder)
        if _inside(here.resolve(), dst):
            dirs[:] = []
            continue
        for name in sorted(files) + sorted(d for d in dirs if (here / d).is_symlink()):
            path = here / name
            rel = path.relative_to(in_dir).as_posix()
            if not fnmatch.fnmatch(rel, glob) or name == MANIFEST:
                continue
            # A PDF or a scan is written as another kind of document: report.pdf → report.docx.
            output = out_dir / output_name(rel) if format_for(name) is not None else out_dir / rel
            job = FileJob(rel, path, output, "new")
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except RuntimeError:  # Python < 3.13 raises this for a loop
                    target = None
                except OSError:  # a loop (3.13+), or a link to nothing
                    target = None
                if target is None:
                    job.status, job.reason = "skipped", "broken symbolic link, or a loop of them"
                elif not _inside(target, src):
                    job.status, job.reason = "skipped", "symbolic link to outside the input folder"
                elif target.is_dir():
                    job.status, job.reason = "skipped", "symbolic link to a folder"
            elif path.is_dir():
                continue
            if job.status == "new" and not _is_regular(path):
                # A FIFO or a device would block the read forever (or never end).
                job.status, job.reason = "skipped", "not a regular file (a pipe, socket or device)"
            if job.status == "new" and not _inside(output.parent.resolve(), dst):
                job.status, job.reason = "skipped", "its output would fall outside the output folder"
            if job.status == "new" and format_for(name) is None:
                job.status, job.reason = "unsupported", "not " + ", ".join(supported_suffixes())
            if job.status == "new":
                other = outputs.setdefault(output.as_posix(), rel)
                if other != rel:
                    job.status, job.reason = "skipped", f"its output {output.name} is already the translation of {other}"
            yield job


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def remove_stale_temporaries(jobs: list[FileJob]) -> None:
    """Remove the temporary files a run killed while writing left next to its outputs
    (``.NAME.xxxxxxxx.tmp``, from :func:`~tarjama.files.write_atomic`)."""
    by_folder: dict[Path, set[str]] = {}
    for job in jobs:
        by_folder.setdefault(job.output.parent, set()).add(job.output.name)
    for folder, names in by_folder.items():
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            m = _TEMPORARY.match(entry.name)
            if m and m.group(1) in names and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass


_TEMPORARY = re.compile(r"^\.(.+)\.[A-Za-z0-9_]{8}\.tmp$")


def plan(in_dir: Path, out_dir: Path, translator: Translator, glob: str = "*", force: bool = False) -> list[FileJob]:
    """Decide, file by file, what must be translated and why, without loading the model."""
    check_folders(in_dir, out_dir, glob)
    manifest = Manifest(out_dir, create=False)
    settings = translator.settings
    jobs = []
    for job in walk(in_dir, out_dir, glob):
        jobs.append(job)
        if job.status != "new":
            continue
        try:
            data = job.source.read_bytes()
        except OSError as e:
            job.status, job.error = "failed", f"{job.rel}: cannot read: {e.strerror or e}"
            continue
        job.kind = format_for(job.rel).name
        try:
            job.extracted = extract(data, job.rel)
        except (DocumentError, InputError) as e:
            message = e.message if e.message.startswith(job.rel) else f"{job.rel}: {e.message}"
            job.status, job.error = "failed", message
            continue
        job.data = data
        job.notes = list(job.extracted.notes)
        job.units = len(job.extracted.units)
        job.sha = hashlib.sha256(data).hexdigest()
        job.sentences_planned = sum(len(sentence_spans(u.text)) for u in job.extracted.units)
        job.terms = {
            m.entry.source: entry_digest(m.entry) for unit in job.extracted.units for m in translator.matcher.find(unit.text)
        }
        previous = manifest.get(job.rel)
        if force:
            job.status, job.reason = "forced", "--force"
        elif previous is None or not job.output.exists():
            job.status, job.reason = "new", "not translated yet" if previous is None else "output missing"
        elif previous["source_sha"] != job.sha:
            job.status, job.reason = "changed", "source changed"
        elif previous["settings"] != settings:
            job.status, job.reason = "settings", "model or options changed"
        elif previous["terms"] != job.terms:
            old = previous["terms"]
            changed = sorted(k for k in set(old) | set(job.terms) if old.get(k) != job.terms.get(k))
            job.status, job.reason = "glossary", "glossary changed for: " + ", ".join(changed)
        else:
            job.status, job.reason = "unchanged", ""
    manifest.close()
    return jobs


@dataclass
class BatchReport:
    jobs: list[FileJob]
    seconds: float = 0.0

    def count(self, *statuses: str) -> int:
        return sum(j.status in statuses for j in self.jobs)

    def summary(self) -> dict:
        done = [j for j in self.jobs if j.status == "translated"]
        return {
            "translated": len(done),
            "unchanged": self.count("unchanged"),
            "failed": self.count("failed"),
            "no_arabic": self.count("no-arabic"),
            "unsupported": self.count("unsupported"),
            "skipped": self.count("skipped"),
            "sentences": sum(j.sentences for j in done),
            "cached_sentences": sum(j.cached for j in done),
            "terms_applied": sum(j.applied for j in done),
            "terms_unresolved": sum(j.unresolved for j in done),
            "seconds": round(self.seconds, 2),
        }

    def as_dict(self) -> dict:
        return {"summary": self.summary(), "files": [j.as_dict() for j in self.jobs]}


def groups(jobs: list[FileJob]) -> list[list[FileJob]]:
    """Files in order, cut into groups of about GROUP_SENTENCES sentences."""
    out: list[list[FileJob]] = []
    current: list[FileJob] = []
    size = 0
    for job in jobs:
        current.append(job)
        size += job.sentences_planned
        if size >= GROUP_SENTENCES:
            out.append(current)
            current, size = [], 0
    if current:
        out.append(current)
    return out


@dataclass
class Translated:
    """One document's translation, as a worker hands it back."""

    rel: str
    data: bytes | None
    units: int = 0
    units_translated: int = 0
    sentences: int = 0
    cached: int = 0
    applied: int = 0
    unresolved: int = 0
    error: str = ""
    notes: list[str] = field(default_factory=list)
    no_arabic: bool = False  # nothing to translate: written as the format rebuilt it, counted apart


def translate_group(
    documents: list[tuple[str, bytes]],
    translator: Translator,
    progress=None,
    read: list | None = None,
    allow_arabic: bool = False,
) -> list[Translated]:
    """Translate documents given as (path, bytes), each through its format, verified and
    audited: the work of one group, the same on this machine and on a Ray worker. ``read``:
    the documents as the plan extracted them, where it did (not read twice)."""
    out = []
    for done in translate_documents(translator, documents, progress, read=read, allow_arabic=allow_arabic):
        result = done.result
        out.append(
            Translated(
                done.name,
                done.data,
                units=done.units,
                units_translated=done.translated,
                sentences=sum(s.method == "translated" for s in result.sentences) if result else 0,
                cached=sum(s.from_memory for s in result.sentences) if result else 0,
                applied=result.applied if result else 0,
                unresolved=result.unresolved if result else 0,
                error=done.error,
                notes=list(done.notes),
                no_arabic=done.no_arabic,
            )
        )
    return out


def record(job: FileJob, done: Translated, manifest: Manifest, settings: str) -> None:
    """Write one document atomically, then mark it done in the manifest."""
    job.units, job.units_translated = done.units or job.units, done.units_translated
    if done.notes:
        job.notes = list(done.notes)
    if done.data is None:
        job.status, job.error = "failed", done.error
    else:
        try:
            job.output.parent.mkdir(parents=True, exist_ok=True)
            if not _inside(job.output.parent.resolve(), manifest.path.parent.resolve()):
                raise InputError(f"{job.rel}: its output would fall outside the output folder")
            write_atomic(job.output, done.data)
        except (TarjamaError, OSError) as e:
            job.status, job.error = "failed", getattr(e, "message", None) or f"{job.rel}: {e}"
        else:
            job.status = "no-arabic" if done.no_arabic else "translated"
            job.sentences, job.cached = done.sentences, done.cached
            job.applied, job.unresolved = done.applied, done.unresolved
            manifest.record(job.rel, job.sha, settings, job.terms, job.sentences)
    job.data = job.extracted = None  # free the memory of a large run


def run(
    jobs: list[FileJob],
    out_dir: Path,
    translator: Translator,
    progress=None,
    on_file: Callable[[FileJob], None] | None = None,
    allow_arabic: bool = False,
) -> BatchReport:
    """Translate the jobs that need it, a group of files at a time, on this machine."""
    started = time.time()
    todo = [j for j in jobs if j.todo]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{out_dir}: cannot create the output folder: {e.strerror or e}") from None
    remove_stale_temporaries(jobs)
    manifest = Manifest(out_dir)
    settings = translator.settings
    if progress:
        progress.start(sum(j.sentences_planned for j in todo))
    try:
        for group in groups(todo):
            documents = [(j.rel, j.data) for j in group]
            read = [j.extracted for j in group]
            offset = _Offset(progress) if progress else None
            for job, done in zip(group, translate_group(documents, translator, offset, read, allow_arabic)):
                record(job, done, manifest, settings)
                if on_file:
                    on_file(job)
    finally:
        manifest.close()
    return BatchReport(jobs, time.time() - started)


class _Offset:
    """Progress of one group, added to the progress of the whole run."""

    def __init__(self, sink):
        self.sink = sink

    def start(self, total: int) -> None:
        pass

    def advance(self, n: int) -> None:
        self.sink.advance(n)
