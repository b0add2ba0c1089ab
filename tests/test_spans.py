"""Protected spans: text that must come out of the translation exactly as written."""

import json
from collections import Counter

import pytest
from fakes import EchoEngine, SpanAdversarialEngine

from tarjama import Translator
from tarjama.glossary.matching import Matcher
from tarjama.glossary.model import Glossary
from tarjama.text.english import find_all_targets
from tarjama.pipeline.span_matches import span_matches, with_spans
from tarjama.text.spans import find_spans, western_digits

GLOSSARY = Glossary.from_entries([("قسد", "SDF", (), ("Qasad",)), ("داعش", "ISIS", ("تنظيم الدولة",), ("Daesh",))])


@pytest.mark.parametrize(
    "text, spans",
    [
        ("زار https://example.com/a?b=1. ثم غادر", [("https://example.com/a?b=1", "url")]),
        ("نشر موقع InfoWars.com الخبر", [("InfoWars.com", "url")]),
        ("شاهد youtu.be/Qd-U2b3zbd8 الآن", [("youtu.be/Qd-U2b3zbd8", "url")]),
        ("راسلونا على info@example.org اليوم", [("info@example.org", "email")]),
        ("كتب @UN_News و@CNN", [("@UN_News", "handle"), ("@CNN", "handle")]),
        ("تحت وسم #سوريا_الآن و#Syria", [("#سوريا_الآن", "hashtag"), ("#Syria", "hashtag")]),
        ("قال H.R. McMaster لشبكة CNN إن HIMARS", [("H.R. McMaster", "latin"), ("CNN", "latin"), ("HIMARS", "latin")]),
        ("طائرات F-16 وصواريخ S-400", [("F-16", "latin"), ("S-400", "latin")]),
        ("قتل ٣٠٠ شخص و1,500 جريح", [("٣٠٠", "number"), ("1,500", "number")]),
        ("بنسبة 20% و٣٫٥٪", [("20%", "number"), ("٣٫٥٪", "number")]),
        ("مدفع عيار 155 mm وقيمته $5", [("155 mm", "number"), ("$5", "number")]),
        ("في 12/3/2018 و٢٠١٨-٠٣-١٢ الساعة 10:30", [("12/3/2018", "date"), ("٢٠١٨-٠٣-١٢", "date"), ("10:30", "time")]),
        ('قال "هذا ابتزاز (...) واضح" ثم ( ... ) مضى', [("(...)", "omission"), ("( ... )", "omission")]),
        ("وصل بـ300 مقاتل عام 2018م", [("300", "number"), ("2018", "number")]),
        ("أنا و a صديقي", []),  # a lone Latin letter is not protected
        ("جملة عربية فقط.", []),
    ],
)
def test_each_kind_of_span_is_found(text, spans):
    assert [(s.text, s.kind) for s in find_spans(text)] == spans


def test_eastern_digits_become_western_in_every_target():
    assert western_digits("٣٠٠ و٢٫٥٪ و۱۲") == "300 و2.5% و12"
    targets = [m.entry.target for m in span_matches("قتل ٣٠٠ في ٢٠١٨/٣/١٢ بنسبة ٤٫٥٪")]
    assert targets == ["300", "2018/3/12", "4.5%"]


def test_an_omission_is_kept_as_english_sets_it():
    t = Translator("fake", glossary=None, engine=EchoEngine())
    result = t.translate_document("قال إن هذا ابتزاز ( ... ) يستخدم و(...) عادة")
    assert result.text.count("(...)") == 2 and result.unresolved == 0


def test_a_glossary_term_claims_its_text_before_a_span():
    text = "نشر #داعش و#سوريا بيانا"
    matches = with_spans(text, Matcher(GLOSSARY).find(text))
    assert [(m.text, m.entry.target) for m in matches] == [("داعش", "ISIS"), ("#سوريا", "#سوريا")]


def test_spans_come_out_exactly_with_the_echo_engine():
    t = Translator("fake", glossary=GLOSSARY, engine=EchoEngine())
    result = t.translate_document("قال H.R. McMaster لـ\"قسد\" إن ٣٠٠ مقاتل في https://x.com/a و@user.")
    s = result.sentences[0]
    assert "H.R. McMaster" in s.translation and "300" in s.translation
    assert "https://x.com/a" in s.translation and "@user" in s.translation and "SDF" in s.translation
    kinds = {t.target: t.kind for t in s.terms}
    assert kinds == {"H.R. McMaster": "latin", "SDF": "term", "300": "number", "https://x.com/a": "url", "@user": "handle"}
    assert all(t.status == "applied" for t in s.terms)
    assert result.applied == 1 and result.spans_kept == 4 and result.unresolved == 0
    assert result.summary() == "1 glossary term applied, 0 unresolved"


def test_a_sentence_without_arabic_is_copied_with_western_digits():
    t = Translator("fake", glossary=GLOSSARY, engine=EchoEngine())
    assert t.translate("٢٠١٨\nhttps://example.com/٣") == "2018\nhttps://example.com/3"


def test_a_span_opening_a_sentence_keeps_its_case():
    t = Translator("fake", glossary=None, engine=EchoEngine())
    assert t.translate("iPhone جديد").startswith("iPhone ")
    assert t.translate("how are you سألني").startswith("how are you,") or t.translate("how are you سألني").startswith("how are you ")


# Short excerpts of real news from the ANT corpus (A. Chouigui, O. Ben Khiroun and B. Elayeb,
# "ANT Corpus: An Arabic News Text Collection for Textual Classification", AICCSA 2017;
# AJSE 46(8), 2021; Apache-2.0 with a citation licence). See tests/data/README.md.
ANT_EXCERPTS = [
    "ووفق المحكمة خطط نعيم الرحمن زكريا (20 عاما) لتفجير بوابة مقر ماي في 10 #داونينغ_ستريت وقتل حراسها ثم مهاجمتها.",
    "دبي، الإمارات العربية المتحدة (CNN)-- أعلن رئيس الوزراء التركي بن علي يلدريم، الجمعة، أن بلاده قد تنفذ عمليات"
    " عسكرية شمال العراق إذا اقتضت الحاجة ضد تنظيم \"داعش\" أو عناصر حزب العمال الكردستاني التركي (PKK).",
    "هكذا صرح مدرب الفريق \"باسم قاسم\" للأعلام الجزائري يوتيوب 👈 https://youtu.be/Qd-U2b3zbd8",
    "وتابع: \"وليد إنسان مسالم، كان مقيما في أميركا منذ ٨ سنوات، طلبت منه العودة لليمن\".",
    "وطالبان، التي التزمت بهدنة مع الحكومة من 15 إلى 17 حزيران/يونيو، مسؤولة عن 40% من المدنيين الأفغان القتلى.",
    "ثلاث دقائق تلخص كيف بدأت شرارة الفتنة من قبل الجمهور #شارك_المقطع_ليرى_الجميع",
]


@pytest.mark.parametrize("rounds", [1, 3])
def test_every_span_survives_the_adversarial_engine(rounds):
    """The adversarial engine drops, duplicates, re-cases, splits, hyphenates or
    transliterates every span and term in turn; the rounds still put each back."""
    engine = SpanAdversarialEngine(GLOSSARY)
    t = Translator("fake", glossary=GLOSSARY, engine=engine)
    for _ in range(rounds):  # the mangling modes rotate: each run meets other ones
        result = t.translate_document("\n".join(ANT_EXCERPTS))
        spans = [x for x in result.terms if x.kind != "term"]
        assert len(spans) >= 10
        assert {x.kind for x in spans} >= {"number", "hashtag", "latin", "url"}
        for s in result.sentences:
            wanted = Counter(x.target for x in s.terms)
            found = find_all_targets(s.translation, wanted)
            for target, n in wanted.items():
                assert sum(s.translation[a:b] == target for a, b in found[target]) == n, (target, s.translation)
        assert result.unresolved == 0
    assert "8" in result.text.split() or " 8 " in result.text  # ٨ came out as 8
    assert {x.method for x in spans} - {"protected"}, "the engine must have forced later rounds"


def test_pause_marks_are_kept_as_the_writer_used_them():
    t = Translator("fake", glossary=GLOSSARY, engine=EchoEngine())
    result = t.translate_document("مصر.. إحباط هجوم إرهابي\nقالت المصادر إن الوضع خطير... وإن المفاوضات مستمرة\nانتظر…")
    assert result.paragraphs[0] == "MSr.. IHbAT hjwm IrhAby"
    assert result.paragraphs[1] == "QAlt AlmSAdr In AlwDE xTyr... wIn AlmfAwDAt mstmrp"
    assert result.paragraphs[2] == "AntZr…"
    assert len(result.sentences) == 3  # a pause is not a sentence end


def test_a_long_line_full_of_spans_is_cut_outside_them_and_loses_nothing():
    line = " ".join(f"زار https://example.com/{i} و{i}٠٠ شخص" for i in range(1, 200))
    t = Translator("fake", glossary=None, engine=EchoEngine(max_input_tokens=40))
    result = t.translate_document(line)
    text = result.paragraphs[0]
    for i in range(1, 200):
        assert f"https://example.com/{i} " in text + " " and f"{i}00" in text
    assert result.unresolved == 0


def test_json_output_reports_the_kind_of_each_span(runner, echo_engine, tmp_path):
    from tarjama.cli import app

    src = tmp_path / "a.ar.txt"
    src.write_text("قال مصدر لشبكة CNN إن ٣٠٠ مقاتل وصلوا.\n", encoding="utf-8")
    out = runner.invoke(app, ["translate", str(src), "--engine", "echo", "--no-glossary", "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert [(g["target"], g["kind"], g["status"]) for g in data[0]["glossary"]] == [
        ("CNN", "latin", "applied"),
        ("300", "number", "applied"),
    ]
    assert "300" in data[0]["translation"] and "CNN" in data[0]["translation"]


def test_end_to_end_on_the_tiny_model(tiny_model):
    """The real transformers path: a random model mangles everything, and every span,
    every pause mark and every Western digit still comes out as it should."""
    t = Translator(str(tiny_model), glossary=GLOSSARY, beams=2)
    text = (
        "مصر.. قال H.R. McMaster لـ\"قسد\" إن ٣٠٠ مقاتل وصلوا في 12/3/2018 حسب https://example.com/a و#سوريا.\n"
        "٢٠١٨\n"
        "وقالت المصادر إن الوضع خطير... وإن المفاوضات مستمرة"
    )
    result = t.translate_document(text)
    first = result.paragraphs[0]
    for exact in ("H.R. McMaster", "SDF", "300", "12/3/2018", "https://example.com/a", "#سوريا"):
        assert exact in first, exact
    assert "٣" not in first and first.startswith(first.split("..")[0] + "..")
    assert result.paragraphs[1] == "2018"
    assert "..." in result.paragraphs[2]
    assert result.unresolved == 0
    assert [s.sentence for s in result.sentences] == [1, 1, 1]


def test_a_span_that_cannot_be_kept_is_reported_like_an_unresolved_term(runner, echo_engine, tmp_path):
    """English tidying collapses a doubled function word ("the the"), even inside a Latin
    span: the span cannot be kept, and the user is told, as for a glossary term."""
    from tarjama.cli import app

    src = tmp_path / "a.ar.txt"
    src.write_text("كتب the the في مقاله.\n", encoding="utf-8")
    out = runner.invoke(app, ["translate", str(src), "--engine", "echo", "--no-glossary", "--format", "json"])
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    assert [(g["text"], g["kind"], g["status"]) for g in data[0]["glossary"]] == [("the the", "latin", "unresolved")]
    assert "unresolved: paragraph 1: the the → the the" in out.stderr
