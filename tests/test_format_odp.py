"""OpenDocument presentations: slide titles, text boxes and speaker notes translated through
the OpenDocument machinery; every other entry of the package kept byte for byte.

The presentation is a real .odp file (odfdo's ``example.odp``, see tests/data/README.md)
whose words are replaced by Arabic ones in memory, with an Arabic speaker note written into
its empty notes box.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from format_translation import translate_document
from lxml import etree

from tarjama.formats import DocumentError, extract, format_for
from tarjama.text.arabic import has_arabic

DATA = Path(__file__).parent / "data" / "formats"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
WORDS = "أكدت الرئاسة الفرنسية الجمعة أن فرنسا لا تنوي القيام بأي عملية عسكرية جديدة ضد تنظيم داعش".split()
NOTE = "قالت الرئاسة إن قسد شريك في الحرب على داعش."


def arabised() -> bytes:
    source = zipfile.ZipFile(DATA / "odfdo-example.odp")
    counter = iter(range(10**6))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "content.xml":
                root = etree.fromstring(data)
                for p in root.iter(f"{TEXT}p"):
                    p.text = re.sub(r"[A-Za-z]+", lambda m: WORDS[next(counter) % len(WORDS)], p.text or "") or None
                box = root.find(f".//{PRESENTATION}notes//{DRAW}text-box")
                etree.SubElement(box, f"{TEXT}p").text = NOTE
                page = root.find(f".//{DRAW}page")
                page.set(f"{DRAW}name", "الغلاف")  # a slide's name: kept, and said
                frame = root.find(f".//{DRAW}frame")
                etree.SubElement(frame, f"{SVG}title").text = "صورة من الحسكة"  # alt text of the frame
                for props in root.iter(f"{STYLE}paragraph-properties"):
                    props.set(f"{STYLE}writing-mode", "rl-tb")
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, data)
    return out.getvalue()


def test_odp_is_registered_apart_from_odt():
    assert format_for("deck.odp").name == "odp" and format_for("letter.odt").name == "odt"


def test_odp_slides_and_notes_translated_everything_else_kept(project_glossary):
    data = arabised()
    extracted = extract(data, "deck.odp")
    units = extracted.units
    assert NOTE in [u.text for u in units] and "صورة من الحسكة" in [u.text for u in units] and len(units) == 6
    assert extracted.notes == ["Arabic left as written in content.xml (page@name; not translated)"]
    out = translate_document(data, "deck.odp", project_glossary)
    z_in, z_out = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(out))
    infos = z_out.infolist()
    assert [i.filename for i in infos] == [i.filename for i in z_in.infolist()]
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    for info in z_in.infolist():
        if info.filename not in ("content.xml", "styles.xml"):
            assert z_out.read(info.filename) == z_in.read(info.filename), info.filename
    before, after = etree.fromstring(z_in.read("content.xml")), etree.fromstring(z_out.read("content.xml"))
    shape = lambda root: [(el.tag, sorted((k, v) for k, v in el.attrib.items() if k != f"{STYLE}writing-mode")) for el in root.iter()]  # noqa: E731
    assert shape(after) == shape(before)
    assert not has_arabic(after.find(f".//{SVG}title").text)
    texts = ["".join(p.itertext()) for p in after.iter(f"{TEXT}p")]
    assert not any(has_arabic(t) for t in texts)
    note = "".join(after.find(f".//{PRESENTATION}notes//{TEXT}p").itertext())
    assert "SDF" in note and "ISIS" in note
    assert {el.get(f"{STYLE}writing-mode") for el in after.iter(f"{STYLE}paragraph-properties")} == {"lr-tb"}
    assert translate_document(data, "deck.odp", project_glossary) == out  # byte-reproducible


def test_a_text_document_named_odp_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    with pytest.raises(DocumentError, match="not an OpenDocument presentation but application/vnd.oasis.opendocument.text"):
        extract(buf.getvalue(), "a.odp")
    with pytest.raises(DocumentError, match="not an OpenDocument .odp file"):
        extract(b"not a zip", "a.odp")
