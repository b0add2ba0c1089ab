"""Reading input documents and writing results without ever leaving a partial file."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

BOM = b"\xef\xbb\xbf"


def decode_utf8(data: bytes, name: str) -> str:
    """UTF-8 text (a leading BOM is accepted and dropped); errors say where the bad byte is."""
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        from .text.encoding import refusal

        raise InputError(refusal(data, e, name)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class Decoded:
    """A document's text, and the encoding it was read in (None: UTF-8, nothing to say)."""

    text: str
    encoding: str | None = None
    how: str = ""  # "declared charset", "byte order mark", "detected"

    @property
    def note(self) -> str:
        return f"read as {self.encoding} ({self.how})" if self.encoding else ""


def decode_text(data: bytes, name: str, declared: str | None = None) -> Decoded:
    """The text of a document in any encoding: a byte order mark, then the charset the
    document declares (``declared``), then UTF-8, then a detector. Line ends stay as they
    are: formats splice into the source and keep its bytes."""
    from .text.encoding import decode

    return decode(data, name, declared)


def read_document(path: str | os.PathLike) -> str:
    """The text of ``path`` (``-`` is standard input), which must be UTF-8."""
    return decode_utf8(read_bytes(path), "<stdin>" if str(path) == "-" else str(path))


def read_any_text(path: str | os.PathLike) -> Decoded:
    """The text of ``path`` in whatever encoding it is (see ``decode_text``), line ends
    made ``\n``; ``.note`` names the encoding if it was not UTF-8."""
    data = read_bytes(path)
    decoded = decode_text(data, "<stdin>" if str(path) == "-" else str(path))
    decoded.text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    return decoded


def read_bytes(path: str | os.PathLike) -> bytes:
    """The bytes of ``path`` (``-`` is standard input); one-line errors."""
    name = str(path)
    if name == "-":
        return sys.stdin.buffer.read()
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
    return data


def write_atomic(path: str | os.PathLike, text: str | bytes) -> None:
    """Write ``text`` (or bytes, as they are) to ``path`` via a temporary file in the same folder and a rename, so
    readers see the old file or the new one, never a partial one."""
    target = Path(path)
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
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
