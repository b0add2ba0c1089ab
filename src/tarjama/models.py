"""Which models tarjama knows, where they live, and how they are loaded.

A model is a Hugging Face hub id (downloaded once into the standard Hugging Face cache,
``$HF_HOME/hub``, then used offline) or a local folder saved with ``save_pretrained``.
Remote code is never trusted.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelError
from .resources import resource_path

FALLBACK_DEFAULT = "Helsinki-NLP/opus-mt-ar-en"
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")
_WEIGHTS = ("model.safetensors", "pytorch_model.bin")


@dataclass(frozen=True)
class KnownModel:
    id: str
    description: str
    default: bool = False


def known_models() -> list[KnownModel]:
    """The models listed in ``models.txt``, the default first."""
    path = resource_path("models.txt")
    if path is None:
        return [KnownModel(FALLBACK_DEFAULT, "", True)]
    models = []
    for line in path.read_text(encoding="utf-8").splitlines():
        body, _, comment = line.partition("#")
        if body.strip():
            models.append(KnownModel(body.strip(), comment.strip(), not models))
    return models or [KnownModel(FALLBACK_DEFAULT, "", True)]


def default_model() -> str:
    return os.environ.get("TARJAMA_MODEL") or known_models()[0].id


def is_local(name: str) -> bool:
    """A local folder, or something written like a path (which then must exist)."""
    return (
        Path(name).expanduser().exists()
        or name.startswith((".", "/", "~"))
        or os.sep in name.replace("/", "", 1)
        or not _HUB_ID.match(name)
    )


def model_fingerprint(name: str) -> str:
    """A model's identity for caches: the hub id, or a local folder with its weights' size and
    modification time (a retrained model in the same folder is another model)."""
    if is_local(name):
        folder = Path(name).expanduser()
        stamp = [
            f"{w}:{(folder / w).stat().st_size}:{int((folder / w).stat().st_mtime)}"
            for w in _WEIGHTS
            if (folder / w).is_file()
        ]
        return f"{folder.resolve()}|{'|'.join(stamp)}"
    return name


def cache_dir() -> str:
    from huggingface_hub import constants

    return constants.HF_HUB_CACHE


def is_cached(model_id: str) -> bool:
    """True when the config and weights of ``model_id`` are in the local cache."""
    from huggingface_hub import try_to_load_from_cache

    def cached(filename: str) -> bool:
        return isinstance(try_to_load_from_cache(model_id, filename), str)

    return cached("config.json") and any(cached(w) for w in _WEIGHTS)


def _offline_mode() -> bool:
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE)


def hub_reachable(timeout: float = 3.0) -> bool:
    """One quick TCP connection to the hub: the hub client would otherwise retry with
    backoff for about 20 seconds before giving up on an offline machine."""
    import socket
    from urllib.parse import urlparse

    from huggingface_hub import constants

    url = urlparse(constants.ENDPOINT)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False


def not_available(model_id: str, reason: str) -> ModelError:
    return ModelError(
        f"model {model_id!r} is not in the local cache ({cache_dir()}) and {reason}; "
        f"download it once where the network is reachable with "
        f"`tarjama models download {model_id}`, or pass --model PATH to a local model folder"
    )


def cannot_download(model_id: str, reason: str) -> ModelError:
    """For `tarjama models download` itself: telling the user to run it again would not help."""
    return ModelError(
        f"cannot download {model_id!r}: {reason}; run `tarjama models download {model_id}` on a machine"
        f" that reaches the hub and copy its cache ({cache_dir()}) here, or pass --model PATH to a local model folder"
    )


def download_model(model_id: str) -> str:
    """Fetch ``model_id`` into the Hugging Face cache (safetensors over .bin); return its folder."""
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.errors import RepositoryNotFoundError

    if is_local(model_id):
        raise ModelError(
            f"{model_id} is a local path, not a Hugging Face Hub id: there is nothing to download;"
            f" use the folder directly with --model {model_id}"
        )
    if _offline_mode():
        raise cannot_download(model_id, "HF_HUB_OFFLINE is set")
    if not hub_reachable():
        from huggingface_hub import constants

        raise cannot_download(model_id, f"the Hugging Face Hub ({constants.ENDPOINT}) cannot be reached")
    try:
        files = HfApi().list_repo_files(model_id)
        weights = ["model.safetensors"] if "model.safetensors" in files else ["pytorch_model.bin"]
        patterns = ["*.json", "*.spm", "*.model", "*.txt", *weights]
        folder = snapshot_download(model_id, allow_patterns=patterns)
        try:
            check_marian_files(Path(folder), model_id, model_id)
        except ModelError:  # a damaged file in the cache: the hub client would keep it
            folder = snapshot_download(model_id, allow_patterns=patterns, force_download=True)
        return folder
    except RepositoryNotFoundError:
        raise ModelError(f"no model {model_id!r} on the Hugging Face Hub") from None
    except Exception as e:  # network failures come in many types (httpx, OSError, hub errors)
        raise cannot_download(model_id, f"the Hugging Face Hub cannot be reached ({_short(e)})") from None


def _short(e: Exception) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text[:160]


def model_folder(name: str) -> Path:
    """A local folder holding ``name``: the folder itself, or the hub snapshot in the cache
    (downloaded first if need be). Engines that convert the model start from here."""
    if is_local(name):
        folder = Path(name).expanduser()
        if not (folder / "config.json").is_file():
            raise ModelError(f"{name} is not a model folder (no config.json in it)")
        return folder
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(name, local_files_only=True))
    except Exception:
        pass
    # Not cached: the same messages as load_model's (translating is not `models download`).
    if _offline_mode():
        raise not_available(name, "HF_HUB_OFFLINE is set")
    if not hub_reachable():
        from huggingface_hub import constants

        raise not_available(name, f"the Hugging Face Hub ({constants.ENDPOINT}) cannot be reached")
    return Path(download_model(name))


def load_tokenizer(name: str):
    from transformers import AutoTokenizer

    folder = model_folder(name)
    check_marian_files(folder, name, None if is_local(name) else name)
    try:
        return AutoTokenizer.from_pretrained(str(folder), local_files_only=True, trust_remote_code=False)
    except (ValueError, KeyError, TypeError, OSError) as e:
        raise ModelError(f"{name}: its tokenizer cannot be loaded ({_short(e)})") from None


def check_marian_files(folder: Path, label: str, hub_id: str | None = None) -> None:
    """Every file of the model in ``folder`` present and readable (see ``model_files``): a
    damaged one gives one line that names it, not a traceback from deep inside a library."""
    from .model_files import check_model_files

    check_model_files(folder, label, hub_id)


def _cached_snapshot(name: str) -> Path | None:
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(name, local_files_only=True))
    except Exception:
        return None


def load_model(name: str):
    """Load ``(tokenizer, model)`` for a hub id or a local folder."""
    if is_local(name):
        folder = Path(name).expanduser()
        if not folder.exists():
            raise ModelError(f"no such model folder: {name}")
        if not folder.is_dir() or not (folder / "config.json").is_file():
            raise ModelError(f"{name} is not a model folder (no config.json in it)")
        return _load(str(folder), name, local_files_only=True)
    snapshot = _cached_snapshot(name)
    if snapshot is not None:
        check_marian_files(snapshot, name, name)
    try:
        # The cache first, without touching the network: fast, and works offline.
        return _load(name, name, local_files_only=True)
    except ModelError:
        raise
    except Exception:
        if _offline_mode():
            raise not_available(name, "HF_HUB_OFFLINE is set") from None
    if not hub_reachable():
        from huggingface_hub import constants

        raise not_available(name, f"the Hugging Face Hub ({constants.ENDPOINT}) cannot be reached")
    try:
        return _load(name, name, local_files_only=False)
    except ModelError:
        raise
    except Exception as e:
        from huggingface_hub.errors import RepositoryNotFoundError

        if isinstance(e, RepositoryNotFoundError) or "not a valid model identifier" in str(e):
            raise ModelError(f"no model {name!r} on the Hugging Face Hub or on disk") from None
        raise not_available(name, f"the Hugging Face Hub cannot be reached ({_short(e)})") from None


def _load(source: str, label: str, local_files_only: bool):
    import transformers
    from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer

    transformers.logging.set_verbosity_error()
    common = dict(local_files_only=local_files_only, trust_remote_code=False)
    if Path(source).is_dir():
        check_marian_files(Path(source), label)
    try:
        config = AutoConfig.from_pretrained(source, **common)
    except ValueError as e:  # an unrecognised config.json
        raise ModelError(f"{label} is not a translation model ({_short(e)})") from None
    if not getattr(config, "is_encoder_decoder", False):
        raise ModelError(
            f"{label} is not a translation model: its architecture ({config.model_type})"
            " is not sequence-to-sequence"
        )
    from transformers.utils import logging as hf_logging

    if local_files_only:  # nothing to download: no progress bar for reading local weights
        hf_logging.disable_progress_bar()
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, **common)
        model = AutoModelForSeq2SeqLM.from_pretrained(source, **common)
    except (ValueError, KeyError, TypeError) as e:
        raise ModelError(f"{label} cannot be loaded as a translation model ({_short(e)})") from None
    except OSError:
        if local_files_only and Path(source).is_dir():
            raise ModelError(f"{label} is incomplete: tokenizer or weights are missing") from None
        raise
    finally:
        hf_logging.enable_progress_bar()
    model.eval()
    return tokenizer, model
