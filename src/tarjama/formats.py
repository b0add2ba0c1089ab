"""Documents as translatable prose plus everything else, kept byte for byte.

Each format extracts the runs of prose to translate and rebuilds the document from their
translations. Markdown is parsed with markdown-it-py and HTML with BeautifulSoup, never with
regular expressions: code blocks, inline code, link and image URLs, HTML blocks, scripts and
styles are never sent to the model. A run of prose ends where markup begins (emphasis,
a link, inline code), so a sentence with a bold word in it is translated in pieces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .text.arabic import has_arabic
from .errors import TarjamaError

SUPPORTED = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


class DocumentError(TarjamaError):
    """A document that cannot be parsed in its format."""


@dataclass
class Extracted:
    """Prose units of a document, and how to put translations back."""

    units: list[str]
    rebuild: Callable[[list[str]], str]
    kind: str = "text"


def format_of(name: str) -> str | None:
    from pathlib import PurePath

    return SUPPORTED.get(PurePath(name).suffix.lower())


def extract(text: str, kind: str) -> Extracted:
    if kind == "text":
        return extract_text(text)
    if kind == "markdown":
        return extract_markdown(text)
    if kind == "html":
        return extract_html(text)
    raise DocumentError(f"unsupported format {kind!r}")


# -- plain text ---------------------------------------------------------------------------------
def extract_text(text: str) -> Extracted:
    from .text.segment import split_paragraphs

    lines = split_paragraphs(text)
    final_newline = text.endswith("\n")

    def rebuild(translations: list[str]) -> str:
        if not any(line.strip() for line in lines):
            return ""  # blank in, blank out
        return "\n".join(translations) + ("\n" if final_newline else "")

    return Extracted(lines, rebuild, "text")


# -- replacing spans of the source --------------------------------------------------------------
@dataclass
class _Spans:
    """Runs of ``source`` to translate, each with its own leading/trailing white space kept."""

    source: str
    spans: list[tuple[int, int]] = field(default_factory=list)

    def add(self, start: int, end: int) -> None:
        while start < end and self.source[start].isspace():
            start += 1
        while end > start and self.source[end - 1].isspace():
            end -= 1
        if start < end and has_arabic(self.source[start:end]):
            self.spans.append((start, end))

    def extracted(self, kind: str) -> Extracted:
        spans = sorted(self.spans)
        units = [self.source[s:e] for s, e in spans]

        def rebuild(translations: list[str]) -> str:
            out, last = [], 0
            for (s, e), t in zip(spans, translations):
                out.append(self.source[last:s])
                out.append(t)
                last = e
            out.append(self.source[last:])
            return "".join(out)

        return Extracted(units, rebuild, kind)


# -- Markdown -----------------------------------------------------------------------------------
def extract_markdown(text: str) -> Extracted:
    """Prose of headings, paragraphs, list items, block quotes and tables; the rest verbatim.

    markdown-it gives each inline block its source lines and its text runs; each run is
    located in its line, so everything between runs (markers, URLs, code) stays as written.
    """
    from markdown_it import MarkdownIt

    try:
        tokens = MarkdownIt("commonmark").enable("table").parse(text)
    except Exception as e:  # markdown-it accepts almost anything; be safe all the same
        raise DocumentError(f"cannot parse Markdown: {e}") from None
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    spans = _Spans(text)
    for token in tokens:
        if token.type != "inline" or not token.map or not token.children:
            continue
        first_line = token.map[0]
        content_lines = token.content.split("\n")
        line_cols = []
        for j, content_line in enumerate(content_lines):
            source_line = lines[first_line + j] if first_line + j < len(lines) else ""
            col = source_line.find(content_line) if content_line else 0
            line_cols.append(col)
        line_no, pos = 0, 0  # where we are in content_lines
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line_no, pos = line_no + 1, 0
                continue
            if child.type != "text" or not child.content or line_no >= len(content_lines):
                if child.type == "code_inline":
                    found = content_lines[line_no].find(child.content, pos) if line_no < len(content_lines) else -1
                    if found >= 0:
                        pos = found + len(child.content)
                continue
            current = content_lines[line_no]
            found = current.find(child.content, pos)
            if found < 0 or line_cols[line_no] < 0:
                continue  # an escaped run (\*, &amp;): left as written rather than guessed
            pos = found + len(child.content)
            base = starts[first_line + line_no] + line_cols[line_no]
            spans.add(base + found, base + pos)
    return spans.extracted("markdown")


# -- HTML ---------------------------------------------------------------------------------------
_VERBATIM_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "var", "noscript", "template", "textarea", "math", "svg"}


def extract_html(text: str) -> Extracted:
    """Text nodes outside scripts, styles and code; the page then says lang="en" dir="ltr"."""
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, PreformattedString

    try:
        soup = BeautifulSoup(text, "html.parser")
    except Exception as e:
        raise DocumentError(f"cannot parse HTML: {e}") from None
    nodes = []
    for node in soup.find_all(string=True):
        if isinstance(node, PreformattedString):  # comments, doctype, CDATA
            continue
        if any(parent.name in _VERBATIM_TAGS for parent in node.parents):
            continue
        if has_arabic(str(node)):
            nodes.append(node)
    units = [str(n).strip() for n in nodes]

    def rebuild(translations: list[str]) -> str:
        for node, t in zip(nodes, translations):
            raw = str(node)
            lead = raw[: len(raw) - len(raw.lstrip())]
            trail = raw[len(raw.rstrip()):]
            node.replace_with(NavigableString(lead + t + trail))
        for element in soup.find_all(True):
            if element.name == "html" or "lang" in element.attrs:
                if element.name == "html" or str(element.get("lang", "")).lower().startswith("ar"):
                    element["lang"] = "en"
            if element.name == "html" or str(element.get("dir", "")).lower() == "rtl":
                element["dir"] = "ltr"
        return str(soup)

    return Extracted(units, rebuild, "html")
