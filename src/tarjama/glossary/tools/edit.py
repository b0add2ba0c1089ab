"""Safe edits of glossary files kept by hand.

An edit reads the file under an exclusive lock, changes only the lines it must (comments,
column order and entry order stay as they were, so the diff is reviewable), checks that
the result is still a valid glossary, and replaces the file atomically. Two people adding
at once both get their entry; a crash leaves the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Sequence

from ...text.arabic import has_arabic, normalize
from ...files import write_atomic
from ..model import (
    KNOWN_COLUMNS, Entry, Glossary, GlossaryError, is_shipped, parse_context, parse_rules, parse_tsv, refuse_shipped,
)

# A new file gets the classic five columns; ``alternatives`` is added when an entry needs it.
DEFAULT_HEADER = [c for c in KNOWN_COLUMNS if c != "alternatives"]


LOCK_NAME = ".glossary.lock"


@contextlib.contextmanager
def locked(path: Path, glossary: Glossary | None = None) -> Iterator[None]:
    """An exclusive lock for a read-modify-write of ``path``.

    The lock is the folder's, not the file's: "is this term already defined?" asks every
    file of the folder, so the check and the write must be one critical section for all of
    them (two writers adding the same term to a.tsv and b.tsv must not both succeed). The
    folders ``glossary`` was loaded from are locked too, always in the same order.
    """
    if not path.parent.is_dir():
        raise GlossaryError(f"{path}: folder {path.parent} does not exist")
    refuse_shipped(path)
    # The folder the write lands on: a symlinked glossary shares the lock of its target's.
    folders = {Path(os.path.realpath(path)).parent}
    for source in (glossary.sources if glossary is not None else ()):
        p = Path(source)
        # The shipped base is never written: no lock file goes into the installed package.
        if p.exists() and not is_shipped(p if p.is_dir() else p.parent):
            folders.add((p if p.is_dir() else p.parent).resolve())
    with contextlib.ExitStack() as stack:
        for folder in sorted(folders):
            stack.enter_context(_flock(folder / LOCK_NAME, path))
        yield


@contextlib.contextmanager
def _flock(lock_path: Path, path: Path) -> Iterator[None]:
    # A sidecar file: glossary files are replaced on every write, so they cannot carry it.
    # filelock: flock on POSIX, msvcrt on Windows; the lock dies with its process.
    from filelock import FileLock

    lock = FileLock(str(lock_path), is_singleton=False)
    try:
        lock.acquire()
    except OSError as e:
        raise GlossaryError(f"{path}: cannot lock for writing: {e.strerror or e}") from None
    try:
        yield
    finally:
        lock.release()


def reread(glossary: Glossary) -> Glossary:
    """``glossary`` as its files are now (call under :func:`locked`): another writer may
    have changed them since it was loaded."""
    if not glossary.sources:
        return glossary
    from ..model import load_glossary

    return load_glossary([p for p in glossary.sources if Path(p).exists()])


def control_character(value: str) -> str | None:
    """The first character of ``value`` that no glossary field may hold (C0/C1 controls)."""
    return next((c for c in value if (ord(c) < 32 and c not in "\t\n\r") or 0x7F <= ord(c) < 0xA0), None)


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
    for field_name in ("source", "target", "note", "plural", "adjective"):
        value = getattr(entry, field_name)
        if "\t" in value or "\n" in value:
            raise GlossaryError(f"the {field_name} may not contain a tab or a line break")
    for value in (*entry.variants, *entry.forbidden, *entry.alternatives):
        if "\t" in value or "\n" in value or "|" in value:
            raise GlossaryError(f"{value!r} may not contain a tab, a line break or '|'")
    for value in (entry.source, entry.target, entry.note, *entry.variants, *entry.forbidden, *entry.alternatives):
        if (bad := control_character(value)) is not None:
            # XML cannot carry these at all: a TBX export would not be well-formed.
            raise GlossaryError(f"{value!r} holds the control character U+{ord(bad):04X}")


# What a spreadsheet reads as a formula at the start of a cell (OWASP's "CSV injection" list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def refuse_formula(entry: Entry) -> None:
    """A new or edited entry (command line, server) may not hold a value that a spreadsheet
    would run as a formula: ``=HYPERLINK(...)``, ``+cmd|...``. (Exports neutralise such cells
    anyway; this stops them at the door.)"""
    named = [("target", entry.target), ("note", entry.note), ("plural", entry.plural), ("adjective", entry.adjective)]
    named += [("alternative", v) for v in entry.alternatives] + [("forbidden rendering", v) for v in entry.forbidden]
    for name, value in named:
        if value.startswith(FORMULA_START):
            raise GlossaryError(
                f"the {name} {value!r} starts with {value[0]!r}, which a spreadsheet runs as a formula; reword it"
            )


def _newline_of(text: str) -> str:
    """The line terminator most lines of ``text`` use."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    best = max((crlf, "\r\n"), (lf, "\n"), (cr, "\r"))
    return best[1] if best[0] else "\n"


@dataclass
class GlossaryFile:
    """The lines of one TSV glossary, edited in place."""

    path: Path
    lines: list[str]  # without their line terminators
    header: list[str]
    final_newline: bool = True
    newline: str = "\n"  # the file's own conventions, kept by every edit
    bom: bool = False

    @classmethod
    def read(cls, path: str | os.PathLike) -> "GlossaryFile":
        path = Path(path)
        if not path.exists():
            return cls(path, ["\t".join(DEFAULT_HEADER)], list(DEFAULT_HEADER))
        from ..model import read_tsv

        read_tsv(path)  # refuse to edit a file that is already broken
        data = path.read_bytes()
        bom = data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8").removeprefix("\ufeff")
        newline = _newline_of(text)
        lines = text.split(newline)
        final_newline = text.endswith(newline)
        if final_newline:
            lines.pop()
        for line in lines:
            if line.strip() and not line.lstrip().startswith("#"):
                header = [c.strip().lower() for c in line.rstrip("\r").split("\t")]
                break
        else:  # pragma: no cover - read_tsv has refused a file without a header
            header = list(DEFAULT_HEADER)
        return cls(path, lines, header, final_newline, newline, bom)

    def text(self) -> str:
        body = self.newline.join(self.lines) + (self.newline if self.final_newline else "")
        return ("\ufeff" if self.bom else "") + body

    def entries(self) -> list[Entry]:
        return parse_tsv("\n".join(self.lines) + "\n", str(self.path))

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
            "alternatives": "|".join(entry.alternatives),
            "plural": entry.plural,
            "adjective": entry.adjective,
            "rules": " ".join(entry.rules),
            "context": " | ".join(c.text for c in entry.context),
        }
        for optional in ("alternatives", "plural", "adjective", "rules", "context"):
            if values[optional] and optional not in self.header:
                self._add_column(optional)
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

    def _add_column(self, name: str) -> None:
        """Append a column to the header line (older files lack ``alternatives``)."""
        for i, line in enumerate(self.lines):
            if line.strip() and not line.lstrip().startswith("#"):
                cells = line.rstrip("\r").split("\t")
                cells += [""] * (len(self.header) - len(cells)) + [name]
                self.lines[i] = "\t".join(cells) + ("\r" if line.endswith("\r") else "")
                break
        self.header.append(name)

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
    refuse_formula(entry)
    with locked(path, glossary):
        glossary = reread(glossary)
        for form in entry.forms:
            existing = glossary.lookup(form)
            if existing is not None and existing.file and Path(existing.file).resolve() != path.resolve():
                if not replace_existing:
                    raise GlossaryError(_exists(existing))
                if is_shipped(existing.file):  # the base stays as shipped: the new entry overrides it
                    break
                return _update_locked(Path(existing.file), existing.source, lambda _: entry), existing
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


def _edit(path: Path, source: str, edit, lock: bool = True) -> Entry:
    """Under the folder's lock: find the entry for ``source``, let ``edit(file, line, old)``
    change it, save; return what ``edit`` returns."""
    refuse_shipped(path)
    with locked(path) if lock else contextlib.nullcontext():
        gf = GlossaryFile.read(path)
        index = gf.line_of(source)
        if index is None:
            raise GlossaryError(f"no entry for {source!r} in {path}")
        old = next(e for e in gf.entries() if e.line - 1 == index)
        result = edit(gf, index, old)
        gf.save()
        return result


def _changer(change, from_person: bool = False):
    def edit(gf: GlossaryFile, index: int, old: Entry) -> Entry:
        new = change(old)
        validate_entry(new)
        if from_person:
            refuse_formula(new)
        gf.set_line(index, new)
        return new

    return edit


def update_entry(path: Path, source: str, change) -> Entry:
    """Rewrite the entry for ``source`` in ``path`` as ``change(old_entry)``; return the new one."""
    return _edit(path, source, _changer(change, from_person=True))


def _update_locked(path: Path, source: str, change) -> Entry:
    # For a caller that holds the lock of ``path``'s folder already: a second flock on a new
    # descriptor of the same lock file would wait for ourselves.
    return _edit(path, source, _changer(change), lock=False)


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
    alternatives: Sequence[str] | None = None,
    plural: str | None = None,
    rules: str | None = None,
    context: str | None = None,
    adjective: str | None = None,
) -> Entry:
    change = changer(target=target, variants=variants, forbidden=forbidden, note=note, alternatives=alternatives,
                     plural=plural, rules=rules, context=context, adjective=adjective)
    return update_entry(path, source, change)


def changer(*, target=None, variants=None, forbidden=None, note=None, alternatives=None, plural=None, rules=None, context=None,
            adjective=None):
    """old entry → the entry with the given fields set (None keeps a field; ``rules`` and
    ``context`` are written as in the file: ``-number +article``, ``FORM: not-after WORD | …``)."""

    def change(old: Entry) -> Entry:
        new = replace(
            old,
            target=old.target if target is None else target,
            variants=old.variants if variants is None else tuple(variants),
            forbidden=old.forbidden if forbidden is None else tuple(forbidden),
            note=old.note if note is None else note,
            alternatives=old.alternatives if alternatives is None else tuple(alternatives),
            plural=old.plural if plural is None else plural.strip(),
            adjective=old.adjective if adjective is None else adjective.strip(),
        )
        try:
            if rules is not None:
                new = replace(new, rules=parse_rules(rules))
            if context is not None or variants is not None:
                text = " | ".join(c.text for c in old.context) if context is None else context
                new = replace(new, context=parse_context(text, new.forms))
        except ValueError as e:
            raise GlossaryError(str(e)) from None
        return new

    return change


def _exists(entry: Entry) -> str:
    return (
        f"{entry.source!r} already exists ({entry.origin}: {entry.source} → {entry.target});"
        " use --replace to replace it, or `tarjama glossary set` to edit it"
    )


@dataclass
class ImportPlan:
    """What an import does (or, with ``dry_run``, would do) to the glossary folder."""

    added: list[Entry] = field(default_factory=list)
    replaced: list[tuple[Entry, Entry]] = field(default_factory=list)  # (old, new)
    unchanged: list[Entry] = field(default_factory=list)
    kept: list[tuple[Entry, Entry]] = field(default_factory=list)  # (existing, imported and dropped)


ON_CONFLICT = ("error", "keep-first", "keep-last", "skip")


def import_entries(
    path: Path,
    entries: Sequence[Entry],
    glossary: Glossary,
    replace_existing: bool = False,
    *,
    on_conflict: str | None = None,
    dry_run: bool = False,
) -> ImportPlan:
    """Merge ``entries`` into ``path`` in one atomic write.

    An entry already present with the same content is left alone. One that differs from an
    entry of ``path`` or of ``glossary`` is a conflict, settled by ``on_conflict``: ``error``
    (the default; every conflict is listed and nothing is written), ``keep-first`` or
    ``skip`` (the existing entry stays), ``keep-last`` (the imported entry replaces it where
    it stands, in whichever file of the folder). ``replace_existing`` means ``keep-last``.
    """
    policy = on_conflict or ("keep-last" if replace_existing else "error")
    if policy not in ON_CONFLICT:
        raise GlossaryError(f"unknown conflict policy {policy!r} (choose from {', '.join(ON_CONFLICT)})")
    for e in entries:
        validate_entry(e)
    with locked(path, glossary):
        glossary = reread(glossary)
        gf = GlossaryFile.read(path)
        # normalized form -> (line index in this file, entry)
        here = {normalize(f): (e.line - 1, e) for e in gf.entries() for f in e.forms}
        plan = ImportPlan()
        elsewhere: list[tuple[Entry, Entry]] = []
        conflicts: list[str] = []
        for entry in entries:
            local = next((here[normalize(f)] for f in entry.forms if normalize(f) in here), None)
            other = local[1] if local else next((o for f in entry.forms if (o := glossary.lookup(f)) is not None), None)
            if other is not None and local is None and other.file and Path(other.file).resolve() == path.resolve():
                other = None  # an entry of this file that an earlier import line replaced
            if other is None:
                gf.append(entry)
                here.update({normalize(f): (len(gf.lines) - 1, entry) for f in entry.forms})
                plan.added.append(entry)
            elif _content(other) == _content(entry):
                plan.unchanged.append(entry)
            elif policy == "error":
                what = f"{other.target!r}" if other.target != entry.target else f"{other.target!r} with other details"
                conflicts.append(f"{entry.origin}: {entry.source} → {entry.target!r}, but {other.origin} has {other.source} → {what}")
            elif policy in ("keep-first", "skip"):
                plan.kept.append((other, entry))
            elif local is None and other.file and is_shipped(other.file):
                gf.append(entry)  # the shipped base stays as it is: this file overrides it
                here.update({normalize(f): (len(gf.lines) - 1, entry) for f in entry.forms})
                plan.replaced.append((other, entry))
            elif local is None:
                elsewhere.append((other, entry))
                plan.replaced.append((other, entry))
            else:
                gf.set_line(local[0], entry)
                here.update({normalize(f): (local[0], entry) for f in entry.forms})
                plan.replaced.append((other, entry))
        if conflicts:
            raise GlossaryError(
                f"{len(conflicts)} imported entr{'y conflicts' if len(conflicts) == 1 else 'ies conflict'} with the glossary"
                f" (choose --on-conflict keep-first|keep-last|skip): " + "; ".join(conflicts)
            )
        gf.entries()  # the result must be a valid glossary before anything is written
        if not dry_run:
            for old, new in elsewhere:
                _update_locked(Path(old.file), old.source, lambda _, new=new: new)  # its folder is locked already
            gf.save()
        return plan


def _content(e: Entry) -> tuple:
    return (e.target, e.variants, e.forbidden, e.note, e.alternatives)
