"""A translation memory: sentences already translated are not translated again.

SQLite in the user cache folder (``$TARJAMA_CACHE_DIR``, else the platform's cache dir),
keyed by everything that decides a sentence's translation: the engine settings (model,
beam size, ...), the sentence itself, and the glossary entries it matched.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import TarjamaError
from ..glossary.model import Entry


class TranslationMemoryError(TarjamaError):
    """A translation memory that cannot be opened, read or written."""


def default_path() -> Path:
    folder = os.environ.get("TARJAMA_CACHE_DIR")
    if not folder:
        import platformdirs

        folder = platformdirs.user_cache_dir("tarjama")
    return Path(folder) / "memory.sqlite3"


def entry_digest(entry: Entry) -> str:
    """What of an entry can change a translation: target, spellings, forbidden renderings,
    and the matching columns (plural, rules, context, adjective) when it has them."""
    fields = [entry.source, entry.target, list(entry.variants), list(entry.forbidden)]
    if entry.plural or entry.rules or entry.context:  # (absent: the digests of before)
        fields += [entry.plural, list(entry.rules), [c.text for c in entry.context]]
    if entry.adjective:
        fields.append(entry.adjective)
    data = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def memory_key(settings: str, sentence: str, entries: Sequence[Entry]) -> str:
    terms = sorted({entry_digest(e) for e in entries})
    data = json.dumps([settings, sentence, terms], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def delete_memory(path: Path) -> None:
    """Delete a translation memory file and SQLite's companions (-wal, -shm)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass


class TranslationMemory:
    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise TranslationMemoryError(f"{self.path.parent}: cannot create the translation memory's folder: {e.strerror or e}"
                               "; set TARJAMA_CACHE_DIR to another folder, or pass --no-cache") from None
        try:
            # Ray Data calls an actor from another thread than the one that built it.
            self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS memory (key TEXT PRIMARY KEY, translation TEXT NOT NULL,"
                " terms TEXT NOT NULL, created REAL NOT NULL)"
            )
            self.db.execute("SELECT key, translation, terms FROM memory LIMIT 1").fetchall()
        except sqlite3.Error as e:
            raise self.error(e) from None

    def error(self, e: Exception) -> TarjamaError:
        if isinstance(e, sqlite3.DatabaseError) and not isinstance(e, sqlite3.OperationalError) or "no such column" in str(e):
            return TranslationMemoryError(
                f"{self.path}: not a usable translation memory ({e}); delete it (it is only a cache),"
                " or pass --no-cache"
            )
        return TranslationMemoryError(f"{self.path}: cannot use the translation memory: {e}; pass --no-cache to do without")

    def get_many(self, keys: Iterable[str]) -> dict[str, tuple[str, list[dict]]]:
        keys = list(dict.fromkeys(keys))
        found: dict[str, tuple[str, list[dict]]] = {}
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                rows = self.db.execute(
                    f"SELECT key, translation, terms FROM memory WHERE key IN ({','.join('?' * len(chunk))})", chunk
                )
                for key, translation, terms in rows:
                    found[key] = (translation, json.loads(terms))
        except (sqlite3.Error, ValueError) as e:
            raise self.error(e) from None
        return found

    def put_many(self, items: Iterable[tuple[str, str, list[dict]]]) -> None:
        now = time.time()
        rows = [(k, t, json.dumps(terms, ensure_ascii=False), now) for k, t, terms in items]
        try:
            with self.db:  # one transaction: all or nothing
                self.db.executemany("INSERT OR REPLACE INTO memory VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as e:  # a full disk, a read-only cache folder
            raise self.error(e) from None

    def stats(self) -> dict:
        (count,) = self.db.execute("SELECT COUNT(*) FROM memory").fetchone()
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        return {"path": str(self.path), "sentences": count, "bytes": size}

    def clear(self) -> int:
        (count,) = self.db.execute("SELECT COUNT(*) FROM memory").fetchone()
        with self.db:
            self.db.execute("DELETE FROM memory")
        self.db.execute("VACUUM")
        return count

    def close(self) -> None:
        self.db.close()
