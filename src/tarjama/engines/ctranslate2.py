"""CTranslate2: the fastest CPU runtime for OPUS-MT, as an optional engine.

``pip install -e ".[fast]"`` in a clone of tarjama. The Hugging Face model is converted once and the result
cached (``$TARJAMA_CACHE_DIR/ct2/``); int8, int16 or float32 weights are chosen at load
time. As in the transformers engine, the output layer is restricted to the target side of
the vocabulary (a CTranslate2 vocabulary map with only always-allowed entries).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Sequence

from ..errors import TarjamaError
from .base import Engine, Progress, check_device, unique_work
from .options import BATCH_TOKENS
from .transformers import _target_pieces, length_sorted_batches, output_budget, spelled_forms

COMPUTE_TYPES = ("int8", "int16", "float32", "int8_float32", "default")


def cpu_workers(threads: int) -> tuple[int, int]:
    """``(workers, threads per worker)`` for ``threads`` CPU threads.

    CTranslate2 decodes batches in parallel on workers that share one copy of the weights
    (``inter_threads``). A batch of a few dozen sentences keeps one core busy better than it
    splits across two: on 2 cores, two workers of one thread decode a 20-sentence workload
    1.6-1.8x faster than one worker of two threads (docs/performance.md). Two workers at
    most: each holds its own decoding state, and memory stays under 1 GB."""
    workers = 2 if threads >= 2 else 1
    return workers, max(1, threads // workers)


def converted_folder(model: str, restrict_vocab: bool, compute_type: str = "int8") -> Path:
    """Convert ``model`` once per weight type; later calls return the cached conversion.

    Weights are stored in the type they are computed in (int8 by default): loading a
    float32 model to quantize it on the fly would cost its full size in memory first."""
    import ctranslate2
    from ctranslate2.converters import TransformersConverter

    from ..jobs.translation_memory import default_path
    from ..models import model_fingerprint, model_folder

    source = model_folder(model)
    quantization = {"int8": "int8", "int8_float32": "int8", "int16": "int16"}.get(compute_type)
    key = f"{model_fingerprint(str(source))}|{ctranslate2.__version__}|{restrict_vocab}|{quantization}"
    key = hashlib.sha256(key.encode()).hexdigest()[:20]
    target = default_path().parent / "ct2" / key
    if (target / "model.bin").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=target.parent))
    try:
        vmap = None
        if restrict_vocab:
            from ..models import load_tokenizer

            pieces = _target_pieces(load_tokenizer(str(source)))
            if pieces:
                vmap = work / "target-vocabulary.vmap"
                # An empty source n-gram: these target tokens are always candidates, and
                # they are the only ones (the English side of the shared vocabulary).
                vmap.write_text("\t" + " ".join(p for p in pieces if " " not in p and "\t" not in p) + "\n", encoding="utf-8")
        import sys

        from transformers.utils import logging as hf_logging

        # The converter loads the weights with transformers, which draws a "Loading weights"
        # bar; progress belongs on a terminal only.
        bar = sys.stderr.isatty()
        if not bar:
            hf_logging.disable_progress_bar()
        try:
            TransformersConverter(str(source)).convert(
                str(work / "model"), vmap=str(vmap) if vmap else None, quantization=quantization, force=True
            )
        finally:
            if not bar:
                hf_logging.enable_progress_bar()
        try:
            os.replace(work / "model", target)  # atomic: a killed conversion leaves no half model
        except OSError:
            if not (target / "model.bin").exists():
                raise
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)


class CTranslate2Engine(Engine):
    name = "ctranslate2"

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
        compute_type: str = "int8",
        restrict_vocab: bool = True,
    ):
        try:
            import ctranslate2
        except ImportError:
            raise TarjamaError('the ctranslate2 engine needs CTranslate2 (the "fast" extra): pip install -e ".[fast]" in a clone of tarjama, or pip install ctranslate2') from None
        from ..models import load_tokenizer

        if compute_type not in COMPUTE_TYPES:
            raise TarjamaError(f"unknown compute type {compute_type!r} (choose from {', '.join(COMPUTE_TYPES)})")
        check_device(device)
        cuda_devices = ctranslate2.get_cuda_device_count()
        if device == "auto":
            device = "cuda" if cuda_devices > 0 else "cpu"
        device, _, index = device.partition(":")  # CTranslate2 takes cuda:N as ("cuda", N)
        if device == "cuda" and int(index or 0) >= cuda_devices:
            raise TarjamaError(
                f"device {device + (':' + index if index else '')!r} requested but CTranslate2 sees"
                f" {cuda_devices} CUDA device{'s' if cuda_devices != 1 else ''}; use --device cpu"
            )
        self.model_name = model
        self.device = f"{device}:{index}" if index else device
        self.compute_type = compute_type
        self.tokenizer = load_tokenizer(model)
        folder = converted_folder(model, restrict_vocab, compute_type)
        self.use_vmap = (folder / "vmap.txt").exists()
        workers, per_worker = cpu_workers(threads or os.cpu_count() or 1) if device == "cpu" else (1, 0)
        self.workers = workers
        try:
            self.translator = ctranslate2.Translator(
                str(folder),
                device=device,
                device_index=int(index or 0),
                compute_type=compute_type,
                inter_threads=workers,
                intra_threads=per_worker,
            )
        except (RuntimeError, ValueError, OSError) as e:  # a damaged conversion in the cache
            from ..model_files import ct2_damaged

            raise ct2_damaged(folder, e) from None
        self.beams = beams
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        self.hard_limit = getattr(self.tokenizer, "model_max_length", 512) or 512
        self.max_input_tokens = min(max_input_tokens, self.hard_limit - 2)

    def describe(self) -> dict:
        return {
            "engine": self.name,
            "model": self.model_name,
            "device": self.device,
            "beams": self.beams,
            "compute_type": self.compute_type,
            "target_vocabulary": self.use_vmap,
        }

    def output_budget(self, input_tokens: int) -> int:
        return output_budget(input_tokens, self.hard_limit)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(ids) for ids in self.tokenizer(list(texts))["input_ids"]] if texts else []

    def translate(
        self,
        texts: Sequence[str],
        *,
        avoid: Sequence[Sequence[str]] | None = None,
        progress: Progress | None = None,
    ) -> list[str]:
        if not texts:
            return []
        texts, avoid, index, weight = unique_work(texts, avoid)  # a repeated sentence is decoded once
        ids = self.tokenizer(list(texts))["input_ids"]
        tokens = [self.tokenizer.convert_ids_to_tokens(x) for x in ids]
        lengths = [len(x) for x in ids]
        results: list[str] = [""] * len(texts)
        suppressed = {key: self._suppressed(key) for key in {tuple(sorted(a)) for a in avoid}}
        batches = length_sorted_batches(lengths, self.batch_size, self.batch_tokens)
        # Every batch is submitted at once, so that the workers decode them in parallel;
        # results are collected in order. CTranslate2 suppresses sequences for a whole call,
        # and sentences with different forbidden renderings in calls of their own would lose
        # the batching. So each batch is decoded without suppression; a sentence whose
        # translation does contain one of its forbidden renderings is decoded again, with
        # the sentences that forbid the same, suppressing them: a sentence pays for
        # suppression only when it needs it.
        pending = [(batch, self._submit(tokens, lengths, batch, None)) for batch in batches]
        again: dict[tuple, list[int]] = {}
        for batch, futures in pending:
            done = 0
            for i, target in zip(batch, self._collect(lengths, batch, futures)):
                key = tuple(sorted(avoid[i]))
                if _contains_any(target, suppressed[key]):
                    again.setdefault(key, []).append(i)
                else:
                    results[i] = self._text(target)
                    done += weight[i]
            if progress and done:
                progress(done)
        retries = []
        for key, rows in again.items():
            for group in length_sorted_batches([lengths[i] for i in rows], self.batch_size, self.batch_tokens):
                batch = [rows[g] for g in group]
                retries.append((batch, self._submit(tokens, lengths, batch, suppressed[key])))
        for batch, futures in retries:
            for i, target in zip(batch, self._collect(lengths, batch, futures)):
                results[i] = self._text(target)
            if progress:
                progress(sum(weight[i] for i in batch))
        return [results[j] for j in index]

    def _submit(self, tokens, lengths, rows: list[int], suppress):
        """Queue ``rows`` for decoding as one batch; returns its results' futures."""
        return self.translator.translate_batch(
            [tokens[i] for i in rows],
            beam_size=self.beams,
            max_decoding_length=max(self.output_budget(lengths[i]) for i in rows),
            use_vmap=self.use_vmap,
            suppress_sequences=suppress or None,
            asynchronous=True,
        )

    def _collect(self, lengths, rows: list[int], futures) -> list[list[str]]:
        # The same budget as the transformers engine: its last step is </s>.
        budgets = [self.output_budget(lengths[i]) for i in rows]
        return [future.result().hypotheses[0][: budget - 1] for budget, future in zip(budgets, futures)]

    def _text(self, target: list[str]) -> str:
        return self.tokenizer.decode(self.tokenizer.convert_tokens_to_ids(target), skip_special_tokens=True).strip()

    def _suppressed(self, phrases: Sequence[str]) -> list[list[str]]:
        forms = spelled_forms(phrases)
        if not forms:
            return []
        ids = self.tokenizer(text_target=forms, add_special_tokens=False)["input_ids"]
        return [self.tokenizer.convert_ids_to_tokens(x) for x in ids if x]


def _contains_any(tokens: list[str], sequences: list[list[str]]) -> bool:
    """Whether one of ``sequences`` occurs in ``tokens`` (as suppression would have banned it)."""
    for seq in sequences:
        n = len(seq)
        if n and any(tokens[j : j + n] == seq for j in range(len(tokens) - n + 1)):
            return True
    return False
