"""Glossaries to and from other tools' files: which format, which encoding, which reader.

Formats: our TSV, CSV (``csv_io``), TBX (``tbx``), and the glossaries of DeepL, Amazon
Translate and Google (``vendor``; written, and read as the CSV files they are). What a
foreign row or concept becomes, and what is skipped, is ``candidates``' job.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from . import csv_io, tbx, vendor
from .candidates import ReadResult, resolve
from ..model import Entry, GlossaryError

FORMATS = ("tsv", "csv", "tbx", *vendor.FORMATS)
_SUFFIXES = {"tsv": "tsv", "tab": "tsv", "txt": "tsv", "utf8": "tsv", "csv": "csv", "tbx": "tbx", "xml": "tbx", "tbx2": "tbx", "tbx3": "tbx"}


def guess_format(path: str | Path | None, given: str | None) -> str:
    if given:
        if given not in FORMATS:
            raise GlossaryError(f"unknown glossary format {given!r} (choose from {', '.join(FORMATS)})")
        return given
    suffix = Path(path or "").suffix.lower().lstrip(".")
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    raise GlossaryError(f"{path}: cannot tell the format from the file name; pass --format {'|'.join(FORMATS)}")


def export_text(entries: Sequence[Entry], fmt: str) -> str:
    if fmt in vendor.FORMATS:
        return vendor.to_vendor(entries, fmt)
    return {"tsv": csv_io.to_tsv, "csv": csv_io.to_csv, "tbx": tbx.to_tbx}[fmt](entries)


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without a BOM) or UTF-16 with a BOM (Excel's "Unicode text")."""
    from ...files import decode_utf8
    from ...errors import InputError

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise GlossaryError(f"{name}: broken UTF-16 at byte offset {e.start}") from None
        return text.replace("\r\n", "\n").replace("\r", "\n")
    head = data[:4096]
    if b"\0" in head:
        # Text has no NUL bytes; UTF-16 has one in every ASCII character (odd bytes if little-endian).
        order = "LE" if head[1::2].count(0) >= head[0::2].count(0) else "BE"
        raise GlossaryError(
            f"{name}: looks like UTF-16 without a byte-order mark; convert it first, e.g. iconv -f UTF-16{order} -t UTF-8"
        )
    try:
        # A control character in one cell skips that row (said by the reader), not the file.
        return decode_utf8(data, name, allow_controls=True)
    except InputError as e:
        raise GlossaryError(e.message) from None


def read_file(
    path: str | Path,
    fmt: str | None = None,
    *,
    on_conflict: str = "error",
    strict: bool = False,
    source_column: str | None = None,
    target_column: str | None = None,
    deprecated_variants: bool = False,
) -> ReadResult:
    """The entries of a glossary file in any supported format, with what was skipped and why."""
    fmt = guess_format(path, fmt)
    from ...files import read_bytes
    from ...errors import InputError

    name = str(path)
    try:
        data = read_bytes(path)
    except InputError as e:
        raise GlossaryError(e.message) from None
    if fmt == "tbx":
        found = tbx.candidates(tbx.parse(data, name), name, deprecated_variants)
    else:
        table = "tsv" if fmt == "tsv" else "csv"
        found = csv_io.read_table(decode(data, name), name, table, source_column, target_column)
    result = resolve(found, name, on_conflict=on_conflict, strict=strict)
    if not result.entries:
        why = "; ".join(s.describe() for s in result.skipped[:3]) + (" …" if len(result.skipped) > 3 else "")
        raise GlossaryError(f"{name}: no glossary entries in this file" + (f" ({len(result.skipped)} skipped: {why})" if why else ""))
    return result


def read_entries(path: str | Path, fmt: str | None = None) -> list[Entry]:
    """Entries of a TSV, CSV or TBX file (conflicts are an error; unusable rows skipped)."""
    return read_file(path, fmt).entries


def from_tbx(text: str, name: str) -> list[Entry]:
    """Entries of TBX text (for tests and callers holding the text)."""
    return resolve(tbx.candidates(tbx.parse(text.encode("utf-8"), name), name), name).entries
