"""Paragraph rebuilding measured on real news laid out as PDFs: articles of the ANT corpus
(../shared/corpus/ant-news-syria/, see its README for the citation) are drawn with fpdf2
(HarfBuzz shaping, DejaVu Sans) the way a newsletter prints them: a title, then the
paragraphs justified in two right-to-left columns over as many pages as they need, with a
running header and page numbers. The PDF is read back by tarjama's PDF format and its
units compared with the article.

    python bench/pdf_layout_corpus.py [--limit N] [--corpus FOLDER] [--columns 1|2]

Prints: articles, paragraphs in the articles, paragraphs read back exactly (same text, same
order), paragraphs merged or split, running headers and page numbers left in the text.
The layouts are drawn here; the text is real. Nothing is timed.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
CORPUS = ROOT.parent / "shared" / "corpus" / "ant-news-syria"
HEADER = "نشرة الأخبار — قسم الشرق الأوسط"
ARABIC = re.compile(r"[\u0600-\u06FF]")


def draw(title: str, paragraphs: list[str], path: Path, columns: int) -> None:
    from pdf_fixtures import new_pdf

    pdf = new_pdf()
    width = (170 - 10 * (columns - 1)) / columns
    page = 0
    col = columns  # start on a new page
    y = 0.0

    def new_page():
        nonlocal page, col, y
        pdf.add_page()
        page += 1
        pdf.set_font("dv", "", 8)
        pdf.set_xy(20, 10)
        pdf.multi_cell(170, 4, HEADER, align="R")
        pdf.set_xy(20, 285)
        pdf.multi_cell(170, 4, str(page), align="C")
        col, y = 0, 25.0

    new_page()
    pdf.set_font("dv", "B", 18)
    pdf.set_xy(20, y)
    pdf.multi_cell(170, 9, title, align="R")
    y = top = pdf.get_y() + 4  # the columns of the first page start under the title
    pdf.set_font("dv", "", 10)
    for paragraph in paragraphs:
        lines = pdf.multi_cell(width, 5, paragraph, align="R", dry_run=True, output="LINES")
        for i, line in enumerate(lines):
            if y > 270:
                col += 1
                if col >= columns:
                    new_page()
                    pdf.set_font("dv", "", 10)
                else:
                    y = top if page == 1 else 25.0
            x = 20 + (columns - 1 - col) * (width + 10)  # right column first
            pdf.set_xy(x, y)
            pdf.multi_cell(width, 5, line, align="R")
            y += 5
        y += 3  # space between paragraphs
    pdf.output(str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--columns", type=int, default=2)
    parser.add_argument("--verbose", action="store_true", help="print each difference")
    args = parser.parse_args()
    from tarjama.formats.pdf import FORMAT

    files = sorted(args.corpus.rglob("*.txt"))[:: max(1, len(sorted(args.corpus.rglob("*.txt"))) // args.limit)][: args.limit]
    total = exact = merged = split = leaked = multipage = 0
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            lines = [l.strip() for l in f.read_text(encoding="utf-8").splitlines() if l.strip()]
            title, paragraphs = lines[0], lines[1:]
            path = Path(tmp) / "a.pdf"
            draw(title, paragraphs, path, args.columns)
            x = FORMAT.extract(path.read_bytes(), f.name)
            pages = int(x.notes[0].split()[1])
            # On a one-page article the running header is just a first line: not counted.
            got = [u.text for u in x.units if "header" not in u.id and "heading" not in u.id and not (pages == 1 and u.text == HEADER)]
            want = [" ".join(p.split()) for p in paragraphs if ARABIC.search(p)]  # the rest is carried, not translated
            total += len(want)
            matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
            exact += sum(b.size for b in matcher.get_matching_blocks())
            merged += max(0, len(want) - len(got))
            split += max(0, len(got) - len(want))
            leaked += sum(1 for t in got if HEADER in t)
            multipage += pages > 1
            if args.verbose:
                for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                    if tag != "equal":
                        print(f.name, tag, want[i1:i2][:1], got[j1:j2][:1])
    print(f"articles {len(files)} ({multipage} of more than one page), paragraphs {total}, read back exactly {exact} ({100 * exact / max(total, 1):.1f}%),"
          f" fewer {merged}, more {split}, running header in the text {leaked}")


if __name__ == "__main__":
    main()
