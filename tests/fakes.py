"""Deterministic engines for exact assertions on the glossary logic."""

from __future__ import annotations

import itertools
import re
from typing import Sequence

from tarjama.engines.base import Engine

# Buckwalter-like, with letters only, so the output is plain Latin text.
_TRANSLIT = dict(zip(
    "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي،؛؟",
    "'AAwIyAbptvjHxdVrzscSDTZEgfqklmnhwYy,;?",
))


def transliterate(text: str) -> str:
    """Arabic letters to Latin ones; everything else (Latin, digits, punctuation) kept."""
    return "".join(_TRANSLIT.get(c, "" if "\u064b" <= c <= "\u0652" or c == "ـ" else c) for c in text)


class EchoEngine(Engine):
    """'Translates' by transliteration: Latin text (protected terms) passes through intact."""

    name = "echo"

    def __init__(self, max_input_tokens: int = 256):
        self.max_input_tokens = max_input_tokens
        self.calls: list[list[str]] = []

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t.split()) + 1 for t in texts]

    def translate(self, texts, *, avoid=None, progress=None):
        self.calls.append(list(texts))
        out = [self.render(t) for t in texts]
        if progress:
            progress(len(texts))
        return out

    def render(self, text: str) -> str:
        return transliterate(text)


class AdversarialEngine(EchoEngine):
    """Mangles every glossary target it sees, in turn: drops it, duplicates it, re-cases it,
    splits it, hyphenates it, 'translates' it into a forbidden rendering or a
    transliteration, and adds stray forbidden renderings."""

    name = "adversarial"
    MODES = ("drop", "duplicate", "lower", "split", "hyphen", "forbidden", "translate", "extra")

    def __init__(self, glossary, max_input_tokens: int = 256):
        super().__init__(max_input_tokens)
        self.entries = sorted(glossary, key=lambda e: -len(e.target))
        self.modes = itertools.cycle(self.MODES)

    def render(self, text: str) -> str:
        out = transliterate(text)
        for entry in self.entries:
            pattern = re.compile(rf"(?<![A-Za-z]){re.escape(entry.target)}(?![A-Za-z])")
            out = pattern.sub(lambda m: self.mangle(entry), out)
        return out

    def mangle(self, entry) -> str:
        t = entry.target
        mode = next(self.modes)
        if mode == "drop":
            return ""
        if mode == "duplicate":
            return f"{t} {t}"
        if mode == "lower":
            return t.lower()
        if mode == "split":
            return " ".join(t) if len(t) <= 5 else t.replace(" ", "  ")
        if mode == "hyphen":
            return t.replace(" ", "-") if " " in t else f"{t[:1]}-{t[1:]}"
        if mode == "forbidden" and entry.forbidden:
            return entry.forbidden[0]
        if mode == "extra" and entry.forbidden:
            return f"{t} ({entry.forbidden[-1]})"
        return "Qasad" if t == "SDF" else transliterate(entry.source)


class SpanAdversarialEngine(AdversarialEngine):
    """Also mangles every protected span it is given (URLs, numbers, Latin names …), in the
    same turns as the glossary targets, before 'translating' the rest."""

    name = "span-adversarial"

    def render(self, text: str) -> str:
        from tarjama.pipeline.span_matches import SpanEntry
        from tarjama.text.spans import find_spans

        for span in reversed(find_spans(text)):
            entry = SpanEntry(source=span.text, target=span.text, kind=span.kind)
            text = text[: span.start] + self.mangle(entry) + text[span.end :]
        return super().render(text)
