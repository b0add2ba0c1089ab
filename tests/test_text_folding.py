"""Text that looks Arabic but is typed oddly: presentation forms, zero-width joiners,
bidi marks, lines of marks alone."""

from fakes import EchoEngine

from tarjama import Translator
from tarjama.glossary.matching import find_terms
from tarjama.glossary.model import Glossary
from tarjama.text.arabic import copy_through, fold_presentation_forms, has_arabic, normalize

GLOSSARY = Glossary.from_entries([("قسد", "SDF"), ("داعش", "ISIS"), ("لا مكان", "nowhere")])


def translator():
    return Translator(engine=EchoEngine(), glossary=GLOSSARY)


def test_presentation_forms_are_arabic_and_fold_to_letters():
    pdf = "ﻗﺴﺪ"  # قسد as glyph shapes, as copied from a PDF
    assert has_arabic(pdf)
    assert normalize(pdf) == "قسد"
    assert fold_presentation_forms("ﻻ مكان") == "لا مكان"  # a ligature gives two letters


def test_terms_typed_in_presentation_forms_are_found_with_offsets_in_the_original():
    text = "قالت ﻗﺴﺪ إن ﻻ مكان"
    found = find_terms(text, GLOSSARY)
    assert [(m.entry.target, text[m.start:m.end]) for m in found] == [("SDF", "ﻗﺴﺪ"), ("nowhere", "ﻻ مكان")]


def test_a_line_in_presentation_forms_is_translated_not_copied():
    result = translator().translate_document("ﻗﺎﻟﺖ ﻗﺴﺪ")
    s = result.sentences[0]
    assert s.method == "translated"
    assert "SDF" in s.translation and not any("\ufb50" <= c <= "\ufeff" for c in s.translation)


def test_zero_width_joiners_and_bidi_marks_inside_a_term_do_not_stop_it():
    for mark in ("\u200c", "\u200d", "\u200f", "\u061c"):
        text = f"هاجم دا{mark}عش القرية"
        (m,) = find_terms(text, GLOSSARY)
        assert m.entry.target == "ISIS" and text[m.start:m.end] == f"دا{mark}عش"


def test_lines_of_marks_alone_give_no_text():
    assert copy_through("\u064e\u0650ـــ\u200f") == ""
    assert copy_through("؟") == "?"
    out = translator().translate("قالت قسد\n\u064e\u064eـ\n\u200f\u200e\n؟\n")
    lines = out.split("\n")
    assert lines[1:4] == ["", "", "?"]
    assert not any(c in out for c in "\u064e\u200f\u200eـ؟")


# -- clear words for common mistakes -----------------------------------------------------------


def test_batch_given_a_file_says_so(runner, tmp_path):
    from tarjama.cli import app

    f = tmp_path / "a.txt"
    f.write_text("قالت قسد\n", encoding="utf-8")
    r = runner.invoke(app, ["batch", str(f), str(tmp_path / "out")])
    assert r.exit_code == 2
    assert "is a file" in r.stderr and "tarjama translate" in r.stderr and "no such folder" not in r.stderr


def test_check_with_both_sides_on_stdin_is_refused(runner):
    from tarjama.cli import app

    r = runner.invoke(app, ["check", "-s", "-", "-t", "-"], input="قالت قسد\n")
    assert r.exit_code == 2
    assert "standard input can be read only once" in r.stderr


def test_a_legacy_encoding_is_named_only_on_evidence():
    """Right hints for refused files: Arabic in WINDOWS-1256 or ISO-8859-6 is named as such;
    a Latin file is never taken for Arabic, and two stray bytes get no guess at all."""
    import pytest

    from tarjama.files import decode_utf8
    from tarjama.errors import InputError

    arabic = "قالت قوات سوريا الديمقراطية إن مقاتلي تنظيم الدولة هاجموا سجن الحسكة\n" * 3
    for codec, name in (("cp1256", "WINDOWS-1256"), ("iso8859_6", "ISO-8859-6")):
        with pytest.raises(InputError, match=f"looks like {name}"):
            decode_utf8(arabic.encode(codec), "a.txt")
    french = "Le café est très bon, déjà prêt, à la française, très réputé, célèbre.\n".encode("latin-1")
    with pytest.raises(InputError) as e:
        decode_utf8(french, "fr.txt")
    assert "ISO-8859-6" not in str(e.value) and "WINDOWS-1256" not in str(e.value)
    with pytest.raises(InputError, match="could not be recognised"):
        decode_utf8(b"caf\xe9 \xff\n", "b.txt")
