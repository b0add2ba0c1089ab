"""Translating documents through their formats: extract → translate units → verify → rebuild.

Shared by ``tarjama translate FILE``, ``tarjama batch`` (local and Ray) and
``Translator.translate_file``, so that every path verifies the same way: as many units
translated as were extracted, none left in Arabic, or the document fails and nothing is
written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .errors import InputError
from .formats import extract, format_for, output_suffix, rebuild, unsupported_message, verify
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
) -> list[DocumentTranslation]:
    """Translate documents given as (name, bytes), in shared batches; each is verified.
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
            message = e.message
            if message.startswith(f"{name}: "):
                message = message[len(name) + 2:]
            extracted.append(DocumentTranslation(name, None, problems=[message]))
            suffixes[k:] = [""]
    ok = [x for x in extracted if isinstance(x, Extracted)]
    results = iter(translator.translate_units([x.units for x in ok], progress))
    out = []
    for (name, _), x, suffix in zip(documents, extracted, suffixes):
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
                done.data = rebuild(x, result.units, suffix)
            except DocumentError as e:
                done.problems = [e.message]
        out.append(done)
    return out


def translate_file(translator, path, output=None, progress=None, output_as=None) -> DocumentTranslation:
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
    done = translate_documents(translator, [(os.path.basename(name), data)], progress, outputs)[0]
    done.name = name
    if done.problems:
        raise DocumentError(done.error)
    if output is not None:
        write_atomic(output, done.data)
    return done
