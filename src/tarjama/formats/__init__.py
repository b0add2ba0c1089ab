"""Document formats: the registry (file suffix → format) and what batch, translate and the
Python API use to go through it.

Every module of this package that defines ``FORMAT`` (an instance of
``base.DocumentFormat``) is a format; adding a format is adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from pathlib import PurePath

from ..text.arabic import has_arabic
from .base import DocumentError, DocumentFormat, Extracted, Mark, Translated, Unit

__all__ = [
    "DocumentError",
    "DocumentFormat",
    "Extracted",
    "Mark",
    "Translated",
    "Unit",
    "all_formats",
    "extract",
    "is_binary_output",
    "format_for",
    "output_name",
    "output_suffix",
    "rebuild",
    "supported_suffixes",
    "unsupported_message",
    "verify",
]


@lru_cache(maxsize=1)
def _registry() -> dict[str, DocumentFormat]:
    by_suffix: dict[str, DocumentFormat] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name == "base":
            continue
        fmt = getattr(importlib.import_module(f"{__name__}.{info.name}"), "FORMAT", None)
        if isinstance(fmt, DocumentFormat):
            for suffix in fmt.suffixes:
                by_suffix[suffix.lower()] = fmt
    return by_suffix


def all_formats() -> list[DocumentFormat]:
    seen: dict[str, DocumentFormat] = {}
    for fmt in _registry().values():
        seen.setdefault(fmt.name, fmt)
    return sorted(seen.values(), key=lambda f: f.name)


def supported_suffixes() -> list[str]:
    return sorted(_registry())


def format_for(name: str) -> DocumentFormat | None:
    """The format of a file, by its suffix (case-insensitive); None if unsupported."""
    return _registry().get(PurePath(name).suffix.lower())


def unsupported_message(name: str) -> str:
    suffix = PurePath(name).suffix or "(no suffix)"
    return f"{name}: unsupported file type {suffix}; supported: {', '.join(supported_suffixes())}"


def extract(data: bytes, name: str) -> Extracted:
    """The units of the document ``data`` named ``name``, by its format."""
    fmt = format_for(name)
    if fmt is None:
        raise DocumentError(unsupported_message(name))
    return fmt.extract(data, name)


def output_suffix(name: str, output: str | None = None) -> str:
    """The suffix the translation of ``name`` is written with. The input's own, except for
    a format whose translation is another kind of document (``DocumentFormat.outputs``: a
    PDF, a scan): then the suffix of ``output`` when given, else the format's default.
    DocumentError when ``output`` names a kind that format cannot be written as."""
    fmt = format_for(name)
    own = PurePath(name).suffix
    if fmt is None or not fmt.outputs:
        return own
    if output is None or str(output) == "-":
        return fmt.outputs[0]
    wanted = PurePath(str(output)).suffix.lower()
    if wanted not in fmt.outputs:
        raise DocumentError(
            f"{name} is translated into {', '.join(fmt.outputs[:-1])} or {fmt.outputs[-1]} (chosen by the output's suffix),"
            f" not {wanted or 'a file without a suffix'}"
        )
    return wanted


def output_name(name: str, output: str | None = None) -> str:
    """``name`` with the suffix its translation is written with (``report.pdf`` → ``report.docx``)."""
    suffix = output_suffix(name, output)
    path = PurePath(name)
    return str(path.with_suffix(suffix)) if path.suffix else name


def is_binary_output(name: str, output: str | None = None) -> bool:
    """Whether the translation of ``name`` is a binary file (never written to stdout)."""
    fmt = format_for(name)
    if fmt is None:
        return False
    if fmt.outputs:
        return output_suffix(name, output) == ".docx"
    return fmt.binary


def rebuild(extracted: Extracted, translations: list[Translated], suffix: str | None = None) -> bytes:
    """The translated document, written as the kind ``suffix`` names where the format
    offers a choice (``Extracted.rebuild_as``), else as the input's kind."""
    if suffix is not None and extracted.rebuild_as is not None:
        return extracted.rebuild_as(translations, suffix)
    return extracted.rebuild(translations)


def verify(units: list[Unit], translated: list[Translated]) -> list[str]:
    """Problems that make a translated document a failure: a unit count that does not
    match, or a unit left in Arabic. Empty when the document is complete."""
    if len(units) != len(translated):
        return [f"{len(units)} units to translate, {len(translated)} translated"]
    problems = []
    for n, (unit, out) in enumerate(zip(units, translated), start=1):
        if has_arabic(unit.text) and (not out.text.strip() or has_arabic(out.text)):
            problems.append(f"unit {unit.id or n} left untranslated: {unit.text[:40]!r}")
    return problems
