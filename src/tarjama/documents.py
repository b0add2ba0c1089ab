"""Translating documents through their formats: extract → translate units → verify →
rebuild → audit.

Shared by ``tarjama translate FILE``, ``tarjama batch`` (local and Ray), the server and
``Translator.translate_file``, so that every path checks the same way: as many units
translated as were extracted, none left in Arabic, and then a second reader
(``formats.audit``) reads the written document back: the same number of cues, segments or
paragraphs as the source, and no Arabic left where a reader sees text. Otherwise the
document fails, with one line naming where the Arabic is, and nothing is written
(``allow_arabic`` writes it all the same, with a note). A document with no Arabic text at
all is not "translated": ``no_arabic`` says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .errors import InputError
from .formats import extract, format_for, output_suffix, rebuild, unsupported_message, verify
from .formats.audit import audit
from .formats.base import DocumentError, Extracted


@dataclass
class DocumentTranslation:
    """One translated document: its bytes (None if it failed) and what to report."""

    name: str
    data: bytes | None
    units: int = 0
    translated: int = 0
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    result: object = None  # the TranslationResult, for sentences and glossary reports
    suffix: str = ""  # what ``data`` is: ".docx" for a PDF translated into Word; the input's suffix otherwise
    no_arabic: bool = False  # the source has no Arabic text: nothing was translated
    arabic_left: int = 0  # Arabic letters the audit found in the output (allowed, or a failure)

    @property
    def error(self) -> str:
        if not self.problems:
            return ""
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        return f"{self.name}: {self.problems[0]}{more}"


def translate_documents(
    translator,
    documents: list[tuple[str, bytes]],
    progress=None,
    outputs: list[str | None] | None = None,
    read: list[Extracted | None] | None = None,
    allow_arabic: bool = False,
) -> list[DocumentTranslation]:
    """Translate documents given as (name, bytes), in shared batches; each is verified,
    rebuilt and audited (``check_output``).
    ``outputs``: for each document, the output file name whose suffix chooses what a
    PDF or a scan is written as (``formats.output_suffix``); None for the default.
    ``read``: documents already extracted (batch's plan reads them once: OCR is slow)."""
    extracted: list[Extracted | DocumentTranslation] = []
    suffixes: list[str] = []
    for k, (name, data) in enumerate(documents):
        try:
            suffixes.append(output_suffix(name, outputs[k] if outputs else None))
            known = read[k] if read else None
            extracted.append(known if known is not None else extract(data, name))
        except (DocumentError, InputError) as e:
            extracted.append(DocumentTranslation(name, None, problems=[_without_name(e.message, name)]))
            suffixes[k:] = [""]
    ok = [x for x in extracted if isinstance(x, Extracted)]
    results = iter(translator.translate_units([x.units for x in ok], progress))
    out = []
    for (name, data), x, suffix in zip(documents, extracted, suffixes):
        if isinstance(x, DocumentTranslation):
            out.append(x)
            continue
        result = next(results)
        problems = verify(x.units, result.units)
        done = DocumentTranslation(
            name,
            None,
            units=len(x.units),
            translated=len(x.units) - len(problems) if len(x.units) == len(result.units) else 0,
            notes=list(x.notes),
            problems=problems,
            result=result,
            suffix=suffix,
        )
        if not problems:
            try:
                output = rebuild(x, result.units, suffix)
            except DocumentError as e:
                done.problems = [_without_name(e.message, name)]
            else:
                check_output(done, data, output, allow_arabic)
        out.append(done)
    return out


_HINT = "; nothing written (--allow-arabic writes it anyway)"


def check_output(
    done: DocumentTranslation, source: bytes, output: bytes, allow_arabic: bool = False, hint: str = _HINT
) -> None:
    """The audit of a rebuilt document: ``done.data`` is ``output`` if a second reader
    agrees it is complete; otherwise ``done.problems`` says why, in one line."""
    written_as = os.path.splitext(done.name)[0] + done.suffix if done.suffix else done.name
    before, after = audit(source, done.name), audit(output, written_as)
    if after.problems:
        done.problems = [f"the written document fails its check: {after.problems[0]}"]
        done.translated = 0
        return
    if before.units is not None and after.units is not None and before.units != after.units and not before.problems:
        done.problems = [f"{before.units} {before.unit_kind} in the source but {after.units} in the output"]
        done.translated = 0
        return
    if not after.checked:
        done.notes.append("the written document was not checked by a second reader (none for this format)")
    done.arabic_left = after.letters
    if after.letters:
        if not allow_arabic:
            done.problems = [f"Arabic left in the output at {after.where()}{hint}"]
            done.translated = 0
            return
        done.notes.append(f"Arabic left (allowed) at {after.where(3)}")
    if not done.units and not before.letters:
        done.no_arabic = True
        done.notes.append("no Arabic text: nothing to translate")
    done.data = output


def _without_name(message: str, name: str) -> str:
    return message[len(name) + 2:] if message.startswith(f"{name}: ") else message


def translate_file(
    translator, path, output=None, progress=None, output_as=None, allow_arabic: bool = False
) -> DocumentTranslation:
    """``Translator.translate_file``: one document file through its format."""
    from .files import write_atomic

    name = str(path)
    if format_for(name) is None:
        raise InputError(unsupported_message(name))
    from .files import read_bytes, refuse_same_file

    refuse_same_file(output, path)
    data = read_bytes(path)
    chosen = output_as if output_as is not None else output
    outputs = [str(chosen)] if chosen is not None else None
    done = translate_documents(
        translator, [(os.path.basename(name), data)], progress, outputs, allow_arabic=allow_arabic
    )[0]
    done.name = name
    if done.problems:
        raise DocumentError(done.error)
    if output is not None:
        write_atomic(output, done.data)
    return done
