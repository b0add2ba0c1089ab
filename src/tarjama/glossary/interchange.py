"""Glossaries to and from TSV, CSV and TBX, the formats CAT tools (OmegaT, memoQ, Trados) read.

TBX is TermBase eXchange (ISO 30042) in its widely used v2 form: ``martif`` / ``termEntry`` /
``langSet xml:lang="ar"|"en"`` / ``tig`` / ``term``. The Arabic source is the first Arabic
term and the others are its variants; the English target is the preferred (or first
admitted) term, and English terms whose ``administrativeStatus`` is deprecated, superseded
or not recommended are the forbidden renderings. Entry notes are kept. TBX v3
(``conceptEntry`` / ``langSec`` / ``termSec``) is read too.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Sequence

from ..text.arabic import normalize
from .model import Entry, GlossaryError, parse_tsv

FORMATS = ("tsv", "csv", "tbx")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FORBIDDEN_STATUS = ("deprecatedTerm-admn-sts", "supersededTerm-admn-sts", "notRecommended", "forbidden", "deprecated")
PREFERRED_STATUS = "preferredTerm-admn-sts"

# Header names other tools use, mapped to ours.
_CSV_COLUMNS = {
    "source": ("source", "ar", "arabic", "src", "source term", "term (ar)", "ar-sa", "ar_sa"),
    "target": ("target", "en", "english", "tgt", "target term", "translation", "term (en)", "en-us", "en-gb", "en_us"),
    "variants": ("variants", "variant", "synonyms", "ar variants"),
    "forbidden": ("forbidden", "forbidden terms", "deprecated", "do not use", "not recommended"),
    "note": ("note", "notes", "comment", "comments", "definition", "description"),
}


def guess_format(path: str | Path, given: str | None) -> str:
    if given:
        if given not in FORMATS:
            raise GlossaryError(f"unknown glossary format {given!r} (choose from {', '.join(FORMATS)})")
        return given
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if suffix in ("xml", "tbx2", "tbx3"):
        return "tbx"
    raise GlossaryError(f"{path}: cannot tell the format from the file name; pass --format tsv|csv|tbx")


# -- writing ---------------------------------------------------------------------------------
def to_tsv(entries: Sequence[Entry]) -> str:
    # The matching columns only when some entry uses them, so plain glossaries stay plain.
    tuned = any(e.plural or e.rules or e.context for e in entries)
    lines = ["source\ttarget\tvariants\tforbidden\tnote" + ("\tplural\trules\tcontext" if tuned else "")]
    for e in entries:
        cells = [e.source, e.target, "|".join(e.variants), "|".join(e.forbidden), e.note]
        if tuned:
            cells += [e.plural, " ".join(e.rules), " | ".join(c.text for c in e.context)]
        while cells and not cells[-1]:
            cells.pop()
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def to_csv(entries: Sequence[Entry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source", "target", "variants", "forbidden", "note"])
    for e in entries:
        writer.writerow([e.source, e.target, "|".join(e.variants), "|".join(e.forbidden), e.note])
    return out.getvalue()


def to_tbx(entries: Sequence[Entry]) -> str:
    martif = ET.Element("martif", {"type": "TBX", XML_LANG: "en"})
    header = ET.SubElement(martif, "martifHeader")
    desc = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(desc, "p").text = "tarjama glossary (Arabic to English)"
    body = ET.SubElement(ET.SubElement(martif, "text"), "body")
    for n, e in enumerate(entries, start=1):
        entry = ET.SubElement(body, "termEntry", {"id": f"e{n}"})
        if e.note:
            ET.SubElement(entry, "note").text = e.note
        ar = ET.SubElement(entry, "langSet", {XML_LANG: "ar"})
        for i, term in enumerate(e.forms):
            tig = ET.SubElement(ar, "tig")
            ET.SubElement(tig, "term").text = term
            status = PREFERRED_STATUS if i == 0 else "admittedTerm-admn-sts"
            ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
        en = ET.SubElement(entry, "langSet", {XML_LANG: "en"})
        for term, status in [(e.target, PREFERRED_STATUS), *((f, "deprecatedTerm-admn-sts") for f in e.forbidden)]:
            tig = ET.SubElement(en, "tig")
            ET.SubElement(tig, "term").text = term
            ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
    ET.indent(martif)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(martif, encoding="unicode") + "\n"


def export_text(entries: Sequence[Entry], fmt: str) -> str:
    return {"tsv": to_tsv, "csv": to_csv, "tbx": to_tbx}[fmt](entries)


# -- reading ---------------------------------------------------------------------------------
def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def from_csv(text: str, name: str) -> list[Entry]:
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise GlossaryError(f"{name}: empty CSV file")
    header = [c.strip().lower() for c in rows[0]]
    index = {}
    for ours, names in _CSV_COLUMNS.items():
        for i, col in enumerate(header):
            if col in names and ours not in index:
                index[ours] = i
    if "source" not in index or "target" not in index:
        raise GlossaryError(
            f"{name}:1: CSV header needs a source and a target column (e.g. 'source,target' or 'ar,en'); got {rows[0]}"
        )
    entries = []
    for lineno, row in enumerate(rows[1:], start=2):
        cell = lambda k: row[index[k]].strip() if k in index and index[k] < len(row) else ""  # noqa: E731
        entries.append(
            Entry(cell("source"), cell("target"), _split(cell("variants")), _split(cell("forbidden")), cell("note"), name, lineno)
        )
    return entries


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def from_tbx(text: str, name: str) -> list[Entry]:
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as e:
        raise GlossaryError(f"{name}: not well-formed TBX/XML ({e})") from None
    concepts = [el for el in root.iter() if _local(el.tag) in ("termEntry", "conceptEntry")]
    if not concepts:
        raise GlossaryError(f"{name}: no termEntry (or conceptEntry) in this TBX file")
    entries = []
    for n, concept in enumerate(concepts, start=1):
        notes = [
            (el.text or "").strip()
            for el in concept
            if _local(el.tag) in ("note", "descrip") and (el.text or "").strip()
        ]
        terms: dict[str, list[tuple[str, str]]] = {}
        for lang_set in concept:
            if _local(lang_set.tag) not in ("langSet", "langSec"):
                continue
            lang = (lang_set.get(XML_LANG) or lang_set.get("lang") or "").lower().split("-")[0]
            for holder in lang_set:
                if _local(holder.tag) not in ("tig", "ntig", "termSec"):
                    continue
                term = next((t for t in holder.iter() if _local(t.tag) == "term"), None)
                if term is None or not "".join(term.itertext()).strip():
                    continue
                status = next(
                    ((t.text or "").strip() for t in holder.iter() if _local(t.tag) == "termNote" and t.get("type") == "administrativeStatus"),
                    "",
                )
                terms.setdefault(lang, []).append(("".join(term.itertext()).strip(), status))
            for el in lang_set:
                if _local(el.tag) in ("note", "descrip") and (el.text or "").strip():
                    notes.append(el.text.strip())
        where = f"{name}: termEntry {concept.get('id') or n}"
        arabic = [t for t, status in terms.get("ar", []) if status not in FORBIDDEN_STATUS]
        if not arabic:
            raise GlossaryError(f"{where}: no Arabic term (langSet xml:lang=\"ar\")")
        english = terms.get("en", [])
        allowed = [t for t, status in english if status not in FORBIDDEN_STATUS]
        preferred = [t for t, status in english if status == PREFERRED_STATUS] or allowed
        if not preferred:
            raise GlossaryError(f"{where}: no English term (langSet xml:lang=\"en\")")
        forbidden = tuple(t for t, status in english if status in FORBIDDEN_STATUS)
        entries.append(Entry(arabic[0], preferred[0], tuple(arabic[1:]), forbidden, " ".join(notes), name, n))
    return entries


def read_entries(path: str | Path, fmt: str | None = None) -> list[Entry]:
    """Entries of a TSV, CSV or TBX file, validated as a glossary file is."""
    from ..document import read_document
    from ..errors import InputError
    from .edit import validate_entry

    fmt = guess_format(path, fmt)
    try:
        text = read_document(path)
    except InputError as e:
        raise GlossaryError(e.message) from None
    name = str(path)
    if fmt == "tsv":
        return parse_tsv(text, name)
    entries = from_csv(text, name) if fmt == "csv" else from_tbx(text, name)
    where = (lambda e: f"{name}:{e.line}") if fmt == "csv" else (lambda e: f"{name}: termEntry {e.line}")
    seen: dict[str, Entry] = {}
    for e in entries:
        try:
            validate_entry(e)
        except GlossaryError as problem:
            raise GlossaryError(f"{where(e)}: {problem.message}") from None
        for form in e.forms:
            other = seen.setdefault(normalize(form), e)
            if other.target != e.target:
                raise GlossaryError(
                    f"{where(e)}: {form!r} is already defined by {where(other)} with target {other.target!r}"
                )
    return entries
