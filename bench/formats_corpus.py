"""Round trip of real Arabic news through the Markdown and HTML formats.

Each article of the ANT corpus (../shared/corpus/ant-news-syria/, see its README for the
citation) is laid out as a Markdown file and an HTML page with the markup newsrooms use:
front matter, a heading, a bold word and a link inside sentences, an ``&rlm;`` entity, an
escaped full stop, a table. The documents go through tarjama's formats with a
transliterating engine (deterministic, no model), and the output is compared with the input
by independent parsers: markdown-it's token stream, lxml's tree, PyYAML's front matter.

    python bench/formats_corpus.py [--limit N] [--corpus FOLDER]

Prints counts (documents, units, units left in Arabic, structure mismatches, inline marks
in and out); nothing here is timed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "ant-news-syria"

LATIN = dict(zip("ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي،؛؟", "'AAwIyAbptvjHxdVrzscSDTZEgfqklmnhwYy,;?"))


def transliterate(text: str) -> str:
    """Arabic letters to Latin ones (Persian and other letters of the block to '?')."""
    return "".join(
        LATIN.get(c, "" if "\u064b" <= c <= "\u0652" or c == "ـ" else "?" if "\u0600" <= c <= "\u06ff" and c.isalpha() else c)
        for c in text
    )


def engine():
    from tarjama.engines.base import Engine

    class Transliterate(Engine):
        name = "transliterate"
        max_input_tokens = 10_000

        def count_tokens(self, texts):
            return [len(t.split()) + 1 for t in texts]

        def translate(self, texts, *, avoid=None, progress=None):
            if progress:
                progress(len(texts))
            return [transliterate(t) for t in texts]

    return Transliterate()


def marked(paragraph: str, bold: str, link: tuple[str, str]) -> str:
    words = paragraph.split(" ")
    if len(words) > 6:
        words[2] = bold.format(words[2])
        words[4] = link[0] + words[4] + " " + words[5] + link[1]
        del words[5]
    return " ".join(words)


def as_markdown(title: str, paragraphs: list[str]) -> str:
    body = [marked(p, "**{}**", ("[", "](https://example.org/?a=1&b=2)")) for p in paragraphs]
    body = [re.sub(r"(\d)\.", r"\1\\.", p) for p in body]
    body[0] = "&rlm;" + body[0]
    table = f"| {title} | 1 |\n|---|---|\n| {paragraphs[0].split(' ')[0]} | 2 |"
    head = f"---\ntitle: '{title.replace(chr(39), chr(39) * 2)}'\nlayout: article\n---\n\n# {title}\n\n"
    return head + "\n\n".join(body) + "\n\n" + table + "\n"


def as_html(title: str, paragraphs: list[str]) -> str:
    import html

    body = [marked(html.escape(p), "<b>{}</b>", ('<a href="/x?a=1&b=2" title="رابط">', "</a>")) for p in paragraphs]
    body[0] = "&rlm;" + body[0]
    return (
        '<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head><meta charset="utf-8">'
        f'<title>{html.escape(title)}</title><meta name="description" content="{html.escape(title)}"></head>\n'
        '<body class="rtl">\n<h1>' + html.escape(title) + "</h1>\n"
        + "\n".join(f'<p style="direction: rtl">{p}</p>' for p in body)
        + '\n<img src="a.png" alt="صورة">\n</body>\n</html>\n'
    )


def md_shape(text: str):
    from markdown_it import MarkdownIt

    out = []
    for t in MarkdownIt("commonmark").enable("table").parse(text.split("---\n", 2)[2]):
        out.append((t.type, t.tag, t.nesting))
        out += [(c.type, c.attrs.get("href", "")) for c in t.children or [] if c.type not in ("text", "softbreak")]
    return out


def html_shape(data: bytes):
    from lxml import html as lxml_html

    flip = {"lang": "en", "dir": "ltr", "style": "direction: ltr", "class": "ltr"}
    tree = lxml_html.document_fromstring(data)
    return [(e.tag, {k: flip.get(k, v) if k in flip else ("*" if k in ("title", "alt", "content") else v) for k, v in e.attrib.items()}) for e in tree.iter()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import yaml

    from tarjama.documents import translate_documents
    from tarjama.text.arabic import has_arabic
    from tarjama.pipeline.translator import Translator

    files = sorted(p for p in args.corpus.rglob("*.txt"))
    if args.limit:
        files = files[: args.limit]
    translator = Translator("transliterate", glossary="default", engine=engine())
    stats = {"documents": 0, "units": 0, "units_translated": 0, "failed": 0, "arabic_left": 0,
             "structure_mismatch": 0, "front_matter_mismatch": 0, "marks_in": 0, "marks_out": 0}
    for start in range(0, len(files), 50):
        documents = []
        for path in files[start: start + 50]:
            lines = [l.strip() for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
            if len(lines) < 2:
                continue
            title, paragraphs = lines[0], lines[1:]
            documents.append((path.stem + ".md", as_markdown(title, paragraphs).encode()))
            documents.append((path.stem + ".html", as_html(title, paragraphs).encode()))
        for (name, source), done in zip(documents, translate_documents(translator, documents)):
            stats["documents"] += 1
            stats["units"] += done.units
            stats["units_translated"] += done.translated
            if done.data is None:
                stats["failed"] += 1
                print(done.error, file=sys.stderr)
                continue
            out = done.data.decode()
            visible = re.sub(r"<script.*?</script>|<style.*?</style>|https?://\S+|/x\?\S+", "", out, flags=re.S)
            stats["arabic_left"] += has_arabic(visible)
            if name.endswith(".md"):
                if md_shape(source.decode()) != md_shape(out):
                    stats["structure_mismatch"] += 1
                    print(f"{name}: Markdown structure differs", file=sys.stderr)
                before, after = (yaml.safe_load(t.split("---\n")[1]) for t in (source.decode(), out))
                stats["front_matter_mismatch"] += list(before) != list(after) or after["layout"] != "article"
                stats["marks_in"] += source.decode().count("**") // 2
                stats["marks_out"] += out.count("**") // 2
            else:
                if html_shape(source) != html_shape(done.data):
                    stats["structure_mismatch"] += 1
                    print(f"{name}: HTML tree differs", file=sys.stderr)
                stats["marks_in"] += source.decode().count("<b>")
                stats["marks_out"] += len(re.findall(r"<b>[^<\s][^<]*</b>", out))
    print(json.dumps(stats, indent=2))


if __name__ == "__main__":
    main()
