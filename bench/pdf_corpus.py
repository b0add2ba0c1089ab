"""Real Arabic PDFs and scans through tarjama's document path, one row each for the table
in docs/pdf.md.

    python bench/pdf_corpus.py FILE_OR_FOLDER ... [--json] [--vocabulary FOLDER]

Each file is read by its format (PDF or image), translated with a transliterating engine
(deterministic, no model: every Arabic letter becomes a Latin one), written as .docx and
read back with python-docx. Per file it reports:

- pages, and how many were read by OCR;
- paragraphs found (paragraphs, headings and list items) and tables;
- units (what was sent to translation);
- order check: the share of the Arabic words read that are words of real news (the
  vocabulary of the ANT corpus, ../shared/corpus/ant-news-syria/, see its README for the
  citation). Text read backwards, or as unjoined presentation forms, is not; in brackets
  the same share for pdfplumber's own text, unrepaired;
- Arabic left: Arabic letters in the written .docx (body, tables, headers);
- time: seconds to read, translate and write (this machine; OCR dominates where used).

Nothing here is asserted; the figures go in the docs' results table.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
VOCABULARY = ROOT.parent / "shared" / "corpus" / "ant-news-syria"
WORD = re.compile(r"[\u0621-\u064A]+")
HARAKAT = re.compile(r"[\u0640\u064B-\u0652\u0670]")  # tatweel and short vowels: not part of a word's spelling


def words(text: str) -> list[str]:
    return WORD.findall(HARAKAT.sub("", text))
ARABIC = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]")


def vocabulary(folder: Path) -> set[str]:
    known: set[str] = set()
    for path in folder.rglob("*.txt"):
        known.update(words(path.read_text(encoding="utf-8", errors="replace")))
    return known


def share(words: list[str], known: set[str]) -> float | None:
    return round(100 * sum(w in known for w in words) / len(words), 1) if words else None


def raw_words(data: bytes, name: str) -> list[str]:
    """The Arabic words of pdfplumber's own text in stream order, presentation forms folded
    (NFKC), for comparison: what a reader that does not repair the order gets."""
    if not name.lower().endswith(".pdf"):
        return []
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [w for page in pdf.pages for w in words(unicodedata.normalize("NFKC", page.extract_text() or ""))]


def measure(path: Path, known: set[str]) -> dict:
    from formats_corpus import engine

    from tarjama import Translator
    from tarjama.documents import translate_documents
    from tarjama.formats import extract

    data = path.read_bytes()
    start = time.perf_counter()
    try:
        x = extract(data, path.name)
    except Exception as e:  # a row that says why, not a crash
        return {"file": path.name, "error": getattr(e, "message", str(e))}
    (done,) = translate_documents(Translator(engine=engine(), glossary=None), [(path.name, data)], outputs=["x.docx"])
    seconds = time.perf_counter() - start
    notes = " | ".join(x.notes)
    counts = {k: int(v) for v, k in re.findall(r"(\d+) (paragraphs|headings|list items|tables)", notes)}
    pages = re.search(r"read (\d+) page", notes)
    ocr = re.search(r"(\d+) pages? read by OCR", notes)
    read = [w for u in x.units for w in words(u.text)]
    left = None
    if done.data is not None:
        with zipfile.ZipFile(io.BytesIO(done.data)) as z:
            left = sum(len(ARABIC.findall(z.read(n).decode("utf-8"))) for n in z.namelist() if n.endswith(".xml"))
    return {
        "file": path.name,
        "pages": int(pages.group(1)) if pages else None,
        "ocr_pages": int(ocr.group(1)) if ocr else 0,
        "paragraphs": counts.get("paragraphs", 0) + counts.get("headings", 0) + counts.get("list items", 0),
        "tables": counts.get("tables", 0),
        "units": len(x.units),
        "arabic_words": len(read),
        "known_words": share(read, known),
        "known_words_unrepaired": share(raw_words(data, path.name), known),
        "arabic_left": left,
        "seconds": round(seconds, 2),
        "problems": done.problems,
        "notes": x.notes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--vocabulary", type=Path, default=VOCABULARY)
    args = parser.parse_args()
    known = vocabulary(args.vocabulary)
    files = []
    for p in args.paths:
        files += sorted(f for f in p.iterdir() if f.is_file()) if p.is_dir() else [p]
    rows = [measure(f, known) for f in files]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print("| file | pages (OCR) | paragraphs | tables | units | Arabic words known (unrepaired) | Arabic left | seconds |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        if "error" in r:
            print(f"| {r['file']} | error: {r['error']} | | | | | | |")
            continue
        known_share = "–" if r["known_words"] is None else f"{r['known_words']}% of {r['arabic_words']}"
        if r["known_words_unrepaired"] is not None:
            known_share += f" ({r['known_words_unrepaired']}%)"
        print(
            f"| {r['file']} | {r['pages']} ({r['ocr_pages']}) | {r['paragraphs']} | {r['tables']} | {r['units']}"
            f" | {known_share} | {r['arabic_left']} | {r['seconds']} |"
        )


if __name__ == "__main__":
    main()
