"""Translating the units of a document for the format tests, without a model.

The text goes through the real pipeline (``Translator`` with the deterministic echo engine,
so glossary terms come out as their English targets and everything else is transliterated
to Latin letters); each mark is moved by its relative position in the text, snapped to a
word boundary. That is enough to check what a format does with units and marks.
"""

from __future__ import annotations

from fakes import EchoEngine

from tarjama import Translator
from tarjama.formats import Mark, Translated


def _move(pos: int, source: str, target: str) -> int:
    if pos <= 0 or not source:
        return 0
    if pos >= len(source):
        return len(target)
    guess = round(pos * len(target) / len(source))
    boundaries = [0, len(target)] + [i for i, c in enumerate(target) if c == " "] + [i + 1 for i, c in enumerate(target) if c == " "]
    return min(boundaries, key=lambda b: (abs(b - guess), b))


def translate_units(units, glossary=None) -> list[Translated]:
    translator = Translator(engine=EchoEngine(), glossary=glossary)
    results = translator.translate_many([[u.text] for u in units])
    out = []
    for unit, result in zip(units, results):
        text = result.paragraphs[0] if result.paragraphs else ""
        marks = []
        for m in unit.marks:
            start = _move(m.start, unit.text, text)
            end = start if m.start == m.end else max(start, _move(m.end, unit.text, text))
            marks.append(Mark(start, end, m.key))
        out.append(Translated(text, tuple(marks), result.terms))
    return out


def translate_document(data: bytes, name: str, glossary=None) -> bytes:
    from tarjama.formats import extract, verify

    extracted = extract(data, name)
    translated = translate_units(extracted.units, glossary)
    assert verify(extracted.units, translated) == []
    return extracted.rebuild(translated)
