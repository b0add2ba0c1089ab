"""PDF: read with pdfplumber (pdfminer.six underneath; MIT), translated into a new
document (.docx by default, .md or .html by the output's suffix).

A page with a text layer is read from its characters' positions (``pdf_lines``: logical
order and presentation forms repaired), its lines rebuilt into paragraphs, headings, list
items and columns (``pdf_layout``), its ruled tables kept as tables. A page with no text
layer (a scan) is rendered (pypdfium2) and read by Tesseract (``ocr``).

What is not carried is said in the notes: images, fonts, colours and the exact layout;
running headers, footers and page numbers are recognised and kept once as the document's
header, not repeated in the text.
"""

from __future__ import annotations

import io

from .base import DocumentError, DocumentFormat, Extracted
from .layout_writers import OUTPUTS, layout_extracted
from .ocr import OcrReport, read_image
from .pdf_layout import Block, LayoutReport, classify, join_across_pages, paragraphs, reading_order, running_lines
from .pdf_lines import Line, Repairs, group_lines, is_rtl

MAX_PAGES = 2000
OCR_DPI = 300
MIN_CHARS = 10  # a page with fewer visible characters than this is read as a scan


def _inside(c: dict, box: tuple[float, float, float, float]) -> bool:
    x = (c["x0"] + c["x1"]) / 2
    y = (c["top"] + c["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _upright(c: dict, page) -> dict:
    """A character of a page shown rotated (``/Rotate`` 90, 180, 270) placed as on the page
    before its rotation, where its lines run left to right again."""
    rotation = (page.rotation or 0) % 360
    w, h = page.width, page.height
    if rotation == 90:
        c["x0"], c["x1"], c["top"], c["bottom"] = c["top"], c["bottom"], w - c["x1"], w - c["x0"]
    elif rotation == 270:
        c["x0"], c["x1"], c["top"], c["bottom"] = h - c["bottom"], h - c["top"], c["x0"], c["x1"]
    elif rotation == 180:
        c["x0"], c["x1"], c["top"], c["bottom"] = w - c["x1"], w - c["x0"], h - c["bottom"], h - c["top"]
    else:
        return c
    if rotation in (90, 270):
        c["size"] = c["bottom"] - c["top"]  # pdfplumber gives a sideways glyph's advance as its size
    c["upright"] = True
    return c


def _contains(outer, inner) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _cuts_text(table, chars: list[dict]) -> bool:
    """Whether the table's inner column edges run through words: lines of text that cross
    from one "cell" into the next, glyph after glyph, without a gap."""
    edges = {round(box[0], 1) for row in table.rows for box in row.cells if box is not None} - {round(table.bbox[0], 1)}
    inside = sorted((c for c in chars if _inside(c, table.bbox) and c["text"].strip()), key=lambda c: (round(c["top"]), c["x0"]))
    crossings = 0
    for a, b in zip(inside, inside[1:]):
        if round(a["top"]) == round(b["top"]) and b["x0"] - a["x1"] < 0.3 * (a.get("size") or 10):
            if any(a["x1"] - 1 <= e <= b["x0"] + 1 or a["x0"] < e < a["x1"] for e in edges):
                crossings += 1
    return crossings >= 2


def _table_block(table, chars: list[dict], page: int, repairs: Repairs) -> Block | None:
    rows: list[list[str]] = []
    for row in table.rows:
        cells = []
        for box in row.cells:
            if box is None:  # part of a merged cell
                cells.append("")
                continue
            inside = [c for c in chars if _inside(c, box)]
            lines = sorted(group_lines(inside, page, repairs, gap=4.0), key=lambda l: l.top)
            cells.append(" ".join(l.text for l in lines))
        rows.append(cells)
    if not any(any(c.strip() for c in r) for r in rows):
        return None
    if is_rtl(" ".join(" ".join(r) for r in rows)):
        rows = [r[::-1] for r in rows]  # the first column of an Arabic table is its rightmost
    x0, top, x1, bottom = table.bbox
    return Block("table", rows=rows, page=page, x0=x0, x1=x1, top=top, bottom=bottom, size=0.0)


class PdfFormat(DocumentFormat):
    name = "pdf"
    suffixes = (".pdf",)
    binary = True
    outputs = OUTPUTS

    def extract(self, data: bytes, name: str) -> Extracted:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError

        if not data.lstrip()[:5].startswith(b"%PDF"):
            raise DocumentError(f"{name}: not a PDF file (it does not start with %PDF)")
        try:
            pdf = pdfplumber.open(io.BytesIO(data))
            pages = pdf.pages
        except PDFPasswordIncorrect:
            raise DocumentError(f"{name}: the PDF is encrypted with a password; decrypt it first") from None
        except (PDFSyntaxError, Exception) as e:  # pdfminer raises many kinds for a damaged file
            raise DocumentError(f"{name}: cannot read the PDF: {str(e)[:100] or type(e).__name__}") from None
        if len(pages) > MAX_PAGES:
            raise DocumentError(f"{name}: {len(pages)} pages; at most {MAX_PAGES} are read")
        repairs, layout, ocr = Repairs(), LayoutReport(), OcrReport()
        images = unmapped_pages = vertical = 0
        read: list[tuple[int, float, float, list[Line], list[Block], bool]] = []
        scanned: list[int] = []
        try:
            for n, page in enumerate(pages, start=1):
                chars = [_upright(dict(c, _seq=i), page) for i, c in enumerate(page.chars)]
                visible = sum(1 for c in chars if c["text"].strip())
                unmapped = sum(1 for c in chars if c["text"].startswith("(cid:"))
                if (visible < MIN_CHARS and (page.images or not chars)) or unmapped > visible / 2:
                    # A scan, or glyphs with no Unicode mapping: the page is read from its picture.
                    scanned.append(n)
                    unmapped_pages += unmapped > visible / 2
                    read.append((n, page.width, page.height, [], [], False))
                    continue
                tables = []
                found = [t for t in page.find_tables() if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
                # A frame around the page or around another table is not a table.
                found = [t for t in found if not any(u is not t and _contains(t.bbox, u.bbox) for u in found)]
                # Lines drawn across running text (a cross, a frame split in two) make no table:
                # its text would be cut at the "cells'" edges.
                found = [t for t in found if not _cuts_text(t, chars)]
                for t in found:
                    block = _table_block(t, chars, n, repairs)
                    if block is not None:
                        tables.append(block)
                        chars = [c for c in chars if not _inside(c, t.bbox)]
                images += len(page.images)
                vertical += sum(1 for c in chars if not c.get("upright", True) and c["text"].strip())
                lines = group_lines(chars, n, repairs)
                rtl = sum(len(l.text) for l in lines if l.rtl) >= sum(len(l.text) for l in lines if not l.rtl)
                read.append((n, page.width, page.height, lines, tables, rtl))
        except DocumentError:
            raise
        except Exception as e:
            raise DocumentError(f"{name}: cannot read the PDF: {str(e)[:100] or type(e).__name__}") from None
        finally:
            pdf.close()

        skip = running_lines([(h, lines) for _, _, h, lines, _, _ in read], layout)
        blocks: list[Block] = []
        for n, width, height, lines, tables, rtl in read:
            if n in scanned:
                blocks.extend(self._ocr_page(data, n, name, ocr))
                continue
            body = [l for l in lines if id(l) not in skip]
            page_blocks = paragraphs(body) + tables
            blocks.extend(reading_order(page_blocks, width, rtl, layout))
        classify(blocks)
        blocks = join_across_pages(blocks, layout)
        blocks = [Block("header", t) for t in layout.running] + blocks
        if not any(b.text.strip() or b.rows for b in blocks):
            if scanned:
                raise DocumentError(f"{name}: OCR read no text on its {len(scanned)} scanned page(s); nothing to translate")
            raise DocumentError(f"{name}: no text found in the PDF; nothing to translate")
        notes = self._notes(len(read), blocks, repairs, layout, ocr, images)
        if vertical:
            notes.insert(1, f"{vertical} characters of vertical (rotated) text not read")
        if unmapped_pages:
            notes.insert(1, f"{unmapped_pages} page(s) have glyphs with no Unicode mapping; read from their picture by OCR")
        return layout_extracted(blocks, name, notes)

    def _ocr_page(self, data: bytes, n: int, name: str, ocr: OcrReport) -> list[Block]:
        from .ocr import check_available

        check_available(name)  # one line naming what to install, before rendering anything
        import pypdfium2

        try:
            document = pypdfium2.PdfDocument(data)
            try:
                page = document[n - 1]
                w, h = page.get_size()
                scale = min(OCR_DPI / 72, (6000 / max(w, h, 1)))
                image = page.render(scale=scale).to_pil()
            finally:
                document.close()
        except pypdfium2.PdfiumError as e:
            raise DocumentError(f"{name}: cannot render page {n} for OCR: {e}") from None
        return read_image(image, name, n, ocr)

    @staticmethod
    def _notes(pages, blocks, repairs: Repairs, layout: LayoutReport, ocr: OcrReport, images: int) -> list[str]:
        kinds = {k: sum(1 for b in blocks if b.kind == k) for k in ("paragraph", "heading", "item", "table")}
        notes = [
            f"read {pages} page{'s' if pages != 1 else ''}: {kinds['paragraph']} paragraphs, {kinds['heading']} headings,"
            f" {kinds['item']} list items, {kinds['table']} tables"
        ]
        if repairs.visual_lines:
            notes.append(f"{repairs.visual_lines} right-to-left lines were stored in visual order; put back in reading order")
        if repairs.folded:
            notes.append(f"{repairs.folded} Arabic presentation-form glyphs folded to letters")
        if layout.running:
            notes.append(f"running header/footer kept once, as the document header: {' · '.join(layout.running)[:80]}")
        if layout.page_numbers:
            notes.append(f"{layout.page_numbers} page numbers left out")
        if layout.columns:
            notes.append(f"{layout.columns} page{'s' if layout.columns != 1 else ''} read as columns")
        if ocr.pages:
            notes.append(ocr.note())
        notes.append(
            "not carried: "
            + (f"{images} image{'s' if images != 1 else ''}, " if images else "")
            + "fonts, colours and the exact layout (the translation is rebuilt as headings, paragraphs, lists and tables)"
        )
        return notes


FORMAT = PdfFormat()
