"""Safe edits of glossary files kept by hand.

An edit reads the file under an exclusive lock, changes only the lines it must (comments,
column order and entry order stay as they were, so the diff is reviewable), checks that
the result is still a valid glossary, and replaces the file atomically. Two people adding
at once both get their entry; a crash leaves the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator, Sequence

from ..text.arabic import has_arabic, normalize
from ..document import write_atomic
from .model import KNOWN_COLUMNS, Entry, Glossary, GlossaryError, parse_tsv

DEFAULT_HEADER = list(KNOWN_COLUMNS)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock for read-modify-write of ``path`` (a sidecar file: the glossary
    itself is replaced on every write, so it cannot carry the lock)."""
    if not path.parent.is_dir():
        raise GlossaryError(f"{path}: folder {path.parent} does not exist")
    # Lock the file the write lands on: a symlinked glossary shares the lock of its target.
    path = Path(os.path.realpath(path))
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise GlossaryError(f"{path}: cannot lock for writing: {e.strerror or e}") from None
    try:
        try:
            import fcntl
        except ImportError:  # Windows: msvcrt locks a byte range instead
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def validate_entry(entry: Entry) -> None:
    """What a new or edited entry must satisfy before it is written."""
    if not entry.source.strip():
        raise GlossaryError("the source is empty")
    if not has_arabic(entry.source):
        raise GlossaryError(f"source {entry.source!r} has no Arabic letters")
    if not entry.target.strip():
        raise GlossaryError(f"the target for {entry.source!r} is empty")
    for v in entry.variants:
        if not has_arabic(v):
            raise GlossaryError(f"variant {v!r} has no Arabic letters")
    for field_name in ("source", "target", "note"):
        value = getattr(entry, field_name)
        if "\t" in value or "\n" in value:
            raise GlossaryError(f"the {field_name} may not contain a tab or a line break")
    for value in (*entry.variants, *entry.forbidden):
        if "\t" in value or "\n" in value or "|" in value:
            raise GlossaryError(f"{value!r} may not contain a tab, a line break or '|'")


@dataclass
class GlossaryFile:
    """The lines of one TSV glossary, edited in place."""

    path: Path
    lines: list[str]
    header: list[str]
    final_newline: bool = True

    @classmethod
    def read(cls, path: str | os.PathLike) -> "GlossaryFile":
        path = Path(path)
        if not path.exists():
            return cls(path, ["\t".join(DEFAULT_HEADER)], list(DEFAULT_HEADER))
        from .model import read_tsv

        read_tsv(path)  # refuse to edit a file that is already broken
        text = path.read_bytes().decode("utf-8").lstrip("\ufeff")
        if "\r" in text and "\n" not in text:  # edits work on lines; refuse rather than mangle
            raise GlossaryError(f"{path} has CR-only line endings; convert it first, e.g. tr '\\r' '\\n'")
        lines = text.split("\n")
        final_newline = text.endswith("\n")
        if final_newline:
            lines.pop()
        for line in lines:
            if line.strip() and not line.lstrip().startswith("#"):
                header = [c.strip().lower() for c in line.rstrip("\r").split("\t")]
                break
        else:  # pragma: no cover - read_tsv has refused a file without a header
            header = list(DEFAULT_HEADER)
        return cls(path, lines, header, final_newline)

    def text(self) -> str:
        return "\n".join(self.lines) + ("\n" if self.final_newline else "")

    def entries(self) -> list[Entry]:
        return parse_tsv(self.text(), str(self.path))

    def line_of(self, source: str) -> int | None:
        """Index in ``lines`` of the entry whose source or variant is ``source``."""
        key = normalize(source)
        for e in self.entries():
            if any(normalize(f) == key for f in e.forms):
                return e.line - 1
        return None

    def format(self, entry: Entry, base: str | None = None) -> str:
        """The entry as a line in this file's column order; unknown columns of ``base`` kept."""
        old = base.rstrip("\r").split("\t") if base is not None else []
        values = {
            "source": entry.source,
            "target": entry.target,
            "variants": "|".join(entry.variants),
            "forbidden": "|".join(entry.forbidden),
            "note": entry.note,
        }
        cells = [values.get(col, old[i] if i < len(old) else "") for i, col in enumerate(self.header)]
        missing = [k for k in ("variants", "forbidden", "note") if values[k] and k not in self.header]
        if missing:
            raise GlossaryError(f"{self.path} has no column {missing[0]!r} for this value; add it to the header")
        while cells and not cells[-1]:
            cells.pop()
        line = "\t".join(cells)
        if line.lstrip().startswith("#"):  # the loader would read a comment: the entry would not exist
            raise GlossaryError(f"{cells[0]!r} starts with '#', which makes its line a comment; remove the '#'")
        return line

    def append(self, entry: Entry) -> None:
        self.lines.append(self.format(entry))

    def set_line(self, index: int, entry: Entry) -> None:
        self.lines[index] = self.format(entry, self.lines[index])

    def delete_line(self, index: int) -> None:
        del self.lines[index]

    def save(self) -> None:
        self.entries()  # the result must be a valid glossary, or nothing is written
        write_atomic(self.path, self.text())


def add_entry(path: Path, entry: Entry, glossary: Glossary, replace_existing: bool = False) -> tuple[Entry, Entry | None]:
    """Add ``entry`` to ``path``; an entry with the same normalized source or variant
    anywhere in ``glossary`` (or in ``path``) is refused unless ``replace_existing``, in which
    case it is replaced where it stands. Returns (written entry, replaced entry)."""
    validate_entry(entry)
    for form in entry.forms:
        existing = glossary.lookup(form)
        if existing is not None and existing.file and Path(existing.file).resolve() != path.resolve():
            if not replace_existing:
                raise GlossaryError(_exists(existing))
            return update_entry(Path(existing.file), existing.source, lambda _: entry), existing
    with locked(path):
        gf = GlossaryFile.read(path)
        clashes = sorted({i for form in entry.forms if (i := gf.line_of(form)) is not None})
        if clashes and not replace_existing:
            old = next(e for e in gf.entries() if e.line - 1 == clashes[0])
            raise GlossaryError(_exists(old))
        if clashes:
            old = next(e for e in gf.entries() if e.line - 1 == clashes[0])
            gf.set_line(clashes[0], entry)
            for i in reversed(clashes[1:]):
                gf.delete_line(i)
            gf.save()
            return entry, old
        gf.append(entry)
        gf.save()
        return entry, None


def _edit(path: Path, source: str, edit) -> Entry:
    """Under the file's lock: find the entry for ``source``, let ``edit(file, line, old)``
    change it, save; return what ``edit`` returns."""
    with locked(path):
        gf = GlossaryFile.read(path)
        index = gf.line_of(source)
        if index is None:
            raise GlossaryError(f"no entry for {source!r} in {path}")
        old = next(e for e in gf.entries() if e.line - 1 == index)
        result = edit(gf, index, old)
        gf.save()
        return result


def update_entry(path: Path, source: str, change) -> Entry:
    """Rewrite the entry for ``source`` in ``path`` as ``change(old_entry)``; return the new one."""

    def edit(gf: GlossaryFile, index: int, old: Entry) -> Entry:
        new = change(old)
        validate_entry(new)
        gf.set_line(index, new)
        return new

    return _edit(path, source, edit)


def remove_entry(path: Path, source: str) -> Entry:
    """Delete the entry for ``source`` from ``path``; return it."""

    def edit(gf: GlossaryFile, index: int, old: Entry) -> Entry:
        # Every line of that source goes: a term listed twice must not survive its removal.
        key = normalize(old.source)
        for e in sorted(gf.entries(), key=lambda e: -e.line):
            if normalize(e.source) == key:
                gf.delete_line(e.line - 1)
        return old

    return _edit(path, source, edit)


def set_fields(
    path: Path,
    source: str,
    *,
    target: str | None = None,
    variants: Sequence[str] | None = None,
    forbidden: Sequence[str] | None = None,
    note: str | None = None,
) -> Entry:
    def change(old: Entry) -> Entry:
        return replace(
            old,
            target=old.target if target is None else target,
            variants=old.variants if variants is None else tuple(variants),
            forbidden=old.forbidden if forbidden is None else tuple(forbidden),
            note=old.note if note is None else note,
        )

    return update_entry(path, source, change)


def _exists(entry: Entry) -> str:
    return (
        f"{entry.source!r} already exists ({entry.origin}: {entry.source} → {entry.target});"
        " use --replace to replace it, or `tarjama glossary set` to edit it"
    )


def import_entries(path: Path, entries: Sequence[Entry], glossary: Glossary, replace_existing: bool = False) -> tuple[int, int, int]:
    """Merge ``entries`` into ``path`` in one atomic write: (added, replaced, unchanged).

    An entry already present with the same content is left alone; one with another target
    is refused (and with it the whole import) unless ``replace_existing``.
    """
    for e in entries:
        validate_entry(e)
    with locked(path):
        gf = GlossaryFile.read(path)
        # normalized form -> (line index in this file, entry)
        here = {normalize(f): (e.line - 1, e) for e in gf.entries() for f in e.forms}
        added = replaced = unchanged = 0
        for entry in entries:
            local = next((here[normalize(f)] for f in entry.forms if normalize(f) in here), None)
            other = local[1] if local else next((o for f in entry.forms if (o := glossary.lookup(f)) is not None), None)
            if other is not None and local is None and other.file and Path(other.file).resolve() == path.resolve():
                other = None  # an entry of this file that an earlier import line replaced
            if other is None:
                gf.append(entry)
                here.update({normalize(f): (len(gf.lines) - 1, entry) for f in entry.forms})
                added += 1
            elif (other.target, other.variants, other.forbidden, other.note) == (entry.target, entry.variants, entry.forbidden, entry.note):
                unchanged += 1
            elif not replace_existing:
                raise GlossaryError(_exists(other) + f" (importing {entry.origin})")
            elif local is None:
                raise GlossaryError(f"{entry.source!r} is defined in {other.origin}; import into that file to replace it")
            else:
                gf.set_line(local[0], entry)
                here.update({normalize(f): (local[0], entry) for f in entry.forms})
                replaced += 1
        gf.save()
        return added, replaced, unchanged
