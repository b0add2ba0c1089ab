"""The transformers engine decodes with transformers' stock ``generate`` on length-sorted
batches, each sentence ended at its own budget: a sentence's translation depends on it and
its forbidden renderings only, never on its batch-mates."""

from pathlib import Path

import pytest
import torch

from tarjama.engines.transformers import RowBudgets, TransformersEngine
from tarjama.text.segment import split_sentences

ROOT = Path(__file__).resolve().parent.parent
# Sentences of different lengths, so that budgets differ within a batch: the seed article's
# and real news excerpts (ANT corpus, see tests/data/README.md).
SEED = [s for line in (ROOT / "seeds" / "hasakah-prison.ar.txt").read_text(encoding="utf-8").splitlines() for s in split_sentences(line)]
NEWS = [p.read_text(encoding="utf-8").strip() for p in sorted((ROOT / "tests" / "data" / "ant-excerpts").glob("*.txt"))]
SENTENCES = SEED[:6] + NEWS[:6]


@pytest.fixture(scope="module")
def engine(tiny_model):
    return TransformersEngine(str(tiny_model), beams=4)


def test_the_engine_translates_the_same_in_any_batch(engine):
    lengths = engine.count_tokens(SENTENCES)
    assert len({engine.output_budget(n) for n in lengths}) > 3  # budgets differ within the batch
    alone = [engine.translate([s])[0] for s in SENTENCES]
    assert engine.translate(SENTENCES) == alone
    assert engine.translate(list(reversed(SENTENCES))) == list(reversed(alone))


def test_banned_renderings_apply_to_their_sentence_only(engine):
    free = engine.translate(SENTENCES[:4])
    tok = engine.tokenizer
    words = [w for w in free[0].split() if len(tok(text_target=[w], add_special_tokens=False)["input_ids"][0]) == 1]
    avoid = [[words[0]], [], [], []]
    banned = engine.translate(SENTENCES[:4], avoid=avoid)
    assert banned[0] != free[0] and banned[1:] == free[1:]
    assert banned[0] == engine.translate(SENTENCES[:1], avoid=avoid[:1])[0]


def test_each_sentence_keeps_to_its_budget(engine, monkeypatch):
    short, other = SENTENCES[0], SENTENCES[6]
    n_short = engine.count_tokens([short])[0]
    assert engine.count_tokens([other])[0] != n_short
    monkeypatch.setattr(engine, "output_budget", lambda n: 6 if n == n_short else 40)
    outputs = []
    real = engine.model.generate
    monkeypatch.setattr(engine.model, "generate", lambda **kw: outputs.append(real(**kw)) or outputs[-1])
    engine.translate([short, other])
    eos = engine.model.generation_config.eos_token_id
    ends = [row.index(eos, 1) if eos in row[1:] else len(row) for row in outputs[0].tolist()]
    assert min(ends) <= 6  # the short one ended at its budget, whatever its batch-mate's


def test_row_budgets_force_the_end_at_each_rows_own_step():
    budgets = RowBudgets([3, 5], beams=2, eos=0)
    scores = torch.zeros(4, 6)
    out = budgets(torch.zeros(4, 3, dtype=torch.long), scores.clone())  # step 3: the first sentence is due
    assert out[0].tolist() == out[1].tolist() == [0.0] + [float("-inf")] * 5
    assert out[2].tolist() == out[3].tolist() == [0.0] * 6


def test_greedy_decoding(tiny_model):
    engine = TransformersEngine(str(tiny_model), beams=1)
    assert all(engine.translate(SENTENCES[:2]))
    assert engine.translate(SENTENCES[:3]) == [engine.translate([s])[0] for s in SENTENCES[:3]]
