"""Blocks (headings, paragraphs, list items, tables, a running header) → a new document:
Word (``.docx``, written with python-docx), Markdown or HTML.

For formats whose translation is another kind of document than their input (a PDF or a
scanned image becomes a .docx, .md or .html): the writer is picked by the output's suffix.
"""

from __future__ import annotations

import html
import io
import re

from .base import DocumentError
from .pdf_layout import Block

OUTPUTS = (".docx", ".md", ".html")


def write(blocks: list[Block], suffix: str, title: str) -> bytes:
    suffix = suffix.lower()
    if suffix == ".docx":
        return _docx(blocks)
    if suffix in (".md", ".markdown"):
        return _markdown(blocks).encode("utf-8")
    if suffix in (".html", ".htm"):
        return _html(blocks, title).encode("utf-8")
    raise DocumentError(f"cannot write {suffix}: the translation is written as {', '.join(OUTPUTS)}")


def _docx(blocks: list[Block]) -> bytes:
    import docx

    document = docx.Document()
    section = document.sections[0]
    for b in blocks:
        if b.kind == "header":
            section.header.paragraphs[0].text = (
                f"{section.header.paragraphs[0].text} · {b.text}" if section.header.paragraphs[0].text else b.text
            )
        elif b.kind == "heading":
            document.add_heading(b.text, level=b.level)
        elif b.kind == "item":
            document.add_paragraph(b.text, style="List Number" if b.ordered else "List Bullet")
        elif b.kind == "table":
            width = max((len(r) for r in b.rows), default=0)
            if not width:
                continue
            table = document.add_table(rows=len(b.rows), cols=width)
            table.style = "Table Grid"
            for i, row in enumerate(b.rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
        else:
            document.add_paragraph(b.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def md_escape(text: str) -> str:
    """``text`` as Markdown that shows it literally, on one line."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    kept: list[Block] = []
    number = 0
    for b in blocks:
        if b.kind != "item" or not b.ordered:
            number = 0
        if b.kind == "header":
            out.append(f"*{md_escape(b.text)}*")
        elif b.kind == "heading":
            out.append(f"{'#' * b.level} {md_escape(b.text)}")
        elif b.kind == "item":
            if b.ordered:
                number += 1
                out.append(f"{number}. {md_escape(b.text)}")
            else:
                out.append(f"- {md_escape(b.text)}")
        elif b.kind == "table":
            width = max((len(r) for r in b.rows), default=0)
            if not width:
                continue
            rows = [r + [""] * (width - len(r)) for r in b.rows]
            lines = ["| " + " | ".join(md_escape(c) for c in rows[0]) + " |", "|" + " --- |" * width]
            lines += ["| " + " | ".join(md_escape(c) for c in r) + " |" for r in rows[1:]]
            out.append("\n".join(lines))
        else:
            out.append(md_escape(b.text))
        kept.append(b)
    # List items of one list stay together; everything else is separated by a blank line.
    text = ""
    for i, piece in enumerate(out):
        if i:
            a, b = kept[i - 1], kept[i]
            text += "\n" if a.kind == b.kind == "item" and a.ordered == b.ordered else "\n\n"
        text += piece
    return text + "\n" if text else ""


def _html(blocks: list[Block], title: str) -> str:
    e = html.escape
    body: list[str] = []
    open_list = ""
    for b in blocks:
        tag = ("ol" if b.ordered else "ul") if b.kind == "item" else ""
        if open_list and tag != open_list:
            body.append(f"</{open_list}>")
            open_list = ""
        if tag and not open_list:
            body.append(f"<{tag}>")
            open_list = tag
        if b.kind == "header":
            body.append(f"<header><p>{e(b.text)}</p></header>")
        elif b.kind == "heading":
            body.append(f"<h{b.level}>{e(b.text)}</h{b.level}>")
        elif b.kind == "item":
            body.append(f"<li>{e(b.text)}</li>")
        elif b.kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in b.rows)
            body.append(f"<table>{rows}</table>")
        else:
            body.append(f"<p>{e(b.text)}</p>")
    if open_list:
        body.append(f"</{open_list}>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(title)}</title>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def layout_extracted(blocks: list[Block], name: str, notes: list[str]):
    """Units and rebuilds for a document read as blocks: every paragraph, heading, item and
    table cell with Arabic in it is a unit; the rest is carried as it was read."""
    from ..text.arabic import has_arabic
    from .base import Extracted, Unit

    units: list[Unit] = []
    where: list[tuple[int, int, int]] = []  # (block, row, column); row -1 for a text block
    for i, b in enumerate(blocks):
        if b.kind == "table":
            for r, row in enumerate(b.rows):
                for c, cell in enumerate(row):
                    if has_arabic(cell):
                        units.append(Unit(cell, (), f"page {b.page} table r{r + 1}c{c + 1}"))
                        where.append((i, r, c))
        elif has_arabic(b.text):
            units.append(Unit(b.text, (), f"page {b.page} {b.kind} {i + 1}"))
            where.append((i, -1, -1))
    title = name.rsplit("/", 1)[-1]

    def rebuild_as(translations, suffix: str) -> bytes:
        from dataclasses import replace

        out = [replace(b, rows=[list(r) for r in b.rows]) for b in blocks]
        for (i, r, c), t in zip(where, translations):
            if r < 0:
                out[i].text = t.text
            else:
                out[i].rows[r][c] = t.text
        return write(out, suffix, title)

    return Extracted(units, lambda translations: rebuild_as(translations, OUTPUTS[0]), notes, rebuild_as)
