"""What the routes call: the loaded translator, its glossary, and the glossary's edits.

The server keeps one :class:`~tarjama.Translator` (the model is loaded once). Its glossary
is reloaded whenever a glossary file changes, whether this server edited it or another
process did (several servers may share one glossary folder: edits take the files' locks),
so a translation made after an edit uses the edited glossary.
"""

from __future__ import annotations

import copy
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import TarjamaError
from ..glossary.matching import Matcher
from ..glossary.model import (
    Entry, Glossary, GlossaryError, default_glossary_paths, glossary_files, load_glossary, user_glossary_dir,
)


@dataclass
class GlossarySource:
    """Where the glossary comes from: files and folders, or none at all."""

    paths: list[Path]
    default: bool = False  # the default glossary: the shipped base, then the user folder

    @classmethod
    def pick(cls, paths: Sequence[str | os.PathLike] | None, none: bool = False) -> "GlossarySource":
        if none:
            return cls([])
        if paths:
            return cls([Path(p) for p in paths])
        return cls([p for p in default_glossary_paths() if p.exists()], default=True)

    def current(self) -> list[Path]:
        """The paths as they are now: the user folder joins the default once it holds a file."""
        return [p for p in default_glossary_paths() if p.exists()] if self.default else self.paths

    def files(self) -> list[Path]:
        return glossary_files(self.current())

    def signature(self) -> tuple:
        """Changes whenever a file is added, removed or rewritten (edits replace the file)."""
        out = []
        for f in self.files():
            try:
                st = f.stat()
            except OSError:
                continue
            out.append((str(f), st.st_mtime_ns, st.st_size, st.st_ino))
        return tuple(out)

    def load(self) -> Glossary:
        paths = self.current()
        return load_glossary(paths) if paths else Glossary()

    def folder(self) -> Path | None:
        """The folder that edits write to: the first folder given, else the first file's;
        for the default glossary, the user folder (never the shipped, read-only base)."""
        if self.default:
            folder = user_glossary_dir()
            folder.mkdir(parents=True, exist_ok=True)
            return folder
        for p in self.paths:
            if p.is_dir():
                return p
        return self.paths[0].parent if self.paths else None


CLI_HINT = "use --replace to replace it, or `tarjama glossary set` to edit it"
API_HINT = 'send "replace": true to replace it, or PATCH /v1/glossary/entry to edit it'


class Service:
    def __init__(self, translator, source: GlossarySource):
        self.source = source
        self._translator = translator
        self._signature = source.signature()
        self._failed: tuple | None = None  # the signature of files that failed to load
        self.loaded_at = time.time()
        self.error: str | None = None  # why the files as they are now are not in use
        self._lock = threading.Lock()

    # -- the translator, with the current glossary ----------------------------------------------
    @property
    def translator(self):
        """The translator with the glossary as the files are now."""
        signature = self.source.signature()
        if signature != self._signature and signature != self._failed:
            self.reload(signature)
        return self._translator

    def reload(self, signature: tuple | None = None) -> None:
        with self._lock:
            signature = signature or self.source.signature()
            if signature == self._signature:
                return
            try:
                glossary = self.source.load()
            except GlossaryError as e:
                # Keep translating with the last good glossary, and say so: one line in the
                # log (once per broken state of the files) and the error in /health.
                if signature != self._failed:
                    self._failed, self.error = signature, e.message
                    print(f"tarjama serve: glossary not reloaded, the last good one ({len(self._translator.glossary)} entries) stays in use: {e.message}", file=sys.stderr)
                return
            # A shallow copy shares the loaded engine and the memory; one assignment swaps it.
            t = copy.copy(self._translator)
            t.glossary, t.matcher = glossary, Matcher(glossary)
            self._translator, self._signature = t, signature
            self._failed, self.error, self.loaded_at = None, None, time.time()

    def glossary_state(self) -> dict:
        """The glossary in use: its entries, when it was loaded (UTC, ISO 8601), and the
        error that keeps a newer state of its files out, if any."""
        import datetime

        loaded = datetime.datetime.fromtimestamp(self.loaded_at, datetime.timezone.utc)
        error = self.error
        for p in sorted(self.source.paths, key=lambda p: -len(str(p))):  # no server paths
            if error:
                error = error.replace(str(p if p.is_dir() else p.parent) + os.sep, "")
        return {
            "entries": len(self._translator.glossary),
            "loaded_at": loaded.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "error": error,
        }

    @property
    def glossary(self) -> Glossary:
        return self.translator.glossary

    def translate(self, documents: list[list[str]]):
        return self.translator.translate_many(documents)

    # -- glossary reads ---------------------------------------------------------------------
    def search(self, text: str | None) -> list[Entry]:
        from ..text.arabic import has_arabic, normalize

        entries = list(self.glossary)
        if not text:
            return entries
        if has_arabic(text):
            key = normalize(text)
            return [e for e in entries if any(key in normalize(f) for f in e.forms)]
        key = text.lower()
        return [e for e in entries if any(key in t.lower() for t in (e.target, *e.forbidden, e.note))]

    def show(self, term: str) -> Entry:
        g = self.glossary
        entry = g.lookup(term) or next((e for e in g if e.target.lower() == term.lower()), None)
        if entry is None:
            raise NotFound(f"no glossary entry for {term!r}")
        return entry

    # -- glossary edits (the same locked, atomic edits as the command line) ------------------
    def _file(self, name: str | None) -> Path:
        folder = self.source.folder()
        if folder is None:
            raise GlossaryError("this server has no glossary folder to write to")
        name = name or "custom.tsv"
        # Only a plain file name inside the glossary folder: a request never picks a path.
        if Path(name).name != name or not name.endswith(".tsv") or name.startswith("."):
            raise GlossaryError(f"file {name!r}: give a .tsv file name of the glossary folder, without a path")
        return folder / name

    def add(self, entry: Entry, file: str | None = None, replace: bool = False) -> tuple[Entry, Entry | None]:
        from ..glossary.tools.edit import add_entry

        path = self._file(file)
        existing = self.source.load() if self.source.default else load_glossary([path.parent])
        try:
            written, old = add_entry(path, entry, existing, replace)
        except GlossaryError as e:  # say it in the API's words, not the command line's
            raise GlossaryError(e.message.replace(CLI_HINT, API_HINT)) from None
        self.reload()
        return written, old

    def set(self, source: str, **fields) -> Entry:
        from ..glossary.tools.edit import set_fields

        entry = self._edited(source)
        new = set_fields(Path(entry.file), source, **fields)
        self.reload()
        return self._edited(new.source)

    def remove(self, source: str) -> Entry:
        from ..glossary.tools.edit import remove_entry

        entry = self._edited(source)
        old = remove_entry(Path(entry.file), source)
        self.reload()
        return old

    def _edited(self, source: str) -> Entry:
        self.reload()
        entry = self.glossary.lookup(source)
        if entry is None or not entry.file:
            raise NotFound(f"no glossary entry for {source!r}")
        return entry


class NotFound(TarjamaError):
    """Nothing by that name."""
