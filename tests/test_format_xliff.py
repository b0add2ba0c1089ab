"""XLIFF 1.2 and 2.0: a target for each source segment, inline elements kept, a
machine-translation state, glossary notes; hostile XML is refused, never expanded.

The output is read back with the standard library's ElementTree, a second parser
independent of the lxml tree the format writes with.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from format_translation import translate_document, translate_units

from tarjama.formats import DocumentError, extract
from tarjama.text.arabic import has_arabic

DATA = Path(__file__).parent / "data" / "formats"
X12 = "{urn:oasis:names:tc:xliff:document:1.2}"
X20 = "{urn:oasis:names:tc:xliff:document:2.0}"
INLINE_12 = {"g", "x", "bx", "ex", "ph", "bpt", "ept", "it", "mrk"}
INLINE_20 = {"pc", "ph", "sc", "ec", "mrk", "sm", "em", "cp"}


def _inline(el, ns: str, names: set[str]) -> Counter:
    """The inline elements under ``el``, with their ids (segment markers left out)."""
    found = Counter()
    for child in el.iter():
        local = child.tag.replace(ns, "")
        if child is not el and local in names and child.get("mtype") != "seg":
            found[(local, child.get("id") or child.get("startRef") or child.get("mid"))] += 1
    return found


def _text_outside(el, ns: str, keep_out: set[str]) -> str:
    """Text of ``el`` without that of elements whose content is code or protected."""
    parts = [el.text or ""]
    for child in el:
        local = child.tag.replace(ns, "")
        protected = local in keep_out or child.get("mtype") == "protected" or child.get("translate") == "no"
        if not protected:
            parts.append(_text_outside(child, ns, keep_out))
        parts.append(child.tail or "")
    return "".join(parts)


def test_xliff_12_every_source_gets_a_machine_translated_target(project_glossary):
    data = (DATA / "sky-news-france-syria.ar-1.2.xlf").read_bytes()
    out = translate_document(data, "a.xlf", project_glossary)
    before, after = ET.fromstring(data), ET.fromstring(out)
    units_before = before.findall(f".//{X12}trans-unit")
    units_after = after.findall(f".//{X12}trans-unit")
    assert [u.get("id") for u in units_after] == [u.get("id") for u in units_before]
    assert after.find(f"{X12}file").get("target-language") == "en"
    translated = 0
    for unit in units_after:
        target = unit.find(f"{X12}target")
        if unit.get("translate") == "no":
            assert target is None
            continue
        if unit.get("id") == "date":  # a signed-off human translation is kept as it is
            assert target.text == "Friday" and target.get("state") == "signed-off"
            continue
        translated += 1
        assert target.get("state") == "needs-review-translation"
        assert target.get("state-qualifier") == "leveraged-mt"
        assert not has_arabic(_text_outside(target, X12, {"ph", "bpt", "ept", "it"})), unit.get("id")
        # Every inline element of the source (or of seg-source) is in the target, once.
        model = unit.find(f"{X12}seg-source")
        model = model if model is not None else unit.find(f"{X12}source")
        assert _inline(target, X12, INLINE_12) == _inline(model, X12, INLINE_12)
    assert translated == 5
    p11 = after.find(f".//{X12}trans-unit[@id='p1.1']")
    target = p11.find(f"{X12}target")
    assert [g.get("id") for g in target.iter(f"{X12}g")] == ["1", "2"]
    assert target.find(f"{X12}g[@id='2']").text.strip()  # the link still wraps words
    notes = [n.text for n in p11.findall(f"{X12}note")]
    assert notes[0] == "lead paragraph" and any("داعش → ISIS" in n for n in notes[1:])
    assert all(n.get("from") == "tarjama" for n in p11.findall(f"{X12}note")[1:])
    # seg-source: the target mirrors its segment markers, each segment translated.
    p2 = after.find(f".//{X12}trans-unit[@id='p2']/{X12}target")
    segs = [m for m in p2.iter(f"{X12}mrk") if m.get("mtype") == "seg"]
    assert [m.get("mid") for m in segs] == ["1", "2"] and all(not has_arabic(_text_outside(m, X12, {"ph"})) for m in segs)
    # The protected marker keeps its content; the ph keeps its native code.
    p3 = after.find(f".//{X12}trans-unit[@id='p3']/{X12}target")
    assert p3.find(f"{X12}mrk").text == "قوات سوريا الديمقراطية"
    assert after.find(f".//{X12}trans-unit[@id='p2']/{X12}target//{X12}ph").text == '<img src="paris.png"/>'


def _without_translation(root, ns: str):
    """The tree with what tarjama adds taken out: targets it wrote, its notes and states."""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{ns}note" and (child.get("from") == "tarjama" or child.get("category") == "tarjama-glossary"):
                parent.remove(child)
            elif child.tag == f"{ns}target" and ("state-qualifier" in child.attrib or parent.get("subState")):
                parent.remove(child)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{ns}notes" and len(child) == 0:
                parent.remove(child)
    for el in root.iter():
        if el.get("subState") == "tarjama:mt":
            del el.attrib["state"], el.attrib["subState"]
        el.attrib.pop("target-language", None)
        el.attrib.pop("trgLang", None)
    return root


@pytest.mark.parametrize("name, ns", [("sky-news-france-syria.ar-1.2.xlf", X12), ("sky-news-france-syria.ar-2.0.xlf", X20)])
def test_xliff_outside_the_targets_the_document_is_unchanged(name, ns, project_glossary):
    data = (DATA / name).read_bytes()
    out = translate_document(data, name, project_glossary)
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    before = _without_translation(ET.fromstring(data), ns)
    after = _without_translation(ET.fromstring(out), ns)
    if ns == X12:  # the empty target of "new" state is filled: compare without it
        for el in (before, after):
            for unit in el.iter(f"{ns}trans-unit"):
                for target in unit.findall(f"{ns}target"):
                    if target.get("state") in (None, "new") and unit.get("id") == "p3":
                        unit.remove(target)
    assert ET.canonicalize(ET.tostring(after), strip_text=True) == ET.canonicalize(ET.tostring(before), strip_text=True)


def test_xliff_20_segments_get_targets_and_a_translated_state(project_glossary):
    data = (DATA / "sky-news-france-syria.ar-2.0.xlf").read_bytes()
    out = translate_document(data, "a.xliff", project_glossary)
    before, after = ET.fromstring(data), ET.fromstring(out)
    assert after.get("trgLang") == "en"
    assert [u.get("id") for u in after.iter(f"{X20}unit")] == [u.get("id") for u in before.iter(f"{X20}unit")]
    segments = 0
    for unit in after.iter(f"{X20}unit"):
        for segment in unit.findall(f"{X20}segment"):
            target = segment.find(f"{X20}target")
            if unit.get("translate") == "no":
                assert target is None
            elif segment.get("state") == "final":
                assert target.text == "Friday"
            else:
                segments += 1
                assert segment.get("state") == "translated" and segment.get("subState") == "tarjama:mt"
                assert list(segment).index(target) == list(segment).index(segment.find(f"{X20}source")) + 1
                assert not has_arabic(_text_outside(target, X20, set()))
                assert _inline(target, X20, INLINE_20) == _inline(segment.find(f"{X20}source"), X20, INLINE_20)
        assert unit.find(f"{X20}ignorable/{X20}target") is None
    assert segments == 4
    p11 = after.find(f".//{X20}unit[@id='p1.1']")
    assert [c.tag.replace(X20, "") for c in p11][:2] == ["notes", "originalData"]  # notes first, as the spec orders
    title_notes = [n.text for n in after.find(f".//{X20}unit[@id='title']").iter(f"{X20}note")]
    assert "tarjama glossary: سوريا → Syria (applied)" in title_notes  # with every other term of the title
    p2 = after.find(f".//{X20}unit[@id='p2']")
    assert p2.find(f".//{X20}target/{X20}mrk[@id='m1']").text == "قوات سوريا الديمقراطية"  # translate="no" kept
    assert not any("SDF" in n.text for n in p2.iter(f"{X20}note"))  # the untranslatable part was never sent
    assert p2.find(f".//{X20}target/{X20}mrk[@id='m2']").text  # the term marker wraps the English word


def test_xliff_units_have_ids_and_marks_for_inline_elements():
    units = extract((DATA / "sky-news-france-syria.ar-1.2.xlf").read_bytes(), "a.xlf").units
    assert [u.id for u in units] == ["title", "p1.1", "p1.2", "p2/1", "p2/2", "p3"]
    p12 = units[2]
    assert "ماكرون" in p12.text and "<a" not in p12.text  # native code is never sent to the model
    starts = {m.key: (m.start, m.end) for m in p12.marks}
    assert len(starts) == 3 and starts[0][0] == starts[0][1]  # <x/> is a point
    # <bpt> and <ept> are points around the name they enclose
    assert p12.text[starts[1][0]:starts[2][0]] == "إيمانويل ماكرون"


@pytest.mark.parametrize("name", ["symfony-resources.xlf", "symfony-resources-2.0.xlf", "symfony-resources-2.0-multi-segment-unit.xlf", "symfony-withdoctype.xlf"])
def test_xliff_with_nothing_in_arabic_is_left_as_it_came(name):
    data = (DATA / name).read_bytes()
    extracted = extract(data, name)
    assert extracted.units == []
    assert extracted.rebuild([]) == data


HOSTILE = {
    "entity expansion": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "قسد قسد قسد"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
    '<file original="x" source-language="ar" datatype="plaintext"><body><trans-unit id="1"><source>&c;</source>'
    "</trans-unit></body></file></xliff>",
    "external entity": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
    '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x" source-language="ar" '
    'datatype="plaintext"><body><trans-unit id="1"><source>قسد &secret;</source></trans-unit></body></file></xliff>',
    "parameter entity": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>'
    '<xliff version="1.2"><file><body><trans-unit id="1"><source>قسد</source></trans-unit></body></file></xliff>',
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_xliff_is_refused_without_expanding_or_fetching(kind):
    with pytest.raises(DocumentError) as e:
        extract(HOSTILE[kind].encode("utf-8"), "hostile.xlf")
    assert "entities" in str(e.value) and "\n" not in str(e.value)


def test_an_external_dtd_is_never_fetched_and_an_undefined_entity_is_refused():
    doctype = '<?xml version="1.0"?><!DOCTYPE xliff SYSTEM "http://127.0.0.1:9/xliff.dtd">'
    body = '<xliff version="1.2"><file><body><trans-unit id="1"><source>قسد{}</source></trans-unit></body></file></xliff>'
    extracted = extract((doctype + body.format("")).encode(), "a.xlf")  # no network: it would hang or fail
    assert [u.text for u in extracted.units] == ["قسد"]
    with pytest.raises(DocumentError, match="entity"):
        extract((doctype + body.format(" &ext;")).encode(), "a.xlf")


@pytest.mark.parametrize(
    "data, message",
    [(b"<xliff><file>", "not well-formed XML"), (b"<html><body/></html>", "not XLIFF: the root element is <html>")],
)
def test_bad_xliff_is_a_one_line_error(data, message):
    with pytest.raises(DocumentError, match=message):
        extract(data, "bad.xlf")


def test_a_utf16_xliff_is_written_as_utf8_with_its_declaration_updated(project_glossary):
    source = (DATA / "sky-news-france-syria.ar-1.2.xlf").read_text(encoding="utf-8")
    data = source.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    extracted = extract(data, "a.xlf")
    assert "read as UTF-16 (declared charset)" in extracted.notes
    out = extracted.rebuild(translate_units(extracted.units, project_glossary))
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- An article')
    root = ET.fromstring(out)
    assert len(root.findall(f".//{X12}target[@state-qualifier='leveraged-mt']")) == 5



def test_an_existing_target_without_a_state_is_kept_and_one_marked_new_is_replaced():
    data = (
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x" source-language="ar" '
        'datatype="plaintext"><body>'
        '<trans-unit id="a"><source>قسد</source><target>SDF (by a translator)</target></trans-unit>'
        '<trans-unit id="b"><source>داعش</source><target state="needs-translation">داعش</target></trans-unit>'
        "</body></file></xliff>"
    ).encode()
    extracted = extract(data, "a.xlf")
    assert [u.id for u in extracted.units] == ["b"] and extracted.notes == ["kept 1 existing target"]
    out = ET.fromstring(translate_document(data, "a.xlf"))
    assert out.find(f".//{X12}trans-unit[@id='a']/{X12}target").text == "SDF (by a translator)"
    b = out.find(f".//{X12}trans-unit[@id='b']/{X12}target")
    assert not has_arabic(b.text) and b.get("state") == "needs-review-translation"


def test_codes_keep_their_order_even_when_the_translation_swaps_them():
    from tarjama.formats import Mark, Translated

    extracted = extract((DATA / "sky-news-france-syria.ar-1.2.xlf").read_bytes(), "a.xlf")
    assert extracted.units[2].id == "p1.2"  # <x/>, then <bpt> … <ept> around a name
    english = "Kurdish officials met the French president Emmanuel Macron on Thursday."
    swapped = (Mark(0, 0, 0), Mark(60, 60, 1), Mark(43, 43, 2))  # the closing code before the opening one
    others = [Translated("Text.", (), [])] * len(extracted.units)
    others[2] = Translated(english, swapped, [])
    root = ET.fromstring(extracted.rebuild(others))
    target = root.find(f".//{X12}trans-unit[@id='p1.2']/{X12}target")
    assert [c.tag.replace(X12, "") for c in target] == ["x", "bpt", "ept"]
    assert "".join(target.itertext()).replace('<a href="/macron">', "").replace("</a>", "") == english


def test_xliff_lines_outside_the_translation_are_the_source_bytes():
    # A reviewer's diff shows the targets and notes added, nothing re-serialised.
    data = (DATA / "sky-news-france-syria.ar-1.2.xlf").read_bytes()
    source, output = data.decode().splitlines(), translate_document(data, "a.xlf").decode().splitlines()
    assert [line for line in source if line not in output] == [
        '  <file original="france-syria.html" source-language="ar" datatype="html">',  # target-language="en" added
        '        <target state="new"></target>',  # filled
    ]
    added = [line.strip()[:8] for line in output if line not in source]
    assert sorted(added) == ["<file or"] + ["<target "] * 5
