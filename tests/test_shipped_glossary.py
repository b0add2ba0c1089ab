"""The shipped glossary: coverage of the field, and forms that would force wrong names."""

from __future__ import annotations

import pytest

from tarjama.glossary.matching import Matcher


def test_shipped_glossary_covers_the_field(project_glossary):
    assert len(project_glossary) >= 200


@pytest.mark.parametrize(
    "arabic, english",
    [
        ("الغوطة الشرقية", "Eastern Ghouta"),
        ("أردوغان", "Erdogan"),
        ("دوما", "Douma"),
        ("بشار الأسد", "Bashar al-Assad"),
        ("جيش الإسلام", "Jaish al-Islam"),
        ("درعا", "Daraa"),
        ("الموصل", "Mosul"),
        ("تنظيم القاعدة", "al-Qaeda"),
        ("الخوذ البيضاء", "White Helmets"),
        ("منظمة حظر الأسلحة الكيميائية", "OPCW"),
        ("الحشد الشعبي", "Popular Mobilization Forces"),
        ("الدواعش", "ISIS militants"),
        ("البغدادي", "Baghdadi"),
        ("النصرة", "Nusra Front"),
        ("تحرير الشام", "Hayat Tahrir al-Sham"),
        ("المرصد السوري", "Syrian Observatory for Human Rights"),
        # Entries tests and README examples rely on.
        ("قسد", "SDF"),
        ("داعش", "ISIS"),
        ("الحسكة", "Hasakah"),
        ("سجن غويران", "Sinaa prison"),
    ],
)
def test_field_names_have_their_established_english(project_glossary, arabic, english):
    (m,) = Matcher(project_glossary).find(arabic)
    assert m.target == english and m.text == arabic


@pytest.mark.parametrize(
    "text",
    [
        # ANT corpus, Sky News Arabia, SK-middleEast-1459-20180506: "Syrian media" reported.
        "ذكرت وسائل إعلام سورية، موالية ومعارضة",
        "لاجئة سورية",
        "غارات روسية وسورية",
    ],
)
def test_syria_is_not_forced_on_the_adjective_suriya(project_glossary, text):
    # the adjective is enforced as the adjective
    assert [m.target for m in Matcher(project_glossary).find(text)] == ["Syrian"]


def test_suriya_is_still_syria_where_no_noun_precedes_it(project_glossary):
    (m,) = Matcher(project_glossary).find("عاد إلى سورية")
    assert (m.text, m.target) == ("سورية", "Syria")


@pytest.mark.parametrize(
    "longer, shorter",
    [
        ("كتائب حزب الله", "حزب الله"),
        ("مجلس الأمن القومي", "مجلس الأمن"),
        ("الحزب الديمقراطي الكردستاني الإيراني", "الحزب الديمقراطي الكردستاني"),
    ],
)
def test_names_containing_another_entry_are_entries_themselves(project_glossary, longer, shorter):
    (m,) = Matcher(project_glossary).find(f"قالت {longer} اليوم")
    assert m.text == longer and m.entry.source != project_glossary.lookup(shorter).source


def test_shipped_glossary_lints_clean():
    from pathlib import Path

    from tarjama.glossary.tools.lint import lint

    findings = lint([Path(__file__).resolve().parent.parent / "glossary"])
    assert [f.describe() for f in findings] == []
