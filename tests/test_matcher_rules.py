"""Each named rule of the matcher, its default, and the per-entry switch that turns it off.

Real excerpts of the ANT Arabic news corpus are at the end (see tests/data/README.md); the
other examples are written for these tests.
"""

import pytest

from tarjama.glossary.matching import Matcher, readings, respell
from tarjama.glossary.model import Entry, GlossaryError, english_plural, parse_tsv

ENTRIES = [
    Entry("قسد", "SDF", ("قوات سوريا الديمقراطية",)),
    Entry("داعش", "ISIS", ("تنظيم الدولة الإسلامية",)),
    Entry("سوريا", "Syria"),
    Entry("هيئة تحرير الشام", "Hayat Tahrir al-Sham"),
    Entry("حزب الله", "Hezbollah"),
    Entry("الولايات المتحدة", "United States", ("الولايات المتحدة الأمريكية",)),
    Entry("دير الزور", "Deir ez-Zor"),
    Entry("أبو بكر البغدادي", "Abu Bakr al-Baghdadi"),
    Entry("الصليب الأحمر", "Red Cross"),
    Entry("اللجنة الدولية للصليب الأحمر", "International Committee of the Red Cross"),
    Entry("طائرة مسيرة", "drone", ("طائرة بدون طيار",)),
    Entry("عبوة ناسفة", "IED"),
    Entry("قوات", "forces"),
    Entry("أمريكا", "America"),
]
M = Matcher(ENTRIES)


def found(text, matcher=M):
    return [(m.clitic, m.text, m.target, m.number) for m in matcher.find(text)]


def rules_of(text, matcher=M):
    return [m.rules for m in matcher.find(text)]


@pytest.mark.parametrize(
    "rule, text, expected",
    [
        # quotes: quotes between the words of a term
        ("quotes", 'أعلنت قوات "سوريا الديمقراطية" اليوم', [("", 'قوات "سوريا الديمقراطية', "SDF", "")]),
        ("quotes", 'مقاتلي تنظيم "الدولة الإسلامية"', [("", 'تنظيم "الدولة الإسلامية', "ISIS", "")]),
        ("quotes", "سيطرت هيئة «تحرير الشام» على", [("", "هيئة «تحرير الشام", "Hayat Tahrir al-Sham", "")]),
        # hashtag: underscores between the words
        ("hashtag", "#حزب_الله", [("", "حزب_الله", "Hezbollah", "")]),
        ("hashtag", "#الولايات_المتحدة", [("", "الولايات_المتحدة", "United States", "")]),
        # spaceless: unambiguous joins, before the article and after a kunya
        ("spaceless", "في ديرالزور", [("", "ديرالزور", "Deir ez-Zor", "")]),
        ("spaceless", "أبوبكر البغدادي", [("", "أبوبكر البغدادي", "Abu Bakr al-Baghdadi", "")]),
        ("spaceless", "أبوبكرالبغدادي", [("", "أبوبكرالبغدادي", "Abu Bakr al-Baghdadi", "")]),
        # lam: two lams, not three, before every article-initial term
        ("lam", "للجنة الدولية للصليب الأحمر", [("ل", "لجنة الدولية للصليب الأحمر", "International Committee of the Red Cross", "")]),
        ("lam", "وللولايات المتحدة", [("ول", "لولايات المتحدة", "United States", "")]),
        # article: on every word of an indefinite term, or on none
        ("article", "الطائرات المسيرة", [("", "الطائرات المسيرة", "drones", "plural")]),
        ("article", "العبوة الناسفة", [("", "العبوة الناسفة", "IED", "")]),
        ("article", "وبالعبوة الناسفة", [("وب", "العبوة الناسفة", "IED", "")]),
        ("article", "للعبوة الناسفة", [("ل", "لعبوة الناسفة", "IED", "")]),
        # number: sound feminine plural and dual; the English is plural
        ("number", "عبوات ناسفة", [("", "عبوات ناسفة", "IEDs", "plural")]),
        ("number", "طائرتين مسيرتين", [("", "طائرتين مسيرتين", "drones", "dual")]),
        ("number", "طائرتان مسيرتان", [("", "طائرتان مسيرتان", "drones", "dual")]),
        ("number", "بالعبوات الناسفة", [("ب", "العبوات الناسفة", "IEDs", "plural")]),
        # suffix: a pronoun suffix after ت
        ("suffix", "قواتها", [("", "قواتها", "forces", "")]),
        ("suffix", "وقواتهم", [("و", "قواتهم", "forces", "")]),
        # spelling: the documented alternations
        ("spelling", "قوات سوريا الديموقراطية", [("", "قوات سوريا الديموقراطية", "SDF", "")]),
        ("spelling", "الولايات المتحدة الأميركية", [("", "الولايات المتحدة الأميركية", "United States", "")]),
        ("spelling", "أميركا", [("", "أميركا", "America", "")]),
        ("spelling", "طائرة بلا طيار", [("", "طائرة بلا طيار", "drone", "")]),
        ("", "طائرة دون طيار", [("", "طائرة دون طيار", "drone", "")]),  # the kept spelling: no rule
        ("spelling", "طائرات بدون طيار", [("", "طائرات بدون طيار", "drones", "plural")]),
    ],
)
def test_rule(rule, text, expected):
    assert found(text) == expected
    assert all(rule in r if rule else r == () for r in rules_of(text))


@pytest.mark.parametrize(
    "text",
    [
        "الطائرات مسيرة",  # the article on some words only
        "طائرة المسيرة",
        "الداعش",  # no article on a name
        "الحلب",
        "داعشات",  # no plural of a name
        "سورياتها",
        "حزب، الله",  # punctuation is a break, not a gap
        "حزب-الله",
        "ديرزور",  # a join is only unambiguous before the article
        "قواتي",  # ي could be a nisba ending: not a pronoun suffix here
        "عبوتي ناسفتي",
        "سورياً",  # tanwin: the adjective, never the name
        "سوريًا",
    ],
)
def test_forms_that_are_not_the_term(text):
    assert found(text) == []


def test_exact_form_needs_no_rule():
    assert rules_of("قسد وطائرة مسيرة") == [(), ()]


@pytest.mark.parametrize(
    "switch, text",
    [
        ("-quotes", 'هيئة "تحرير الشام"'),
        ("-hashtag", "#هيئة_تحرير_الشام"),
        ("-spaceless", "هيئة تحريرالشام"),
        ("-lam", "لهيئة تحرير الشام"),  # (no article: lam does not apply, the clitic does)
        ("-spelling", "طائرة بلا طيار"),
        ("-article", "الطائرة المسيرة"),
        ("-number", "طائرات مسيرة"),
        ("-suffix", "قواتها"),
    ],
)
def test_an_entry_can_switch_a_rule_off(switch, text):
    entries = [Entry("هيئة تحرير الشام", "HTS"), Entry("طائرة مسيرة", "drone", ("طائرة دون طيار",)), Entry("قوات", "forces")]
    rule = switch[1:]
    on = Matcher(entries).find(text)
    off = Matcher([Entry(e.source, e.target, e.variants, rules=(switch,)) for e in entries]).find(text)
    if rule == "lam":  # lam only concerns article-initial terms; the proclitic ل is always allowed
        assert [m.clitic for m in on] == [m.clitic for m in off] == ["ل"]
        return
    assert len(on) == 1 and rule in on[0].rules
    assert off == []


def test_an_entry_can_switch_a_rule_on():
    assert found("السورية", Matcher([Entry("سورية", "Syria")])) == []
    assert found("الشرطة", Matcher([Entry("شرطة", "police", rules=("+article",))])) == [("", "الشرطة", "police", "")]
    # tanwin off: a common noun may carry it
    assert len(Matcher([Entry("شرطة", "police", rules=("-tanwin",))]).find("شرطةً")) == 1
    assert Matcher([Entry("شرطة", "police")]).find("شرطةً") == []


def test_lam_lam_for_every_article_initial_term():
    # two lams: the article's alef and lam are absorbed
    m = Matcher([Entry("اللجنة الدولية", "the international committee"), Entry("اللاذقية", "Latakia")])
    assert found("وللجنة الدولية", m) == [("ول", "لجنة الدولية", "the international committee", "")]
    assert found("للاذقية", m) == [("ل", "لاذقية", "Latakia", "")]


def test_offsets_of_inflected_forms_point_into_the_original():
    text = "قالت مصادر إن عبواتٍ ناسفةً انفجرت بـ«الطائرات المسيّرة» وقواتِها"
    for m in M.find(text):
        assert text[m.start : m.end] == m.text
        assert text[m.clitic_start : m.start] .replace("ـ", "").strip("«") in ("", m.clitic)
    assert [m.target for m in M.find(text)] == ["IEDs", "drones", "forces"]


# -- context restrictions ------------------------------------------------------------------
SYRIA = parse_tsv(
    "source\ttarget\tvariants\tcontext\n"
    "سوريا\tSyria\tسورية\tسورية: not-adjective\n"
    "جامعة\tuniversity\t\tnot-before دمشق حلب\n"
    "الأسد\tAssad\t\tafter بشار الرئيس\n",
    "ctx.tsv",
)


@pytest.mark.parametrize(
    "text, targets",
    [
        # the feminine adjective "Syrian" is not the country
        ("غارات روسية وسورية على المدينة", []),
        ("لاجئة سورية في لبنان", []),
        ("وسائل إعلام سورية", []),
        # the country
        ("في سورية اليوم", ["Syria"]),
        ("عاد إلى سورية", ["Syria"]),
        ("وصل بسورية", ["Syria"]),
        ("سورية تعلن", ["Syria"]),
        # the restriction is on the variant سورية only
        ("لاجئة سوريا", ["Syria"]),
        # explicit neighbours
        ("جامعة دمشق", []),
        ("جامعة القاهرة", ["university"]),
        ("الرئيس الأسد", ["Assad"]),
        ("وقال بشار الأسد", ["Assad"]),
        ("حزب الأسد", []),
    ],
)
def test_context_restrictions(text, targets):
    assert [m.target for m in Matcher(SYRIA).find(text)] == targets


def test_bad_context_or_rule_is_a_load_error():
    with pytest.raises(GlossaryError, match=r"x.tsv:2: unknown context 'next-to'"):
        parse_tsv("source\ttarget\tcontext\nسوريا\tSyria\tnext-to دمشق\n", "x.tsv")
    with pytest.raises(GlossaryError, match="not a form of this entry"):
        parse_tsv("source\ttarget\tcontext\nسوريا\tSyria\tسورية: not-adjective\n", "x.tsv")
    with pytest.raises(GlossaryError, match=r"x.tsv:2: unknown rule switch 'number'"):
        parse_tsv("source\ttarget\trules\nسوريا\tSyria\tnumber\n", "x.tsv")


# -- never inside a longer name -------------------------------------------------------------
def test_longer_entry_wins_when_it_is_all_there_in_a_near_spelling():
    m = Matcher([Entry("سوريا", "Syria"), Entry("قوات سوريا الديمقراطية", "SDF")])
    matches, notes = m.scan("قالت قوات سوريا الديمقراطيه الكردية")  # spelled with a final ه
    assert [(x.target, x.text) for x in matches] == [("SDF", "قوات سوريا الديمقراطيه")] and notes == []
    matches, notes = m.scan("قالت قوات سوريا الديمقراطيا")  # one letter off
    assert [(x.target, x.rules) for x in matches] == [("SDF", ("near",))]


def test_a_term_inside_a_whole_name_the_glossary_does_not_know_is_a_note():
    # +whole: the terms inside this name are never enforced apart from it
    m = Matcher([Entry("سوريا", "Syria"), Entry("قوات سوريا الديمقراطية", "SDF", rules=("+whole",))])
    # another word in place of قوات: the Syrian Democratic Council, not in this glossary
    matches, notes = m.scan("وقال مجلس سوريا الديمقراطية")
    assert matches == []
    [note] = notes
    assert note.text == "سوريا" and "قوات سوريا الديمقراطية" in note.message
    # a word missing
    matches, notes = m.scan("بيان سوريا الديمقراطية")
    assert matches == [] and len(notes) == 1
    # nothing like the longer name around: the term is enforced
    assert [x.target for x in m.find("زار سوريا الأسبوع الماضي")] == ["Syria"]


def test_notes_reach_the_translation_warnings():
    from fakes import EchoEngine

    from tarjama import Translator
    from tarjama.glossary.model import Glossary

    g = Glossary.from_entries([Entry("سوريا", "Syria"), Entry("قوات سوريا الديمقراطية", "SDF", rules=("+whole",))])
    result = Translator(glossary=g, engine=EchoEngine()).translate_document("وقال مجلس سوريا الديمقراطية")
    assert result.terms == []
    assert any("not enforced" in w for s in result.sentences for w in s.warnings)


# -- English number -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "singular, plural",
    [("IED", "IEDs"), ("drone", "drones"), ("militia", "militias"), ("party", "parties"), ("barrel bomb", "barrel bombs"),
     ("bus", "buses"), ("checkpoint", "checkpoints"), ("day", "days")],
)
def test_english_plural(singular, plural):
    assert english_plural(singular) == plural


def test_plural_column_overrides_the_rule():
    [e] = parse_tsv("source\ttarget\tplural\nعبوة ناسفة\tIED\timprovised explosive devices\n", "p.tsv")
    [m] = Matcher([e]).find("عبوتين ناسفتين")
    assert m.number == "dual" and m.target == "improvised explosive devices"


# -- scale ----------------------------------------------------------------------------------
def test_ten_thousand_entries_find_exactly_the_right_terms():
    import random

    rng = random.Random(7)
    letters = "بتثجحخدذرزسشصضطظعغفقكمن"
    words = {"".join(rng.choice(letters) for _ in range(rng.randint(4, 7))) for _ in range(20000)}
    words = sorted(words)
    entries = [Entry(" ".join(words[2 * i : 2 * i + rng.randint(1, 2)]), f"T{i}") for i in range(10000)]
    m = Matcher(ENTRIES + entries)
    text = f"قالت قسد إن {entries[42].source} و{entries[9000].source} في دير الزور"
    assert [x.target for x in m.find(text)] == ["SDF", "T42", "T9000", "Deir ez-Zor"]


def test_readings_are_what_the_rules_say():
    keys = {(k, c) for k, c, _ in readings("وللطائرات")}
    assert ("طائره", 2) in keys  # و + ل + (ال) + طائرات → طائرة
    assert respell("الديموقراطيه") == "الديمقراطيه" and respell("الاميركيه") == "الامريكيه"


# -- real excerpts (ANT corpus, see tests/data/README.md) ----------------------------------
def test_ant_excerpts():
    g = parse_tsv(
        "source\ttarget\tvariants\tcontext\n"
        "سوريا\tSyria\tسورية\tسورية: not-adjective\n"
        "قسد\tSDF\tقوات سوريا الديمقراطية\t\n"
        "داعش\tISIS\t\t\n"
        "التحالف الدولي\tInternational Coalition\tالتحالف الدولي ضد داعش\t\n"
        "اللجنة الدولية للصليب الأحمر\tICRC\t\t\n",
        "ant.tsv",
    )
    m = Matcher(g)
    assert [x.target for x in m.find('جد في القاعدة قيادات بارزة من قوات "سوريا الديمقراطية".')] == ["SDF"]
    assert m.find("استهدفت غارات جوية روسية وسورية كتيبة") == []
    # a coalition against ISIS: ISIS is enforced, not mistaken for part of a longer name
    assert [x.target for x in m.find("عملية العزم الصلب التي يشنها التحالف ضد داعش.")] == ["ISIS"]
    assert [(x.clitic, x.target) for x in m.find("للجنة الدولية للصليب الأحمر")] == [("ل", "ICRC")]


def test_matching_columns_survive_a_tsv_export():
    from tarjama.glossary.tools.csv_io import to_tsv

    text = (
        "source\ttarget\tvariants\tplural\trules\tcontext\n"
        "سوريا\tSyria\tسورية\t\t-tanwin\tسورية: not-adjective | not-after جامعة\n"
        "عبوة ناسفة\tIED\t\tIEDs\n"
    )
    entries = parse_tsv(text, "x.tsv")
    again = parse_tsv(to_tsv(entries), "y.tsv")
    assert [(e.plural, e.rules, e.context) for e in again] == [(e.plural, e.rules, e.context) for e in entries]
    assert to_tsv([Entry("قسد", "SDF")]).splitlines()[0] == "source\ttarget\tvariants\tforbidden\tnote"
