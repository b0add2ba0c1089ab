"""TBX (TermBase eXchange, ISO 30042): reading v2 and v3 term bases, writing TBX-Basic.

Read: v2 (``martif`` / ``termEntry`` / ``langSet`` / ``tig`` or ``ntig``), v3 (``tbx`` /
``conceptEntry`` / ``langSec`` / ``termSec``) in its DCA style (``<termNote
type="administrativeStatus">``) and DCT style (``<basic:administrativeStatus>``,
``<min:administrativeStatus>``), and the TBX-Min ``usageStatus`` / ``termStatus``. The status
of each term decides its role: the preferred (else the first admitted) English term is the
target, other admitted English terms are accepted alternatives, and deprecated, superseded,
obsolete or not-recommended English terms are forbidden. The first Arabic term (preferred
first) is the source and the others are variants. Definitions and notes make the note.

The parser never expands entities, never loads a DTD or anything else (defusedxml).
Written: TBX-Basic in its v2 form, with the DOCTYPE and XCS reference it declares.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Sequence

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .candidates import Candidate, collapse
from .csv_io import language
from .edit import control_character
from ..model import Entry, GlossaryError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CONCEPT = ("termEntry", "conceptEntry", "entry")
_LANG_SECTION = ("langSet", "langSec", "langGroup")
_TERM_HOLDER = ("tig", "ntig", "termSec", "termGroup")
_STATUS = ("administrativeStatus", "usageStatus", "termStatus", "normativeAuthorization")
_FORBIDDEN = {"deprecated", "superseded", "obsolete", "notrecommended", "forbidden", "rejected"}
_PREFERRED = {"preferred", "standardized", "standardised"}


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def status_of(raw: str) -> str:
    """``preferred``, ``admitted`` or ``forbidden`` for a status value of any TBX flavour."""
    key = raw.strip().lower().replace("-admn-sts", "").replace("term", "").replace("-", "").replace("_", "").replace(" ", "")
    if key in _FORBIDDEN:
        return "forbidden"
    if key in _PREFERRED:
        return "preferred"
    return "admitted"


@dataclass
class Term:
    text: str
    status: str  # preferred | admitted | forbidden
    notes: list[str] = field(default_factory=list)


@dataclass
class Concept:
    id: str
    ordinal: int
    terms: dict[str, list[Term]] = field(default_factory=dict)  # language -> terms in file order
    notes: list[str] = field(default_factory=list)


def _is_note(el: ET.Element) -> bool:
    """A note or a definition (not a context sentence, a source or a subject field)."""
    name = _local(el.tag)
    if name in ("note", "definition"):
        return True
    if name == "descrip":
        kind = (el.get("type") or "").lower()
        return "definition" in kind or "note" in kind
    return False


def _text(el: ET.Element) -> str:
    return collapse("".join(el.itertext()))


def _notes(el: ET.Element, skip: Sequence[str]) -> list[str]:
    """Notes of ``el`` and its groups (descripGrp, …), not inside the sections named in ``skip``."""
    out = []
    for child in el:
        name = _local(child.tag)
        if name in skip:
            continue
        if _is_note(child):
            if (t := _text(child)):
                out.append(t)
        elif name.endswith("Grp"):
            out.extend(_notes(child, skip))
    return out


def _status(holder: ET.Element) -> str:
    for el in holder.iter():
        name = _local(el.tag)
        if name in _STATUS or (name == "termNote" and el.get("type") in _STATUS):
            return status_of(el.text or "")
    return "admitted"


def parse(data: bytes, name: str) -> list[Concept]:
    """The concepts of a TBX file, language by language, with each term's status."""
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise GlossaryError(f"{name}: refused: the file declares entities or external references ({type(e).__name__}); tarjama never expands them") from None
    except ET.ParseError as e:
        raise GlossaryError(f"{name}: not well-formed TBX/XML ({e})") from None
    concepts = []
    for n, el in enumerate((el for el in root.iter() if _local(el.tag) in _CONCEPT), start=1):
        concept = Concept(el.get("id") or f"#{n}", n, notes=_notes(el, _LANG_SECTION))
        for section in el:
            if _local(section.tag) not in _LANG_SECTION:
                continue
            lang = language(section.get(XML_LANG) or section.get("lang") or "") or "?"
            terms = concept.terms.setdefault(lang, [])
            if lang in ("ar", "en"):
                concept.notes.extend(_notes(section, _TERM_HOLDER))
            for holder in section:
                if _local(holder.tag) not in _TERM_HOLDER:
                    continue
                term = next((t for t in holder.iter() if _local(t.tag) == "term"), None)
                if term is None or not _text(term):
                    continue
                terms.append(Term(_text(term), _status(holder), [_text(x) for x in holder.iter() if _is_note(x) and _text(x)]))
        concepts.append(concept)
    if not concepts:
        raise GlossaryError(f"{name}: no termEntry (or conceptEntry) in this TBX file")
    return concepts


def choose(terms: Sequence[Term]) -> tuple[Term | None, list[Term], list[Term]]:
    """(the preferred or else first admitted term, the other usable terms, the forbidden ones)."""
    usable = [t for t in terms if t.status != "forbidden"]
    forbidden = [t for t in terms if t.status == "forbidden"]
    first = next((t for t in usable if t.status == "preferred"), usable[0] if usable else None)
    return first, [t for t in usable if t is not first], forbidden


def candidates(concepts: Sequence[Concept], name: str, deprecated_variants: bool = False) -> list[Candidate]:
    """One candidate per concept. A deprecated or forbidden Arabic term is reported and left
    out: enforced as a variant, a term base's "do not use" spelling could be a common word
    (جهاز) forced everywhere. ``deprecated_variants`` matches them as variants all the same."""
    out = []
    for c in concepts:
        where = f"{name}: concept {c.id}"
        ar, en = c.terms.get("ar", []), c.terms.get("en", [])
        if not ar or not en:
            present = ", ".join(sorted(lang for lang, ts in c.terms.items() if ts)) or "none"
            side = "Arabic" if not ar else "English"
            out.append(Candidate(where, c.ordinal, missing=f"no {side} term (languages: {present})"))
            continue
        source, others, deprecated_ar = choose(ar)
        notices: tuple[str, ...] = ()
        if deprecated_variants:
            variants = tuple(t.text for t in others + deprecated_ar)
            if source is None:
                source, variants = deprecated_ar[0], tuple(t.text for t in deprecated_ar[1:])
        else:
            variants = tuple(t.text for t in others)
            if source is None:
                out.append(Candidate(where, c.ordinal, missing=(
                    f"only deprecated or forbidden Arabic terms ({', '.join(t.text for t in deprecated_ar)});"
                    " not enforced (--deprecated-variants matches them)")))
                continue
            if deprecated_ar:
                notices = (f"{where}: deprecated or forbidden Arabic term{'s' if len(deprecated_ar) > 1 else ''}"
                           f" {', '.join(t.text for t in deprecated_ar)} not enforced (--deprecated-variants matches them as variants)",)
        target, accepted, forbidden = choose(en)
        if target is None:
            out.append(Candidate(where, c.ordinal, source=source.text,
                                 missing=f"no usable English term (only deprecated: {', '.join(t.text for t in forbidden)})"))
            continue
        notes = list(dict.fromkeys([*c.notes, *source.notes, *target.notes]))
        out.append(Candidate(
            where, c.ordinal, source.text, target.text, variants=variants,
            forbidden=tuple(t.text for t in forbidden), alternatives=tuple(t.text for t in accepted),
            note="; ".join(notes), notices=notices,
        ))
    return out


# -- writing -------------------------------------------------------------------------------------
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"


def _check_xml_chars(e: Entry) -> None:
    for what, value in (("source", e.source), ("target", e.target), ("note", e.note),
                        *(("variant", v) for v in e.variants), *(("forbidden rendering", f) for f in e.forbidden),
                        *(("alternative", a) for a in e.alternatives)):
        if (bad := control_character(value)) is not None:
            raise GlossaryError(
                f"{e.origin}: the {what} of {e.source!r} holds the control character U+{ord(bad):04X}, which XML cannot"
                f" carry; remove it (tarjama glossary set) and export again"
            )


def to_tbx(entries: Sequence[Entry]) -> str:
    """TBX-Basic (v2 form: martif, the TBX-Basic DTD and XCS), readable by CAT tools."""
    for e in entries:
        _check_xml_chars(e)
    martif = ET.Element("martif", {"type": "TBX-Basic-V1", XML_LANG: "en"})
    header = ET.SubElement(martif, "martifHeader")
    desc = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(desc, "p").text = "tarjama glossary (Arabic to English)"
    ET.SubElement(ET.SubElement(header, "encodingDesc"), "p", {"type": "XCSURI"}).text = "TBXBasicXCSV02.xcs"
    body = ET.SubElement(ET.SubElement(martif, "text"), "body")
    for n, e in enumerate(entries, start=1):
        entry = ET.SubElement(body, "termEntry", {"id": f"e{n}"})
        if e.note:
            ET.SubElement(entry, "note").text = e.note
        for lang, terms in (
            ("ar", [(t, PREFERRED if i == 0 else ADMITTED) for i, t in enumerate(e.forms)]),
            ("en", [(e.target, PREFERRED), *((a, ADMITTED) for a in e.alternatives), *((f, DEPRECATED) for f in e.forbidden)]),
        ):
            section = ET.SubElement(entry, "langSet", {XML_LANG: lang})
            for term, status in terms:
                tig = ET.SubElement(section, "tig")
                ET.SubElement(tig, "term").text = term
                ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
    ET.indent(martif)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'
        + ET.tostring(martif, encoding="unicode") + "\n"
    )
