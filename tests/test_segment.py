import pytest

from tarjama.text.segment import pause_mark, pause_spans, split_long, split_paragraphs, split_sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        ("جملة أولى. جملة ثانية", ["جملة أولى.", "جملة ثانية"]),
        ("هل حضر؟ نعم!  حضر", ["هل حضر؟", "نعم!", "حضر"]),
        # the Arabic semicolon is a comma or a dash in news prose, measured (bench/boundaries.tsv)
        ("سقطت في يد «داعش»؛ وهذا مؤشر", ["سقطت في يد «داعش»؛ وهذا مؤشر"]),
        ("قال، ثم مضى، وعاد", ["قال، ثم مضى، وعاد"]),  # the Arabic comma never ends a sentence
        ("ارتفع بنسبة 3.5 بالمئة. ثم انخفض", ["ارتفع بنسبة 3.5 بالمئة.", "ثم انخفض"]),
        ('قال: "انتهى الأمر." ثم غادر', ['قال: "انتهى الأمر."', "ثم غادر"]),
        ("قال (وهو غاضب.) ثم غادر", ["قال (وهو غاضب.)", "ثم غادر"]),
        ("قالت «انتهى!» ومضت", ["قالت «انتهى!»", "ومضت"]),
        ("وصلت قوات U.S. Army أمس", ["وصلت قوات U.S. Army أمس"]),
        # .. ... … are pauses, not ends (the translator cuts there and keeps the mark)
        ("انتظر... ثم تحدث", ["انتظر... ثم تحدث"]),
        ("مصر.. إحباط هجوم إرهابي. وقال", ["مصر.. إحباط هجوم إرهابي.", "وقال"]),
        ("الوضع خطير… والمفاوضات مستمرة", ["الوضع خطير… والمفاوضات مستمرة"]),
        ("لم تتغير..الرئيس كان واضحا", ["لم تتغير..الرئيس كان واضحا"]),
        # abbreviations and initials
        ("قال د. أحمد إن الوضع خطير. ثم غادر", ["قال د. أحمد إن الوضع خطير.", "ثم غادر"]),
        ("في عام 300 ق.م. بنيت المدينة", ["في عام 300 ق.م. بنيت المدينة"]),
        ("ولد عام 1950 م. في دمشق", ["ولد عام 1950 م. في دمشق"]),
        ("ص.ب. 1234 دمشق", ["ص.ب. 1234 دمشق"]),
        ("ذكرت أ.ف.ب. أن القصف استمر", ["ذكرت أ.ف.ب. أن القصف استمر"]),
        ("وقال س. الحسن إن شركة ش.م.ل. تعمل", ["وقال س. الحسن إن شركة ش.م.ل. تعمل"]),
        ("قال H.R. McMaster إن U.S. forces باقية", ["قال H.R. McMaster إن U.S. forces باقية"]),
        ("قال إتش.آر. مكماستر إنه باق", ["قال إتش.آر. مكماستر إنه باق"]),
        ("قناة سي.إن.إن. الأمريكية", ["قناة سي.إن.إن. الأمريكية"]),
        # list numbers stay with their item, Western or Eastern digits
        ("2. تعزيز الأمن", ["2. تعزيز الأمن"]),
        ("٣. تعزيز الأمن. ٤. دعم السكان", ["٣. تعزيز الأمن.", "٤. دعم السكان"]),
        ("قتل 20. ثم انسحبوا", ["قتل 20.", "ثم انسحبوا"]),  # a number ending a sentence
        # a period between two Arabic words without a space; domains are not ends
        ("البريطانيين.والأفغان", ["البريطانيين.", "والأفغان"]),
        ("نقلا عن العربية.نت ومصادر", ["نقلا عن العربية.نت ومصادر"]),
        ("موقع example.com نشر", ["موقع example.com نشر"]),
        ("هل انتهى؟!  نعم", ["هل انتهى؟!", "نعم"]),
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


@pytest.mark.parametrize(
    "sentence, stretches, marks",
    [
        ("مصر.. إحباط هجوم", ["مصر", "إحباط هجوم"], ["", ".. ", ""]),
        ("الوضع خطير ... وإن المفاوضات", ["الوضع خطير", "وإن المفاوضات"], ["", " ... ", ""]),
        ("انتظر...", ["انتظر"], ["", "..."]),
        ("…وقال", ["وقال"], ["… ", ""]),
        ("قال (...) ثم مضى", ["قال (...) ثم مضى"], ["", ""]),  # an omission is a protected span
        ("بلا توقف", ["بلا توقف"], ["", ""]),
    ],
)
def test_pause_marks_cut_a_sentence_and_are_kept(sentence, stretches, marks):
    spans = pause_spans(sentence)
    assert [sentence[s:e] for s, e in spans] == stretches
    gaps = [sentence[: spans[0][0]]] + [sentence[a:b] for (_, a), (b, _) in zip(spans, spans[1:])]
    gaps.append(sentence[spans[-1][1] :])
    got = [pause_mark(gaps[0], first=True)] + [pause_mark(g) for g in gaps[1:-1]] + [pause_mark(gaps[-1], last=True)]
    assert got == marks


def test_split_long_is_near_linear_in_protected_spans():
    """Many protected spans cost O(log n) each: counted as calls of the token counter,
    which stay proportional to the pieces made, not to spans × positions."""
    calls = []

    def counting(text):
        calls.append(len(text))
        return len(text.split()) + 1

    for n in (200, 800):
        calls.clear()
        text = " ".join(f"w{i}" for i in range(n))
        protected = [(m, m + 2) for m in range(0, len(text), 7)]
        spans = split_long(text, counting, 20, protected)
        assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")
        assert all(counting(text[s:e]) <= 20 for s, e in spans)
        # the sum of lengths tokenized is at most (levels of a balanced split) × the text
        assert sum(calls) <= len(text) * 12


def test_an_unbroken_run_is_cut_in_one_pass_into_small_pieces():
    text = "ب" * 20000
    calls = []

    def tokens(t):
        calls.append(len(t))
        return len(t) // 4 + 1

    spans = split_long(text, tokens, 256)
    assert "".join(text[s:e] for s, e in spans) == text
    # about RUN_PIECE_TOKENS (64) each, far under the limit of 256
    assert all(tokens(text[s:e]) <= 80 for s, e in spans)
    assert sum(calls) <= 3 * len(text) + 2000  # the whole run, then each piece once


def test_an_unbroken_run_never_cut_inside_a_protected_span():
    text = "ب" * 300 + "https://example.com/" + "x" * 200 + "ب" * 300
    protected = [(300, 300 + 220)]
    spans = split_long(text, lambda t: len(t) // 4 + 1, 30, protected)
    assert "".join(text[s:e] for s, e in spans) == text
    for s, e in spans:
        assert not (300 < s < 520) and not (300 < e < 520)
