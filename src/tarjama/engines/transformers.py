"""MarianMT (OPUS-MT) and other seq2seq models through Hugging Face transformers."""

from __future__ import annotations

import math
from typing import Sequence

from .base import Engine, Progress

# Output budget per sentence: proportional to the input, so that the repetition loops
# OPUS-MT is known for stop early instead of running to the 512-token limit.
LENGTH_RATIO = 2.0
LENGTH_MARGIN = 10


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


class TransformersEngine(Engine):
    name = "transformers"

    def __init__(
        self,
        model: str,
        *,
        device: str = "auto",
        beams: int = 4,
        batch_size: int = 32,
        batch_tokens: int = 4096,
        threads: int | None = None,
        max_input_tokens: int = 256,
    ):
        import torch

        from ..models import load_model

        if threads:
            torch.set_num_threads(threads)
        self.model_name = model
        self.device = resolve_device(device)
        self.tokenizer, self.model = load_model(model)
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
        }

    def output_budget(self, input_tokens: int) -> int:
        return min(self.hard_limit, math.ceil(LENGTH_RATIO * input_tokens) + LENGTH_MARGIN)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        return [len(ids) for ids in self.tokenizer(list(texts))["input_ids"]]

    def _banned_sequences(self, phrases: Sequence[str]) -> list[list[int]]:
        """Token sequences of forbidden renderings as the decoder would spell them."""
        forms = sorted({f for a in phrases for f in (a, a[:1].upper() + a[1:])})
        if not forms:
            return []
        ids = self.tokenizer(text_target=forms, add_special_tokens=False)["input_ids"]
        return [list(x) for x in ids if x]

    def translate(
        self,
        texts: Sequence[str],
        *,
        avoid: Sequence[Sequence[str]] | None = None,
        progress: Progress | None = None,
    ) -> list[str]:
        import torch
        from transformers import LogitsProcessorList

        if not texts:
            return []
        lengths = self.count_tokens(texts)
        banned = [self._banned_sequences(a) for a in avoid] if avoid else [[] for _ in texts]
        results: list[str] = [""] * len(texts)
        for batch in length_sorted_batches(lengths, self.batch_size, self.batch_tokens):
            encoded = self.tokenizer(
                [texts[i] for i in batch],
                return_tensors="pt",
                padding=True,
                truncation=True,  # never reached: the pipeline splits long sentences first
                max_length=self.hard_limit,
            ).to(self.device)
            budgets = [self.output_budget(lengths[i]) for i in batch]
            max_new = max(budgets)
            processors = LogitsProcessorList()
            if any(banned[i] for i in batch):
                processors.append(RowBans([banned[i] for i in batch], self.beams))
            with torch.inference_mode():
                output = self.model.generate(
                    **encoded,
                    num_beams=self.beams,
                    max_new_tokens=max_new,
                    logits_processor=processors,
                )
            # Each sentence keeps to its own budget, whatever the longest in its batch got
            # (row[0] is the start token; the budget's last step is reserved for </s>).
            rows = [row[1:budget] for row, budget in zip(output.tolist(), budgets)]
            decoded = self.tokenizer.batch_decode(rows, skip_special_tokens=True)
            for i, text in zip(batch, decoded):
                results[i] = text.strip()
            if progress:
                progress(len(batch))
        return results
