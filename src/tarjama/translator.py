"""The translation pipeline and its Python API.

read → paragraphs → sentences → glossary matches → pieces short enough for the model →
protect → engine (batched) → restore / verify / repair → paragraphs again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Protocol, Sequence

from .arabic import has_arabic
from .engines import Engine, create_engine
from .enforce import Enforcer, TermResult, Unit
from .glossary import Glossary, load_default_glossary, load_glossary
from .matching import Matcher
from .segment import sentence_spans, split_long, split_paragraphs


@dataclass
class SentenceResult:
    paragraph: int  # 1-based line number of the paragraph
    sentence: int  # 1-based index within the paragraph
    source: str
    translation: str
    method: str  # translated | copied
    terms: list[TermResult] = field(default_factory=list)
    # Forbidden renderings in the output that no term of this sentence explains.
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "paragraph": self.paragraph,
            "sentence": self.sentence,
            "source": self.source,
            "translation": self.translation,
            "method": self.method,
            "glossary": [t.as_dict() for t in self.terms],
            "warnings": list(self.warnings),
        }


@dataclass
class TranslationResult:
    sources: list[str]  # the input paragraphs
    paragraphs: list[str]  # their translations, one for one
    sentences: list[SentenceResult]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def terms(self) -> list[TermResult]:
        return [t for s in self.sentences for t in s.terms]

    @property
    def applied(self) -> int:
        return sum(t.status == "applied" for t in self.terms)

    @property
    def unresolved(self) -> int:
        return sum(t.status != "applied" for t in self.terms)

    def summary(self) -> str:
        return f"{self.applied} glossary terms applied, {self.unresolved} unresolved"


class ProgressSink(Protocol):
    """Receives progress: the number of units to translate, then increments."""

    def start(self, total: int) -> None: ...

    def advance(self, n: int) -> None: ...


GlossarySpec = Glossary | Sequence[str | os.PathLike] | str | None


def resolve_glossary(glossary: GlossarySpec) -> Glossary:
    """``"default"`` → the project's glossary; ``None`` → none; paths → those files/folders."""
    if glossary is None:
        return Glossary()
    if isinstance(glossary, Glossary):
        return glossary
    if isinstance(glossary, str) and glossary == "default":
        return load_default_glossary()
    if isinstance(glossary, (str, os.PathLike)):
        return load_glossary([glossary])
    return load_glossary(list(glossary))


class Translator:
    """Arabic → English translation with glossary enforcement.

    >>> t = Translator()                      # default model and the project's glossary
    >>> t.translate("أعلنت قسد ...")           # -> English text, one line per input line
    >>> t.translate_document(text).sentences  # per-sentence results with glossary reports
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        glossary: GlossarySpec = "default",
        engine: str | Engine = "transformers",
        device: str = "auto",
        beams: int = 4,
        batch_size: int = 32,
        batch_tokens: int = 4096,
        threads: int | None = None,
        max_sentence_tokens: int = 256,
    ):
        from .models import default_model

        self.model = model or default_model()
        self.glossary = resolve_glossary(glossary)
        self.matcher = Matcher(self.glossary)
        self._engine = engine if isinstance(engine, Engine) else None
        self._engine_name = engine if isinstance(engine, str) else engine.name
        self._engine_options = dict(
            device=device,
            beams=beams,
            batch_size=batch_size,
            batch_tokens=batch_tokens,
            threads=threads,
            max_input_tokens=max_sentence_tokens,
        )

    @property
    def engine(self) -> Engine:
        """The engine, created (and the model loaded) on first use."""
        if self._engine is None:
            self._engine = create_engine(self._engine_name, self.model, **self._engine_options)
        return self._engine

    def translate(self, text: str) -> str:
        return self.translate_document(text).text

    def translate_document(self, text: str, progress: ProgressSink | None = None) -> TranslationResult:
        paragraphs = split_paragraphs(text)
        sentences: list[SentenceResult] = []
        to_translate: list[tuple[SentenceResult, str]] = []
        for p_index, paragraph in enumerate(paragraphs, start=1):
            for s_index, (s, e) in enumerate(sentence_spans(paragraph), start=1):
                source = paragraph[s:e]
                # Numbers, URLs and Latin text are copied, never sent to the model.
                method = "translated" if has_arabic(source) else "copied"
                result = SentenceResult(p_index, s_index, source, source if method == "copied" else "", method)
                sentences.append(result)
                if method == "translated":
                    to_translate.append((result, source))
        if to_translate:
            self._translate_sentences(to_translate, progress)
        by_paragraph: dict[int, list[str]] = {}
        for s in sentences:
            by_paragraph.setdefault(s.paragraph, []).append(s.translation)
        out = [" ".join(t for t in by_paragraph.get(i, []) if t) for i in range(1, len(paragraphs) + 1)]
        return TranslationResult(paragraphs, out, sentences)

    def _translate_sentences(self, items: list[tuple[SentenceResult, str]], progress: ProgressSink | None):
        engine = self.engine
        limit = engine.max_input_tokens
        lengths = engine.count_tokens([source for _, source in items])
        units: list[Unit] = []
        owners: list[tuple[int, int]] = []  # (item index, piece offset in sentence)
        for k, ((_, source), length) in enumerate(zip(items, lengths)):
            matches = self.matcher.find(source)
            if length <= limit:
                spans = [(0, len(source))]
            else:
                # Never truncate: cut at clause boundaries, never inside a term.
                protected = [(m.clitic_start, m.end) for m in matches]
                spans = split_long(source, lambda t: engine.count_tokens([t])[0], limit, protected)
            for n, (s, e) in enumerate(spans):
                inside = [_shift(m, -s) for m in matches if s <= m.clitic_start and m.end <= e]
                units.append(Unit(source[s:e], inside, sentence_start=n == 0))
                owners.append((k, s))
        if progress:
            progress.start(len(units))
        outcomes = Enforcer(engine, self.glossary).run(units, progress.advance if progress else None)
        pieces: dict[int, list[str]] = {}
        for (k, offset), outcome in zip(owners, outcomes):
            result = items[k][0]
            pieces.setdefault(k, []).append(outcome.translation)
            for term in outcome.terms:
                term.start += offset
                term.end += offset
                result.terms.append(term)
        for k, (result, _) in enumerate(items):
            result.translation = " ".join(p for p in pieces.get(k, []) if p)
            result.warnings = self._stray_forbidden(result)

    def _stray_forbidden(self, result: SentenceResult) -> list[str]:
        """Forbidden renderings that the model produced where no glossary term was found:
        not replaced (nothing in the source says which term is meant), but never silent."""
        from .english import phrase_pattern

        matched = {t.target for t in result.terms}
        found = []
        for entry in self.glossary:
            if entry.target in matched:
                continue
            for phrase in entry.forbidden:
                for m in phrase_pattern(phrase).finditer(result.translation):
                    found.append(f"{m.group(0)!r} is a forbidden rendering of {entry.target!r}, but no glossary term matched here")
        return found


def _shift(match, delta: int):
    from dataclasses import replace

    return replace(
        match,
        start=match.start + delta,
        end=match.end + delta,
        clitic_start=match.clitic_start + delta,
    )
