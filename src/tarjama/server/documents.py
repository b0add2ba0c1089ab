"""Uploaded documents: the one place the server meets tarjama's document formats.

Kept to these few lines so that a formats package can replace ``formats.py`` here alone.
"""

from __future__ import annotations

from ..document import decode_utf8
from ..errors import InputError
from ..formats import SUPPORTED, Extracted, extract, format_of


def supported_extensions() -> list[str]:
    return sorted(SUPPORTED)


def open_document(name: str, data: bytes) -> Extracted:
    """The prose of an uploaded file and how to rebuild it; InputError if it cannot be read."""
    kind = format_of(name)
    if kind is None:
        raise InputError("Invalid request: file format not supported")
    return extract(decode_utf8(data, name), kind)


def open_text(text: str, kind: str) -> Extracted:
    """The prose of a text given in a request (LibreTranslate's ``format=html``)."""
    return extract(text, kind)
