"""tarjama: Arabic→English news translation with an enforced domain glossary.

The public API, imported lazily so that ``import tarjama`` (and the CLI's ``--help``)
stays fast: :class:`Translator`, :class:`Glossary`, :func:`load_glossary`,
:func:`find_terms`, :func:`check_translation`.
"""

from __future__ import annotations

__version__ = "0.1.0"

_EXPORTS = {
    "Translator": "pipeline.translator",
    "TranslationResult": "pipeline.translator",
    "SentenceResult": "pipeline.translator",
    "Glossary": "glossary.model",
    "Entry": "glossary.model",
    "load_glossary": "glossary.model",
    "find_terms": "glossary.matching",
    "Matcher": "glossary.matching",
    "check_translation": "quality.check",
    "fix_translation": "quality.check",
    "TarjamaError": "errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'tarjama' has no attribute {name!r}")
