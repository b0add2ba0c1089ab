"""Glossary files: UTF-8 TSV with a header row.

Columns: ``source`` and ``target`` (required), ``variants`` and ``forbidden``
(``|``-separated), ``note``, and ``alternatives`` (``|``-separated English renderings that
are accepted too, though the target is preferred; older files without it stay valid); for
matching, ``plural`` (the English plural), ``adjective`` (the English adjective of a country,
enforced where its Arabic stands as a nisba adjective: سورية in لاجئة سورية is "Syrian"),
``rules`` (matcher rules switched on or off for this entry) and ``context`` (where a form may
or may not match), see
:mod:`tarjama.glossary.matching`. Lines starting with ``#`` are comments. Loading is all or
nothing: any malformed line raises :class:`GlossaryError` naming the file and line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..text.arabic import has_arabic, normalize
from ..errors import TarjamaError

REQUIRED_COLUMNS = ("source", "target")
KNOWN_COLUMNS = ("source", "target", "variants", "forbidden", "note", "alternatives")
# Optional columns that tune matching; a file without them matches with every default.
MATCHING_COLUMNS = ("plural", "adjective", "rules", "context")

# The matcher's named rules (see glossary/matching.py), each switchable per entry.
RULES = (
    "quotes", "hashtag", "spaceless", "lam", "article", "number", "suffix", "spelling", "tanwin",
    "accusative", "whole",
)
# Context restrictions: "[FORM:] KIND [WORD ...]".
CONTEXT_KINDS = ("not-after", "not-before", "after", "before", "not-adjective")


class GlossaryError(TarjamaError):
    """A glossary file that cannot be used as it is."""


@dataclass(frozen=True)
class Entry:
    source: str
    target: str
    variants: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    note: str = ""
    file: str = ""
    line: int = 0
    # Last, so that positional construction of older code keeps working.
    alternatives: tuple[str, ...] = ()
    plural: str = ""  # the English plural; empty: derived from the target
    rules: tuple[str, ...] = ()  # "+article", "-number", ...
    context: tuple["Context", ...] = ()
    adjective: str = ""  # the English adjective ("Syrian") where a form reads as the nisba

    @property
    def forms(self) -> tuple[str, ...]:
        """Every Arabic spelling that counts as this term."""
        return (self.source, *self.variants)

    @property
    def key(self) -> str:
        return normalize(self.source)

    @property
    def origin(self) -> str:
        return f"{self.file}:{self.line}" if self.file else "(inline)"

    @property
    def plural_target(self) -> str:
        """The English for a plural or dual match: the ``plural`` column, else derived."""
        return self.plural or english_plural(self.target)

    def switch(self, rule: str) -> bool | None:
        """True/False when this entry turns ``rule`` on/off, None when it keeps the default."""
        if f"+{rule}" in self.rules:
            return True
        if f"-{rule}" in self.rules:
            return False
        return None

    def as_dict(self) -> dict:
        d = {
            "source": self.source,
            "target": self.target,
            "variants": list(self.variants),
            "forbidden": list(self.forbidden),
            "note": self.note,
            "alternatives": list(self.alternatives),
            "file": self.file,
            "line": self.line,
        }
        if self.plural:
            d["plural"] = self.plural
        if self.adjective:
            d["adjective"] = self.adjective
        if self.rules:
            d["rules"] = list(self.rules)
        if self.context:
            d["context"] = [c.text for c in self.context]
        return d


@dataclass(frozen=True)
class Context:
    """A restriction on where a form of an entry matches.

    ``kind`` is one of :data:`CONTEXT_KINDS`; ``words`` are normalized Arabic words (the
    neighbour must, or must not, be one of them); ``form`` limits the restriction to one
    spelling of the entry (normalized; empty: every form).
    """

    kind: str
    words: tuple[str, ...] = ()
    form: str = ""
    text: str = ""


def parse_context(value: str, forms: Sequence[str]) -> tuple[Context, ...]:
    """``سورية: not-adjective | not-after جامعة`` → restrictions; ValueError when malformed."""
    out = []
    known = {normalize(f) for f in forms}
    for item in _split_list(value):
        form = ""
        body = item
        if ":" in item:
            form, body = (x.strip() for x in item.split(":", 1))
            if normalize(form) not in known:
                raise ValueError(f"context {item!r} names {form!r}, which is not a form of this entry")
            form = normalize(form)
        kind, *words = body.split()
        if kind not in CONTEXT_KINDS:
            raise ValueError(f"unknown context {kind!r} in {item!r} (known: {', '.join(CONTEXT_KINDS)})")
        if kind == "not-adjective" and words:
            raise ValueError(f"context {item!r}: not-adjective takes no words")
        if kind != "not-adjective" and not words:
            raise ValueError(f"context {item!r}: {kind} needs at least one Arabic word")
        out.append(Context(kind, tuple(normalize(w) for w in words), form, item))
    return tuple(out)


def parse_rules(value: str) -> tuple[str, ...]:
    """``-number +article`` → ("-number", "+article"); ValueError for an unknown rule."""
    out = []
    for item in value.replace("|", " ").split():
        if item[:1] not in "+-" or item[1:] not in RULES:
            raise ValueError(f"unknown rule switch {item!r} (write +RULE or -RULE; rules: {', '.join(RULES)})")
        out.append(item)
    return tuple(out)


_SIBILANT_END = ("s", "x", "z", "ch", "sh")


def english_plural(target: str) -> str:
    """The plural of an English noun phrase: its last word inflected ("IED" → "IEDs",
    "armoured vehicle" → "armoured vehicles", "militia" → "militias", "party" → "parties").
    Irregular or invariable plurals belong in the glossary's ``plural`` column."""
    head, _, last = target.rpartition(" ")
    if not last or not last[-1].isalpha():
        return target
    if last.isupper() and len(last) > 1:
        plural = last + "s"  # acronyms: IEDs, MANPADSs are written by hand
    elif last.lower().endswith(_SIBILANT_END):
        plural = last + "es"
    elif last.lower().endswith("y") and len(last) > 1 and last[-2].lower() not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


@dataclass
class Glossary:
    entries: list[Entry] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # The files and folders it was loaded from, so that an edit can re-read them under its lock.
    sources: list[str] = field(default_factory=list)
    # Human-readable reports of entries that a later file replaced.
    overrides: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    @classmethod
    def from_entries(cls, entries: Iterable[Entry | tuple]) -> "Glossary":
        """Build a glossary in code: ``Glossary.from_entries([("قسد", "SDF")])``."""
        built = [e if isinstance(e, Entry) else Entry(*e) for e in entries]
        g = cls()
        g._merge(built, origin="(inline)")
        return g

    def lookup(self, text: str) -> Entry | None:
        """The entry that ``text`` (a source or variant, any spelling) belongs to."""
        key = normalize(text)
        for e in self.entries:
            if any(normalize(f) == key for f in e.forms):
                return e
        return None

    def _merge(self, new: Sequence[Entry], origin: str) -> None:
        # Linear in the entries: a form → the slot of the entry that owns it.
        slots: dict[int, Entry] = dict(enumerate(self.entries))
        by_form: dict[str, int] = {}
        for i, e in slots.items():
            for f in e.forms:
                by_form[normalize(f)] = i
        next_slot = len(slots)
        for e in new:
            keys = [normalize(f) for f in e.forms]
            hits = sorted({by_form[k] for k in keys if k in by_form})
            for i in reversed(hits):
                old = slots.pop(i)
                self.overrides.append(
                    f"{e.origin} overrides {old.origin}: {e.source} → {e.target}"
                    + (f" (was {old.target})" if old.target != e.target else "")
                )
                for f in old.forms:
                    if by_form.get(normalize(f)) == i:
                        del by_form[normalize(f)]
            slots[next_slot] = e
            for k in keys:
                by_form[k] = next_slot
            next_slot += 1
        self.entries = list(slots.values())
        self.files.append(origin)


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def tsv_rows(text: str):
    """(line number, cells) of every line that is neither blank nor a ``#`` comment."""
    # LF, CRLF, and CR alone (old Mac files): a CR-only file must not read as one line.
    for lineno, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield lineno, line.split("\t")


def parse_tsv(text: str, file: str) -> list[Entry]:
    """Parse one glossary file's text; raise GlossaryError at the first bad line."""
    header: list[str] | None = None
    entries: list[Entry] = []
    seen: dict[str, Entry] = {}
    for lineno, cells in tsv_rows(text):
        if header is None:
            header = [c.strip().lower() for c in cells]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise GlossaryError(
                    f"{file}:{lineno}: header lacks column {', '.join(repr(m) for m in missing)}"
                    f" (a glossary is a TSV with at least the columns 'source' and 'target')"
                )
            dupes = {c for c in header if header.count(c) > 1}
            if dupes:
                raise GlossaryError(f"{file}:{lineno}: column {sorted(dupes)[0]!r} appears twice")
            continue
        if len(cells) > len(header):
            raise GlossaryError(
                f"{file}:{lineno}: {len(cells)} tab-separated fields, but the header has {len(header)}"
            )
        row = dict(zip(header, (c.strip() for c in cells)))
        source, target = row.get("source", ""), row.get("target", "")
        if not source:
            raise GlossaryError(f"{file}:{lineno}: empty source")
        if not target:
            raise GlossaryError(f"{file}:{lineno}: empty target for {source!r}")
        if not has_arabic(source):
            raise GlossaryError(f"{file}:{lineno}: source {source!r} has no Arabic letters")
        variants = _split_list(row.get("variants", ""))
        for v in variants:
            if not has_arabic(v):
                raise GlossaryError(f"{file}:{lineno}: variant {v!r} has no Arabic letters")
        try:
            rules = parse_rules(row.get("rules", ""))
            context = parse_context(row.get("context", ""), (source, *variants))
        except ValueError as e:
            raise GlossaryError(f"{file}:{lineno}: {e}") from None
        entry = Entry(
            source=source,
            target=target,
            variants=variants,
            forbidden=_split_list(row.get("forbidden", "")),
            note=row.get("note", ""),
            file=file,
            line=lineno,
            alternatives=_split_list(row.get("alternatives", "")),
            plural=row.get("plural", ""),
            adjective=row.get("adjective", ""),
            rules=rules,
            context=context,
        )
        for form in entry.forms:
            key = normalize(form)
            other = seen.get(key)
            if other is not None and other.target != entry.target:
                raise GlossaryError(
                    f"{file}:{lineno}: {form!r} is already defined on line {other.line}"
                    f" with target {other.target!r} (here {entry.target!r})"
                )
            seen[key] = entry
        entries.append(entry)
    if header is None:
        raise GlossaryError(f"{file}: no header row (expected at least: source<TAB>target)")
    return entries


def read_tsv(path: Path) -> list[Entry]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise GlossaryError(f"{path}: cannot read glossary: {e.strerror or e}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise GlossaryError(
            f"{path}:{line}: not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})"
        ) from None
    return parse_tsv(text, str(path))


def glossary_files(paths: Sequence[Path]) -> list[Path]:
    """Expand folders to their ``*.tsv`` files (sorted), keeping the given order."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(f for f in p.glob("*.tsv") if not f.is_dir())
            if not found:  # never a silently empty glossary that enforces nothing
                raise GlossaryError(f"{p}: no glossary files (*.tsv) in this folder")
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            raise GlossaryError(f"{p}: no such glossary file or folder")
    return files


def load_glossary(paths: Sequence[str | os.PathLike]) -> Glossary:
    """Load files and folders in order; entries of later files override earlier ones."""
    glossary = Glossary(sources=[str(p) for p in paths])
    for f in glossary_files([Path(p) for p in paths]):
        glossary._merge(read_tsv(f), origin=str(f))
    return glossary


# The files ``add`` and ``import`` write when no file is named; in the shipped folder they are
# the user's own entries from before the user folder existed, and keep loading from there.
USER_FILE = "custom.tsv"
IMPORT_FILE = "imported.tsv"
LEGACY_NAMES = (USER_FILE, IMPORT_FILE)


def shipped_glossary_dir() -> Path | None:
    """The glossary that ships with tarjama: a read-only base (the project's ``glossary/`` in
    a source checkout, ``tarjama/data/glossary`` in an installed wheel)."""
    from ..resources import resource_path

    return resource_path("glossary")


def user_glossary_dir() -> Path:
    """Where the user's own entries live: ``$TARJAMA_GLOSSARY``, else the platform's user
    data folder (``~/.local/share/tarjama/glossary`` on Linux), which survives upgrades."""
    env = os.environ.get("TARJAMA_GLOSSARY")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_path("tarjama", appauthor=False)) / "glossary"


def default_glossary_dir() -> Path:
    """The folder the user's entries are written to (see :func:`user_glossary_dir`)."""
    return user_glossary_dir()


def is_shipped(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a file (or the folder) of the shipped, read-only glossary. The
    legacy ``custom.tsv``/``imported.tsv`` a user added there before are the user's."""
    base = shipped_glossary_dir()
    if base is None:
        return False
    p = Path(os.path.realpath(path))
    base = Path(os.path.realpath(base))
    if p == base:
        return True
    return p.parent == base and not (p.name in LEGACY_NAMES and p.exists())


def legacy_files() -> list[Path]:
    """Entries a user added in the old place, the shipped folder: they keep loading."""
    base = shipped_glossary_dir()
    if base is None or os.environ.get("TARJAMA_GLOSSARY"):
        return []
    return [base / n for n in LEGACY_NAMES if (base / n).is_file()]


def default_glossary_paths() -> list[Path]:
    """What loads when no glossary is named: ``$TARJAMA_GLOSSARY`` alone when it is set;
    else the shipped base, then the user folder (its entries override the base's)."""
    env = os.environ.get("TARJAMA_GLOSSARY")
    if env:
        return [Path(env)]
    paths: list[Path] = []
    base = shipped_glossary_dir()
    if base is not None and base.is_dir():
        legacy = legacy_files()
        if legacy:  # the user's old files last, so that they override the base as before
            paths += [f for f in glossary_files([base]) if f not in legacy] + legacy
        else:
            paths.append(base)
    user = user_glossary_dir()
    if user.is_dir() and any(f.is_file() for f in user.glob("*.tsv")):
        paths.append(user)
    return paths


def write_target(paths: Sequence[str | os.PathLike] | None, name: str = USER_FILE) -> Path:
    """The file a write goes to: the last ``-g`` given (a folder: ``name`` in it; a file: that
    file), as readers let the last one win; with none, ``name`` in the user folder."""
    if paths:
        last = Path(paths[-1])
        target = last if (last.is_file() or (not last.is_dir() and last.suffix.lower() == ".tsv")) else last / name
    else:
        target = user_glossary_dir() / name
    refuse_shipped(target)
    return target


def refuse_shipped(target: Path) -> None:
    if is_shipped(target):
        raise GlossaryError(
            f"{target} belongs to the glossary shipped with tarjama, which is read-only;"
            f" your entries go to {user_glossary_dir()} (or name another file or folder with -g)"
        )


def load_default_glossary() -> Glossary:
    env = os.environ.get("TARJAMA_GLOSSARY")
    if env and not Path(env).exists():
        raise GlossaryError(f"$TARJAMA_GLOSSARY is {env}: no such glossary file or folder")
    paths = default_glossary_paths()
    if not paths:
        return Glossary()
    return load_glossary(paths)
