"""A model folder checked file by file before anything loads it.

transformers, sentencepiece and safetensors fail on a damaged file deep inside their own
code (``SafetensorError: … invalid header length``, ``RuntimeError: INTERNAL: could not
parse ModelProto``) without saying which file is at fault or what to do. Each file a model
needs is opened here the cheap way its library offers (a safetensors header, a zip
directory, a SentencePiece model, JSON), so a damaged one gives one line that names it.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from .errors import ModelError

WEIGHTS = ("model.safetensors", "pytorch_model.bin")
# Files every Marian (OPUS-MT) model needs besides its weights.
MARIAN_FILES = ("source.spm", "target.spm", "vocab.json")
JSON_FILES = ("config.json", "vocab.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json")


def remedy(hub_id: str | None) -> str:
    if hub_id:
        return f"download the model again with `tarjama models download {hub_id}`"
    return "copy or save the model folder again (a hub model: `tarjama models download ID`, then --model ID)"


def damaged(path: Path, what: str, reason: str, hub_id: str | None) -> ModelError:
    return ModelError(f"{path}: {what} is damaged ({reason}); {remedy(hub_id)}")


def _short(e: Exception) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text[:160]


def check_model_files(folder: Path, label: str, hub_id: str | None = None) -> None:
    """Raise a one-line ``ModelError`` naming the first missing or damaged file of the model
    in ``folder`` (``label`` names the model in messages)."""
    config = None
    for name in JSON_FILES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise damaged(path, "a JSON file of the model", f"not valid JSON: {_short(e)}", hub_id) from None
        except OSError as e:
            raise ModelError(f"{path}: cannot be read ({e.strerror or e})") from None
        if name == "config.json":
            config = data
    if not isinstance(config, dict):
        if (folder / "config.json").is_file():
            raise damaged(folder / "config.json", "the model's configuration", "not a JSON object", hub_id)
        return  # no config.json: the loader says that this is no model folder
    if config.get("model_type") == "marian":
        missing = [f for f in MARIAN_FILES if not (folder / f).is_file()]
        if missing:
            raise ModelError(
                f"{label} is incomplete: {', '.join(missing)} missing (a Marian model needs its SentencePiece"
                f" models and vocabulary); {remedy(hub_id)}"
            )
        for name in ("source.spm", "target.spm"):
            _check_sentencepiece(folder / name, hub_id)
    weights = [folder / w for w in WEIGHTS if (folder / w).is_file()]
    translation_model = config.get("model_type") == "marian" or config.get("is_encoder_decoder")
    if translation_model and not weights and not any(folder.glob("*.safetensors.index.json")) and not any(folder.glob("*.bin.index.json")):
        raise ModelError(f"{label} is incomplete: no weights (model.safetensors or pytorch_model.bin); {remedy(hub_id)}")
    if weights:
        _check_weights(weights[0], hub_id)


def _check_sentencepiece(path: Path, hub_id: str | None) -> None:
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(path))
    except (RuntimeError, OSError) as e:
        raise damaged(path, "a SentencePiece model", _short(e).removeprefix("INTERNAL: "), hub_id) from None


def _check_weights(path: Path, hub_id: str | None) -> None:
    if path.suffix == ".safetensors":
        from safetensors import safe_open

        try:
            with safe_open(str(path), framework="pt") as f:
                f.keys()
        except Exception as e:  # SafetensorError is not exported under a stable name
            raise damaged(path, "the weights file", f"{_short(e)}; it is truncated or not a safetensors file", hub_id) from None
    else:  # pytorch_model.bin: a zip archive since torch 1.6; a truncated one has no directory
        try:
            with zipfile.ZipFile(path) as z:
                z.namelist()
        except (zipfile.BadZipFile, OSError) as e:
            raise damaged(path, "the weights file", f"{_short(e)}; it is truncated", hub_id) from None


def ct2_damaged(folder: Path, error: Exception) -> ModelError:
    """A one-line error for a converted CTranslate2 model that CTranslate2 cannot load."""
    missing = [f for f in ("model.bin", "config.json") if not (folder / f).is_file()]
    culprit = folder / (missing[0] if missing else "model.bin")
    return ModelError(
        f"{culprit}: the converted CTranslate2 model is damaged ({_short(error)}); delete the folder {folder}"
        " and run again: tarjama converts the model anew"
    )
