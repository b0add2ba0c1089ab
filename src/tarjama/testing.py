"""Build randomly initialised Marian models on disk, for tests and benchmarks.

The result is a real MarianMT folder (config, safetensors weights, SentencePiece source
and target models, vocab.json) that tarjama loads through the same code path as
``Helsinki-NLP/opus-mt-ar-en``. No network is needed: the SentencePiece models are
trained on the text you pass.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Iterable

SPECIALS = ("</s>", "<unk>")
PAD = "<pad>"


def _train_spm(lines: Iterable[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([line for line in lines if line.strip()]),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        model_type="unigram",
        bos_id=-1,
        eos_id=-1,
        unk_id=0,
        minloglevel=2,
    )
    return model.getvalue()


def _pad_spm(model: bytes, pieces: int, tag: str) -> bytes:
    """Grow a SentencePiece model to ``pieces`` entries with unused low-score pieces, so a
    benchmark model has the real model's vocabulary sizes (needs ``protobuf``)."""
    from sentencepiece import sentencepiece_model_pb2 as spm_pb2

    proto = spm_pb2.ModelProto()
    proto.ParseFromString(model)
    n = 0
    while len(proto.pieces) < pieces:
        piece = proto.pieces.add()
        piece.piece = f"▁{tag}{n}"
        piece.score = -1000.0 - n
        n += 1
    return proto.SerializeToString()


def _pieces(model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build_marian(
    folder: str | Path,
    source_lines: Iterable[str],
    target_lines: Iterable[str],
    *,
    spm_vocab: int = 400,
    spm_pieces: int | None = None,
    vocab_size: int | None = None,
    d_model: int = 16,
    layers: int = 1,
    heads: int = 2,
    ffn_dim: int = 32,
    seed: int = 0,
    never_end: bool = False,
) -> Path:
    """Write a random Marian model to ``folder`` and return the folder.

    ``never_end`` makes the model never choose ``</s>`` by itself, so that decoding does
    the same amount of work in every engine. ``spm_pieces`` grows the target SentencePiece model to that many pieces and, with
    ``vocab_size``, the source one until the shared vocabulary has that many entries: the
    benchmark uses the real model's sizes (32,000 English pieces, 62,834 entries) so that
    every layer, the output projection above all, costs what it really costs.
    """
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    source_spm = _train_spm(source_lines, spm_vocab)
    target_spm = _train_spm(target_lines, spm_vocab)
    if spm_pieces:
        target_spm = _pad_spm(target_spm, spm_pieces, "en")
        if vocab_size:  # the source side takes the rest of the shared vocabulary
            shared = set(SPECIALS) | set(_pieces(target_spm)) | {PAD}
            own = [p for p in _pieces(source_spm) if p not in shared]
            source_spm = _pad_spm(source_spm, len(_pieces(source_spm)) + vocab_size - len(shared) - len(own), "ar")
    (folder / "source.spm").write_bytes(source_spm)
    (folder / "target.spm").write_bytes(target_spm)

    vocab: dict[str, int] = {}
    for piece in (*SPECIALS, *_pieces(source_spm), *_pieces(target_spm)):
        vocab.setdefault(piece, len(vocab))
    while vocab_size and len(vocab) < vocab_size - 1:
        vocab[f"<unused{len(vocab)}>"] = len(vocab)
    vocab[PAD] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    tokenizer = MarianTokenizer(
        source_spm=str(folder / "source.spm"),
        target_spm=str(folder / "target.spm"),
        vocab=str(folder / "vocab.json"),
        source_lang="ar",
        target_lang="en",
    )
    tokenizer.save_pretrained(folder)

    size = len(vocab)
    config = MarianConfig(
        vocab_size=size,
        decoder_vocab_size=size,
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn_dim,
        decoder_ffn_dim=ffn_dim,
        max_position_embeddings=512,
        pad_token_id=vocab[PAD],
        decoder_start_token_id=vocab[PAD],
        eos_token_id=vocab["</s>"],
        forced_eos_token_id=vocab["</s>"],
        activation_function="swish",
        static_position_embeddings=True,
        share_encoder_decoder_embeddings=True,
        scale_embedding=True,
        architectures=["MarianMTModel"],
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    if never_end:  # a benchmark model: every sentence runs to its length budget
        with torch.no_grad():
            model.final_logits_bias[0, vocab["</s>"]] = -1e4
    model.generation_config.num_beams = 4
    model.generation_config.max_length = 512
    model.generation_config.bad_words_ids = [[vocab[PAD]]]
    model.save_pretrained(folder, safe_serialization=True)
    return folder
