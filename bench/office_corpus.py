"""Round trip of real Arabic news through the Excel and EPUB formats.

The articles of the ANT corpus (../shared/corpus/ant-news-syria/, see its README for the
citation) are laid out, 20 at a time, as an Excel workbook written by openpyxl (a row per
article: the title as rich text with its first word bold, the body with a line break
between paragraphs, the date, a word count, a formula; the sheet right to left) and as an
EPUB 3 book (a chapter per article with a bold word, a navigation document and a toc.ncx
listing the titles, Arabic metadata, a right-to-left spine). They go through tarjama's
formats with a transliterating engine (deterministic, no model), and the output is read
back by independent readers: openpyxl (every cell's type and value, the bold runs, the
line breaks) and lxml (every chapter still XML, both tables of contents agreeing), and,
with ``--epubcheck``, the W3C's EPUBCheck on every book.

    python bench/office_corpus.py [--limit N] [--corpus FOLDER] [--epubcheck]

Prints counts (documents, units, units left in Arabic, mismatches); nothing here is timed.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import html
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from formats_corpus import CORPUS, ROOT, engine  # noqa: E402

XHTML = "{http://www.w3.org/1999/xhtml}"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"


def articles(corpus: Path, limit: int) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of each article. Hashtags (``#محيي_إسماعيل``) are written as
    plain words: tarjama keeps a hashtag as written, so a unit with one is reported left in
    Arabic, whatever the format (that is the translator's choice, not the format's)."""
    out = []
    for path in sorted(corpus.rglob("*.txt")):
        text = re.sub(r"#(\w+)", lambda m: m.group(1).replace("_", " "), path.read_text(encoding="utf-8"))
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) >= 2:
            out.append((lines[0], lines[1:]))
        if limit and len(out) >= limit:
            break
    return out


def as_workbook(group: list[tuple[str, list[str]]]) -> bytes:
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "news"
    sheet.sheet_view.rightToLeft = True
    sheet.append(["العنوان", "النص", "التاريخ", "الكلمات", "الطول"])
    for row, (title, paragraphs) in enumerate(group, start=2):
        first, _, rest = title.partition(" ")
        rich = CellRichText(TextBlock(InlineFont(b=True), first), " " + rest) if rest else title
        sheet.append([rich, "\n".join(paragraphs), datetime.date(2018, 3, 30), sum(len(p.split()) for p in paragraphs), f"=LEN(B{row})"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cells(data: bytes) -> list[tuple]:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data), rich_text=True).active
    return [(c.coordinate, c.data_type, c.value) for row in sheet.iter_rows() for c in row]


def as_book(group: list[tuple[str, list[str]]], n: int) -> bytes:
    chapters, nav, ncx = [], [], []
    for k, (title, paragraphs) in enumerate(group, start=1):
        body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        words = body.split(" ")
        if len(words) > 4:
            words[2] = f"<b>{words[2]}</b>" if "<" not in words[2] and ">" not in words[2] else words[2]
        chapters.append((
            f"c{k}.xhtml",
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" '
            f'xml:lang="ar" lang="ar" dir="rtl"><head><title>{html.escape(title)}</title></head>\n<body>\n'
            f'<h1 id="t{k}">{html.escape(title)}</h1>\n' + " ".join(words) + "\n</body>\n</html>\n",
        ))
        nav.append(f'<li><a href="c{k}.xhtml">{html.escape(title)}</a></li>')
        ncx.append(f'<navPoint id="n{k}" playOrder="{k}"><navLabel><text>{html.escape(title)}</text></navLabel><content src="c{k}.xhtml"/></navPoint>')
    manifest = "".join(f'<item id="c{k}" href="c{k}.xhtml" media-type="application/xhtml+xml"/>' for k in range(1, len(group) + 1))
    spine = "".join(f'<itemref idref="c{k}"/>' for k in range(1, len(group) + 1))
    opf = (
        '<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id" xml:lang="ar">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="id">urn:uuid:00000000-0000-4000-8000-{n:012d}</dc:identifier><dc:title>أخبار سوريا {n}</dc:title>'
        '<dc:language>ar</dc:language><meta property="dcterms:modified">2018-03-30T00:00:00Z</meta></metadata>'
        f'<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        f'<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>{manifest}</manifest>'
        f'<spine toc="ncx" page-progression-direction="rtl">{spine}</spine></package>'
    )
    nav_doc = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="ar" lang="ar" dir="rtl"><head><title>المحتويات</title></head>'
        f'<body><nav epub:type="toc" id="toc"><h1>المحتويات</h1><ol>{"".join(nav)}</ol></nav></body></html>'
    )
    ncx_doc = (
        '<?xml version="1.0" encoding="utf-8"?>\n<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
        f'<head><meta name="dtb:uid" content="urn:uuid:00000000-0000-4000-8000-{n:012d}"/></head>'
        f'<docTitle><text>أخبار سوريا {n}</text></docTitle><navMap>{"".join(ncx)}</navMap></ncx>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
                   '<rootfiles><rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
                   zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/package.opf", opf, zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/nav.xhtml", nav_doc, zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/toc.ncx", ncx_doc, zipfile.ZIP_DEFLATED)
        for path, text in chapters:
            z.writestr(f"OEBPS/{path}", text, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def check_book(data: bytes, chapters: int) -> list[str]:
    """What is wrong with a translated book, as lxml reads it."""
    from lxml import etree

    from tarjama.text.arabic import has_arabic

    z = zipfile.ZipFile(io.BytesIO(data))
    problems = []
    if z.infolist()[0].filename != "mimetype" or z.infolist()[0].compress_type != zipfile.ZIP_STORED:
        problems.append("mimetype is not first and stored")
    titles = []
    for k in range(1, chapters + 1):
        root = etree.fromstring(z.read(f"OEBPS/c{k}.xhtml"))
        if has_arabic("".join(root.itertext())) or root.get("dir") != "ltr":
            problems.append(f"c{k}.xhtml: Arabic left or still right to left")
        titles.append(" ".join("".join(root.find(f".//{XHTML}h1").itertext()).split()))
        if root.find(f".//{XHTML}b") is None:
            problems.append(f"c{k}.xhtml: bold word lost")
    nav = [" ".join("".join(a.itertext()).split()) for a in etree.fromstring(z.read("OEBPS/nav.xhtml")).iter(f"{XHTML}a")]
    ncx = [t.text for t in etree.fromstring(z.read("OEBPS/toc.ncx")).iter(f"{NCX}text")][1:]
    if nav != ncx:
        problems.append("the two tables of contents disagree")
    if nav != titles:
        problems.append("the table of contents and the chapter titles disagree")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--epubcheck", action="store_true", help="run the W3C's EPUBCheck on every translated book")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from tarjama.documents import translate_documents
    from tarjama.pipeline.translator import Translator
    from tarjama.text.arabic import has_arabic

    jar = sorted(glob.glob("/usr/share/java/epubcheck*.jar"))
    if args.epubcheck and (not jar or not shutil.which("java")):
        sys.exit("EPUBCheck not found (Debian: apt-get install epubcheck)")
    translator = Translator("transliterate", glossary="default", engine=engine())
    news = articles(args.corpus, args.limit)
    stats = {"articles": len(news), "documents": 0, "units": 0, "units_translated": 0, "failed": 0, "cells_left_in_arabic": 0,
             "cell_mismatch": 0, "bold_runs_in": 0, "bold_runs_out": 0, "line_breaks_in": 0, "line_breaks_out": 0,
             "book_problems": 0, "epubcheck_failed": 0 if args.epubcheck else None}
    for n, start in enumerate(range(0, len(news), 20), start=1):
        group = news[start: start + 20]
        documents = [(f"news{n}.xlsx", as_workbook(group)), (f"news{n}.epub", as_book(group, n))]
        for (name, source), done in zip(documents, translate_documents(translator, documents)):
            stats["documents"] += 1
            stats["units"] += done.units
            stats["units_translated"] += done.translated
            if done.data is None:
                stats["failed"] += 1
                print(done.error, file=sys.stderr)
                continue
            if name.endswith(".xlsx"):
                before, after = cells(source), cells(done.data)
                for (ref, kind, value), (ref_in, kind_in, value_in) in zip(after, before):
                    text = str(value)
                    if (ref, kind) != (ref_in, kind_in) or (kind != "s" and value != value_in):
                        stats["cell_mismatch"] += 1
                        print(f"{name} {ref}: {value_in!r} became {value!r}", file=sys.stderr)
                    stats["cells_left_in_arabic"] += has_arabic(text)
                    if type(value_in).__name__ == "CellRichText":
                        stats["bold_runs_in"] += sum(1 for b in value_in if hasattr(b, "font") and b.font.b)
                        stats["bold_runs_out"] += sum(1 for b in value if hasattr(b, "font") and b.font.b) if type(value).__name__ == "CellRichText" else 0
                    if isinstance(value_in, str):
                        stats["line_breaks_in"] += value_in.count("\n")
                        stats["line_breaks_out"] += text.count("\n")
                stats["cell_mismatch"] += len(after) != len(before)
            else:
                problems = check_book(done.data, len(group))
                stats["book_problems"] += len(problems)
                for p in problems:
                    print(f"{name}: {p}", file=sys.stderr)
                if args.epubcheck:
                    with tempfile.TemporaryDirectory() as folder:
                        path = Path(folder) / name
                        path.write_bytes(done.data)
                        run = subprocess.run(["java", "-jar", jar[-1], str(path)], capture_output=True, text=True, timeout=600)
                    if run.returncode != 0 or "0 fatals / 0 errors / 0 warnings" not in run.stdout:
                        stats["epubcheck_failed"] += 1
                        print(f"{name}: EPUBCheck: {run.stdout[-500:]}", file=sys.stderr)
    print(json.dumps(stats, indent=2))


if __name__ == "__main__":
    main()
