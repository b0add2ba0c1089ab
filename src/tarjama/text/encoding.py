"""Reading documents in whatever encoding they came in.

Order of trust: a byte order mark (UTF-8/UTF-16/UTF-32), then the charset the document
declares, then UTF-8, then charset-normalizer's detection. Whatever is assumed is named, so
a user can check it; a refused file gets a hint that fits that file.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from ..errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF8, "UTF-8-SIG"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


@dataclass
class Decoded:
    """A document's text, and the encoding it was read in (None: UTF-8, nothing to say)."""

    text: str
    encoding: str | None = None
    how: str = ""  # "declared charset", "byte order mark", "detected"

    @property
    def note(self) -> str:
        return f"read as {self.encoding} ({self.how})" if self.encoding else ""


def canonical(label: str) -> str | None:
    """The codec name for an encoding label (``iso-8859-6``, ``windows-1256``…), or None."""
    try:
        return codecs.lookup(label.strip().strip("'\"")).name
    except (LookupError, ValueError):
        return None


def _display(codec: str) -> str:
    names = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32", "cp1256": "WINDOWS-1256",
             "iso8859-6": "ISO-8859-6", "mac-arabic": "MAC-ARABIC", "cp720": "CP720", "cp864": "CP864"}
    return names.get(codec, codec.upper())


def decode(data: bytes, name: str, declared: str | None = None):
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec.lower())
            except UnicodeDecodeError as e:
                raise InputError(f"{name}: starts with a {codec} byte order mark but is not {codec} (byte offset {e.start})") from None
            return Decoded(text.lstrip("\ufeff"), None if codec == "UTF-8-SIG" else codec, "byte order mark")
    if declared:
        codec = canonical(declared)
        if codec is None:
            raise InputError(f"{name}: declares an unknown charset {declared!r}")
        if codec not in ("utf-8",):
            try:
                return Decoded(data.decode(codec), _display(codec), "declared charset")
            except UnicodeDecodeError as e:
                raise InputError(
                    f"{name}: declares {declared} but byte 0x{data[e.start]:02x} at offset {e.start} is not {_display(codec)}"
                ) from None
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        bad = e
    guess = None if _mostly_utf8(data) else _detect(data)
    if guess is not None:
        return Decoded(data.decode(guess), _display(guess), "detected")
    raise InputError(refusal(data, bad, name))


def refusal(data: bytes, error: UnicodeDecodeError, name: str) -> str:
    """Why ``data`` is refused as UTF-8, with a hint that fits this file."""
    line = data.count(b"\n", 0, error.start) + 1
    column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
    where = f"byte 0x{data[error.start]:02x} at line {line}, column {column} (byte offset {error.start})"
    if _mostly_utf8(data):
        hint = "; the rest is UTF-8: fix or remove the stray bytes"
    else:
        guess = _detect(data)
        if guess is not None:
            hint = f"; it looks like {_display(guess)}: iconv -f {_display(guess)} -t UTF-8"
        else:
            hint = "; its encoding could not be recognised: convert it to UTF-8 first"
    return f"{name}: not UTF-8: {where}{hint}"


def _mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8 letters beyond ASCII with a few bad bytes among them: a damaged UTF-8
    file, not a legacy encoding (reading it as one would turn every letter into mojibake)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 127 and c != "\ufffd")
    return good > bad


def _arabic_legacy(data: bytes) -> str | None:
    """WINDOWS-1256 or ISO-8859-6, whichever reads the bytes beyond ASCII as Arabic letters
    (80 % or more of them); None if neither does. On a short file a general detector has
    too little to go on (one Arabic word in CP1256 passes for Japanese), while these two are
    what Arabic text that is not UTF-8 is written in."""
    best, share = None, 0.8
    for codec in ("cp1256", "iso8859_6"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        high = [c for c in text if ord(c) > 127]
        if not high:
            return None
        arabic = sum(1 for c in high if "\u0600" <= c <= "\u06ff") / len(high)
        # Latin accented letters read as Arabic ones stand glued to Latin letters ("cafي");
        # Arabic words do not.
        glued = sum(1 for a, b in zip(text, text[1:]) if (a.isascii() and a.isalpha() and b > "\u05ff") or (b.isascii() and b.isalpha() and a > "\u05ff"))
        if glued > len(high) // 5:
            continue
        if arabic > share:  # a tie keeps WINDOWS-1256, the more common of the two
            best, share = codec, arabic
    return best


# Bytes beyond ASCII a general detector needs before its guess is worth naming (two bytes of
# "caf\xe9 \xff" were once read as Urdu CP1006, and the file "translated" from it).
MIN_EVIDENCE = 20


def _detect(data: bytes) -> str | None:
    """An Arabic legacy encoding that reads the bytes as Arabic, else charset-normalizer's
    best guess if it decodes the whole file; None otherwise."""
    from charset_normalizer import from_bytes

    arabic = _arabic_legacy(data)
    if arabic is not None:
        return canonical(arabic)
    if sum(b > 127 for b in data) < MIN_EVIDENCE:
        return None  # a handful of bytes beyond ASCII: any guess would be a coin toss

    best = from_bytes(data).best()
    if best is None:
        return None
    codec = canonical(best.encoding)
    if codec is None or codec.startswith("utf-8"):
        return None
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return None
    return codec
