"""Arabic orthographic normalization that remembers where each character came from.

Glossary matching compares normalized text, but must report offsets in the text the
user gave us; :func:`normalize_with_map` returns both.
"""

from __future__ import annotations

import re
import unicodedata

TATWEEL = "\u0640"

# Invisible format characters that keyboards and editors put inside words: zero-width
# non-joiner/joiner and the directional marks (LRM, RLM, ALM, embeddings, isolates).
# They carry no letters, so matching folds them away like tatweel.
INVISIBLE = {"\u200c", "\u200d", "\u200e", "\u200f", "\u061c"} | {chr(c) for c in range(0x202A, 0x202F)}
INVISIBLE |= {chr(c) for c in range(0x2066, 0x206A)}

# Characters dropped entirely: harakat, shadda, sukun, superscript alef, Quranic marks.
_DROPPED = set(chr(c) for c in range(0x064B, 0x0660)) | {"\u0670", TATWEEL}
_DROPPED |= set(chr(c) for c in range(0x06D6, 0x06EE)) | INVISIBLE

# Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF): contextual glyph shapes that
# text copied from PDFs often carries instead of letters. NFKC maps each to its letter(s).
_PRESENTATION = re.compile("[\uFB50-\uFDFF\uFE70-\uFEFE]")

# Letters folded onto one representative, as Arabic news writing uses them interchangeably.
_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ة": "ه",
    "ى": "ي",
    "ی": "ي",  # Persian yeh, common in text pasted from Persian/Urdu keyboards
    "ک": "ك",  # Persian keheh
}

_ARABIC_LETTER = re.compile(r"[\u0621-\u063A\u0641-\u064A\u0671-\u06D3\u06FA-\u06FF\uFB50-\uFDFF\uFE70-\uFEFC]")

# What a segment without Arabic letters keeps when it is copied into the English: Arabic
# punctuation in its English form, marks that carry no text dropped.
_ENGLISH_PUNCTUATION = str.maketrans({"؟": "?", "،": ",", "؛": ";", "٪": "%", "۔": "."})


def has_arabic(text: str) -> bool:
    """True if ``text`` contains at least one Arabic letter."""
    return _ARABIC_LETTER.search(text) is not None


def is_dropped(ch: str) -> bool:
    return ch in _DROPPED


def fold_presentation_forms(text: str) -> str:
    """``text`` with Arabic presentation forms replaced by the letters they show."""
    if not _PRESENTATION.search(text):
        return text
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def copy_through(text: str) -> str:
    """A segment with no Arabic letters as it goes into the English: diacritics, tatweel and
    invisible marks alone are no text, and ؟ ، ؛ become ? , ;."""
    kept = "".join(ch for ch in text if ch not in _DROPPED)
    return kept.translate(_ENGLISH_PUNCTUATION).strip()


def normalize_char(ch: str) -> str:
    """The normalized form of one character ('' when it is dropped; a presentation-form
    ligature such as ﻻ gives two letters)."""
    if ch in _DROPPED:
        return ""
    if _PRESENTATION.match(ch):
        return "".join(_FOLD.get(c, c) for c in unicodedata.normalize("NFKC", ch) if c not in _DROPPED and not c.isspace())
    return _FOLD.get(ch, ch)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalize ``text``; also return, for each output character, its index in ``text``."""
    out: list[str] = []
    index: list[int] = []
    # No Unicode NFC first: it would shift offsets. Combining hamza/madda (U+0653..U+0655)
    # are dropped instead, which folds decomposed forms onto the same result.
    for i, ch in enumerate(text):
        for n in normalize_char(ch):
            out.append(n)
            index.append(i)
    return "".join(out), index


def normalize(text: str) -> str:
    """Normalized text with runs of whitespace collapsed to one space (for keys and lookups)."""
    norm, _ = normalize_with_map(text)
    return " ".join(norm.split())
