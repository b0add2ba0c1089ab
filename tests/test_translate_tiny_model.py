"""The real transformers path, on a tiny random Marian model built by the tests."""

import re

import pytest

from tarjama import Translator
from tarjama.engines.transformers import length_sorted_batches


@pytest.fixture(scope="module")
def translator(tiny_model):
    return Translator(str(tiny_model), beams=2)


def test_seed_article_keeps_paragraphs_and_terms(translator, article):
    result = translator.translate_document(article)
    assert len(result.paragraphs) == len(article.splitlines()) == 14
    assert all(p.strip() for p in result.paragraphs)
    assert result.unresolved == 0 and result.applied > 40
    for sentence in result.sentences:
        for term in sentence.terms:
            assert term.target in sentence.translation


def test_empty_and_blank_input_never_reach_the_model(tiny_model):
    t = Translator(str(tiny_model))
    assert t.translate("") == ""
    assert t.translate("  \n\t\n").strip() == ""
    assert t._engine is None  # the model was not even loaded


def test_non_arabic_segments_are_copied(translator):
    text = "https://example.com/x?y=1\n2024\nBREAKING: Reuters report. قالت قسد."
    result = translator.translate_document(text)
    assert result.paragraphs[0] == "https://example.com/x?y=1"
    assert result.paragraphs[1] == "2024"
    assert result.paragraphs[2].startswith("BREAKING: Reuters report.")
    assert [s.method for s in result.sentences] == ["copied", "copied", "copied", "translated"]


def test_very_long_sentence_is_split_not_truncated(tiny_model, article):
    t = Translator(str(tiny_model), beams=1, max_sentence_tokens=40)
    engine = t.engine
    long_sentence = "، ".join(article.splitlines()[11].rstrip(".").split("، ") * 3) + "."
    assert engine.count_tokens([long_sentence])[0] > 500  # beyond the model's 512 limit
    calls = []
    real = engine.translate
    engine.translate = lambda texts, **kw: calls.append(list(texts)) or real(texts, **kw)
    result = t.translate_document(long_sentence)
    sent = [text for call in calls for text in call]
    assert max(engine.count_tokens(sent)) <= 40
    # Every Arabic word went to the model in some piece (glossary terms as their targets).
    arabic = re.compile(r"[\u0621-\u064A]+")
    term_words = {w for m in t.matcher.find(long_sentence) for w in arabic.findall(long_sentence[m.clitic_start : m.end])}
    missing = set(arabic.findall(long_sentence)) - set(arabic.findall(" ".join(sent)))
    assert missing <= term_words
    assert len(result.paragraphs) == 1 and result.paragraphs[0]


def test_length_policy_bounds_the_output(translator):
    # A random model never says </s>: output is bounded by the proportional budget.
    engine = translator.engine
    [out] = engine.translate(["قالت المصادر"])
    n_in = engine.count_tokens(["قالت المصادر"])[0]
    n_out = len(engine.tokenizer(text_target=out)["input_ids"])
    assert n_out <= 2 * n_in + 10 + 5


def test_length_sorted_batches():
    lengths = [5, 50, 7, 48, 6, 49]
    batches = length_sorted_batches(lengths, max_sentences=2, max_tokens=1000)
    assert batches == [[1, 5], [3, 2], [4, 0]]
    batches = length_sorted_batches(lengths, max_sentences=10, max_tokens=100)
    assert all(max(lengths[i] for i in b) * len(b) <= 100 for b in batches)
    assert sorted(i for b in batches for i in b) == list(range(6))


def test_results_come_back_in_input_order(tiny_model):
    translator = Translator(str(tiny_model), beams=1)
    texts = ["قالت المصادر إن القوات وصلت إلى المنطقة اليوم", "نعم", "قالت المصادر"]
    together = translator.engine.translate(texts)
    alone = [translator.engine.translate([t])[0] for t in texts]
    assert together == alone


def test_row_bans_ban_per_sentence():
    import torch

    from tarjama.engines.transformers import RowBans

    bans = RowBans([[[7], [3, 5]], []], beams=2)  # sentence 0: token 7, and 5 after 3
    input_ids = torch.tensor([[0, 3], [0, 4], [0, 3], [0, 3]])  # rows: s0b0, s0b1, s1b0, s1b1
    scores = bans(input_ids, torch.zeros(4, 10))
    assert scores[0, 7] == scores[1, 7] == float("-inf")
    assert scores[0, 5] == float("-inf") and scores[1, 5] == 0  # only after 3
    assert torch.all(scores[2:] == 0)  # sentence 1 bans nothing


def test_bans_change_only_their_own_sentence(tiny_model):
    engine = Translator(str(tiny_model), beams=2).engine
    text, other = "قالت المصادر إن القوات وصلت", "وقال التنظيم في بيان"
    free = engine.translate([text])[0]
    # A word of the output that is a single token of its own: banning it must show.
    tok = engine.tokenizer
    words = [w for w in free.split() if len(tok(text_target=[w], add_special_tokens=False)["input_ids"][0]) == 1]
    [with_ban, neighbour] = engine.translate([text, other], avoid=[[words[0]], []])
    assert with_ban != free
    assert neighbour == engine.translate([other])[0]


def test_plural_and_dual_arabic_get_the_plural_english(tiny_model, tmp_path):
    glossary = tmp_path / "military.tsv"
    glossary.write_text(
        "source\ttarget\tvariants\tplural\n"
        "عبوة ناسفة\tIED\t\t\n"
        "طائرة مسيرة\tdrone\tطائرة بدون طيار\t\n"
        "صاروخ\tmissile\t\tmissiles\n",
        encoding="utf-8",
    )
    t = Translator(str(tiny_model), glossary=[str(glossary)], beams=1)
    text = "انفجرت عبوات ناسفة قرب الحسكة، وأسقطت طائرتين مسيرتين وطائرة بدون طيار.\nوفككت العبوة الناسفة."
    result = t.translate_document(text)
    assert [(term.text, term.target) for term in result.terms] == [
        ("عبوات ناسفة", "IEDs"),
        ("طائرتين مسيرتين", "drones"),
        ("طائرة بدون طيار", "drone"),
        ("العبوة الناسفة", "IED"),
    ]
    assert result.unresolved == 0
    first, second = result.paragraphs
    assert "IEDs" in first and "drones" in first and re.search(r"\bdrone\b", first)
    assert re.search(r"\bIED\b", second) and "IEDs" not in second
