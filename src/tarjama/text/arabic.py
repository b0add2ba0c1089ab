"""Arabic orthographic normalization that remembers where each character came from.

Glossary matching compares normalized text, but must report offsets in the text the
user gave us; :func:`normalize_with_map` returns both.
"""

from __future__ import annotations

import re

TATWEEL = "\u0640"

# Characters dropped entirely: harakat, shadda, sukun, superscript alef, Quranic marks.
_DROPPED = set(chr(c) for c in range(0x064B, 0x0660)) | {"\u0670", TATWEEL}
_DROPPED |= set(chr(c) for c in range(0x06D6, 0x06EE))

# Letters folded onto one representative, as Arabic news writing uses them interchangeably.
_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ة": "ه",
    "ى": "ي",
    "ی": "ي",  # Persian yeh, common in text pasted from Persian/Urdu keyboards
    "ک": "ك",  # Persian keheh
}

_ARABIC_LETTER = re.compile(r"[\u0621-\u063A\u0641-\u064A\u0671-\u06D3\u06FA-\u06FF]")


def has_arabic(text: str) -> bool:
    """True if ``text`` contains at least one Arabic letter."""
    return _ARABIC_LETTER.search(text) is not None


def is_dropped(ch: str) -> bool:
    return ch in _DROPPED


def normalize_char(ch: str) -> str:
    """The normalized form of one character ('' when it is dropped)."""
    if ch in _DROPPED:
        return ""
    return _FOLD.get(ch, ch)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalize ``text``; also return, for each output character, its index in ``text``."""
    out: list[str] = []
    index: list[int] = []
    # No Unicode NFC first: it would shift offsets. Combining hamza/madda (U+0653..U+0655)
    # are dropped instead, which folds decomposed forms onto the same result.
    for i, ch in enumerate(text):
        n = normalize_char(ch)
        if n:
            out.append(n)
            index.append(i)
    return "".join(out), index


def normalize(text: str) -> str:
    """Normalized text with runs of whitespace collapsed to one space (for keys and lookups)."""
    norm, _ = normalize_with_map(text)
    return " ".join(norm.split())
