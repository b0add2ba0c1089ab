"""Reading input documents and writing results without ever leaving a partial file."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

from .errors import InputError
from .text.encoding import Decoded, decode

BOM = b"\xef\xbb\xbf"
# C0 controls and DEL, except tab, line feed, form feed and carriage return (and C1).
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode_utf8(data: bytes, name: str, keep_line_endings: bool = False, allow_controls: bool = False) -> str:
    """UTF-8 text (a leading BOM is accepted and dropped); errors say where the bad byte is
    and what to do for that file. Line endings become ``\\n`` unless ``keep_line_endings``."""
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        from .text.encoding import refusal

        raise InputError(refusal(data, e, name)) from None
    if not allow_controls:
        refuse_control_characters(text, name)
    return text if keep_line_endings else normalize_line_endings(text)


def refuse_control_characters(text: str, name: str) -> None:
    """UTF-16 without a BOM, or a binary file, often decodes byte by byte: its NULs and
    control characters are what give it away. Translating it would give garbage."""
    bad = _NOT_TEXT.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        char = bad.group(0)
        label = "NUL (U+0000)" if char == "\0" else f"control character U+{ord(char):04X}"
        raise InputError(
            f"{name}: not text: {label} at line {line}, column {column};"
            " is it UTF-16 or a binary file? convert it to UTF-8 text first"
        )


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


def decode_text(data: bytes, name: str, declared: str | None = None) -> Decoded:
    """The text of a document in any encoding: a byte order mark, then the charset the
    document declares (``declared``), then UTF-8, then a detector. Line ends stay as they
    are: formats splice into the source and keep its bytes."""
    decoded = decode(data, name, declared)
    refuse_control_characters(decoded.text, name)
    return decoded


def read_document(path: str | os.PathLike, keep_line_endings: bool = False) -> str:
    """The text of ``path`` (``-`` is standard input), which must be UTF-8."""
    return decode_utf8(read_bytes(path), "<stdin>" if str(path) == "-" else str(path), keep_line_endings)


def read_any_text(path: str | os.PathLike) -> Decoded:
    """The text of ``path`` in whatever encoding it is (see ``decode_text``), line ends
    made ``\\n``; ``.note`` names the encoding if it was not UTF-8."""
    data = read_bytes(path)
    decoded = decode_text(data, "<stdin>" if str(path) == "-" else str(path))
    decoded.text = normalize_line_endings(decoded.text)
    return decoded


def read_bytes(path: str | os.PathLike) -> bytes:
    """The bytes of ``path`` (``-`` is standard input); one-line errors."""
    name = str(path)
    if name == "-":
        try:
            return sys.stdin.buffer.read()
        except (ValueError, OSError, AttributeError):  # closed or absent (e.g. `<&-`)
            raise InputError("cannot read standard input: it is closed; give a FILE") from None
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{name} is a directory; give a file (folders are for `tarjama batch`)")
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as e:
        raise InputError(f"{name}: cannot read: {e.strerror or e}") from None


def write_atomic(path: str | os.PathLike, text: str | bytes) -> None:
    """Write ``text`` (or bytes, as they are) to ``path`` via a temporary file in the same
    folder and a rename, so readers see the old file or the new one, never a partial one.

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
        binary = isinstance(text, bytes)
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as f:
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
