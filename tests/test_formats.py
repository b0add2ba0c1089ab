"""Documents through their formats: real Markdown and HTML files (tests/data, attributed in
tests/data/README.md) compared in and out with independent parsers, inline markup carried
onto the English, the bytes outside translated text kept, encodings, routing, verification."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from fakes import EchoEngine
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from tarjama.cli import app
from tarjama.formats import DocumentError, extract, format_for, supported_suffixes
from tarjama.text.arabic import has_arabic
from tarjama.pipeline.translator import Translator

DATA = Path(__file__).parent / "data"


@pytest.fixture
def translator():
    return Translator("echo", glossary=None, engine=EchoEngine())


@pytest.fixture
def glossed(project_glossary):
    return Translator("echo", glossary=project_glossary, engine=EchoEngine())


def translate(translator, name: str, data: bytes) -> bytes:
    from tarjama.documents import translate_documents

    [done] = translate_documents(translator, [(name, data)])
    assert not done.problems, done.problems
    assert done.units == done.translated
    return done.data


class Untranslating(EchoEngine):
    """Gives the Arabic back: every unit stays untranslated."""

    def render(self, text):
        return text


# -- Markdown ---------------------------------------------------------------------------------
def _md_structure(text: str):
    """The token stream as markdown-it sees it, without the words: types, tags, nesting,
    link targets."""
    out = []
    for t in MarkdownIt("commonmark").enable("table").parse(text):
        out.append((t.type, t.tag, t.nesting, t.markup))
        for c in t.children or []:
            if c.type not in ("text", "softbreak"):
                out.append((c.type, c.tag, c.nesting, c.markup, c.attrs.get("href", "")))
    return out


def _front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize("name", ["nodejs-governance.ar.md", "nodejs-collab-summit.ar.md"])
def test_real_markdown_keeps_structure_links_and_front_matter(translator, name):
    source = (DATA / name).read_text(encoding="utf-8")
    out = translate(translator, name, source.encode()).decode()
    body_in, body_out = source.split("---\n", 2)[2], out.split("---\n", 2)[2]
    assert _md_structure(body_in) == _md_structure(body_out)
    assert not has_arabic(out)
    before, after = _front_matter(source), _front_matter(out)
    assert list(before) == list(after) and after["layout"] == before["layout"]
    assert has_arabic(before["title"]) and after["title"] and not has_arabic(after["title"])


def test_links_are_carried_onto_the_words_they_wrap(translator):
    out = translate(translator, "g.md", (DATA / "nodejs-governance.ar.md").read_bytes()).decode()
    # Latin link texts are copied, so they are found exactly, brackets included.
    assert "[Technical Steering Committee (TSC)](https://github.com/nodejs/TSC/blob/main/TSC-Charter.md)" in out
    assert "[nodejs/node](https://github.com/nodejs/node) bwAsTp" in out


def test_glossary_applies_inside_emphasis_and_links(glossed):
    source = "قالت **قسد** إن [داعش](https://example.com/?a=1&b=2) انسحب.\n"
    out = translate(glossed, "a.md", source.encode()).decode()
    assert out == "QAlt **SDF** In [ISIS](https://example.com/?a=1&b=2) AnsHb.\n"


def test_entities_escapes_and_html_tables_in_markdown_are_translated(translator):
    source = (
        "&rlm;قالت الوكالة إن الهجوم وقع في 2017\\. وأضافت &amp; أكدت.\n\n"
        "| البلد | العدد |\n|---|---|\n| سوريا \\| العراق | 3 |\n\n"
        '<table dir="rtl">\n<tr><td style="direction: rtl">خلية عربية</td><td>42</td></tr>\n</table>\n'
    )
    out = translate(translator, "a.md", source.encode()).decode()
    assert not has_arabic(out)
    assert '<table dir="ltr">' in out and 'style="direction: ltr"' in out and "<td>42</td>" in out
    assert "| SwryA \\| AlErAq | 3 |" in out  # the escaped pipe is still an escaped pipe
    assert _md_structure(source) == _md_structure(out)


def test_front_matter_yaml_and_toml(translator):
    yaml_source = (
        "---\ntitle: 'تقرير عن الحسكة'\ndate: 2024-01-02\ntags: [سوريا, news]\n"
        "description: >\n  وصف طويل\n  على سطرين\nsummary: 'ملخص: قصير'\nauthor: فلان\n---\n\nنص.\n"
    )
    out = translate(translator, "a.md", yaml_source.encode()).decode()
    before, after = _front_matter(yaml_source), _front_matter(out)
    assert list(before) == list(after)
    assert after["tags"] == before["tags"] and after["author"] == "فلان" and after["date"] == before["date"]
    assert after["title"] == "Tqryr En AlHskp" and after["description"].strip() == "WSf Twyl ElY sTryn"
    assert after["summary"] == "MlxS: qSyr"
    toml_source = '+++\ntitle = "تقرير \\"خاص\\""\nweight = 3\n+++\n\nنص.\n'
    out = translate(translator, "b.md", toml_source.encode()).decode()
    import tomllib

    assert tomllib.loads(out.split("+++\n")[1]) == {"title": 'Tqryr "xAS"', "weight": 3}


def test_markdown_crlf_and_code_are_kept(translator):
    source = "# عنوان\r\n\r\nقال `ls -la` ثم خرج.\r\n\r\n```\r\nلا تترجم\r\n```\r\n"
    out = translate(translator, "a.md", source.encode()).decode()
    assert out == "# EnwAn\r\n\r\nQAl `ls -la` vm xrj.\r\n\r\n```\r\nلا تترجم\r\n```\r\n"


# -- HTML -------------------------------------------------------------------------------------
def _tree(data: bytes):
    return lxml_html.document_fromstring(data)


def test_real_html_page_keeps_its_tree_and_leaves_no_arabic_prose(translator):
    source = (DATA / "w3c-qa-i18n.ar.html").read_bytes()
    out = translate(translator, "page.html", source)
    before, after = _tree(source), _tree(out)
    changed = {"lang": "en", "dir": "ltr"}
    shape = lambda tree: [  # noqa: E731
        (e.tag, {k: (changed[k] if k in changed and k in e.attrib else v) for k, v in e.attrib.items()}) for e in tree.iter()
    ]
    assert shape(before) == shape(after)
    assert after.get("lang") == "en" and after.get("dir") == "ltr"
    for element in after.iter():
        if element.tag in ("script", "style") or not isinstance(element.tag, str):
            continue
        assert not has_arabic(element.text or "") and not has_arabic(element.tail or ""), element.text
    # inline elements around the right words
    assert after.xpath("//strong")[0].text == "tkyyf"
    assert [s.text for s in after.xpath("//span[@class='qterm']")][:3] == ["AltHlyp", "mHly", "l10n"]


def test_html_bytes_outside_translated_text_are_unchanged(glossed):
    head = (
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\">\n<HTML lang=\"ar\" Dir=\"RTL\">\n<head>\n"
        "  <meta charset=utf-8>\n  <meta name=\"viewport\" content=\"width=device-width\">\n"
        "  <!-- تعليق لا يترجم -->\n  <style>body { direction: rtl; color: red }</style>\n</head>\n"
        "<body class=\"page rtl main\">\n  <p data-b=\"2\" id='x'   data-a=1>\n"
    )
    middle = '<a href="/ar/الهجوم?x=1&y=2" target=_blank>قسد</a>'
    tail = (
        "\n  </p>\n  <pre>سطر كود</pre>\n  <img src=\"a.png?x=1&y=2\">&nbsp;&copy; 2024\n"
        "  <script>var s = \"لا تترجم\" && 1;</script>\n</body></html>\n"
    )
    source = head + "قالت " + middle + " إن الهجوم بدأ.   &rlm;" + tail
    out = translate(glossed, "a.html", source.encode()).decode()
    expected_head = (
        head.replace('lang="ar"', 'lang="en"').replace('Dir="RTL"', 'Dir="ltr"')
        .replace("direction: rtl", "direction: ltr").replace("page rtl main", "page ltr main")
    )
    assert out.startswith(expected_head)
    assert out.endswith("   &rlm;" + tail) or out.endswith(tail)
    translated = out[len(expected_head): len(out) - len(tail)]
    assert translated == 'QAlt <a href="/ar/الهجوم?x=1&y=2" target=_blank>SDF</a> In Alhjwm bdA.'


def test_translatable_attributes_and_direction(translator):
    source = (
        '<html><head><meta name="description" content="وصف الصفحة">'
        '<meta property="og:title" content="عنوان"><meta property="og:url" content="https://x/عنوان"></head>'
        '<body><div dir="rtl" style="text-align:right; direction : rtl"><img alt="صورة" src="x.png" title="عنوان الصورة">'
        '<input placeholder="ابحث" aria-label="بحث"><span lang="ar-SY">نص</span></div></body></html>'
    )
    out = translate(translator, "a.html", source.encode()).decode()
    for expected in ('content="WSf AlSfHp"', 'property="og:title" content="EnwAn"', 'content="https://x/عنوان"',
                     'dir="ltr"', "direction : ltr", 'alt="Swrp"', 'title="EnwAn AlSwrp"', 'placeholder="AbHv"',
                     'aria-label="BHv"', '<span lang="en">NS</span>'):
        assert expected in out, expected


def test_xhtml_is_a_supported_suffix_and_stays_xml(translator):
    source = (
        '<?xml version="1.0" encoding="windows-1256"?>\n<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="ar">'
        "<body><p>قالت<br/>الوكالة</p></body></html>\n"
    )
    out = translate(translator, "a.xhtml", source.encode("cp1256"))
    from lxml import etree

    tree = etree.fromstring(out)  # well-formed XML, declared UTF-8
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert tree.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert b"<br/>" in out and not has_arabic(out.decode())


# -- encodings --------------------------------------------------------------------------------
def test_declared_legacy_charset_is_read_named_and_rewritten():
    source = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-6"></head><body><p>قالت الوكالة</p></body></html>'
    x = extract(source.encode("iso8859-6"), "a.html")
    assert x.notes == ["read as ISO-8859-6 (declared charset)"]
    assert x.units[0].text == "قالت الوكالة"
    from tarjama.formats import Translated

    out = x.rebuild([Translated("The agency said")]).decode("utf-8")
    assert "charset=utf-8" in out and "The agency said" in out


@pytest.mark.parametrize(
    "encoding, named",
    [("iso8859-6", "ISO-8859-6"), ("cp1256", "WINDOWS-1256"), ("utf-16", "UTF-16")],
)
def test_undeclared_encodings_are_detected_and_named(encoding, named):
    text = "قالت وكالة الأنباء إن الاجتماع عقد في دمشق يوم الأحد.\nوأضافت أن الوفد غادر المدينة.\n"
    x = extract(text.encode(encoding), "a.txt")
    assert [u.text for u in x.units] == text.splitlines()
    assert x.notes == [f"read as {named} ({'byte order mark' if named == 'UTF-16' else 'detected'})"]


def test_damaged_utf8_is_refused_with_a_hint_for_that_file():
    data = "سطر عربي\nقسد ".encode() + b"\xff"
    with pytest.raises(Exception) as e:
        extract(data, "bad.txt")
    message = str(e.value)
    assert "byte 0xff at line 2, column 8" in message and "the rest is UTF-8" in message
    assert "WINDOWS-1256" not in message


def test_wrong_declared_charset_is_refused_naming_it():
    data = '<meta charset="iso-8859-6"><p>'.encode("ascii") + "قالت".encode("iso8859-6") + b"\xa1</p>"
    with pytest.raises(Exception) as e:
        extract(data, "a.html")
    assert "a.html: declares iso-8859-6 but byte 0xa1 at offset 34 is not ISO-8859-6" in str(e.value)


# -- registry, routing, verification ----------------------------------------------------------
def test_registry_lists_every_suffix():
    suffixes = supported_suffixes()
    for s in (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml"):
        assert s in suffixes and format_for("x" + s.upper()) is not None
    with pytest.raises(DocumentError) as e:
        extract(b"", "photo.gif")
    assert all(s in e.value.message for s in suffixes)


def test_untranslated_unit_fails_the_document(tmp_path):
    t = Translator("echo", glossary=None, engine=Untranslating())
    src = tmp_path / "a.md"
    src.write_text("# عنوان\n\nنص عربي.\n", encoding="utf-8")
    with pytest.raises(DocumentError) as e:
        t.translate_file(src, tmp_path / "out.md")
    assert "left untranslated" in e.value.message and "(and 1 more)" in e.value.message
    assert not (tmp_path / "out.md").exists()


def test_api_translate_file_writes_the_document(translator, tmp_path):
    src = tmp_path / "a.html"
    src.write_text('<p title="عنوان">قالت <b>قسد</b></p>', encoding="utf-8")
    done = translator.translate_file(src, tmp_path / "b.html")
    assert (tmp_path / "b.html").read_text(encoding="utf-8") == '<p title="EnwAn">QAlt <b>qsd</b></p>'
    assert done.units == done.translated == 2


def test_cli_translate_routes_by_format(runner, echo_engine, tmp_path):
    md = tmp_path / "a.md"
    md.write_text("قالت **قسد**.\n", encoding="utf-8")
    r = runner.invoke(app, ["translate", str(md), "--engine", "echo", "--no-glossary"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "QAlt **qsd**.\n" and "1 of 1 markdown units translated" in r.stderr
    for name, message in (("a.xyz", "unsupported file type .xyz"), ("a.md", "--format json is for plain text")):
        r = runner.invoke(app, ["translate", str(tmp_path / name), "--engine", "echo", "-f", "json"])
        assert r.exit_code == 2 and r.stderr.startswith("Error: ") and message in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1


def test_cli_translate_names_the_encoding_of_a_legacy_text(runner, echo_engine, tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes("قالت الوكالة إن الاجتماع عقد في دمشق.\n".encode("cp1256"))
    r = runner.invoke(app, ["translate", str(f), "--engine", "echo", "--no-glossary"])
    assert r.exit_code == 0 and r.stdout == "QAlt AlwkAlp In AlAjtmAE Eqd fy dmcq.\n"
    assert "note: read as WINDOWS-1256 (detected)" in r.stderr


def test_batch_reports_units_and_fails_untranslated_files(runner, monkeypatch, tmp_path):
    from tarjama.engines import ENGINES

    monkeypatch.setitem(ENGINES, "same", lambda model, **kw: Untranslating())
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a.md").write_text("# عنوان\n", encoding="utf-8")
    (src / "b.html").write_text("<p>Latin only</p>", encoding="utf-8")
    report = tmp_path / "r.json"
    r = runner.invoke(app, ["batch", str(src), str(out), "--engine", "same", "-q", "--report", str(report)])
    assert r.exit_code == 1
    files = {f["path"]: f for f in json.loads(report.read_text())["files"]}
    assert files["a.md"]["status"] == "failed" and "unit line 1 left untranslated" in files["a.md"]["error"]
    assert files["a.md"]["units"] == 1 and files["a.md"]["units_translated"] == 0
    assert files["b.html"]["status"] == "no-arabic" and files["b.html"]["units"] == 0  # never "translated"
    assert not (out / "a.md").exists()


def test_a_short_term_is_not_found_inside_a_longer_ones_english(glossed):
    # "Syria" (سوريا) must not be anchored inside "Syrian Observatory for Human Rights": the
    # bold word of the longer term stays inside that term's English.
    source = "<p>قال المرصد <b>السوري</b> لحقوق الانسان إن الحرب في سوريا بدأت في عام 2011.</p>"
    out = translate(glossed, "a.html", source.encode()).decode()
    bold = re.search(r"<b>(.*?)</b>", out).group(1)
    assert bold and bold in "Syrian Observatory for Human Rights", out
    assert "Syria" in out.split("</b>")[1]
