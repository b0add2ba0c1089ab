"""The translation pipeline and its Python API.

read → paragraphs → sentences → glossary matches and protected spans → pieces (at pause
marks such as ``..``, and short enough for the model) → protect → engine (batched) →
restore / verify / repair → pieces joined with the writer's marks → paragraphs again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Protocol, Sequence

from ..text.arabic import copy_through, has_arabic
from ..engines import Engine
from ..engines.options import EngineOptions
from .enforce import Enforcer, TermResult, Unit
from ..glossary.model import Glossary, load_default_glossary, load_glossary
from ..glossary.matching import Matcher
from ..text.segment import pause_mark, pause_spans, sentence_spans, split_long, split_paragraphs
from .span_matches import with_spans
from ..text.spans import western_digits


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
    from_memory: bool = False  # served by the translation memory

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
    # For documents translated as units (tarjama.formats): each unit's translation, with
    # its inline marks moved onto the English.
    units: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def terms(self) -> list[TermResult]:
        return [t for s in self.sentences for t in s.terms]

    @property
    def applied(self) -> int:
        """Glossary terms applied (protected spans kept are not counted here)."""
        return sum(t.status == "applied" and t.kind == "term" for t in self.terms)

    @property
    def unresolved(self) -> int:
        """Glossary terms and protected spans that could not be put in the English."""
        return sum(t.status != "applied" for t in self.terms)

    @property
    def spans_kept(self) -> int:
        return sum(t.status == "applied" and t.kind != "term" for t in self.terms)

    def summary(self) -> str:
        terms = "glossary term" if self.applied == 1 else "glossary terms"
        return f"{self.applied} {terms} applied, {self.unresolved} unresolved"


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
        engine: str | Engine = "auto",
        device: str | None = None,
        beams: int | None = None,
        batch_size: int | None = None,
        batch_tokens: int | None = None,
        threads: int | None = None,
        max_sentence_tokens: int | None = None,
        compute_type: str | None = None,
        memory=None,
        options: EngineOptions | None = None,
    ):
        """Engine settings come as ``options`` (one :class:`EngineOptions`) or as keywords;
        keywords left at None take the defaults of ``EngineOptions``."""
        if options is None:
            options = EngineOptions.build(
                model,
                engine=engine if isinstance(engine, str) else engine.name,
                device=device,
                beams=beams,
                batch_size=batch_size,
                batch_tokens=batch_tokens,
                threads=threads,
                max_input_tokens=max_sentence_tokens,
                compute_type=compute_type,
            )
        self.options = options
        self.model = options.model
        self.glossary = resolve_glossary(glossary)
        self.matcher = Matcher(self.glossary)
        self._enforcer = None  # built once: its forbidden-rendering index covers the whole glossary
        self.memory = memory  # a TranslationMemory, or None
        self._engine = engine if isinstance(engine, Engine) else None
        # Called with one line saying which engine runs and why, when it is loaded (the CLI
        # prints it on stderr).
        self.announce = None

    @property
    def engine(self) -> Engine:
        """The engine, created (and the model loaded) on first use."""
        if self._engine is None:
            from ..engines.options import create

            self._engine, self.options, line = create(self.options)
            if self.announce is not None:
                self.announce(line)
        return self._engine

    @property
    def settings(self) -> str:
        """Everything besides the sentence and its terms that decides a translation."""
        return self.options.settings(self._engine.describe() if self._engine is not None else None)

    def translate(self, text: str) -> str:
        return self.translate_document(text).text

    def translate_document(self, text: str, progress: ProgressSink | None = None) -> TranslationResult:
        """Translate a text whose lines are paragraphs."""
        return self.translate_many([split_paragraphs(text)], progress)[0]

    def translate_units(self, documents, progress: ProgressSink | None = None) -> list[TranslationResult]:
        """Translate documents given as lists of ``formats.Unit``: each unit whole, as one
        paragraph, its marks carried onto the English (``result.units``)."""
        texts = [unit_texts(units) for units in documents]
        return self.carry_units(documents, self.translate_many(texts, progress))

    @staticmethod
    def carry_units(documents, results: list[TranslationResult]) -> list[TranslationResult]:
        """Fill ``result.units`` of results that ``translate_many`` gave for the
        ``unit_texts`` of ``documents`` (a server batches the texts of many requests first)."""
        from ..formats.base import Translated
        from ..formats.carry import carry, sentence_layout

        for units, result in zip(documents, results):
            by_paragraph: dict[int, list[SentenceResult]] = {}
            for s in result.sentences:
                by_paragraph.setdefault(s.paragraph, []).append(s)
            for n, (unit, source, english) in enumerate(zip(units, unit_texts(units), result.paragraphs), start=1):
                sentences = by_paragraph.get(n, [])
                layout = sentence_layout(source, [s.translation for s in sentences])
                marks = carry(source, unit.marks, english, layout, [s.terms for s in sentences])
                result.units.append(Translated(english, marks, [t for s in sentences for t in s.terms]))
        return results

    def translate_file(
        self,
        path,
        output=None,
        progress: ProgressSink | None = None,
        output_as: str | None = None,
        allow_arabic: bool = False,
    ):
        """Translate a document file through its format (``tarjama.formats``): the result's
        ``data`` is the translated document; it is written to ``output`` (atomically) when
        given. A document with a unit left untranslated, or Arabic left in the written
        document (unless ``allow_arabic``), raises, and nothing is written.
        A PDF or a scan is translated into the kind of document the suffix of ``output``
        (or of ``output_as``) names: .docx (the default), .md or .html."""
        from ..documents import translate_file

        return translate_file(self, path, output, progress, output_as, allow_arabic=allow_arabic)

    def translate_many(self, documents: Sequence[Sequence[str]], progress: ProgressSink | None = None) -> list[TranslationResult]:
        """Translate several documents, each a list of paragraphs, in shared batches."""
        results = []
        to_translate: list[tuple[SentenceResult, str]] = []
        for paragraphs in documents:
            sentences: list[SentenceResult] = []
            for p_index, paragraph in enumerate(paragraphs, start=1):
                for s_index, (s, e) in enumerate(sentence_spans(paragraph), start=1):
                    source = paragraph[s:e]
                    # Numbers, URLs and Latin text are copied, never sent to the model.
                    method = "translated" if has_arabic(source) else "copied"
                    copy = western_digits(copy_through(source)) if method == "copied" else ""
                    result = SentenceResult(p_index, s_index, source, copy, method)
                    sentences.append(result)
                    if method == "translated":
                        to_translate.append((result, source))
            results.append(TranslationResult(list(paragraphs), [], sentences))
        if to_translate:
            self._translate_sentences(to_translate, progress)
        for result in results:
            by_paragraph: dict[int, list[str]] = {}
            for s in result.sentences:
                by_paragraph.setdefault(s.paragraph, []).append(s.translation)
            result.paragraphs = [" ".join(t for t in by_paragraph.get(i, []) if t) for i in range(1, len(result.sources) + 1)]
        return results

    def _translate_sentences(self, items: list[tuple[SentenceResult, str]], progress: ProgressSink | None):
        scans = [self.matcher.scan(source) for _, source in items]
        # Protected spans (URLs, numbers, Latin names …) ride on the glossary's machinery.
        all_matches = [with_spans(source, matches) for (_, source), (matches, _) in zip(items, scans)]
        self._translate_matched(items, all_matches, progress)
        # Terms deliberately not enforced (inside a longer name the glossary almost knows).
        for (result, _), (_, notes) in zip(items, scans):
            result.warnings = [n.message for n in notes] + result.warnings

    def _translate_matched(self, items, all_matches, progress: ProgressSink | None):
        keys: list[str | None] = [None] * len(items)
        if self.memory is not None:
            from ..jobs.translation_memory import memory_key

            settings = self.settings
            keys = [memory_key(settings, source, [m.entry for m in ms]) for (_, source), ms in zip(items, all_matches)]
            cached = self.memory.get_many(keys)
            todo = []
            for k, key in enumerate(keys):
                if key in cached:
                    translation, terms = cached[key]
                    items[k][0].translation = translation
                    items[k][0].terms = [TermResult(**t) for t in terms]
                    items[k][0].warnings = self._stray_forbidden(items[k][0])
                    items[k][0].from_memory = True
                else:
                    todo.append(k)
        else:
            todo = list(range(len(items)))
        if progress:
            progress.start(len(items))
            if len(todo) < len(items):
                progress.advance(len(items) - len(todo))
        if not todo:
            return
        engine = self.engine
        limit = engine.max_input_tokens
        lengths = engine.count_tokens([items[k][1] for k in todo])
        units: list[Unit] = []
        owners: list[tuple[int, int, int]] = []  # (item index, piece offset in sentence, pieces in sentence)
        glue: dict[int, list[str]] = {}  # per sentence: what goes before each piece, and after the last
        for k, length in zip(todo, lengths):
            source, matches = items[k][1], all_matches[k]
            spans = self._pieces(source, matches, length, limit)
            marks = [pause_mark(source[: spans[0][0]], first=True)]
            marks += [pause_mark(source[a:b]) for (_, a), (b, _) in zip(spans, spans[1:])]
            marks.append(pause_mark(source[spans[-1][1] :], last=True))
            glue[k] = marks
            for n, (s, e) in enumerate(spans):
                inside = [_shift(m, -s) for m in matches if s <= m.clitic_start and m.end <= e]
                # A piece after a pause mark continues the sentence: no capital forced.
                units.append(Unit(source[s:e], inside, sentence_start=n == 0 and not marks[0]))
                owners.append((k, s, len(spans)))

        if self._enforcer is None or self._enforcer.engine is not engine:
            self._enforcer = Enforcer(engine, self.glossary)
        outcomes = self._enforcer.run(units, _SentenceProgress(owners, progress) if progress else None)
        pieces: dict[int, list[str]] = {}
        for (k, offset, _), outcome in zip(owners, outcomes):
            result = items[k][0]
            pieces.setdefault(k, []).append(outcome.translation)
            for term in outcome.terms:
                term.start += offset
                term.end += offset
                result.terms.append(term)
        stored = []
        for k in todo:
            result = items[k][0]
            result.translation = _join(pieces.get(k, []), glue[k])
            result.warnings = self._stray_forbidden(result)
            if keys[k] is not None:
                stored.append((keys[k], result.translation, [t.as_dict() for t in result.terms]))
        if self.memory is not None and stored:
            self.memory.put_many(stored)

    def _pieces(self, source: str, matches, length: int, limit: int) -> list[tuple[int, int]]:
        """Where the sentence is cut before it goes to the model: at pause marks (``..``,
        ``…``), then, for a piece over the token limit, at clause boundaries; never inside
        a term or a protected span, never by truncating."""
        stretches = pause_spans(source)
        if stretches == [(0, len(source))] and length <= limit:
            return stretches
        protected = [(m.clitic_start, m.end) for m in matches]
        count = lambda t: self.engine.count_tokens([t])[0]  # noqa: E731
        out: list[tuple[int, int]] = []
        for s, e in stretches:
            inner = [(a - s, b - s) for a, b in protected if s <= a and b <= e]
            out += [(s + a, s + b) for a, b in split_long(source[s:e], count, limit, inner)]
        return out or [(0, len(source))]

    def _stray_forbidden(self, result: SentenceResult) -> list[str]:
        """Forbidden renderings that the model produced where no glossary term was found:
        not replaced (nothing in the source says which term is meant), but never silent."""
        from ..quality.check import forbidden_index

        matched = {t.source for t in result.terms}
        found = []
        for _, (entry, target), m in forbidden_index(self.glossary).finditer(result.translation):
            if entry.source not in matched:
                found.append(f"{m.group(0)!r} is a forbidden rendering of {target!r}, but no glossary term matched here")
        return found


class _SentenceProgress:
    """Turns the engine's progress in units (pieces of long sentences) into sentences."""

    def __init__(self, owners, sink: ProgressSink):
        self.sink = sink
        self.weights = [1 / n for _, _, n in owners]
        self.done = 0
        self.reported = 0

    def __call__(self, n: int) -> None:
        self.done += n
        whole = int(sum(self.weights[: self.done]) + 1e-9)
        if whole > self.reported:
            self.sink.advance(whole - self.reported)
            self.reported = whole


def _join(translations: list[str], marks: list[str]) -> str:
    """The English pieces of one sentence joined by the source's pause marks (``..``, ``…``)
    or a space; a piece before a mark loses the full stop the model gave it."""
    out = [marks[0]]
    for n, text in enumerate(translations):
        after = marks[n + 1] if n + 1 < len(marks) else ""
        if after.strip():
            text = text.rstrip().rstrip(".…").rstrip()
        out.append(text)
        out.append(after)
    return "".join(out).strip()


def unit_texts(units) -> list[str]:
    """The paragraphs the translator sees for format units: one line per unit (a line break
    inside a unit is only white space)."""
    return [u.text.replace("\r", " ").replace("\n", " ") for u in units]


def _shift(match, delta: int):
    from dataclasses import replace

    return replace(
        match,
        start=match.start + delta,
        end=match.end + delta,
        clitic_start=match.clitic_start + delta,
    )
