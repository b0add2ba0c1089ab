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

from .glossary.model import Entry


def default_path() -> Path:
    folder = os.environ.get("TARJAMA_CACHE_DIR")
    if not folder:
        import platformdirs

        folder = platformdirs.user_cache_dir("tarjama")
    return Path(folder) / "memory.sqlite3"


def entry_digest(entry: Entry) -> str:
    """What of an entry can change a translation: target, spellings, forbidden renderings,
    and the matching columns (plural, rules, context) when it has them."""
    fields = [entry.source, entry.target, list(entry.variants), list(entry.forbidden)]
    if entry.plural or entry.rules or entry.context:  # (absent: the digests of before)
        fields += [entry.plural, list(entry.rules), [c.text for c in entry.context]]
    data = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def memory_key(settings: str, sentence: str, entries: Sequence[Entry]) -> str:
    terms = sorted({entry_digest(e) for e in entries})
    data = json.dumps([settings, sentence, terms], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


class TranslationMemory:
    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Ray Data calls an actor from another thread than the one that built it.
        self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS memory (key TEXT PRIMARY KEY, translation TEXT NOT NULL,"
            " terms TEXT NOT NULL, created REAL NOT NULL)"
        )

    def get_many(self, keys: Iterable[str]) -> dict[str, tuple[str, list[dict]]]:
        keys = list(dict.fromkeys(keys))
        found: dict[str, tuple[str, list[dict]]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            rows = self.db.execute(
                f"SELECT key, translation, terms FROM memory WHERE key IN ({','.join('?' * len(chunk))})", chunk
            )
            for key, translation, terms in rows:
                found[key] = (translation, json.loads(terms))
        return found

    def put_many(self, items: Iterable[tuple[str, str, list[dict]]]) -> None:
        now = time.time()
        rows = [(k, t, json.dumps(terms, ensure_ascii=False), now) for k, t, terms in items]
        with self.db:  # one transaction: all or nothing
            self.db.executemany("INSERT OR REPLACE INTO memory VALUES (?, ?, ?, ?)", rows)

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
