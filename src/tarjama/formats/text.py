"""Plain text: one unit per line that has Arabic in it; every other byte kept."""

from __future__ import annotations

from ..files import decode_text
from ..text.arabic import has_arabic
from .base import DocumentFormat, Extracted, Translated, Unit, splice


class TextFormat(DocumentFormat):
    name = "text"
    suffixes = (".txt",)

    def extract(self, data: bytes, name: str) -> Extracted:
        decoded = decode_text(data, name)
        text = decoded.text
        spans, offset = [], 0
        for n, line in enumerate(text.splitlines(keepends=True), start=1):
            body = line.rstrip("\r\n")
            start = len(body) - len(body.lstrip())
            end = len(body.rstrip())
            if has_arabic(body):
                spans.append((offset + start, offset + end, f"line {n}"))
            offset += len(line)
        units = [Unit(text[s:e], (), uid) for s, e, uid in spans]

        def rebuild(translations: list[Translated]) -> bytes:
            return splice(text, [(s, e, t.text) for (s, e, _), t in zip(spans, translations)]).encode("utf-8")

        return Extracted(units, rebuild, [decoded.note] if decoded.note else [])


FORMAT = TextFormat()
