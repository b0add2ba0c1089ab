"""EPUB: chapters through the HTML format, navigation and metadata translated, the package
kept valid for e-readers (``mimetype`` first and stored, manifest and spine intact,
chapters still well-formed XHTML, pictures byte for byte).

The book is a real Arabic EPUB 3 (the W3C EPUB 3 Community Group's sample "regime
anticancer arabic", see tests/data/README.md); its navigation is in French, so one test
gives it Arabic labels in memory.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from format_translation import translate_document
from lxml import etree

from tarjama.formats import DocumentError, extract
from tarjama.text.arabic import has_arabic

DATA = Path(__file__).parent / "data" / "formats"
BOOK = DATA / "idpf-regime-anticancer-arabic.epub"
XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CHAPTERS = ["EPUB/Content/A_cover.xhtml", "EPUB/Content/B_titlepage.xhtml", "EPUB/Content/C_content.xhtml"]
LABELS = {"Couverture": "الغلاف", "Page de titre": "صفحة العنوان", "Commencer la lecture": "ابدأ القراءة"}


def replaced(data: bytes, changes: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, changes.get(info.filename, source.read(info)))
        for path, body in changes.items():
            if path not in source.namelist():
                target.writestr(path, body)
    return out.getvalue()


def with_arabic_navigation() -> bytes:
    data = BOOK.read_bytes()
    z = zipfile.ZipFile(io.BytesIO(data))
    nav, ncx = z.read("EPUB/Navigation/nav.xhtml").decode(), z.read("EPUB/Navigation/toc.ncx").decode()
    for french, arabic in LABELS.items():  # the NCX with a right-to-left mark, as Arabic tools write
        nav, ncx = nav.replace(french, arabic), ncx.replace(french, arabic + "\u200f")
    nav = nav.replace("Commencer la\n                     lecture", LABELS["Commencer la lecture"])
    return replaced(data, {"EPUB/Navigation/nav.xhtml": nav.encode(), "EPUB/Navigation/toc.ncx": ncx.encode()})


def test_arabic_book_becomes_an_english_book_valid_for_e_readers(project_glossary):
    data = BOOK.read_bytes()
    extracted = extract(data, "book.epub")
    assert [u.id.split(" ")[0] for u in extracted.units[:3]] == CHAPTERS  # spine order
    out = translate_document(data, "book.epub", project_glossary)
    z_in, z_out = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(out))
    infos = z_out.infolist()
    assert [i.filename for i in infos] == [i.filename for i in z_in.infolist()]
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert z_out.read("mimetype") == b"application/epub+zip" and not infos[0].extra
    for path in ("EPUB/Image/cover.jpg", "EPUB/Image/titlepage.jpg", "META-INF/container.xml", "EPUB/Style/style.css"):
        assert z_out.read(path) == z_in.read(path)
    for path in CHAPTERS:
        root = etree.fromstring(z_out.read(path))  # still well-formed XHTML
        assert root.get("lang") == "en" and root.get(XML_LANG) == "en" and root.get("dir") == "ltr"
        assert not has_arabic("".join(root.itertext())), path
    content = etree.fromstring(z_out.read("EPUB/Content/C_content.xhtml"))
    links = [(a.get("href"), a.get("id")) for a in content.iter(f"{XHTML}a")]
    assert links == [("#footnote-1", "footnote-1-backlink"), ("#footnote-1-backlink", "footnote-1-link")]
    opf_in, opf = etree.fromstring(z_in.read("EPUB/package.opf")), etree.fromstring(z_out.read("EPUB/package.opf"))
    assert opf.find(f".//{DC}language").text == "en"
    assert opf.find(f".//{OPF}spine").get("page-progression-direction") == "ltr"
    assert [(i.get("id"), i.get("href")) for i in opf.iter(f"{OPF}item")] == [(i.get("id"), i.get("href")) for i in opf_in.iter(f"{OPF}item")]
    assert opf.find(f".//{DC}identifier").text == opf_in.find(f".//{DC}identifier").text
    scripts = [m for m in opf.iter(f"{OPF}meta") if m.get("property") == "alternate-script"]
    assert len(scripts) == 4 and all(m.get(XML_LANG) == "en" and not has_arabic(m.text) for m in scripts)
    assert translate_document(data, "book.epub", project_glossary) == out  # byte-reproducible


def test_both_tables_of_contents_agree(project_glossary):
    data = with_arabic_navigation()
    units = extract(data, "book.epub").units
    assert sum(u.text == LABELS["Couverture"] for u in units) == 2  # the nav link and its landmark; the NCX reuses them
    z = zipfile.ZipFile(io.BytesIO(translate_document(data, "book.epub", project_glossary)))
    nav = etree.fromstring(z.read("EPUB/Navigation/nav.xhtml"))
    toc = [" ".join("".join(a.itertext()).split()) for a in nav.find(f".//{XHTML}nav").iter(f"{XHTML}a")]
    ncx = [t.text for t in etree.fromstring(z.read("EPUB/Navigation/toc.ncx")).iter(f"{NCX}text")]
    assert ncx[1:] == toc and not any(has_arabic(t) for t in toc)


def test_encrypted_chapters_are_refused():
    encryption = (
        b'<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
        b'<enc:EncryptedData><enc:CipherData><enc:CipherReference URI="EPUB/Content/C_content.xhtml"/></enc:CipherData>'
        b"</enc:EncryptedData></encryption>"
    )
    with pytest.raises(DocumentError, match="encrypted"):
        extract(replaced(BOOK.read_bytes(), {"META-INF/encryption.xml": encryption}), "drm.epub")


def test_hostile_package_document_is_refused_and_paths_stay_inside_the_book():
    opf = zipfile.ZipFile(BOOK).read("EPUB/package.opf").decode()
    hostile = opf.replace('<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0"?><!DOCTYPE package [<!ENTITY e SYSTEM "file:///etc/hostname">]>')
    with pytest.raises(DocumentError, match="declares XML entities"):
        extract(replaced(BOOK.read_bytes(), {"EPUB/package.opf": hostile.encode()}), "x.epub")
    escaping = opf.replace('href="Content/C_content.xhtml"', 'href="../../outside.xhtml"')
    outside = replaced(BOOK.read_bytes(), {"EPUB/package.opf": escaping.encode(), "outside.xhtml": "<p>قسد</p>".encode()})
    assert all(not u.id.startswith(("outside", "..")) for u in extract(outside, "x.epub").units)


@pytest.mark.parametrize(
    "changes, message",
    [({"mimetype": b"application/zip"}, "its mimetype is not application/epub\\+zip"),
     ({"META-INF/container.xml": b'<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"/>'}, "package document is missing")],
)
def test_bad_epub_is_a_one_line_error(changes, message):
    with pytest.raises(DocumentError, match=message):
        extract(replaced(BOOK.read_bytes(), changes), "bad.epub")
    with pytest.raises(DocumentError, match="not an EPUB e-book"):
        extract(b"not a zip", "bad.epub")


def test_what_stays_in_arabic_is_named_and_an_entity_is_never_expanded(project_glossary):
    data = BOOK.read_bytes()
    assert extract(data, "book.epub").notes == []  # the sample leaves nothing in Arabic
    z = zipfile.ZipFile(BOOK)
    content = z.read("EPUB/Content/C_content.xhtml").decode()
    content = content.replace('<!DOCTYPE html>', '<!DOCTYPE html [<!ENTITY secret SYSTEM "file:///etc/hostname">]>')
    content = content.replace('id="footnote-1-backlink"', 'id="حاشية-1"').replace("الفصل الثاني", "الفصل الثاني &secret;")
    changed = replaced(data, {"EPUB/Content/C_content.xhtml": content.encode(), "EPUB/Image/map.svg": "<svg><text>دمشق</text></svg>".encode()})
    notes = extract(changed, "book.epub").notes
    assert any(n.startswith("Arabic left as written in EPUB/Content/C_content.xhtml (ids, links or code)") and "حاشية" in n for n in notes)
    assert "Arabic left as written in EPUB/Image/map.svg (not translated)" in notes
    out = zipfile.ZipFile(io.BytesIO(translate_document(changed, "book.epub", project_glossary)))
    chapter = out.read("EPUB/Content/C_content.xhtml").decode()
    assert 'id="حاشية-1"' in chapter  # an anchor is kept as written
    assert "AlfSl AlvAny &amp;secret;" in chapter  # the entity is never resolved: its name is text


def epubcheck() -> list[str]:
    """The command that runs the W3C's EPUBCheck (Debian's package; .ci/run installs it)."""
    import glob
    import shutil

    jars = sorted(glob.glob("/usr/share/java/epubcheck*.jar"))
    java = shutil.which("java")
    if not jars or not java:
        raise AssertionError("EPUBCheck not found: install it (Debian: apt-get install -y epubcheck; .ci/run does it)")
    return [java, "-jar", jars[-1]]


def test_epubcheck_finds_no_error_in_the_translated_book(tmp_path, project_glossary):
    """Chapters, navigation document, toc.ncx and package document all translated."""
    import subprocess

    path = tmp_path / "book.en.epub"
    path.write_bytes(translate_document(with_arabic_navigation(), "book.epub", project_glossary))
    done = subprocess.run([*epubcheck(), str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 fatals / 0 errors / 0 warnings" in done.stdout, done.stdout


def test_a_link_that_is_the_whole_title_keeps_its_question_mark_inside(project_glossary):
    """A table of contents' link wraps its whole title; the Arabic question mark (؟) comes
    back as ? and must stay inside the link (EPUBCheck refuses text beside it in a nav
    list), and a bold question inside a sentence keeps its ? too."""
    page = (
        '<nav><ol><li><a href="c1.xhtml">هل تستقيل الحكومة المصرية؟</a></li></ol></nav>'
        "<p>وسأل <b>هل تستقيل الحكومة؟</b> ثم غادر.</p>"
    )
    out = translate_document(page.encode(), "nav.xhtml", project_glossary).decode()
    assert re.search(r'<li><a href="c1.xhtml">[^<]+\?</a></li>', out), out
    assert re.search(r"<b>[^<]+\?</b> ", out), out
