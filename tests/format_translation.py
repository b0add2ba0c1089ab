"""Translating the units of a document for the format tests, without a model.

The text goes through the real pipeline (``Translator`` with the deterministic echo engine,
so glossary terms come out as their English targets and everything else is transliterated
to Latin letters); each mark is moved by its relative position in the text, snapped to a
word boundary. That is enough to check what a format does with units and marks.
"""

from __future__ import annotations

import re

from fakes import EchoEngine

from tarjama import Translator
from tarjama.formats import Mark, Translated


def _core(word: str) -> int:
    """Length of a word without its trailing punctuation."""
    return len(re.sub(r"[.,:;!?،؛؟]+$", "", word)) or len(word)


def _move(pos: int, source: str, target: str) -> int:
    """Where offset ``pos`` of ``source`` lands in ``target``: the same edge (start, end
    before punctuation, end) of the word at the same relative place."""
    words, english = list(re.finditer(r"\S+", source)), list(re.finditer(r"\S+", target))
    if not words or not english:
        return 0 if pos <= 0 else len(target)
    for i, w in enumerate(words):
        if pos <= w.start():
            edge = "start"
        elif pos <= w.start() + _core(w.group()):
            edge = "core"
        elif pos <= w.end():
            edge = "end"
        else:
            continue
        t = english[min(len(english) - 1, round(i * len(english) / len(words)))]
        return {"start": t.start(), "core": t.start() + _core(t.group()), "end": t.end()}[edge]
    return len(target)


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
