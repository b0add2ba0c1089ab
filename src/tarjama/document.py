"""Reading input documents and writing results without ever leaving a partial file."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

from .errors import InputError

BOM = b"\xef\xbb\xbf"
# C0 controls and DEL, except tab, line feed, form feed and carriage return (and C1).
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode_utf8(data: bytes, name: str, keep_line_endings: bool = False) -> str:
    """UTF-8 text (a leading BOM is accepted and dropped); errors say where the bad byte is.
    Line endings become ``\\n`` unless ``keep_line_endings``."""
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise InputError(
            f"{name}: not UTF-8: byte 0x{data[e.start]:02x} at line {line}, column {column}"
            f" (byte offset {e.start}); convert it first, e.g. iconv -f WINDOWS-1256 -t UTF-8"
        ) from None
    if not keep_line_endings:
        text = normalize_line_endings(text)
    bad = _NOT_TEXT.search(text)
    if bad is not None:
        # UTF-16 without a BOM, or a binary file, is often valid UTF-8 byte by byte: its NULs
        # and control characters are what give it away. Translating it would be garbage.
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        char = bad.group(0)
        label = "NUL (U+0000)" if char == "\0" else f"control character U+{ord(char):04X}"
        raise InputError(
            f"{name}: not text: {label} at line {line}, column {column};"
            " is it UTF-16 or a binary file? convert it to UTF-8 text first"
        )
    return text


def normalize_line_endings(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def original_offsets(original: str):
    """Map an offset in ``normalize_line_endings(original)`` back to ``original`` (a CRLF
    file has one character more per line break before the offset)."""
    import bisect

    dropped, removed = [], 0
    for m in re.finditer("\r\n", original):
        dropped.append(m.start() - removed)  # where its "\n" lands in the normalized text
        removed += 1
    return lambda offset: offset + bisect.bisect_left(dropped, offset)


def read_document(path: str | os.PathLike, keep_line_endings: bool = False) -> str:
    """The text of ``path`` (``-`` is standard input)."""
    name = str(path)
    if name == "-":
        try:
            data = sys.stdin.buffer.read()
        except (ValueError, OSError, AttributeError):  # closed or absent (e.g. `<&-`)
            raise InputError("cannot read standard input: it is closed; give a FILE") from None
        return decode_utf8(data, "<stdin>", keep_line_endings)
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{name} is a directory; give a file (folders are for `tarjama batch`)")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as e:
        raise InputError(f"{name}: cannot read: {e.strerror or e}") from None
    return decode_utf8(data, name, keep_line_endings)


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename, so
    readers see the old file or the new one, never a partial one.

    A symbolic link at ``path`` is written through: its target gets the new text and the
    link stays (a shared file linked into several places stays shared)."""
    target = resolve_link(Path(path))
    if target.is_dir():
        raise InputError(f"{path} is a directory; give a file name")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise InputError(f"{path}: cannot write: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as e:
        _unlink(tmp)
        raise InputError(f"{path}: cannot write: {e.strerror or e}") from None
    except BaseException:
        _unlink(tmp)
        raise


def resolve_link(path: Path) -> Path:
    """Where a write to ``path`` must land: the end of its chain of symbolic links."""
    seen = set()
    while path.is_symlink():
        if path in seen or len(seen) > 40:
            raise InputError(f"{path}: symbolic link loop")
        seen.add(path)
        path = path.parent / os.readlink(path)
    return path


def _unlink(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
