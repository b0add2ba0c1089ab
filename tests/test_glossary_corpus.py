"""Corpus tools for glossary maintainers: concordance, loose search, suggestions.

The corpus here is ``tests/data/ant-excerpts/``: one-sentence excerpts of the ANT corpus
(see tests/data/README.md), each file named after the article it comes from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tarjama.cli import app
from tarjama.glossary.tools.corpus import (
    Document,
    LooseIndex,
    concordance,
    corpus_files,
    loose_hits,
    read_corpus,
    suggest,
)
from tarjama.glossary.matching import Matcher
from tarjama.glossary.model import Entry, Glossary

EXCERPTS = Path(__file__).parent / "data" / "ant-excerpts"

GLOSSARY_TSV = """source\ttarget\tvariants
قسد\tSDF\tقوات سوريا الديمقراطية
سوريا\tSyria
نتنياهو\tNetanyahu
جيش الإسلام\tJaish al-Islam
الغوطة الشرقية\tEastern Ghouta
"""


@pytest.fixture
def small_glossary(tmp_path) -> Path:
    path = tmp_path / "g.tsv"
    path.write_text(GLOSSARY_TSV, encoding="utf-8")
    return path


def glossary_of(*rows) -> Glossary:
    return Glossary.from_entries(rows)


def loose(text: str, *rows):
    g = glossary_of(*rows)
    doc = Document("t.txt", text)
    return loose_hits(doc, LooseIndex(list(g)), Matcher(g).find(text), words=2)


# -- reading ------------------------------------------------------------------------------
def test_corpus_is_a_folder_read_recursively_or_one_file(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("دوما", encoding="utf-8")
    (tmp_path / "two.txt").write_text("حلب", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# قسد\n\nفي **دوما**", encoding="utf-8")
    (tmp_path / "page.html").write_text("<html><body><p>في <b>حلب</b></p></body></html>", encoding="utf-8")
    (tmp_path / "data.tsv").write_text("source\ttarget\n", encoding="utf-8")  # not a document
    docs = list(read_corpus(tmp_path))
    # Every format the translator reads, as the translator reads it (the markup left out).
    assert [d.name for d in docs] == ["a/one.txt", "notes.md", "page.html", "two.txt"]
    assert "**" not in docs[1].text and "دوما" in docs[1].text and "<b>" not in docs[2].text and "حلب" in docs[2].text
    assert [d.name for d in read_corpus(tmp_path / "two.txt")] == ["two.txt"]


def test_corpus_errors_are_input_errors(tmp_path):
    from tarjama.errors import InputError

    with pytest.raises(InputError, match="no such file or folder"):
        corpus_files(tmp_path / "missing")
    with pytest.raises(InputError, match="no documents in this folder"):
        corpus_files(tmp_path)


# -- loose search -------------------------------------------------------------------------
def test_loose_search_finds_a_spelling_the_matcher_misses():
    (hit,) = loose("قال نتانياهو إن", ("نتنياهو", "Netanyahu"))
    assert (hit.form, hit.entry, hit.matched) == ("نتانياهو", "نتنياهو", False)


def test_a_shorter_entry_matched_inside_a_loose_hit_is_no_cover():
    # A matcher that knows only سوريا finds it inside the SDF's name: that is the case of a
    # term forced inside a longer name, so the SDF hit stays a near miss.
    text = "تحالف قوات سوريا الديموقراطية الذي"
    sdf, syria = Entry("قسد", "SDF", ("قوات سوريا الديمقراطية",)), Entry("سوريا", "Syria")
    doc = Document("t.txt", text)
    hits = loose_hits(doc, LooseIndex([sdf, syria]), Matcher([syria]).find(text), words=2)
    assert [(h.entry, h.form, h.matched) for h in hits] == [("قسد", "قوات سوريا الديموقراطية", False), ("سوريا", "سوريا", True)]


def test_loose_search_counts_the_matchers_own_finds_as_matched():
    hits = loose("أعلنت قسد وقوات سوريا الديمقراطية", ("قسد", "SDF", ("قوات سوريا الديمقراطية",)))
    assert [h.matched for h in hits] == [True, True]


@pytest.mark.parametrize(
    "text, form",
    [
        ("الولايات المتحدة الأميركية", "الولايات المتحدة الأمريكية"),  # ي and ر swapped
        ("معارك في ديرالزور", "دير الزور"),  # written together
        ("قوات \"سوريا الديمقراطية\"", "قوات سوريا الديمقراطية"),  # quotes inside
        ("هاجم قواتها", "قوات"),  # pronoun suffix
        ("وللجنة الدولية", "اللجنة الدولية"),  # و + لل
    ],
)
def test_loose_search_looks_through_spelling_and_inflection(text, form):
    hits = loose(text, (form, "X"))
    assert len(hits) == 1 and hits[0].entry == form


@pytest.mark.parametrize(
    "text, form",
    [
        ("لاجئة سورية", "سوريا"),  # a nisba adjective is another word
        ("الحدود التركية", "تركيا"),
        ("يجب حماية المدنيين", "حماة"),  # short names get no vowel slack
        ("في نيسان أبريل", "أربيل"),  # consonants are never swapped
        ("فوق الحلبة", "حلب"),  # no pronoun after the article
    ],
)
def test_loose_search_does_not_take_other_words(text, form):
    assert loose(text, (form, "X")) == []


# -- concordance --------------------------------------------------------------------------
def test_concordance_counts_forms_as_translation_finds_them(small_glossary):
    from tarjama.glossary.model import load_glossary

    g = load_glossary([small_glossary])
    c = concordance("جيش الاسلام", read_corpus(EXCERPTS), g, words=2)
    assert c.entry.target == "Jaish al-Islam" and c.files == 7
    assert len(c.matched) == 2
    assert sorted(h.doc for h in c.matched) == ["BB-middleEast-246-20180325.txt", "SK-middleEast-238-20180311.txt"]
    first = next(h for h in c.matched if h.doc.startswith("SK"))
    assert (first.left, first.form, first.right) == ("اتخذ", "جيش الإسلام", "من مدينة")


def test_concordance_cli_prints_kwic_and_counts(runner, small_glossary):
    result = runner.invoke(app, ["glossary", "concordance", "نتنياهو", "--in", str(EXCERPTS), "--glossary", str(small_glossary), "--loose"])
    assert result.exit_code == 0, result.output
    assert "SK-internationalNews-1459-20180509.txt:1\t? " in result.stdout
    assert "[ونتانياهو]" in result.stdout
    assert "نتنياهو → Netanyahu: 0 matches in 0 of 7 files" in result.stderr
    assert "1 near misses" in result.stderr


def test_concordance_cli_json(runner, small_glossary):
    result = runner.invoke(app, ["glossary", "concordance", "نتنياهو", "--in", str(EXCERPTS), "--glossary", str(small_glossary), "--json", "--loose"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["entry"]["target"] == "Netanyahu" and data["files"] == 7
    assert data["matches"] == 0 and data["near_misses"] == 1
    (hit,) = data["hits"]
    assert hit["form"] == "ونتانياهو" and hit["matched"] is False
    assert hit["file"] == "SK-internationalNews-1459-20180509.txt" and hit["line"] == 1
    assert (hit["left"], hit["right"]) == ("واجتمع بوتن", "بعد الظهر، وناقشا بشكل خاص الانسحاب")
    data = json.loads(runner.invoke(app, ["glossary", "concordance", "جيش الإسلام", "--in", str(EXCERPTS), "--glossary", str(small_glossary), "--json"]).stdout)
    assert data["matches"] == 2 and data["in_files"] == 2 and data["forms"] == {"جيش الإسلام": 2}


def test_concordance_of_a_term_not_in_the_glossary(runner, small_glossary):
    result = runner.invoke(app, ["glossary", "concordance", "هجين", "--in", str(EXCERPTS), "--glossary", str(small_glossary), "--json"])
    data = json.loads(result.stdout)
    assert data["entry"] is None and data["matches"] == 1 and data["forms"] == {"هجين": 1}


@pytest.mark.parametrize(
    "args, message",
    [
        (["Douma", "--in", str(EXCERPTS)], "has no Arabic letters"),
        (["دوما", "--in", "no/such/folder"], "no such file or folder"),
    ],
)
def test_concordance_bad_input_is_a_one_line_error(runner, small_glossary, args, message):
    result = runner.invoke(app, ["glossary", "concordance", *args, "--glossary", str(small_glossary)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert "Traceback" not in result.output


# -- suggestions --------------------------------------------------------------------------
def test_suggest_proposes_missed_variants_and_unlisted_names(small_glossary):
    from tarjama.glossary.model import load_glossary

    found = suggest(read_corpus(EXCERPTS), load_glossary([small_glossary]), min_count=1)
    variants = {(s.text, s.entry) for s in found if s.kind == "variant"}
    assert ("نتانياهو", "نتنياهو") in variants
    names = {s.text: s for s in found if s.kind == "name"}
    assert names["دوما"].count == 2 and names["دوما"].entry == "place"
    assert names["هجين"].entry == "place"
    # Known names and adjectives after a naming word are not proposed.
    assert "جيش الاسلام" not in names and not any(n.startswith("اعلام") for n in names)


def test_suggest_cli(runner, small_glossary):
    result = runner.invoke(app, ["glossary", "suggest", "--in", str(EXCERPTS), "--glossary", str(small_glossary), "--min", "2"])
    assert result.exit_code == 0, result.output
    assert "frequent names with no entry" in result.stdout
    assert "     2  دوما\t(place)" in result.stdout
    assert "هجين" not in result.stdout  # once only, below --min 2
    data = json.loads(runner.invoke(app, ["glossary", "suggest", "--in", str(EXCERPTS), "--glossary", str(small_glossary), "--min", "1", "--json"]).stdout)
    assert {"kind", "text", "count", "entry", "target", "examples"} <= set(data[0])
