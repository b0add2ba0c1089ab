"""Glossaries as CSV and TSV files, as spreadsheets, CAT tools and term lists write them.

Reading finds the Arabic and the English column by the header (``source``/``target``,
``sourceString``/``targetString``, ``term``/``translation``, ``Arabic``/``English``, language
codes such as ``ar``, ``ar_AR``, ``ar-SY``, ``ara``, ``en``, ``en-US``, ``eng``), by per-row
language columns (TICO-19's ``sourceLang``/``targetLang``), or, when the file has no header
(OmegaT, DeepL, Google and Amazon-style two-column lists), by which column is written in
Arabic script. ``--source-column`` / ``--target-column`` name the columns for the rest.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Sequence

from ...text.arabic import has_arabic
from .candidates import Candidate
from .spreadsheet import neutralise_row, restore
from ..model import Entry, GlossaryError

# Header names (lower case, spaces, '_' and '-' removed) and what they hold.
_NAMES = {
    "source": {"source", "sourceterm", "sourcestring", "sourcetext", "src", "term", "terms"},
    "target": {"target", "targetterm", "targetstring", "targettext", "tgt", "translation", "translations", "equivalent"},
    "ar": {"arabic", "arabicterm", "termar"},
    "en": {"english", "englishterm", "termen"},
    "variants": {"variants", "variant", "synonyms", "arabicvariants", "arvariants"},
    "forbidden": {"forbidden", "forbiddenterms", "deprecated", "donotuse", "notrecommended", "prohibited"},
    "alternatives": {"alternatives", "alternative", "accepted", "admitted", "englishalternatives"},
    "note": {"note", "notes", "comment", "comments", "definition", "description", "context", "remark", "remarks"},
    "source_lang": {"sourcelang", "sourcelanguage", "srclang", "sourcelocale"},
    "target_lang": {"targetlang", "targetlanguage", "tgtlang", "targetlocale"},
}
# Which language a header's code names: ar, ar_AR, ar-SY, ara, arb; en, en-US, eng.
_LANG = re.compile(r"^(?P<code>[a-z]{2,3})(?:[-_][a-z0-9]{2,8})*$")
_ALIASES = {"ara": "ar", "arb": "ar", "eng": "en"}


def language(code: str) -> str | None:
    """``ar`` or ``en`` (or another primary subtag) for a language code; None if not a code."""
    m = _LANG.match(code.strip().lower())
    if not m:
        return None
    return _ALIASES.get(m["code"], m["code"])


def _key(name: str) -> str:
    return re.sub(r"[\s_\-()]+", "", name.strip().lower().lstrip("\ufeff"))


def _role(name: str) -> str | None:
    key = _key(name)
    for role, names in _NAMES.items():
        if key in names:
            return role
    # "term (ar)", "Arabic (ar-SY)" and plain codes
    m = re.search(r"\(([a-z_\-]+)\)\s*$", name.strip().lower())
    code = language(m.group(1) if m else name)
    if code in ("ar", "en"):
        return code
    return None


@dataclass
class Columns:
    """Where the two sides and the optional fields are (0-based), and their languages."""

    a: int  # the column given as the source, or the first of the two
    b: int
    a_lang: str | None = None  # "ar" / "en" when the header says
    b_lang: str | None = None
    source_lang: int | None = None
    target_lang: int | None = None
    variants: int | None = None
    forbidden: int | None = None
    alternatives: int | None = None
    note: int | None = None


def _pick(header: list[str], wanted: str | None, option: str) -> int | None:
    if wanted is None:
        return None
    if wanted.isdigit():
        i = int(wanted) - 1
        if not 0 <= i < len(header):
            raise GlossaryError(f"{option} {wanted}: the file has {len(header)} columns")
        return i
    for i, name in enumerate(header):
        if name.strip().lower() == wanted.strip().lower():
            return i
    raise GlossaryError(f"{option} {wanted!r}: no such column (the header has {', '.join(map(repr, header))})")


def _columns(header: list[str], name: str, source_column: str | None, target_column: str | None) -> Columns | None:
    """The columns a header row names; None if it is not a header at all."""
    roles: dict[str, list[int]] = {}
    for i, cell in enumerate(header):
        role = _role(cell)
        if role:
            roles.setdefault(role, []).append(i)
    a = _pick(header, source_column, "--source-column")
    b = _pick(header, target_column, "--target-column")
    if not roles and a is None and b is None:
        return None
    # A name used twice would silently lose one of its columns: refuse, say which.
    for i, cell in enumerate(header):
        twins = [j for j, other in enumerate(header) if _key(other) == _key(cell) and cell.strip()]
        if len(twins) > 1 and i == twins[0] and _role(cell) and not ({a, b} & set(twins)):
            raise GlossaryError(
                f"{name}:1: column {cell.strip()!r} appears {len(twins)} times (columns {', '.join(str(j + 1) for j in twins)});"
                f" rename one, or choose with --source-column/--target-column N"
            )
    langs = {}
    if a is None:
        for role in ("ar", "source", "en"):
            if role in roles and (b is None or roles[role][0] != b):
                a = roles[role][0]
                langs["a"] = role if role != "source" else None
                break
    else:
        langs["a"] = _role(header[a]) if _role(header[a]) in ("ar", "en") else None
    if b is None:
        for role in ("en", "target", "ar"):
            if role in roles and roles[role][0] != a:
                b = roles[role][0]
                langs["b"] = role if role != "target" else None
                break
    else:
        langs["b"] = _role(header[b]) if _role(header[b]) in ("ar", "en") else None
    if a is None or b is None:
        raise GlossaryError(
            f"{name}:1: CSV header needs a source and a target column (e.g. 'source,target', 'ar,en' or"
            f" 'sourceString,targetString'); got {header}; or name them with --source-column/--target-column"
        )
    first = lambda role: roles[role][0] if role in roles else None  # noqa: E731
    return Columns(
        a, b, langs.get("a"), langs.get("b"),
        source_lang=first("source_lang"), target_lang=first("target_lang"),
        variants=first("variants"), forbidden=first("forbidden"),
        alternatives=first("alternatives"), note=first("note"),
    )


def _rows(text: str, name: str, delimiter: str, comments: bool) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank record; a quoted field may span lines."""
    # A field longer than the csv module's default limit (128 KiB) is still a field.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    lines = text.split("\n")
    if comments:  # our own TSV: '#' lines are comments (blanked to keep the line numbers)
        lines = ["" if ln.lstrip().startswith("#") else ln for ln in lines]
    quoting = csv.QUOTE_MINIMAL if delimiter != "\t" else csv.QUOTE_NONE
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter, quoting=quoting, strict=True)
    rows = []
    start = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as e:
        raise GlossaryError(f"{name}:{reader.line_num}: not valid CSV ({e})") from None
    return rows


def _delimiter(text: str, fmt: str) -> str:
    if fmt == "tsv":
        return "\t"
    first = next((ln for ln in text.split("\n") if ln.strip()), "")
    # A spreadsheet saved in a locale with a decimal comma writes ';'; Excel's "Unicode text", tabs.
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_table(
    text: str, name: str, fmt: str = "csv", source_column: str | None = None, target_column: str | None = None
) -> list[Candidate]:
    """Candidates of a CSV or TSV glossary, one per row."""
    rows = _rows(text, name, _delimiter(text, fmt), comments=fmt == "tsv")
    if fmt != "tsv":  # cells a spreadsheet export made inert ('=...) get their text back
        rows = [(n, [restore(c) for c in cells]) for n, cells in rows]
    if not rows:
        raise GlossaryError(f"{name}: empty file")
    header_line, header = rows[0]
    cols = _columns(header, name, source_column, target_column)
    if cols is not None:
        body = rows[1:]
    else:
        body = rows
        cols = _headerless(rows, name)
    arabic_first = _arabic_side(body, cols)
    if cols.source_lang is None or cols.target_lang is None:
        _refuse_persian(body, cols.a if arabic_first else cols.b, header if cols is not None and body is not rows else None, name)
    out = []
    for lineno, cells in body:
        cell = lambda i: cells[i] if i is not None and i < len(cells) else ""  # noqa: E731
        a, b = cell(cols.a), cell(cols.b)
        where = f"{name}:{lineno}"
        missing = ""
        if cols.source_lang is not None and cols.target_lang is not None:
            pair = (language(cell(cols.source_lang)) or "?", language(cell(cols.target_lang)) or "?")
            if pair == ("en", "ar"):
                a, b = b, a
            elif pair != ("ar", "en"):
                out.append(Candidate(where, lineno, missing=f"language pair {cell(cols.source_lang)}→{cell(cols.target_lang)} is not Arabic–English"))
                continue
        elif not arabic_first:
            a, b = b, a
        letters = persian_letters(a)
        out.append(Candidate(
            where, lineno, a, b,
            variants=(cell(cols.variants),), forbidden=(cell(cols.forbidden),),
            alternatives=(cell(cols.alternatives),), note=cell(cols.note), missing=missing,
            notices=(f"{where}: {a!r} has letters of Persian or Urdu, not Arabic ({' '.join(letters)}); check the term",) if letters else (),
        ))
    return out


# Letters of Persian and Urdu that Arabic does not use: a column of them is not Arabic, and
# its terms would never match Arabic text (Arabic writes ي and ك where Persian writes ی and ک).
PERSIAN = "پچژگکیۀےڈٹڑں"


def persian_letters(text: str) -> list[str]:
    return sorted({c for c in text if c in PERSIAN})


def _refuse_persian(body, column: int, header, name: str) -> None:
    """A column chosen as Arabic that is Persian or Urdu is refused, not imported wordlessly."""
    values = [cells[column] for _, cells in body if column < len(cells) and has_arabic(cells[column])]
    foreign = [v for v in values if persian_letters(v)]
    if values and len(foreign) * 2 >= len(values):
        label = repr(header[column]) if header is not None and column < len(header) else f"number {column + 1}"
        letters = " ".join(sorted({c for v in foreign for c in persian_letters(v)}))
        raise GlossaryError(
            f"{name}: the column chosen as Arabic ({label}) is written in Persian or Urdu letters ({letters}) in"
            f" {len(foreign)} of {len(values)} rows; name the Arabic column with --source-column"
        )


def _headerless(rows: Sequence[tuple[int, list[str]]], name: str) -> Columns:
    """Columns of a file without a header: the Arabic one by its script, the English one by Latin letters."""
    width = max(len(cells) for _, cells in rows)
    if width < 2:
        raise GlossaryError(f"{name}: one column only; a glossary needs an Arabic and an English column")

    def count(i: int, test) -> int:
        return sum(1 for _, cells in rows if i < len(cells) and test(cells[i]))

    def latin(s: str) -> bool:
        return bool(re.search(r"[A-Za-z]", s)) and not has_arabic(s)

    ar = max(range(width), key=lambda i: (count(i, has_arabic), -i))
    en = max((i for i in range(width) if i != ar), key=lambda i: (count(i, latin), -i))
    if width > 2 and not any(has_arabic(c) for c in rows[0][1]):
        # More than two columns and no Arabic in the first row: a header we do not know.
        raise GlossaryError(
            f"{name}:1: header not recognised ({', '.join(map(repr, rows[0][1]))}); name the Arabic and the"
            f" English column with --source-column/--target-column (a header name or a number, 1 = first)"
        )
    # A third column of a two-column list is a comment (OmegaT), unless it holds language codes (DeepL).
    rest = [i for i in range(width) if i not in (ar, en)]
    values = [cells[rest[0]] for _, cells in rows if rest and len(cells) > rest[0] and cells[rest[0]].strip()]
    note = rest[0] if values and not all(language(v) for v in values) else None
    return Columns(ar, en, "ar", "en", note=note)


def _arabic_side(body: Sequence[tuple[int, list[str]]], cols: Columns) -> bool:
    """Whether column ``a`` is the Arabic side: by the header's languages, else by script."""
    if cols.a_lang == "ar" or cols.b_lang == "en":
        return True
    if cols.a_lang == "en" or cols.b_lang == "ar":
        return False
    in_a = sum(1 for _, c in body if cols.a < len(c) and has_arabic(c[cols.a]))
    in_b = sum(1 for _, c in body if cols.b < len(c) and has_arabic(c[cols.b]))
    return in_a >= in_b


# -- writing -------------------------------------------------------------------------------------
COLUMNS = ("source", "target", "variants", "forbidden", "note", "alternatives")


def _cells(e: Entry) -> list[str]:
    return [e.source, e.target, "|".join(e.variants), "|".join(e.forbidden), e.note, "|".join(e.alternatives)]


def to_tsv(entries: Sequence[Entry]) -> str:
    # Optional columns only when some entry uses them, so plain glossaries stay plain: the
    # alternatives, then the matching columns (plural, rules, context).
    tuned = any(e.plural or e.rules or e.context or e.adjective for e in entries)
    width = 6 if tuned or any(e.alternatives for e in entries) else 5
    header = list(COLUMNS[:width]) + (["plural", "rules", "context", "adjective"] if tuned else [])
    lines = ["\t".join(header)]
    for e in entries:
        cells = _cells(e)[:width]
        if tuned:
            cells += [e.plural, " ".join(e.rules), " | ".join(c.text for c in e.context), e.adjective]
        while cells and not cells[-1]:
            cells.pop()
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def to_csv(entries: Sequence[Entry]) -> str:
    width = 6 if any(e.alternatives for e in entries) else 5
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS[:width])
    for e in entries:
        writer.writerow(neutralise_row(_cells(e)[:width]))
    return out.getvalue()
