"""Lines of a page → the blocks a reader sees: paragraphs rebuilt across line breaks and
columns, headings, list items and tables, with running headers, footers and page numbers
recognised.

It is a heuristic reading of geometry, and says so: what it recognised is counted for the
report. Columns are found from the lines' horizontal extents; a right-to-left page reads
its right column first.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .pdf_lines import Line, is_rtl

_BULLET = re.compile(r"^\s*([•●▪■◦○◆►➢✓\-–—*·])\s+")
_NUMBERED = re.compile(r"^\s*(\(?[0-9٠-٩]{1,3}[.)\-–]|\(?[0-9٠-٩]{1,3}\)|[أبجدهوزحطي][.)\-–])\s+")
_PAGE_NUMBER = re.compile(
    r"^[\s\-–—|]*(?:(?:صفحة|الصفحة|ص|page|p\.)\s*)?[0-9٠-٩]{1,4}(?:\s*(?:من|/|of)\s*[0-9٠-٩]{1,4})?[\s\-–—|]*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?؟…:][\"'”»)]*\s*$")  # a quotation mark alone ends no sentence


@dataclass
class Block:
    """One thing in the translated document."""

    kind: str  # "heading", "paragraph", "item", "table", "header"
    text: str = ""
    level: int = 0  # heading level, 1 to 3
    ordered: bool = False  # a numbered list item
    marker: str = ""  # the item's number as printed ("3." or "٣-"), for the report
    rows: list[list[str]] = field(default_factory=list)  # a table's cells, in reading order
    page: int = 0
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    lines: int = 1
    rtl: bool = True  # most of its lines read right to left


@dataclass
class LayoutReport:
    running: list[str] = field(default_factory=list)  # running header/footer texts left out as such
    page_numbers: int = 0
    joined_across_pages: int = 0
    columns: int = 0  # pages read as more than one column


def _norm(text: str) -> str:
    return re.sub(r"[0-9٠-٩]+", "#", text).strip()


def running_lines(pages: list[tuple[float, list[Line]]], report: LayoutReport) -> set[int]:
    """ids of the lines that are running headers/footers or page numbers: in the top or
    bottom tenth of a page, a page number, or text repeated on at least half the pages."""
    band: dict[int, str] = {}
    for height, lines in pages:
        for line in lines:
            if line.bottom < 0.1 * height or line.top > 0.9 * height:
                band[id(line)] = _norm(line.text)
    counts = Counter()
    for height, lines in pages:
        counts.update({band[id(l)] for l in lines if id(l) in band})
    n = len(pages)
    out: set[int] = set()
    for height, lines in pages:
        for line in lines:
            key = band.get(id(line))
            if key is None:
                continue
            if _PAGE_NUMBER.match(line.text):
                out.add(id(line))
                report.page_numbers += 1
            elif n >= 2 and counts[key] >= max(2, n / 2):
                out.add(id(line))
                if line.text not in report.running and key not in {_norm(t) for t in report.running}:
                    report.running.append(line.text)
    return out


def _h_overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def paragraphs(lines: list[Line]) -> list[Block]:
    """Lines of one page (in any order) → paragraph blocks, each still in one column."""
    blocks: list[list[Line]] = []
    for line in sorted(lines, key=lambda l: (l.top, -l.x1 if l.rtl else l.x0)):
        best = None
        for b in reversed(blocks):
            last = b[-1]
            gap = line.top - last.bottom
            x0, x1 = min(l.x0 for l in b), max(l.x1 for l in b)
            overlap = _h_overlap(x0, x1, line.x0, line.x1)
            if (
                -0.3 * line.size < gap < 0.9 * max(line.size, last.size)
                and overlap > 0.5 * min(line.width, x1 - x0)
                and abs(line.size - last.size) <= 0.15 * max(line.size, last.size)
                and line.bold == last.bold
            ):
                best = b
                break
        if best is None:
            blocks.append([line])
        else:
            best.append(line)
    out: list[Block] = []
    for b in blocks:
        out.extend(_split_paragraphs(b))
    return out


def _split_paragraphs(lines: list[Line]) -> list[Block]:
    """One block of lines → paragraphs: a line that ends short of the block's far edge ends
    its paragraph; a line that starts indented begins one."""
    x0, x1 = min(l.x0 for l in lines), max(l.x1 for l in lines)
    width = x1 - x0
    groups: list[list[Line]] = [[]]
    rtl = sum(l.rtl for l in lines) * 2 >= len(lines)  # the block's direction: a line of digits alone follows it
    for i, line in enumerate(lines):
        indented = (x1 - line.x1 if rtl else line.x0 - x0) > max(1.0 * line.size, 0.04 * width)
        if groups[-1] and indented and len(lines) > 2:
            groups.append([])
        groups[-1].append(line)
        short = (line.x0 - x0 if rtl else x1 - line.x1) > 0.15 * width
        if short and i + 1 < len(lines) and _SENTENCE_END.search(line.text) and len(lines) > 2:
            groups.append([])
    return [_block(g) for g in groups if g]


def _block(lines: list[Line]) -> Block:
    text = ""
    for line in lines:
        t = line.text
        if text.endswith("-") and not is_rtl(t) and text[-2:-1].isalpha():
            text = text[:-1] + t  # an English word hyphenated at the line end
        else:
            text = f"{text} {t}" if text else t
    return Block(
        "paragraph",
        text.strip(),
        page=lines[0].page,
        x0=min(l.x0 for l in lines),
        x1=max(l.x1 for l in lines),
        top=min(l.top for l in lines),
        bottom=max(l.bottom for l in lines),
        size=sorted(l.size for l in lines)[len(lines) // 2],
        lines=len(lines),
        rtl=sum(l.rtl for l in lines) * 2 >= len(lines),
    )


def reading_order(blocks: list[Block], page_width: float, rtl: bool, report: LayoutReport) -> list[Block]:
    """Blocks of a page in reading order. Blocks wider than 60% of the text's width, and
    gaps across the whole page wider than one and a half lines, cut the page into bands;
    inside a band, blocks whose horizontal extents overlap form a column,
    columns are read right to left on a right-to-left page, each top to bottom."""
    if not blocks:
        return []
    left, right = min(b.x0 for b in blocks), max(b.x1 for b in blocks)
    wide = lambda b: (b.x1 - b.x0) > 0.6 * (right - left)  # noqa: E731
    out: list[Block] = []
    band: list[Block] = []
    many = False

    def flush():
        nonlocal many
        if not band:
            return
        columns: list[list[Block]] = []
        for b in sorted(band, key=lambda b: b.x0):
            for col in columns:
                c0, c1 = min(x.x0 for x in col), max(x.x1 for x in col)
                if _h_overlap(c0, c1, b.x0, b.x1) > 0:
                    col.append(b)
                    break
            else:
                columns.append([b])
        if len(columns) > 1:
            many = True
        columns.sort(key=lambda col: min(x.x0 for x in col), reverse=rtl)
        for col in columns:
            out.extend(sorted(col, key=lambda x: x.top))
        band.clear()

    sizes = sorted(b.size for b in blocks if b.size) or [10.0]
    cut = 1.5 * sizes[len(sizes) // 2]  # a gap wider than this across the whole page ends a band
    bottom = None
    for b in sorted(blocks, key=lambda b: b.top):
        if wide(b):
            flush()
            out.append(b)
            bottom = None
            continue
        if bottom is not None and b.top - bottom > cut:
            flush()
        band.append(b)
        bottom = b.bottom if bottom is None else max(bottom, b.bottom)
    flush()
    if many:
        report.columns += 1
    return out


def classify(blocks: list[Block]) -> None:
    """Headings (larger type than the body, at most three lines) and list items, in place."""
    weights = Counter()
    for b in blocks:
        if b.kind == "paragraph":
            weights[round(b.size)] += len(b.text)
    if not weights:
        return
    body = weights.most_common(1)[0][0]
    larger = sorted({round(b.size) for b in blocks if b.kind == "paragraph" and b.size >= 1.15 * body}, reverse=True)
    for b in blocks:
        if b.kind != "paragraph":
            continue
        if round(b.size) in larger and b.lines <= 3 and len(b.text) < 200:
            b.kind, b.level = "heading", min(larger.index(round(b.size)) + 1, 3)
            continue
        m = _BULLET.match(b.text) or _NUMBERED.match(b.text)
        if m and len(b.text) > len(m.group(0)):
            b.kind, b.marker = "item", m.group(1)
            b.ordered = m.re is _NUMBERED
            b.text = b.text[m.end():].strip()


def join_across_pages(blocks: list[Block], report: LayoutReport) -> list[Block]:
    """A paragraph that ends a column or a page without ending its sentence continues in
    the paragraph read next, when that one starts a page or a column (higher on the page
    than where the first ended)."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        next_page = prev is not None and b.page == prev.page + 1 and _first_on_page(out, b, blocks)
        next_column = prev is not None and b.page == prev.page and b.top < prev.bottom - max(b.size, 1.0)
        if (
            prev is not None
            and prev.kind == b.kind == "paragraph"
            and prev.rtl == b.rtl  # an Arabic column does not continue an English one
            and (next_page or next_column)
            and not _SENTENCE_END.search(prev.text)
            and abs(prev.size - b.size) <= 0.15 * max(prev.size, b.size)
        ):
            prev.text = f"{prev.text} {b.text}"
            prev.lines += b.lines
            prev.bottom = b.bottom
            report.joined_across_pages += 1
            continue
        out.append(b)
    return out


def _first_on_page(done: list[Block], b: Block, blocks: list[Block]) -> bool:
    same = [x for x in blocks if x.page == b.page]
    return bool(same) and same[0] is b
