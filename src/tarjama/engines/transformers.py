"""MarianMT (OPUS-MT) and other seq2seq models through Hugging Face transformers."""

from __future__ import annotations

import math
from typing import Sequence

from .base import Engine, Progress, unique_work
from .options import BATCH_TOKENS

# Output budget per sentence: proportional to the input, so that the repetition loops
# OPUS-MT is known for stop early instead of running to the 512-token limit.
LENGTH_RATIO = 2.0
LENGTH_MARGIN = 10


def output_budget(input_tokens: int, hard_limit: int) -> int:
    """Decoding steps allowed for a sentence of ``input_tokens`` (its last one is </s>)."""
    return min(hard_limit, math.ceil(LENGTH_RATIO * input_tokens) + LENGTH_MARGIN)


def spelled_forms(phrases: Sequence[str]) -> list[str]:
    """Forbidden renderings as they may appear: as written, and capitalised at a sentence start."""
    return sorted({f for a in phrases for f in (a, a[:1].upper() + a[1:])})


def resolve_device(device: str) -> str:
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        from ..errors import TarjamaError

        raise TarjamaError(f"device {device!r} requested but CUDA is not available")
    return device


def length_sorted_batches(
    lengths: Sequence[int], max_sentences: int, max_tokens: int
) -> list[list[int]]:
    """Indices grouped into batches of similar length, longest first.

    A batch holds at most ``max_sentences`` sentences and its padded size
    (sentences x longest) stays within ``max_tokens``; a single longer sentence
    still gets a batch of its own.
    """
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        longest = lengths[current[0]] if current else lengths[i]
        if current and (len(current) >= max_sentences or longest * (len(current) + 1) > max_tokens):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


class TargetVocabulary:
    """The output layer cut down to the pieces of the target SentencePiece model.

    OPUS-MT models share one vocabulary between the Arabic and English sides, but an
    English translation only ever needs the English pieces: computing the other half of
    the 62k-wide output projection at every step is wasted (and an Arabic piece in the
    output would be a bug anyway). The decoder then works in the reduced id space; ids
    are mapped back to the full vocabulary before decoding to text.
    """

    def __init__(self, model, tokenizer):
        import torch

        config = model.config
        specials = {config.eos_token_id, config.pad_token_id, config.decoder_start_token_id}
        specials |= {tokenizer.unk_token_id}
        pieces = _target_pieces(tokenizer)
        keep = sorted({tokenizer.encoder[p] for p in pieces if p in tokenizer.encoder} | {i for i in specials if i is not None})
        self.full = torch.tensor(keep)
        self.reduced = {full: i for i, full in enumerate(keep)}
        self.size = len(keep)
        #: Full ids to the model's own ids on the encoder side, where the shared embedding
        #: was reordered (None: unchanged).
        self.encoder_ids = None

    @classmethod
    def apply(cls, model, tokenizer) -> "TargetVocabulary | None":
        """Restrict ``model`` in place; None when it has no separate target vocabulary."""
        import torch
        from torch import nn

        if getattr(model.config, "model_type", "") != "marian" or not _target_pieces(tokenizer):
            return None
        vocab = cls(model, tokenizer)
        full_size = model.lm_head.weight.shape[0]
        if vocab.size > 0.9 * full_size:
            return None
        index = vocab.full.to(model.lm_head.weight.device)
        decoder = model.get_decoder()
        encoder_embed = model.get_encoder().embed_tokens
        tied = model.lm_head.weight.data_ptr() == decoder.embed_tokens.weight.data_ptr()
        with torch.no_grad():
            if tied and encoder_embed.weight.data_ptr() == decoder.embed_tokens.weight.data_ptr():
                # One matrix serves the encoder, the decoder and the output layer (Marian's
                # shared vocabulary). Its rows are reordered in place, target pieces first:
                # the decoder and the output layer then use the first rows as they are, with
                # no copy (64 MB for OPUS-MT), and source ids are mapped into the new order.
                # The weights may be a private memory map of the model file: writing to them
                # copies the pages, never the file (a test checks the file is unchanged).
                order = torch.cat([vocab.full, _others(vocab.full, full_size)]).to(index.device)
                weight = encoder_embed.weight.data
                weight.copy_(weight.index_select(0, order))
                vocab.encoder_ids = torch.empty(full_size, dtype=torch.long)
                vocab.encoder_ids[order.cpu()] = torch.arange(full_size)
                rows = weight[: vocab.size]
            else:
                rows = decoder.embed_tokens.weight.index_select(0, index)
            embed = nn.Embedding(
                vocab.size, model.config.d_model, vocab.reduced[model.config.pad_token_id], _weight=rows, _freeze=True
            )
            head = nn.Linear(model.config.d_model, vocab.size, bias=False, device="meta")
            head.weight = embed.weight if tied else nn.Parameter(model.lm_head.weight.index_select(0, index), requires_grad=False)
            bias = model.final_logits_bias.index_select(1, index).clone()
        decoder.embed_tokens = embed
        model.lm_head = head
        model.final_logits_bias = bias
        model._tied_weights_keys = None  # never tie the reduced layers back to the full ones
        g = model.generation_config
        for name in ("decoder_start_token_id", "pad_token_id", "eos_token_id", "forced_eos_token_id"):
            value = getattr(g, name, None)
            if isinstance(value, int):
                setattr(g, name, vocab.reduced[value])
        g.bad_words_ids = [[vocab.reduced[model.config.pad_token_id]]]
        model.config.decoder_vocab_size = vocab.size
        return vocab

    def to_reduced(self, sequences: list[list[int]]) -> list[list[int]]:
        """Banned sequences in the reduced space (those with non-target ids cannot occur)."""
        return [[self.reduced[t] for t in seq] for seq in sequences if all(t in self.reduced for t in seq)]

    def to_full(self, output):
        return self.full.to(output.device)[output]

    def to_encoder(self, input_ids):
        """Source ids as the model's reordered embedding expects them."""
        return input_ids if self.encoder_ids is None else self.encoder_ids.to(input_ids.device)[input_ids]


def _others(keep, size: int):
    """The ids of a ``size``-entry vocabulary that are not in ``keep``, in order."""
    import torch

    mask = torch.ones(size, dtype=torch.bool)
    mask[keep] = False
    return torch.arange(size)[mask]


def _target_pieces(tokenizer) -> list[str]:
    spm = getattr(tokenizer, "spm_target", None)
    if spm is None or getattr(tokenizer, "separate_vocabs", False):
        return []
    return [spm.id_to_piece(i) for i in range(spm.get_piece_size())]


class RowBans:
    """Bans token sequences per sentence (``NoBadWordsLogitsProcessor`` bans them for the
    whole batch, which would make one sentence's output depend on its batch-mates).

    Rows of the decoder input are ``sentence * beams + beam``. A sequence's last token is
    banned when the tokens before it have just been generated.
    """

    def __init__(self, banned: list[list[list[int]]], beams: int):
        self.banned = banned
        self.beams = beams

    def __call__(self, input_ids, scores):
        for row in range(input_ids.shape[0]):
            sequences = self.banned[row // self.beams]
            if not sequences:
                continue
            history = input_ids[row].tolist()
            for seq in sequences:
                prefix = seq[:-1]
                if not prefix or history[len(history) - len(prefix):] == prefix:
                    scores[row, seq[-1]] = float("-inf")
        return scores


class RowBudgets:
    """Ends each sentence at its own budget: at its last step, </s> is the only choice for
    its beams. ``generate`` decodes a batch as long as its longest budget; without this, a
    sentence's beams could grow past its own budget and the search pick, among longer
    hypotheses, one that its batch-mates' budgets made possible, so that its translation
    would depend on the batch it happened to be in."""

    def __init__(self, budgets: list[int], beams: int, eos: int):
        import torch

        self.rows = torch.tensor(budgets).repeat_interleave(beams)  # rows are sentence * beams + beam
        self.eos = eos

    def __call__(self, input_ids, scores):
        step = input_ids.shape[1]  # the start token and the tokens generated so far
        done = self.rows.to(scores.device) <= step
        if done.any():
            scores[done] = float("-inf")
            scores[done, self.eos] = 0.0
        return scores


class TransformersEngine(Engine):
    name = "transformers"

    def __init__(
        self,
        model: str,
        *,
        device: str = "auto",
        beams: int = 4,
        batch_size: int = 32,
        batch_tokens: int = BATCH_TOKENS,
        threads: int | None = None,
        max_input_tokens: int = 256,
        restrict_vocab: bool = True,
        compute_type: str = "float32",
    ):
        import torch

        from ..models import load_model

        if compute_type != "float32":
            from ..errors import TarjamaError

            # torch's dynamic quantization (torch.ao.quantization.quantize_dynamic) is
            # deprecated; CTranslate2 is the int8 path, and a faster one.
            raise TarjamaError(
                f"the transformers engine computes in float32 only, not {compute_type!r};"
                ' for int8 use --engine ctranslate2 (pip install -e ".[fast]" in a clone)'
            )
        if threads:
            torch.set_num_threads(threads)
        self.model_name = model
        self.device = resolve_device(device)
        self.tokenizer, self.model = load_model(model)
        self.vocab = TargetVocabulary.apply(self.model, self.tokenizer) if restrict_vocab else None
        self.model.to(self.device)
        self.beams = beams
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        model_limit = getattr(self.tokenizer, "model_max_length", 512) or 512
        self.hard_limit = min(model_limit, getattr(self.model.config, "max_position_embeddings", 512))
        self.max_input_tokens = min(max_input_tokens, self.hard_limit - 2)

    def describe(self) -> dict:
        return {
            "engine": self.name,
            "model": self.model_name,
            "device": self.device,
            "beams": self.beams,
            "target_vocabulary": self.vocab.size if self.vocab else None,
            "compute_type": "float32",
        }

    def output_budget(self, input_tokens: int) -> int:
        return output_budget(input_tokens, self.hard_limit)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        return [len(ids) for ids in self.tokenizer(list(texts))["input_ids"]]

    def _banned_sequences(self, phrases: Sequence[str]) -> list[list[int]]:
        """Token sequences of forbidden renderings as the decoder would spell them."""
        forms = spelled_forms(phrases)
        if not forms:
            return []
        ids = self.tokenizer(text_target=forms, add_special_tokens=False)["input_ids"]
        return [list(x) for x in ids if x]

    def _generate(self, encoded, budgets: list[int], batch_bans: list):
        """transformers' own ``generate`` on one batch, each sentence ended at its own budget."""
        from transformers import LogitsProcessorList

        processors = LogitsProcessorList()
        if any(batch_bans):
            processors.append(RowBans(batch_bans, self.beams))
        eos = self.model.generation_config.eos_token_id
        eos = eos[0] if isinstance(eos, list) else eos
        if eos is not None:
            processors.append(RowBudgets(budgets, self.beams, eos))
        return self.model.generate(
            **encoded,
            num_beams=self.beams,
            max_new_tokens=max(budgets),
            logits_processor=processors,
        )

    def translate(
        self,
        texts: Sequence[str],
        *,
        avoid: Sequence[Sequence[str]] | None = None,
        progress: Progress | None = None,
    ) -> list[str]:
        import torch

        if not texts:
            return []
        texts, avoid, index, weight = unique_work(texts, avoid)  # a repeated sentence is decoded once
        lengths = self.count_tokens(texts)
        banned = [self._banned_sequences(a) for a in avoid]
        if self.vocab is not None:
            banned = [self.vocab.to_reduced(b) for b in banned]
        results: list[str] = [""] * len(texts)
        for batch in length_sorted_batches(lengths, self.batch_size, self.batch_tokens):
            encoded = self.tokenizer(
                [texts[i] for i in batch],
                return_tensors="pt",
                padding=True,
                truncation=True,  # never reached: the pipeline splits long sentences first
                max_length=self.hard_limit,
            ).to(self.device)
            if self.vocab is not None:
                encoded["input_ids"] = self.vocab.to_encoder(encoded["input_ids"])
            budgets = [self.output_budget(lengths[i]) for i in batch]
            batch_bans = [banned[i] for i in batch]
            with torch.inference_mode():
                output = self._generate(encoded, budgets, batch_bans).tolist()
            if self.vocab is not None:
                output = [self.vocab.to_full(torch.tensor(row)).tolist() for row in output]
            # Each sentence keeps to its own budget (row[0] is the start token; the budget's
            # last step is reserved for </s>).
            rows = [row[1:budget] for row, budget in zip(output, budgets)]
            decoded = self.tokenizer.batch_decode(rows, skip_special_tokens=True)
            for i, text in zip(batch, decoded):
                results[i] = text.strip()
            if progress:
                progress(sum(weight[i] for i in batch))
        return [results[j] for j in index]
