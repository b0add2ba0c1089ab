"""Zip containers (``.docx``, ``.pptx``, ``.odt`` and every other zip-based format): read
within limits, written the same way every time.

``open_zip`` refuses, in one line and before anything is inflated, an archive whose
entries would inflate past ``MAX_TOTAL`` bytes in all, whose entries are too many, or
whose entry inflates more than ``MAX_RATIO`` times its compressed size (a zip bomb: a
1 MB file that holds 1 GiB of zeros). The sizes checked are the ones the archive
declares; Python's ``zipfile`` never inflates an entry past its declared size (a lying
entry fails its CRC check), so the declared sizes bound the memory used.

``write_zip`` writes entries in the order given, with a fixed timestamp, so that the
same input gives byte-identical output (a resumed batch writes the same bytes).

Both are plain functions of bytes: the server calls ``check_zip`` from a worker thread,
never on its event loop.
"""

from __future__ import annotations

import io
import os
import zipfile
from typing import Iterable

from .base import DocumentError

MAX_TOTAL = 512 * 1024 * 1024  # bytes, all entries inflated (TARJAMA_MAX_UNZIPPED overrides)
MAX_RATIO = 200  # inflated / compressed, for an entry of more than RATIO_FLOOR bytes
RATIO_FLOOR = 1024 * 1024
MAX_ENTRIES = 20_000
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold


def max_total() -> int:
    value = os.environ.get("TARJAMA_MAX_UNZIPPED", "")
    try:
        return int(value) if value else MAX_TOTAL
    except ValueError:
        return MAX_TOTAL


def _mb(n: int) -> str:
    return f"{n / 1_048_576:,.0f} MB" if n >= 1_048_576 else f"{n:,} bytes"


def check_zip(package: zipfile.ZipFile, name: str) -> None:
    """DocumentError (one line) if ``package`` is too large when inflated or a zip bomb."""
    infos = package.infolist()
    if len(infos) > MAX_ENTRIES:
        raise DocumentError(f"{name}: refused: {len(infos):,} entries in the archive (at most {MAX_ENTRIES:,})")
    limit = max_total()
    total = 0
    for info in infos:
        total += info.file_size
        if total > limit:
            raise DocumentError(
                f"{name}: refused: it inflates to more than {_mb(limit)} (a zip bomb?);"
                " set TARJAMA_MAX_UNZIPPED to raise the limit"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise DocumentError(
                f"{name}: refused: {info.filename} inflates {info.file_size // max(info.compress_size, 1):,} times"
                f" its size (at most {MAX_RATIO}; a zip bomb?)"
            )


def open_zip(data: bytes, name: str, kind: str = "a zip") -> zipfile.ZipFile:
    """The archive ``data``, checked by ``check_zip``; DocumentError if it is not a zip."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise DocumentError(f"{name}: not {kind} file ({e})") from None
    check_zip(package, name)
    return package


def write_zip(entries: Iterable[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    """A zip of ``entries`` (an entry's ZipInfo keeps its compression and attributes),
    in the order given, every timestamp fixed: the same entries give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info, body in entries:
            if isinstance(info, str):
                fixed = zipfile.ZipInfo(info, FIXED_TIME)
                fixed.compress_type = zipfile.ZIP_DEFLATED
            else:
                fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
                fixed.compress_type = info.compress_type
                fixed.external_attr = info.external_attr
                fixed.create_system = info.create_system
            target.writestr(fixed, body)
    return out.getvalue()


def reproducible(data: bytes) -> bytes:
    """``data`` (a zip another library wrote, such as python-docx) rewritten by
    ``write_zip``: same entries, same order, fixed timestamps."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return write_zip((info, package.read(info)) for info in package.infolist())
