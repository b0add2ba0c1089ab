"""Beam search in which each sentence stops at its own budget and leaves the batch when done.

``generate`` decodes a batch until its last sentence is finished: every sentence pays for
the steps of the longest, and a finished one keeps being computed, as padding, to the end.
On a CPU under load (a server batching many requests, a folder of articles) that is a large
share of the work: sentences of 20 and of 150 tokens share batches. Here the search is the
same as transformers' (the same candidates, scores, length penalty and stopping rules, per
sentence), but a sentence's rows leave the batch, and its cache, as soon as its result can
no longer change, and each sentence's length limit is its own. So a sentence's translation
no longer depends on the budget of its batch-mates either.

Only what OPUS-MT's generation settings use is implemented; :func:`supports` says when a
model's settings are covered, and the engine falls back to ``generate`` otherwise.
"""

from __future__ import annotations

from typing import Callable, Sequence

from .memory import front_rows

# Generation settings this search implements; any other setting that is not at its default
# (a repetition penalty, n-gram blocking, sampling …) sends the engine back to ``generate``.
_HANDLED = {
    "max_length", "max_new_tokens", "num_beams", "bad_words_ids", "decoder_start_token_id",
    "eos_token_id", "forced_eos_token_id", "pad_token_id", "bos_token_id", "use_cache",
    "early_stopping", "length_penalty", "transformers_version", "_from_model_config",
}
_NEUTRAL = {
    "do_sample": (False,), "num_return_sequences": (1,), "min_length": (0,), "min_new_tokens": (0,),
    "repetition_penalty": (1.0,), "no_repeat_ngram_size": (0,), "encoder_no_repeat_ngram_size": (0,),
    "num_beam_groups": (1,), "diversity_penalty": (0.0,), "renormalize_logits": (False,),
    "output_attentions": (False,), "output_hidden_states": (False,), "output_scores": (False,),
    "output_logits": (False,), "return_dict_in_generate": (False,), "remove_invalid_values": (False,),
    # Sampling settings are inert without sampling.
    "temperature": None, "top_k": None, "top_p": None, "typical_p": None, "min_p": None,
}


def supports(model, generation_config) -> bool:
    """True when ``model`` is an encoder-decoder with a plain output layer and its
    generation settings are ones this search reproduces exactly."""
    if not all(hasattr(model, a) for a in ("get_encoder", "get_decoder", "lm_head", "final_logits_bias")):
        return False
    for key, value in generation_config.to_diff_dict().items():
        if key in _HANDLED or value is None:
            continue
        if key not in _NEUTRAL or (_NEUTRAL[key] is not None and value not in _NEUTRAL[key]):
            return False
    bad = generation_config.bad_words_ids or []
    eos = generation_config.eos_token_id
    forced = generation_config.forced_eos_token_id
    return (
        all(len(seq) == 1 for seq in bad)
        and isinstance(eos, int)
        and forced in (None, eos)
        and generation_config.early_stopping in (None, False, True, "never")
    )


def beam_search(
    model,
    input_ids,
    attention_mask,
    budgets: Sequence[int],
    *,
    beams: int,
    generation_config,
    cache_factory: Callable[[int], object],
    row_bans: Callable[[list[int]], object] | None = None,
) -> list[list[int]]:
    """Token ids for each sentence of the batch: the start token, then at most
    ``budgets[i]`` generated tokens, exactly what ``generate(num_beams=beams,
    max_new_tokens=budgets[i])`` returns for that sentence alone (up to its </s>).

    ``row_bans(items)``, when given, returns a logits processor for the rows of those
    sentences (original indices, in batch order), called whenever the batch changes."""
    import torch

    g = generation_config
    eos = g.eos_token_id
    forced_eos = g.forced_eos_token_id is not None
    banned_ids = [seq[0] for seq in (g.bad_words_ids or [])]
    length_penalty = 1.0 if g.length_penalty is None else g.length_penalty
    early_stopping = False if g.early_stopping is None else g.early_stopping
    device = input_ids.device
    n, k = len(budgets), beams
    width = 2 * k  # candidates kept per sentence, so that k remain when k of them end

    encoder_states = model.get_encoder()(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
    encoder_states = encoder_states.repeat_interleave(k, dim=0)
    encoder_mask = attention_mask.repeat_interleave(k, dim=0)
    decoder = model.get_decoder()

    # Per sentence: its length limit (start token + budget), like generate's max_length.
    limits = torch.tensor([1 + b for b in budgets], device=device)
    longest = int(limits.max())
    start = g.decoder_start_token_id
    fill = g.pad_token_id if g.pad_token_id is not None else eos
    running = torch.full((n, k, longest), fill, dtype=torch.long, device=device)
    running[:, :, 0] = start
    finished = running.clone()
    running_scores = torch.zeros((n, k), device=device)
    running_scores[:, 1:] = -1e9  # only the first beam's candidates count at the first step
    finished_scores = torch.full((n, k), -1e9, device=device)
    finished_flags = torch.zeros((n, k), dtype=torch.bool, device=device)
    improvable = torch.ones((n, 1), dtype=torch.bool, device=device)
    top_k_mask = torch.cat([torch.ones(k, dtype=torch.bool), torch.zeros(width - k, dtype=torch.bool)]).to(device)

    items = list(range(n))  # the sentences still in the batch, by original index
    results: list[list[int] | None] = [None] * n
    cache = cache_factory(longest)
    bans = row_bans(items) if row_bans else None
    tokens = running[:, :, 0].reshape(-1)
    step = 1  # tokens so far, the start token included (generate's cur_len)
    while items:
        a = len(items)
        hidden = decoder(
            input_ids=tokens[:, None],
            encoder_hidden_states=encoder_states,
            encoder_attention_mask=encoder_mask,
            cache=cache,
            use_cache=True,
        ).last_hidden_state
        logits = (model.lm_head(hidden[:, -1]) + model.final_logits_bias).float()
        scores = torch.nn.functional.log_softmax(logits, dim=-1)
        vocab = scores.shape[-1]
        if banned_ids:
            scores[:, banned_ids] = float("-inf")
        if forced_eos:  # the last token a sentence may have is </s>
            last = (limits == step + 1).repeat_interleave(k)
            if bool(last.any()):
                scores[last] = float("-inf")
                scores[last, eos] = 0.0
        if bans is not None:
            scores = bans(running[:, :, :step].reshape(a * k, step), scores)

        # The best 2k continuations of each sentence, over all its beams.
        totals = (scores.view(a, k, vocab) + running_scores[:, :, None]).view(a, -1)
        top_scores, top_index = torch.topk(totals, k=width)
        source_beam = top_index // vocab
        candidates = torch.take_along_dim(running, source_beam[:, :, None], dim=1)
        candidates[:, :, step] = top_index % vocab
        ends = (candidates[:, :, step] == eos) | (step + 1 >= limits)[:, None]

        # The k best that go on.
        going = top_scores + ends.float() * -1e9
        keep = torch.topk(going, k=k)[1]
        running = torch.take_along_dim(candidates, keep[:, :, None], dim=1)
        running_scores = torch.take_along_dim(going, keep, dim=1)
        parents = torch.take_along_dim(source_beam, keep, dim=1)

        # Ended candidates among the top k join the finished ones if they score better.
        just_ended = ends & top_k_mask[None, :]
        ended_scores = top_scores / ((step + 1 - 1) ** length_penalty)
        full = finished_flags.all(dim=-1, keepdim=True) & (early_stopping is True)
        ended_scores = ended_scores + full.float() * -1e9 + (~improvable).float() * -1e9 + (~just_ended).float() * -1e9
        merged_scores = torch.cat([finished_scores, ended_scores], dim=1)
        best = torch.topk(merged_scores, k=k)[1]
        finished = torch.take_along_dim(torch.cat([finished, candidates], dim=1), best[:, :, None], dim=1)
        finished_scores = torch.take_along_dim(merged_scores, best, dim=1)
        finished_flags = torch.take_along_dim(torch.cat([finished_flags, just_ended], dim=1), best, dim=1)

        step += 1
        # Can a running beam still beat the worst finished one? (generate's heuristic)
        if early_stopping == "never" and length_penalty > 0.0:
            reach = (limits - 1).float()[:, None]
        else:
            reach = torch.full((a, 1), float(step - 1), device=device)
        best_running = running_scores[:, :1] / (reach**length_penalty)
        worst_finished = torch.where(finished_flags, finished_scores.min(dim=1, keepdim=True)[0], -1e9)
        improvable = improvable & (best_running > worst_finished).any(dim=-1, keepdim=True)

        # A sentence is done when nothing can change its result any more.
        done = ~improvable[:, 0] | ends.all(dim=-1)
        if early_stopping is True:
            done |= finished_flags.all(dim=-1)
        beam_rows = (torch.arange(a, device=device)[:, None] * k + parents).reshape(-1)
        cache.reorder_cache(beam_rows)
        tokens = running[:, :, step - 1].reshape(-1)
        if bool(done.any()):
            for i in done.nonzero().flatten().tolist():
                row = finished[i, 0, : int(limits[i])].tolist()
                if eos in row[1:]:  # what follows </s> is filler
                    row = row[: row.index(eos, 1) + 1]
                results[items[i]] = row
            stay = (~done).nonzero().flatten()
            items = [items[i] for i in stay.tolist()]
            if not items:
                break
            rows = (stay[:, None] * k + torch.arange(k, device=device)[None, :]).reshape(-1)
            cache.keep_rows(rows)
            encoder_states = front_rows(encoder_states, rows)
            encoder_mask = encoder_mask[rows]
            tokens = tokens[rows]
            running, running_scores, parents = running[stay], running_scores[stay], parents[stay]
            finished, finished_scores, finished_flags = finished[stay], finished_scores[stay], finished_flags[stay]
            improvable, limits = improvable[stay], limits[stay]
            bans = row_bans(items) if row_bans else None
    return [r if r is not None else [start] for r in results]
