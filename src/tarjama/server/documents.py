"""Uploaded documents: the one place the server meets tarjama's document formats.

A document goes through the same steps as ``tarjama translate FILE``: its format extracts
the units, the translation queue translates their text (batched with other requests), the
marks are carried onto the English, every unit is verified, the format rebuilds it, and
the rebuilt document is audited by a second reader (``documents.check_output``): Arabic
left in it is a 4xx error, never a silent success.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..formats import (
    DocumentError,
    Extracted,
    extract,
    format_for,
    is_binary_output,
    output_name,
    output_suffix,
    rebuild,
    supported_suffixes,
    verify,
)
from ..pipeline.translator import Translator, unit_texts


def supported_extensions() -> list[str]:
    return supported_suffixes()


@dataclass
class OpenedDocument:
    name: str
    extracted: Extracted
    output: str | None = None  # an output file name whose suffix chooses what a PDF or a scan becomes
    data: bytes = b""  # the upload, for the audit of the translated document

    @property
    def output_name(self) -> str:
        """The translated document's file name (``report.pdf`` → ``report.docx``)."""
        return output_name(self.name, self.output)

    @property
    def binary(self) -> bool:
        return is_binary_output(self.name, self.output)

    @property
    def texts(self) -> list[str]:
        """What the translation queue translates: one paragraph per unit."""
        return unit_texts(self.extracted.units)

    def finish(self, result) -> bytes:
        """The translated document from the queue's result for ``texts``; InputError if a
        unit was left untranslated (nothing half-translated is ever returned)."""
        (result,) = Translator.carry_units([self.extracted.units], [result])
        problems = verify(self.extracted.units, result.units)
        if problems:
            raise InputError(f"{self.name}: {problems[0]}")
        from ..documents import DocumentTranslation, check_output

        try:
            suffix = output_suffix(self.name, self.output)
            output = rebuild(self.extracted, result.units, suffix)
        except DocumentError as e:
            raise InputError(e.message) from None
        done = DocumentTranslation(self.name, None, units=len(self.extracted.units), suffix=suffix)
        check_output(done, self.data, output, hint="")
        if done.problems:
            raise InputError(f"{self.name}: {done.problems[0]}")
        return output


def open_document(name: str, data: bytes, output: str | None = None) -> OpenedDocument:
    """An uploaded file, by its format; InputError if it cannot be read. ``output``: docx,
    md or html, what a PDF or a scan is translated into (None: docx)."""
    if format_for(name) is None:
        raise InputError("Invalid request: file format not supported")
    target = None
    if output:
        target = f"translation.{output.lower().lstrip('.')}"
        if not format_for(name).outputs:
            raise InputError(f"Invalid request: output is only for PDFs and scanned images, not {name}")
    try:
        output_suffix(name, target)
        return OpenedDocument(name, extract(data, name), target, data)
    except DocumentError as e:
        raise InputError(e.message) from None


def open_text(text: str, kind: str) -> OpenedDocument:
    """A text given in a request (LibreTranslate's ``format=html``)."""
    return open_document(f"request.{kind}", text.encode("utf-8"))
