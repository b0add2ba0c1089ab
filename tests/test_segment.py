import pytest

from tarjama.text.segment import split_long, split_paragraphs, split_sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        ("جملة أولى. جملة ثانية", ["جملة أولى.", "جملة ثانية"]),
        ("هل حضر؟ نعم!  حضر", ["هل حضر؟", "نعم!", "حضر"]),
        ("أولا؛ ثانيا", ["أولا؛", "ثانيا"]),
        ("قال، ثم مضى، وعاد", ["قال، ثم مضى، وعاد"]),  # the Arabic comma never ends a sentence
        ("ارتفع بنسبة 3.5 بالمئة. ثم انخفض", ["ارتفع بنسبة 3.5 بالمئة.", "ثم انخفض"]),
        ('قال: "انتهى الأمر." ثم غادر', ['قال: "انتهى الأمر."', "ثم غادر"]),
        ("قال (وهو غاضب.) ثم غادر", ["قال (وهو غاضب.)", "ثم غادر"]),
        ("قالت «انتهى!» ومضت", ["قالت «انتهى!»", "ومضت"]),
        ("وصلت قوات U.S. Army أمس", ["وصلت قوات U.S. Army أمس"]),
        ("انتظر... ثم تحدث", ["انتظر...", "ثم تحدث"]),
        ("   ", []),
        ("", []),
    ],
)
def test_sentences(text, expected):
    assert split_sentences(text) == expected


def test_paragraphs_are_lines_with_blank_lines_kept():
    assert split_paragraphs("أ\n\nب\r\nج\n") == ["أ", "", "ب", "ج"]
    assert split_paragraphs("") == []


def words(text):
    return len(text.split())


def test_long_sentence_is_split_without_losing_anything():
    clause = "وقالت المصادر إن القوات وصلت إلى المنطقة"
    text = "، ".join([clause] * 40) + "."
    spans = split_long(text, words, 20)
    pieces = [text[s:e] for s, e in spans]
    assert len(pieces) > 1
    assert all(words(p) <= 20 for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")
    # clause boundaries first: every piece but the last ends at an Arabic comma
    assert all(p.endswith("،") for p in pieces[:-1])


def test_split_prefers_semicolons_then_waw_then_spaces():
    text = " ".join(["كلمة"] * 10) + "؛ " + " ".join(["كلمة"] * 10)
    pieces = [text[s:e] for s, e in split_long(text, words, 12)]
    assert pieces[0].endswith("؛")
    no_punct = " ".join(["كلمة"] * 10) + " وكلمة " + " ".join(["كلمة"] * 9)
    pieces = [no_punct[s:e] for s, e in split_long(no_punct, words, 12)]
    assert pieces[1].startswith("وكلمة")


def test_an_unbroken_run_is_cut_by_characters():
    text = "ب" * 1000
    spans = split_long(text, lambda t: len(t) // 10, 30)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all((e - s) // 10 <= 30 for s, e in spans)


def test_split_never_cuts_inside_a_protected_span():
    text = " ".join(f"w{i}" for i in range(30))
    protected = [(text.index("w10"), text.index("w20") + 3)]
    spans = split_long(text, words, 12, protected)
    start, end = protected[0]
    for s, e in spans:  # no piece boundary falls strictly inside the protected span
        assert not (start < s < end) and not (start < e < end)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")
