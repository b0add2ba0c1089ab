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
    remove_stale_temporaries(target)
    fd, tmp = _claimed_temporary(target, path)
    try:
        binary = isinstance(text, bytes)
        # Written through a duplicate descriptor: ``fd`` keeps the lock until the rename.
        copy = os.dup(fd)
        with (os.fdopen(copy, "wb") if binary else os.fdopen(copy, "w", encoding="utf-8", newline="\n")) as f:
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
    finally:
        os.close(fd)


def refuse_same_file(output: str | os.PathLike | None, source: str | os.PathLike) -> None:
    """An output never replaces its input: ``-o`` naming the input itself, or a link to it
    (symbolic or hard), is a one-line error before any work is done."""
    if output is None or str(output) == "-" or str(source) == "-":
        return
    try:
        same = os.path.samefile(output, source)
    except OSError:  # the output does not exist yet (or the input does not): not the same file
        return
    if same:
        raise InputError(f"-o {output} is the input file {source}: the translation would replace the original; choose another output")


# The temporary file of a write: ``.NAME.XXXXXXXX.tmp`` (tempfile.mkstemp's random part).
_TEMPORARY = re.compile(r"^\.(.+)\.[A-Za-z0-9_]{8}\.tmp$")


def _claimed_temporary(target: Path, path) -> tuple[int, str]:
    """A new temporary file beside ``target``, locked for as long as its descriptor is open,
    so that another write's clean-up (:func:`remove_stale_temporaries`) leaves it alone."""
    for _ in range(10):
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent if str(target.parent) else ".")
        except OSError as e:
            raise InputError(f"{path}: cannot write: {e.strerror or e}") from None
        if not _lock(fd, blocking=True) or os.fstat(fd).st_nlink > 0:
            return fd, tmp
        os.close(fd)  # a clean-up removed it between its creation and the lock: take another
    raise InputError(f"{path}: cannot write: temporary files keep disappearing")


def _lock(fd: int, blocking: bool) -> bool:
    """An exclusive lock on an open file (released when it is closed); False where there is
    no such lock (Windows) or, when not ``blocking``, when another process holds it."""
    try:
        import fcntl
    except ImportError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


def remove_stale_temporaries(target: Path) -> list[str]:
    """Remove the temporary files that writes of ``target`` killed midway (SIGKILL, a power
    cut) left beside it. A write in progress holds a lock on its own: it is left alone.
    Returns the names removed."""
    folder = target.parent if str(target.parent) else Path(".")
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TEMPORARY.match(entry.name)
        if not m or m.group(1) != target.name or not entry.is_file(follow_symlinks=False):
            continue
        try:
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            if _lock(fd, blocking=False):  # nobody writes it: its writer is gone
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


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
