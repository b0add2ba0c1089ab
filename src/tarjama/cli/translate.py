"""`tarjama translate`."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .common import (
    Bar,
    BatchSizeOption,
    BatchTokensOption,
    BeamsOption,
    ComputeTypeOption,
    DeviceOption,
    EngineOption,
    GlossaryOption,
    ModelOption,
    NoGlossaryOption,
    ThreadsOption,
    build_translator,
    dump_json,
    examples,
    emit,
    emit_bytes,
    err,
    handle_errors,
    plural,
)

app = typer.Typer()


class Format(str, Enum):
    text = "text"
    json = "json"
    bilingual = "bilingual"


def render(result, fmt: Format) -> str:
    if fmt is Format.json:
        return dump_json([s.as_dict() for s in result.sentences])
    if not result.sources:
        return ""  # empty input, empty output
    if fmt is Format.bilingual:
        if not any(p.strip() for p in result.sources):
            return ""  # blank input: no pairs, and nothing invented
        blocks = [f"{src}\n{tgt}" for src, tgt in zip(result.sources, result.paragraphs) if src.strip()]
        return "\n\n".join(blocks) + "\n"
    return result.text + "\n"


# -- translate ----------------------------------------------------------------------------
@app.command(epilog=examples(
    "tarjama translate article.ar.txt -o article.en.txt",
    "cat article.ar.txt | tarjama translate --json",
))
@handle_errors
def translate(
    file: str = typer.Argument(
        "-", help="Arabic text file, or a document (.md, .html, … see README); '-' or nothing reads stdin."
    ),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here (atomically) instead of stdout."),
    model: Optional[str] = ModelOption,
    glossary: Optional[List[Path]] = GlossaryOption,
    no_glossary: bool = NoGlossaryOption,
    engine: str = EngineOption,
    compute_type: Optional[str] = ComputeTypeOption,
    beams: int = BeamsOption,
    batch_size: int = BatchSizeOption,
    batch_tokens: Optional[int] = BatchTokensOption,
    device: str = DeviceOption,
    threads: Optional[int] = ThreadsOption,
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text, json or bilingual."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: each sentence with its glossary terms (the same as --format json)."),
    no_memory: bool = typer.Option(False, "--no-memory", "--no-cache", help="Do not use the translation memory (sentences translated before are looked up there)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary on stderr."),
    allow_arabic: bool = typer.Option(
        False, "--allow-arabic", help="Write the output even where its check finds Arabic left (with a note saying where)."
    ),
):
    """Translate an Arabic article into English, one output paragraph per input paragraph.

    A document (Markdown, HTML, …) is translated through its format: its markup is kept and
    the output is the same kind of document. A PDF or a scanned page (.png, .jpg, .tiff) is
    translated into Word (.docx), Markdown (.md) or HTML (.html), chosen by the suffix of
    -o; without -o it is written next to the input as NAME.en.docx."""
    from ..files import read_any_text, read_bytes, refuse_same_file
    from ..errors import InputError
    from ..documents import translate_documents
    from ..formats import DocumentError, format_for, is_binary_output, output_suffix, unsupported_message

    refuse_same_file(output, file)
    if as_json:
        if fmt not in (Format.text, Format.json):
            raise InputError(f"--json and --format {fmt.value} ask for two outputs: give one")
        fmt = Format.json
    document = None if file == "-" else format_for(file)
    if file != "-" and document is None and Path(file).suffix:
        raise InputError(unsupported_message(file))
    if document is not None and document.name == "text":
        document = None  # plain text keeps --format text/json/bilingual
    if document is not None and fmt is not Format.text:
        raise InputError(f"--format {fmt.value} is for plain text; {file} is translated as {document.name}")
    if document is None:
        if file == "-" and not quiet and sys.stdin.isatty():
            err("Reading Arabic from the terminal: paste or type it, then press Ctrl-D (Ctrl-Z Enter on Windows).")
        decoded = read_any_text(file)
        text = decoded.text
        if decoded.note and not quiet:
            err(f"note: {decoded.note}")
    else:
        if document.outputs and output is None:
            # A PDF or a scan becomes another kind of document: next to it, never over it.
            output = Path(file).with_name(Path(file).stem + ".en" + document.outputs[0])
        if document.outputs:
            try:
                output_suffix(file, None if output is None else str(output))
            except DocumentError as e:
                raise InputError(e.message) from None
        if is_binary_output(file, None if output is None else str(output)) and (output is None or str(output) == "-"):
            raise InputError(f"{file} is a binary document: give -o FILE to write its translation")
        data = read_bytes(file)  # read once, before the model loads: one-line errors for a missing file
    translator = build_translator(
        model, glossary=glossary, no_glossary=no_glossary, quiet=quiet, use_memory=not no_memory,
        engine=engine, compute_type=compute_type, device=device, beams=beams,
        batch_size=batch_size, batch_tokens=batch_tokens, threads=threads,
    )
    memory = translator.memory
    bar = Bar(not quiet)
    if document is not None:
        try:
            written_as = None if output is None else str(output)
            done = translate_documents(
                translator, [(Path(file).name, data)], bar, [written_as], allow_arabic=allow_arabic
            )[0]
        finally:
            bar.close()
            if memory is not None:
                memory.close()
        done.name = file
        if done.problems:
            raise DocumentError(done.error)
        emit_bytes(done.data, output, binary=is_binary_output(file, None if output is None else str(output)))
        for note in done.notes:
            if not quiet or note.startswith("Arabic left"):
                err(f"note: {note}")
        if done.no_arabic:
            if not quiet:
                err(f"{file}: no Arabic text; nothing translated")
        elif not quiet:
            err(f"{done.translated} of {done.units} {document.name} units translated")
            if document.outputs:
                err(f"wrote {output}")
        result = done.result
    else:
        try:
            result = translator.translate_document(text, progress=bar)
        finally:
            bar.close()
            if memory is not None:
                memory.close()
        check_plain_text(result, "<stdin>" if file == "-" else file, allow_arabic, quiet)
        emit(render(result, fmt), output)
    if not quiet and translator.glossary:
        err(result.summary())
    remembered = sum(s.from_memory for s in result.sentences)
    if not quiet and remembered:
        err(f"{remembered} of {plural(len(result.sentences), 'sentence')} from the translation memory (--no-memory: translate again)")
    for s in result.sentences:
        for warning in s.warnings:
            err(f"note: paragraph {s.paragraph}: {warning}")
    if result.unresolved:
        for s in result.sentences:
            for t in s.terms:
                if t.status != "applied":
                    err(f"unresolved: paragraph {s.paragraph}: {t.text} → {t.target}")


def check_plain_text(result, name: str, allow_arabic: bool, quiet: bool = False) -> None:
    """The audit of plain text: Arabic left in the English (a sentence the model copied)
    fails, naming the line, unless ``allow_arabic``; a text with no Arabic says so."""
    from ..errors import TarjamaError
    from ..formats.audit import audit_text

    found = audit_text((result.text + "\n").encode("utf-8"), name)
    if found.letters and not allow_arabic:
        raise TarjamaError(
            f"{name}: Arabic left in the output at {found.where()}; nothing written (--allow-arabic writes it anyway)"
        )
    if found.letters:
        err(f"note: Arabic left (allowed) at {found.where(3)}")
    elif not quiet and not any(p.strip() for p in result.sources):
        err(f"{name}: empty; nothing to translate")
    elif not quiet and not any(s.method == "translated" for s in result.sentences):
        err(f"{name}: no Arabic text; nothing translated")

