"""Importing terminology files as they are published, and exporting for other tools.

The files under tests/data/ are real, except the TBX v3 files tests/data/tbx/*_news.tbx, written
for these tests (see tests/data/README.md for sources and licences).
"""

import json
from pathlib import Path

import pytest

from tarjama.cli import app
from tarjama.glossary.tools import tbx
from tarjama.glossary.tools.edit import import_entries
from tarjama.glossary.tools.interchange import FORMATS, export_text, read_file
from tarjama.glossary.tools.lint import lint
from tarjama.glossary.model import Entry, Glossary, GlossaryError, load_glossary
from tarjama.text.arabic import normalize

DATA = Path(__file__).resolve().parent / "data"
TICO = DATA / "tico19"
TBX = DATA / "tbx"


def invoke(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def pairs(entries):
    return [(e.source, e.target) for e in entries]


# -- CSV: TICO-19's terminologies --------------------------------------------------------------
def test_tico19_arabic_to_english_imports_whole(runner, folder):
    r = invoke(runner, "glossary", "import", TICO / "g_ar_en.csv")
    assert r.exit_code == 0, r.stderr
    assert "49 added, 0 replaced, 0 already there, 0 skipped" in r.stdout
    g = load_glossary([folder])
    assert len(g) == 49 and g.lookup("جائحة").target == "pandemic"


def test_tico19_english_to_arabic_with_row_languages_and_descriptions():
    # stringID,sourceLang,targetLang,pos,description,sourceString,targetString; en→ar rows
    result = read_file(TICO / "g_en_ar_first100.csv", on_conflict="keep-first")
    assert len(result.entries) == 95 and result.merged == 4
    first = result.entries[0]
    assert (first.source, first.target) == ("معدٍ", "contagious")
    assert first.note.startswith("In the context of coronavirus (COVID-19): transmissible")
    [skipped] = result.skipped
    assert skipped.where.endswith("g_en_ar_first100.csv:75") and "keeps" in skipped.reason and ":65" in skipped.reason


def test_tico19_facebook_list_conflicts_are_all_listed(runner, folder):
    # id,sourceLang,targetLang(ar_AR),sourceString,targetString: 306 rows, 13 homographs, 1 row without Arabic
    r = invoke(runner, "glossary", "import", TICO / "f_en-ar_AR.csv")
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "13 conflicting entries" in r.stderr
    assert "f_en-ar_AR.csv:51: 'فيروس كورونا' is already defined by" in r.stderr and "f_en-ar_AR.csv:47" in r.stderr
    assert "'corona virus' (here 'coronavirus')" in r.stderr
    assert not (folder / "imported.tsv").exists()


@pytest.mark.parametrize("policy, target, entries, skipped", [
    ("keep-first", "corona virus", 292, 14),
    ("keep-last", "coronavirus", 292, 14),
    ("skip", None, 281, 25),
])
def test_tico19_conflict_policies(runner, folder, policy, target, entries, skipped):
    r = invoke(runner, "glossary", "import", TICO / "f_en-ar_AR.csv", "--on-conflict", policy)
    assert r.exit_code == 0, r.stderr
    assert f"{entries} added, 0 replaced, 0 already there, {skipped} skipped" in r.stdout
    # The row without Arabic is skipped and listed with its line, whatever the policy.
    assert "f_en-ar_AR.csv:299: no Arabic side ('vivid-19' has no Arabic letters)" in r.stderr
    entry = load_glossary([folder]).lookup("فيروس كورونا")
    assert (entry.target if entry else None) == target


def test_strict_refuses_a_file_with_rows_that_cannot_be_entries(runner, folder):
    r = invoke(runner, "glossary", "import", TICO / "f_en-ar_AR.csv", "--on-conflict", "keep-first", "--strict")
    assert r.exit_code == 2 and "(--strict)" in r.stderr and "f_en-ar_AR.csv:299: no Arabic side" in r.stderr
    assert not (folder / "imported.tsv").exists()


def test_utf16_excel_unicode_text_reads_like_the_utf8_original():
    # g_ar_en.csv saved as Excel's "Unicode text": UTF-16 LE with a BOM, tabs, CRLF
    assert (TICO / "g_ar_en.utf16.txt").read_bytes()[:2] == b"\xff\xfe"
    utf16 = read_file(TICO / "g_ar_en.utf16.txt").entries
    assert pairs(utf16) == pairs(read_file(TICO / "g_ar_en.csv").entries) and len(utf16) == 49


def test_headerless_two_column_lists_find_the_arabic_side_by_script():
    omegat = read_file(TICO / "g_ar_en.omegat.txt").entries  # Arabic<TAB>English, no header
    assert pairs(omegat) == pairs(read_file(TICO / "g_ar_en.csv").entries)
    deepl = read_file(TICO / "f_en-ar.deepl.csv").entries  # English,Arabic, no header
    assert len(deepl) == 40 and deepl[0].source == "إنفلونزا 1918" and deepl[0].target == "1918 flu"


def test_columns_chosen_by_name_or_number(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("id,Begriff,Wort,Quelle\n1,قسد,SDF,x\n2,داعش,ISIS,y\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="list.csv:1: header not recognised"):
        read_file(path)
    by_name = read_file(path, source_column="Begriff", target_column="wort").entries
    by_number = read_file(path, source_column="2", target_column="3").entries
    assert pairs(by_name) == pairs(by_number) == [("قسد", "SDF"), ("داعش", "ISIS")]
    with pytest.raises(GlossaryError, match="--target-column 9: the file has 4 columns"):
        read_file(path, source_column="2", target_column="9")


@pytest.mark.parametrize("header", ["ar,en", "ar_AR,en-US", "ara,eng", "ar-SY,en_GB", "Arabic,English", "term,translation"])
def test_common_header_names(tmp_path, header):
    path = tmp_path / "g.csv"
    path.write_text(f"{header}\nقسد,SDF\n", encoding="utf-8")
    assert pairs(read_file(path).entries) == [("قسد", "SDF")]


def test_english_first_language_header(tmp_path):
    path = tmp_path / "amazon.csv"
    path.write_text("en,ar\nSDF,قسد\n", encoding="utf-8")
    assert pairs(read_file(path).entries) == [("قسد", "SDF")]


def test_several_renderings_in_one_cell(runner, folder, tmp_path):
    path = tmp_path / "legal.csv"
    path.write_text("Arabic,English\nمسؤولية مطلقة,absolute responsibility; absolute liability\n", encoding="utf-8")
    r = invoke(runner, "glossary", "import", path)
    assert r.exit_code == 0, r.stderr
    assert "several renderings in one cell: 'absolute responsibility' is the target, 'absolute liability' accepted" in r.stderr
    e = load_glossary([folder]).lookup("مسؤولية مطلقة")
    assert (e.target, e.alternatives) == ("absolute responsibility", ("absolute liability",))
    assert (folder / "imported.tsv").read_text(encoding="utf-8").splitlines()[0].split("\t")[-1] == "alternatives"


def test_lint_warns_on_several_renderings_and_checks_alternatives(tmp_path):
    g = tmp_path / "g.tsv"
    g.write_text(
        "source\ttarget\tforbidden\talternatives\n"
        "مسؤولية مطلقة\tabsolute responsibility; absolute liability\n"
        "قسد\tSDF\tQSD\tQSD\n",
        encoding="utf-8",
    )
    rules = {(f.line, f.rule, f.level) for f in lint([g])}
    assert (2, "several-renderings", "warning") in rules
    assert (3, "forbidden-is-alternative", "error") in rules


def test_files_without_the_alternatives_column_stay_valid(tmp_path):
    g = tmp_path / "old.tsv"
    g.write_text("source\ttarget\tvariants\tforbidden\tnote\nقسد\tSDF\n", encoding="utf-8")
    [e] = load_glossary([g])
    assert e.alternatives == () and lint([g]) == []


# -- TBX: v3 in each flavour, a published TBX-Min file, Weblate's test file -----------------------
# The three *_news.tbx files are TBX v3 written for these tests (same concepts in each flavour);
# TBX-Min_p5-TBX-Min_sample.tbx is published (see tests/data/README.md).
V3 = ["TBX-Basic_DCA_news.tbx", "TBX-Basic_DCT_news.tbx", "TBX-Min_DCT_news.tbx"]


@pytest.mark.parametrize("name", V3)
def test_tbx_v3_statuses_choose_the_english_terms(name):
    concepts = tbx.parse((TBX / name).read_bytes(), name)
    assert [c.id for c in concepts] == ["hasakah", "sdf", "press-release", "isil"]
    chosen = {c.id: tbx.choose(c.terms["en"]) for c in concepts}
    target, accepted, forbidden = chosen["hasakah"]  # preferred + superseded
    assert (target.text, accepted, [t.text for t in forbidden]) == ("Hasakah", [], ["Hassakeh"])
    target, accepted, forbidden = chosen["sdf"]  # preferred + two admitted
    assert target.text == "Syrian Democratic Forces" and forbidden == []
    assert [t.text for t in accepted] == ["SDF", "Syrian Democratic Force"]
    target, accepted, forbidden = chosen["isil"]  # an admitted term comes before the preferred one
    assert target.text == "Islamic State group" and [t.text for t in accepted] == ["ISIL", "ISIS"]
    assert [t.text for t in forbidden] == ["Islamic State", "Daesh"]


@pytest.mark.parametrize("name", V3)
def test_tbx_v3_imports_with_statuses_and_wrapped_notes(runner, folder, name):
    r = invoke(runner, "glossary", "import", TBX / name)
    assert r.exit_code == 0, r.stderr
    assert "3 added, 0 replaced, 0 already there, 1 skipped" in r.stdout
    # the concept without Arabic is skipped and named by its id
    assert f"{name}: concept press-release: no Arabic term (languages: en, fr)" in r.stderr
    g = load_glossary([folder])
    hasakah, sdf, isil = g.lookup("الحسكة"), g.lookup("قسد"), g.lookup("داعش")
    assert (hasakah.target, hasakah.forbidden, hasakah.alternatives) == ("Hasakah", ("Hassakeh",), ())
    assert (sdf.source, sdf.variants, sdf.alternatives) == ("قوات سوريا الديمقراطية", ("قسد",), ("SDF", "Syrian Democratic Force"))
    assert (isil.source, isil.target, isil.forbidden) == ("تنظيم الدولة الإسلامية", "Islamic State group", ("Islamic State", "Daesh"))
    assert isil.alternatives == ("ISIL", "ISIS") and isil.note == "Armed group; first mention in full, then the short form."
    # the definition (TBX-Basic) or note (TBX-Min) wraps across lines in the file; one line here
    assert hasakah.note.startswith("City in north-eastern Syria") and hasakah.note.endswith("capital of the governorate of the same name.")
    assert "\n" not in hasakah.note and "  " not in hasakah.note
    assert "Tuesday" not in hasakah.note  # a context sentence is not a note


def test_tbx_basic_dca_and_dct_styles_read_alike():
    dca, dct = (read_file(TBX / f"TBX-Basic_{style}_news.tbx").entries for style in ("DCA", "DCT"))
    assert len(dca) == 3 and content(dca) == content(dct)


MIN_SAMPLE = TBX / "TBX-Min_p5-TBX-Min_sample.tbx"


def test_published_tbx_min_without_arabic_is_skipped_concept_by_concept(runner, folder):
    r = invoke(runner, "glossary", "import", MIN_SAMPLE)
    assert r.exit_code == 2 and "no glossary entries in this file (3 skipped" in r.stderr
    assert "concept C002: no Arabic term (languages: de, en)" in r.stderr


def with_arabic(text: str, terms: dict[str, str]) -> str:
    """A published file with an Arabic language section added to some concepts (v2, v3 or TBX-Min shape)."""
    shapes = {"conceptEntry": ("langSec", "termSec"), "termEntry": ("langSet", "tig"), "entry": ("langGroup", "termGroup")}
    for cid, arabic in terms.items():
        tag, head = next((t, text.index(f'<{t} id="{cid}">')) for t in shapes if f'<{t} id="{cid}">' in text)
        end = text.index(f"</{tag}>", head)
        section, holder = shapes[tag]
        text = text[:end] + f'<{section} xml:lang="ar"><{holder}><term>{arabic}</term></{holder}></{section}>' + text[end:]
    return text


def test_published_tbx_min_statuses_with_arabic_added(tmp_path):
    # entry / langGroup / termGroup with termStatus: 'hound' is obsolete, 'dog' preferred
    path = tmp_path / "min.tbx"
    path.write_text(with_arabic(MIN_SAMPLE.read_text(encoding="utf-8"), {"C002": "كلب", "C007": "فأر"}), encoding="utf-8")
    result = read_file(path)
    assert [s.where.rsplit(" ", 1)[-1] for s in result.skipped] == ["c008"]
    dog, mouse = result.entries
    assert (dog.source, dog.target, dog.forbidden, dog.alternatives) == ("كلب", "dog", ("hound",), ())
    assert (mouse.source, mouse.target, mouse.forbidden) == ("فأر", "mouse", ())


def test_weblate_obsolete_term_is_never_a_target(tmp_path):
    text = with_arabic((DATA / "weblate" / "fr-extended-metadata.tbx").read_text(encoding="utf-8"), {"e001": "ناقل البيانات", "e002": "رمز الخطأ"})
    path = tmp_path / "w.tbx"
    path.write_text(text, encoding="utf-8")
    result = read_file(path)
    [skipped] = result.skipped
    assert skipped.where.endswith("concept e001") and skipped.reason == "no usable English term (only deprecated: data bus)"
    [e] = result.entries
    assert (e.source, e.target) == ("رمز الخطأ", "SYS_ERR_406")
    assert e.note == "An internal code identifier not to be localized.; Do not translate error codes."


def test_tbx_entities_are_never_expanded(tmp_path):
    path = tmp_path / "bomb.tbx"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        "<martif><text><body><termEntry><langSet xml:lang='ar'><tig><term>&b;</term></tig></langSet></termEntry></body></text></martif>",
        encoding="utf-8",
    )
    with pytest.raises(GlossaryError, match="entities"):
        read_file(path)
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/passwd">]><martif><text><body>'
        "<termEntry><langSet xml:lang='ar'><tig><term>&x;</term></tig></langSet></termEntry></body></text></martif>",
        encoding="utf-8",
    )
    with pytest.raises(GlossaryError, match="entities"):
        read_file(path)


# -- conflicts with the folder, dry run ----------------------------------------------------------
def test_conflicts_with_the_folder_follow_the_policy(runner, folder, tmp_path):
    (folder / "custom.tsv").write_text("source\ttarget\nقسد\tSDF\nداعش\tISIS\n", encoding="utf-8")
    src = tmp_path / "team.csv"
    src.write_text("source,target\nقسد,QSD\nداعش,Daesh\nالحسكة,Hasakah\n", encoding="utf-8")
    r = invoke(runner, "glossary", "import", src)
    assert r.exit_code == 2 and "2 imported entries conflict with the glossary" in r.stderr
    assert "team.csv:2: قسد → 'QSD', but" in r.stderr and "custom.tsv:2 has قسد → 'SDF'" in r.stderr and "custom.tsv:3" in r.stderr
    assert not (folder / "imported.tsv").exists()

    r = invoke(runner, "glossary", "import", src, "--on-conflict", "keep-first")
    assert "1 added, 0 replaced, 0 already there, 2 skipped" in r.stdout
    assert [e.target for e in load_glossary([folder])] == ["SDF", "ISIS", "Hasakah"]

    r = invoke(runner, "glossary", "import", src, "--on-conflict", "keep-last")
    assert "0 added, 2 replaced, 1 already there, 0 skipped" in r.stdout
    # replaced where they stand, in custom.tsv
    assert (folder / "custom.tsv").read_text(encoding="utf-8") == "source\ttarget\nقسد\tQSD\nداعش\tDaesh\n"


def test_dry_run_says_what_and_writes_nothing(runner, folder, tmp_path):
    (folder / "custom.tsv").write_text("source\ttarget\nقسد\tSDF\n", encoding="utf-8")
    before = (folder / "custom.tsv").read_bytes()
    src = tmp_path / "new.csv"
    src.write_text("source,target\nقسد,QSD\nالحسكة,Hasakah\nAAPG,American Association of Petroleum Geologists\n", encoding="utf-8")
    r = invoke(runner, "glossary", "import", src, "--into", folder / "custom.tsv", "--on-conflict", "keep-last", "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == [
        "add      الحسكة → Hasakah",
        f"replace  قسد → QSD (was 'SDF', {folder / 'custom.tsv'}:2)",
        f"skip     {src}:4: no Arabic side ('AAPG' has no Arabic letters)",
    ]
    assert "dry run, nothing written" in r.stderr
    assert (folder / "custom.tsv").read_bytes() == before
    r = invoke(runner, "glossary", "import", src, "--into", folder / "custom.tsv", "--on-conflict", "keep-last", "--dry-run", "--json")
    data = json.loads(r.stdout)
    assert [e["source"] for e in data["added"]] == ["الحسكة"] and data["replaced"][0]["new"]["target"] == "QSD"


# -- round trip through every format -------------------------------------------------------------
ENTRIES = [
    Entry("قسد", "SDF", ("قوات سوريا الديمقراطية",), ("Qasad", "Syrian Democratic Forces"), "house style"),
    Entry("داعش", "ISIS", ("تنظيم الدولة",), ("Daesh", "ISIL"), 'never "Daesh", ever'),
    Entry("الحسكة", "Hasakah"),
    Entry("مسؤولية مطلقة", "absolute responsibility", (), (), "comma, \"quotes\" & <xml>", alternatives=("absolute liability",)),
]


def content(entries):
    return [(e.source, e.target, e.variants, e.forbidden, e.note, e.alternatives) for e in entries]


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_every_format(runner, folder, tmp_path, fmt):
    (folder / "custom.tsv").write_text(export_text(ENTRIES, "tsv"), encoding="utf-8")
    out = tmp_path / f"export.{fmt}"
    r = invoke(runner, "glossary", "export", "--format", fmt, "-o", out)
    assert r.exit_code == 0, r.stderr
    into = tmp_path / "back" / "imported.tsv"
    into.parent.mkdir()
    r = invoke(runner, "glossary", "import", out, "--format", fmt, "--into", into, "--glossary", into.parent)
    assert r.exit_code == 0, r.stderr
    back = load_glossary([into])
    if fmt in ("tsv", "csv", "tbx"):
        assert content(back) == content(ENTRIES)
    else:  # term pairs only: every Arabic form still gives its target
        assert "term pairs only" in invoke(runner, "glossary", "export", "--format", fmt).stderr
        assert {normalize(f): e.target for e in back for f in e.forms} == {normalize(f): e.target for e in ENTRIES for f in e.forms}


def test_tbx_export_is_tbx_basic_and_rereads(tmp_path):
    text = export_text(ENTRIES, "tbx")
    assert '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">' in text
    assert '<p type="XCSURI">TBXBasicXCSV02.xcs</p>' in text and 'type="TBX-Basic-V1"' in text
    [c1, *_] = tbx.parse(text.encode("utf-8"), "x")
    assert [t.status for t in c1.terms["en"]] == ["preferred", "forbidden", "forbidden"]


def test_vendor_formats_as_documented():
    assert export_text(ENTRIES[:1], "amazon") == "ar,en\nقسد,SDF\nقوات سوريا الديمقراطية,SDF\n"
    assert export_text(ENTRIES[:1], "deepl") == export_text(ENTRIES[:1], "google") == "قسد,SDF\nقوات سوريا الديمقراطية,SDF\n"


# -- hardening -----------------------------------------------------------------------------------
def test_a_field_over_the_csv_modules_limit_imports(tmp_path):
    note = "ملاحظة " * 40000  # 280,000 characters, over csv's default 131,072
    path = tmp_path / "big.csv"
    path.write_text(f'source,target,note\nقسد,SDF,"{note}"\n', encoding="utf-8")
    [e] = read_file(path).entries
    assert e.target == "SDF" and len(e.note) == len(note.strip())


def test_duplicate_column_names_are_refused(runner, folder, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("ar,en,en\nقسد,SDF,QSD\n", encoding="utf-8")
    r = invoke(runner, "glossary", "import", path)
    assert r.exit_code == 2 and r.stderr.count("\n") == 1
    assert "column 'en' appears 2 times (columns 2, 3)" in r.stderr
    r = invoke(runner, "glossary", "import", path, "--target-column", "3")
    assert r.exit_code == 0 and load_glossary([folder]).lookup("قسد").target == "QSD"


def test_control_character_never_makes_a_broken_tbx(runner, folder, tmp_path):
    (folder / "custom.tsv").write_text("source\ttarget\tvariants\tforbidden\tnote\nقسد\tSDF\t\t\tbell\x07here\n", encoding="utf-8")
    r = invoke(runner, "glossary", "export", "-o", tmp_path / "g.tbx")
    assert r.exit_code == 2 and "control character U+0007" in r.stderr and r.stderr.count("\n") == 1
    assert not (tmp_path / "g.tbx").exists()
    assert [f.rule for f in lint([folder])] == ["control-character"]
    assert invoke(runner, "glossary", "add", "داعش", "ISIS", "--note", "a\x1bb").exit_code == 2
    csv_in = tmp_path / "c.csv"
    csv_in.write_text("source,target,note\nداعش,ISIS,a\x1bb\nحلب,Aleppo\n", encoding="utf-8")
    result = read_file(csv_in)
    assert pairs(result.entries) == [("حلب", "Aleppo")] and "U+001B" in result.skipped[0].reason


def test_encodings_other_than_utf8_and_utf16_get_the_right_hint(tmp_path):
    path = tmp_path / "nobom.csv"
    path.write_bytes("ar,en\nقسد,SDF\n".encode("utf-16-le"))
    with pytest.raises(GlossaryError, match="UTF-16 without a byte-order mark.*iconv -f UTF-16LE"):
        read_file(path)
    path.write_bytes("ar,en\n".encode() + "قسد".encode("cp1256") + b",SDF\n")
    with pytest.raises(GlossaryError, match="not UTF-8.*WINDOWS-1256"):
        read_file(path)


def test_import_entries_api_reports_a_plan(tmp_path):
    into = tmp_path / "g.tsv"
    plan = import_entries(into, [Entry("قسد", "SDF", file="x.csv", line=2)], Glossary(), dry_run=True)
    assert [e.source for e in plan.added] == ["قسد"] and not into.exists()


def test_add_and_set_alternatives(runner, folder):
    r = invoke(runner, "glossary", "add", "مسؤولية مطلقة", "absolute responsibility", "--alternatives", "absolute liability")
    assert r.exit_code == 0, r.stderr
    lines = (folder / "custom.tsv").read_text(encoding="utf-8").splitlines()
    assert lines == ["source\ttarget\tvariants\tforbidden\tnote\talternatives", "مسؤولية مطلقة\tabsolute responsibility\t\t\t\tabsolute liability"]
    r = invoke(runner, "glossary", "set", "مسؤولية مطلقة", "--alternatives", "strict liability|absolute liability")
    assert "accepted:  strict liability | absolute liability" in r.stdout
    assert load_glossary([folder]).lookup("مسؤولية مطلقة").alternatives == ("strict liability", "absolute liability")


def test_utf16_big_endian_without_bom_is_named(tmp_path):
    path = tmp_path / "be.txt"
    path.write_bytes("قسد\tSDF\n".encode("utf-16-be"))
    with pytest.raises(GlossaryError, match="iconv -f UTF-16BE -t UTF-8"):
        read_file(path)
    path.write_bytes("\ufeffقسد\tSDF\n".encode("utf-16-be"))
    assert pairs(read_file(path).entries) == [("قسد", "SDF")]


@pytest.mark.parametrize("raw, status", [
    ("preferredTerm-admn-sts", "preferred"), ("admittedTerm-admn-sts", "admitted"), ("deprecatedTerm-admn-sts", "forbidden"),
    ("supersededTerm-admn-sts", "forbidden"), ("preferred", "preferred"), ("admitted", "admitted"),
    ("notRecommended", "forbidden"), ("obsolete", "forbidden"), ("standardizedTerm-admn-sts", "preferred"),
])
def test_status_values_of_every_tbx_flavour(raw, status):
    assert tbx.status_of(raw) == status


def test_tbx_min_usage_status_in_its_2013_shape():
    # TBX-Min before TBX v3: entry / langGroup / termGroup, with usageStatus elements
    text = """<TBX dialect="TBX-Min"><header><id>x</id><languages source="ar" target="en"/></header><body>
      <entry id="C1"><langGroup xml:lang="ar"><termGroup><term>داعش</term></termGroup></langGroup>
        <langGroup xml:lang="en"><termGroup><term>ISIL</term><usageStatus>notRecommended</usageStatus></termGroup>
          <termGroup><term>ISIS</term><usageStatus>preferred</usageStatus></termGroup>
          <termGroup><term>Daesh</term><usageStatus>obsolete</usageStatus></termGroup></langGroup></entry></body></TBX>"""
    [c] = tbx.parse(text.encode(), "min.tbx")
    [candidate] = tbx.candidates([c], "min.tbx")
    assert (candidate.source, candidate.target, candidate.forbidden) == ("داعش", "ISIS", ("ISIL", "Daesh"))
