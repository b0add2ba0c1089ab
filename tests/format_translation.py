"""Translating the units of a document for the format tests, without a model: the real
pipeline (``Translator.translate_units``: glossary enforcement, marks carried onto the
English) with the deterministic echo engine, so glossary terms come out as their English
targets and everything else is transliterated to Latin letters."""

from __future__ import annotations

from fakes import EchoEngine

from tarjama import Translator
from tarjama.formats import Translated


def translate_units(units, glossary=None) -> list[Translated]:
    return Translator(engine=EchoEngine(), glossary=glossary).translate_units([units])[0].units


def translate_document(data: bytes, name: str, glossary=None) -> bytes:
    """The translated document, as ``tarjama translate`` writes it (verified first)."""
    from tarjama.documents import translate_documents

    done = translate_documents(Translator(engine=EchoEngine(), glossary=glossary), [(name, data)])[0]
    assert done.problems == [], done.problems
    return done.data
