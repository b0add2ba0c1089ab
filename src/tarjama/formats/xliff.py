"""XLIFF 1.2 and 2.0 (``.xlf``, ``.xliff``), the files CAT tools (OmegaT, memoQ, Trados)
exchange: each source segment gets its target.

- 1.2: a ``<trans-unit>`` is a unit, or each ``<mrk mtype="seg">`` of its ``<seg-source>``;
  the target says ``state="needs-review-translation"`` with
  ``state-qualifier="leveraged-mt"`` (the spec's "derived from a machine translation").
- 2.0 (and 2.1, same namespace): each ``<segment>`` is a unit; the segment says
  ``state="translated"`` (not yet reviewed) with ``subState="tarjama:mt"``.
- Inline elements are marks: paired ones with content (1.2 ``<g>``, ``<mrk>``; 2.0
  ``<pc>``, ``<mrk>``) wrap the English words they wrapped in Arabic; the others
  (``<x/>``, ``<bx/>``, ``<ex/>``, ``<ph>``, ``<bpt>``/``<ept>``, ``<it>``, ``<ph/>``,
  ``<sc/>``/``<ec/>``, ``<sm/>``/``<em/>``, ``<cp/>``) are copied whole, the native code in
  them untouched. Every element of the source is in the target, with its id.
- Glossary terms of a unit are attached as notes for the reviewer.
- Only sources with Arabic in them are translated; a file with none is left as it is.
- Units marked ``translate="no"`` (or inside an element that says so, unless a nearer one
  says ``translate="yes"``) and targets already written in English (with no state, or any
  but "new", "needs-translation" or "initial") are kept as they are; an empty target
  (Trados' ``.sdlxliff``) or one that copies the Arabic source is translated.
- A file that translates into Arabic (``target-language``, ``trgLang``) is refused; one with
  no Arabic source has nothing to translate.

The parser never expands entities, loads a DTD or reaches the network; a document that
declares entities is refused (XLIFF needs none, and they are how XML attacks work).
"""

from __future__ import annotations

import re

from ..text.arabic import has_arabic
from .base import DocumentError, DocumentFormat, Extracted, Translated, Unit
from .xml_inline import InlineText, fill, hardened_parser

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_PAIRED = {"g", "mrk", "pc"}  # elements whose content is text to translate
_UNTRANSLATED_STATES = {"new", "needs-translation", "initial"}


def _written(target, state: str | None) -> bool:
    """A target someone already wrote, to be kept. An empty target (Trados writes
    ``<target><mrk mtype="seg" mid="1"/></target>`` for every segment still to do) or one
    with no state that copies Arabic (a tool's "copy source to target") is still to
    translate; an Arabic target with a state someone set is kept (and fails the
    document's check unless Arabic is allowed)."""
    if target is None or state in _UNTRANSLATED_STATES:
        return False
    text = "".join(target.itertext())
    return bool(text.strip()) and (state is not None or not has_arabic(text))


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _is_paired(el) -> bool:
    local = _local(el)
    if local not in _PAIRED:
        return False
    # Protected or do-not-translate markers keep their content as it is.
    return el.get("mtype") != "protected" and el.get("translate") != "no"


def _preserve(el) -> bool:
    while el is not None:
        value = el.get(XML_SPACE)
        if value is not None:
            return value == "preserve"
        el = el.getparent()
    return False


def _content(el) -> InlineText:
    return InlineText(el, _is_paired, preserve=_preserve(el))


def _insert_after(anchor, el) -> None:
    """``el`` right after ``anchor``, indented like it."""
    previous = anchor.getprevious()
    before = previous.tail if previous is not None else anchor.getparent().text
    el.tail = anchor.tail
    anchor.addnext(el)
    if before is not None and not before.strip():
        anchor.tail = before


def _note_texts(terms) -> list[str]:
    notes = []
    for term in terms:
        d = term.as_dict() if hasattr(term, "as_dict") else dict(term)
        notes.append(f"tarjama glossary: {d.get('text') or d.get('source')} → {d.get('target')} ({d.get('status')})")
    return list(dict.fromkeys(notes))


class XliffFormat(DocumentFormat):
    name = "xliff"
    suffixes = (".xlf", ".xliff", ".sdlxliff", ".mqxliff")

    def extract(self, data: bytes, name: str) -> Extracted:
        from lxml import etree

        try:
            root = etree.fromstring(data, hardened_parser())
        except etree.XMLSyntaxError as e:
            raise DocumentError(f"{name}: not well-formed XML: {e}") from None
        tree = root.getroottree()
        dtd = tree.docinfo.internalDTD
        if dtd is not None and list(dtd.iterentities()):
            raise DocumentError(f"{name}: declares XML entities in its DOCTYPE; XLIFF needs none and tarjama never expands them")
        if any(isinstance(n, etree._Entity) for n in root.iter()):
            raise DocumentError(f"{name}: uses an XML entity reference that is not defined; XLIFF needs none")
        if _local(root) != "xliff":
            raise DocumentError(f"{name}: not XLIFF: the root element is <{_local(root) or root.tag}>")
        ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
        pairs = [(root.get("srcLang"), root.get("trgLang"))] + [
            (f.get("source-language"), f.get("target-language")) for f in root.iter(_q(ns, "file"))
        ]
        into_arabic = [(a, b) for a, b in pairs if b and b.lower().startswith("ar") and not (a or "").lower().startswith("ar")]
        if into_arabic:
            a, b = into_arabic[0]
            raise DocumentError(f"{name}: translates {a or 'another language'} into {b}; tarjama translates Arabic into English")
        root_attrib = dict(root.attrib)
        version = root.get("version", "")
        if ns == NS20 or version.startswith("2"):
            jobs = _extract_20(root, ns)
        else:
            jobs = _extract_12(root, ns)
        units = [Unit(c.text, tuple(c.marks), uid) for uid, c, _ in jobs]
        notes = []
        kept = jobs.kept
        if kept:
            notes.append(f"kept {kept} existing target{'s' if kept != 1 else ''}")
        encoding = (tree.docinfo.encoding or "UTF-8").upper()
        if encoding not in ("UTF-8", "ASCII", "US-ASCII"):
            notes.append(f"read as {encoding} (declared charset)")

        def rebuild(translations: list[Translated]) -> bytes:
            if not jobs:
                return data  # nothing in Arabic: the file as it came
            by_owner: dict[int, tuple[object, list]] = {}
            for (uid, content, put), t in zip(jobs, translations):
                owner = put(t)
                if owner is not None:
                    by_owner.setdefault(id(owner), (owner, []))[1].extend(t.terms)
            for owner, terms in by_owner.values():
                _attach_notes(owner, _note_texts(terms), ns)
            return _serialise(tree, data, root_attrib)

        return Extracted(units, rebuild, notes)


class _Jobs(list):
    kept = 0


def _q(ns: str, local: str) -> str:
    return f"{{{ns}}}{local}" if ns else local


def _skipped(el, stop) -> bool:
    """``translate="no"`` on the element or the nearest ancestor that says (a unit
    ``translate="yes"`` inside a file ``translate="no"`` is translated: XLIFF inherits)."""
    while el is not None:
        value = el.get("translate")
        if value in ("yes", "no"):
            return value == "no"
        el = el.getparent()
    return False


def _extract_12(root, ns: str) -> _Jobs:
    from copy import deepcopy

    from lxml import etree

    jobs = _Jobs()
    for tu in root.iter(_q(ns, "trans-unit")):
        if _skipped(tu, root):
            continue
        source = tu.find(_q(ns, "source"))
        if source is None or not has_arabic("".join(source.itertext())):
            continue
        file_el = next((a for a in tu.iterancestors(_q(ns, "file"))), None)
        if file_el is not None and not file_el.get("target-language"):
            file_el.set("target-language", "en")
        target = tu.find(_q(ns, "target"))
        if _written(target, target.get("state") if target is not None else None):
            jobs.kept += 1
            continue
        uid = tu.get("id", "")
        seg_source = tu.find(_q(ns, "seg-source"))
        segs = [] if seg_source is None else [m for m in seg_source.iter(_q(ns, "mrk")) if m.get("mtype") == "seg"]
        if target is None:
            target = etree.Element(_q(ns, "target"))
            _insert_after(seg_source if seg_source is not None else source, target)
        target.set("state", "needs-review-translation")
        target.set("state-qualifier", "leveraged-mt")
        if segs:
            # The target mirrors seg-source: the same segment markers, each translated.
            mirror = deepcopy(seg_source)
            for child in list(target):
                target.remove(child)
            target.text = mirror.text
            for child in mirror:
                target.append(child)
            for seg, copied in zip(segs, [m for m in target.iter(_q(ns, "mrk")) if m.get("mtype") == "seg"]):
                content = _content(seg)
                jobs.append((f"{uid}/{seg.get('mid', '')}", content, _putter(copied, content, tu)))
        else:
            content = _content(source)
            jobs.append((uid, content, _putter(target, content, tu)))
    return jobs


def _extract_20(root, ns: str) -> _Jobs:
    from lxml import etree

    jobs = _Jobs()
    for unit in root.iter(_q(ns, "unit")):
        if _skipped(unit, root):
            continue
        for n, segment in enumerate(unit.findall(_q(ns, "segment")), start=1):
            source = segment.find(_q(ns, "source"))
            if source is None or not has_arabic("".join(source.itertext())):
                continue
            if not root.get("trgLang"):
                root.set("trgLang", "en")
            target = segment.find(_q(ns, "target"))
            if _written(target, segment.get("state")):
                jobs.kept += 1
                continue
            if target is None:
                target = etree.Element(_q(ns, "target"))
                _insert_after(source, target)
            segment.set("state", "translated")
            segment.set("subState", "tarjama:mt")
            content = _content(source)
            uid = f"{unit.get('id', '')}/{segment.get('id') or n}"
            jobs.append((uid, content, _putter(target, content, unit)))
    return jobs


def _putter(target, content: InlineText, owner):
    def put(t: Translated):
        fill(target, content, t)
        return owner

    return put


def _attach_notes(owner, texts: list[str], ns: str) -> None:
    from lxml import etree

    if not texts:
        return
    indent = owner.text if owner.text and not owner.text.strip() else "\n"
    if _local(owner) == "trans-unit":  # 1.2: notes follow the target
        last = owner[-1]
        for text in texts:
            note = etree.Element(_q(ns, "note"), {"from": "tarjama", "annotates": "target"})
            note.text = text
            _insert_after(last, note)
            last.tail = indent
            last = note
        return
    # 2.0: <notes> comes before <originalData> and the segments.
    notes = owner.find(_q(ns, "notes"))
    if notes is None:
        first = next((c for c in owner if _local(c) in ("originalData", "segment", "ignorable")), None)
        notes = etree.Element(_q(ns, "notes"))
        notes.tail = indent
        if first is None:
            owner.append(notes)
        else:
            first.addprevious(notes)
    for text in texts:
        note = etree.SubElement(notes, _q(ns, "note"), {"category": "tarjama-glossary", "appliesTo": "target"})
        note.text = text


_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*", re.S)


_START_TAG = re.compile(r"""<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*>""")


def _serialise(tree, data: bytes, root_attrib: dict) -> bytes:
    """UTF-8 XML: the source's prolog as written (its declaration now saying UTF-8), the
    document, and what followed it. The root's start tag is the source's too (lxml would
    write its namespace declarations first), with any attribute added at its end."""
    from lxml import etree
    from xml.sax.saxutils import quoteattr

    root = tree.getroot()
    encoding = tree.docinfo.encoding or "utf-8"
    try:
        source = data.decode(encoding).lstrip("\ufeff")
    except (LookupError, UnicodeDecodeError):
        source = ""
    prolog = _PROLOG.match(source).group(0)
    prolog = re.sub(r"""(<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""", r"\1\2UTF-8\2", prolog, count=1)
    if not prolog.lstrip().startswith("<?xml") and encoding.lower() not in ("utf-8", "ascii", "us-ascii"):
        prolog = '<?xml version="1.0" encoding="UTF-8"?>\n' + prolog
    after = "".join(etree.tostring(n, encoding="unicode", with_tail=False) for n in root.itersiblings())
    trailing = source[len(source.rstrip()):]
    body = etree.tostring(root, encoding="unicode", with_tail=False)
    original, written = _START_TAG.match(source, len(prolog)), _START_TAG.match(body)
    added = {k: v for k, v in root.attrib.items() if k not in root_attrib}
    if original and written and all(root.get(k) == v for k, v in root_attrib.items()) and all("}" not in k for k in added):
        tag = original.group(0)[:-1] + "".join(f" {k}={quoteattr(v)}" for k, v in added.items()) + ">"
        body = tag + body[written.end():]
    return (prolog + body + after + trailing).encode("utf-8")


FORMAT = XliffFormat()
