"""The beam search in which finished sentences leave the batch: the same results as
transformers' ``generate`` for each sentence alone, whatever its batch-mates, for less work."""

from pathlib import Path

import pytest
import torch

from tarjama.engines.beam_search import beam_search, supports
from tarjama.engines.memory import beam_cache
from tarjama.engines.transformers import RowBans, TransformersEngine
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


def encode(engine, texts):
    return engine.tokenizer(list(texts), return_tensors="pt", padding=True)


def ours(engine, texts, budgets, bans=None, processor=None):
    encoded = encode(engine, texts)
    row_bans = (lambda items: RowBans([bans[i] for i in items], engine.beams)) if bans else None
    if processor is not None:
        row_bans = lambda items: processor  # noqa: E731
    with torch.inference_mode():
        rows = beam_search(
            engine.model, encoded["input_ids"], encoded["attention_mask"], budgets,
            beams=engine.beams, generation_config=engine.model.generation_config,
            cache_factory=beam_cache, row_bans=row_bans,
        )
    return [row[1:b] for row, b in zip(rows, budgets)]


def theirs(engine, text, budget, bans=None, processor=None):
    """generate for one sentence alone, with max_new_tokens = its budget."""
    with torch.inference_mode():
        if processor is None:
            row = engine._generate(encode(engine, [text]), [budget], [bans or []]).tolist()[0]
        else:
            from transformers import LogitsProcessorList

            encoded = encode(engine, [text])
            row = engine.model.generate(
                **encoded, num_beams=engine.beams, max_new_tokens=budget,
                logits_processor=LogitsProcessorList([processor]), cache=beam_cache(budget + 1),
            ).tolist()[0]
    eos = engine.model.generation_config.eos_token_id
    if eos in row[1:]:  # generate fills the rest of the batch's length
        row = row[: row.index(eos, 1) + 1]
    return row[1:budget]


class EndSooner:
    """Makes </s> likelier with every step (the random model never ends by itself), so
    that hypotheses end before the budget and the stopping rules have work to do."""

    def __init__(self, eos: int):
        self.eos = eos

    def __call__(self, input_ids, scores):
        scores[:, self.eos] += 0.1 * (input_ids.shape[1] - 30) + 0.02 * (input_ids[:, -1] % 3).float()
        return scores


def budgets_of(engine, texts):
    return [engine.output_budget(n) for n in engine.count_tokens(texts)]


def test_same_tokens_as_generate_for_each_sentence(engine):
    assert engine.retiring
    budgets = budgets_of(engine, SENTENCES)
    assert len(set(budgets)) > 3
    expected = [theirs(engine, s, b) for s, b in zip(SENTENCES, budgets)]
    assert [ours(engine, [s], [b])[0] for s, b in zip(SENTENCES, budgets)] == expected
    # In one batch, each sentence still gets what it gets alone.
    assert ours(engine, SENTENCES, budgets) == expected


def test_same_tokens_with_banned_sequences(engine):
    budgets = budgets_of(engine, SENTENCES)
    plain = [theirs(engine, s, b) for s, b in zip(SENTENCES, budgets)]
    # Ban each sentence's own second and third tokens as a pair: its search must change course.
    bans = [[row[1:3]] if len(row) > 3 else [] for row in plain]
    expected = [theirs(engine, s, b, ban) for s, b, ban in zip(SENTENCES, budgets, bans)]
    assert expected != plain
    assert ours(engine, SENTENCES, budgets, bans) == expected


@pytest.mark.parametrize("early_stopping,length_penalty", [(True, 1.0), ("never", 1.0), (False, 0.5), (False, 2.0), ("never", -1.0)])
def test_stopping_rules_and_length_penalty_as_generate(engine, early_stopping, length_penalty):
    g = engine.model.generation_config
    saved = (g.early_stopping, g.length_penalty)
    g.early_stopping, g.length_penalty = early_stopping, length_penalty
    try:
        assert supports(engine.model, g)
        texts = SENTENCES[:8]
        budgets = budgets_of(engine, texts)
        assert ours(engine, texts, budgets) == [theirs(engine, s, b) for s, b in zip(texts, budgets)]
        # With hypotheses that end early, where the rules decide what is kept.
        nudge = EndSooner(g.eos_token_id)
        expected = [theirs(engine, s, b, processor=nudge) for s, b in zip(texts, budgets)]
        assert any(len(row) < b - 1 for row, b in zip(expected, budgets))
        assert ours(engine, texts, budgets, processor=nudge) == expected
    finally:
        g.early_stopping, g.length_penalty = saved


def test_finished_sentences_leave_the_batch(engine):
    rows_per_step = []
    hook = engine.model.get_decoder().register_forward_pre_hook(
        lambda module, args, kwargs: rows_per_step.append(kwargs["input_ids"].shape[0]), with_kwargs=True
    )
    try:
        budgets = budgets_of(engine, SENTENCES)
        ours(engine, SENTENCES, budgets)
    finally:
        hook.remove()
    beams = engine.beams
    assert rows_per_step[0] == beams * len(SENTENCES)
    assert rows_per_step[-1] < rows_per_step[0]  # the longest went on alone
    assert rows_per_step == sorted(rows_per_step, reverse=True)
    # Never more steps than the longest budget, never more work than the padded batch.
    assert len(rows_per_step) <= max(budgets)
    assert sum(rows_per_step) < beams * len(SENTENCES) * len(rows_per_step)


def test_the_engine_translates_the_same_in_any_batch(engine):
    alone = [engine.translate([s])[0] for s in SENTENCES]
    assert engine.translate(SENTENCES) == alone
    assert engine.translate(list(reversed(SENTENCES))) == list(reversed(alone))


def test_cache_rows_kept_in_place():
    cache = beam_cache(6)
    self_layer = cache.self_attention_cache.layer_class_to_replicate()
    keys = torch.arange(4.0)[:, None, None, None].expand(4, 2, 3, 5).contiguous()
    self_layer.update(keys, keys + 10)
    cache.self_attention_cache.layers.append(self_layer)
    buffer = self_layer.key_buffer
    cache.keep_rows(torch.tensor([1, 3]))
    assert self_layer.keys.shape[0] == 2 and self_layer.keys.data_ptr() == buffer.data_ptr()
    assert self_layer.keys[:, 0, 0, 0].tolist() == [1.0, 3.0]
    assert self_layer.values[:, 0, 0, 0].tolist() == [11.0, 13.0]
    self_layer.update(torch.full((2, 2, 1, 5), 7.0), torch.full((2, 2, 1, 5), 7.0))
    assert self_layer.get_seq_length() == 4 and self_layer.keys[:, 0, :, 0].tolist() == [[1, 1, 1, 7], [3, 3, 3, 7]]


@pytest.mark.parametrize(
    "setting",
    [{"repetition_penalty": 1.2}, {"no_repeat_ngram_size": 3}, {"do_sample": True}, {"bad_words_ids": [[5, 6]]}, {"min_length": 4}],
)
def test_settings_it_lacks_send_the_engine_back_to_generate(engine, setting):
    import copy

    g = copy.deepcopy(engine.model.generation_config)
    for key, value in setting.items():
        setattr(g, key, value)
    assert not supports(engine.model, g)


def test_greedy_uses_generate(tiny_model):
    engine = TransformersEngine(str(tiny_model), beams=1)
    assert not engine.retiring
    assert engine.translate(SENTENCES[:2])
