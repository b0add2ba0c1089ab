"""Every setting that decides how an engine is built and what it writes: one frozen value.

``EngineOptions.build`` is the one place where the settings the CLI, the server, Ray and the
translation memory share get their defaults and are checked. The value is hashable and
picklable (Ray ships it to its workers as is), and :meth:`EngineOptions.settings` is what the
translation memory and the batch manifest key translations by.

``engine="auto"`` (the default) chooses CTranslate2 when it is installed (``pip install
".[fast]"`` in a clone): the model is converted once with CTranslate2's own converter and decoded
in int8. Otherwise, or when CTranslate2 cannot convert the model, transformers decodes.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import asdict, dataclass, replace

from ..errors import TarjamaError
from .base import check_device

AUTO = "auto"
BUILTIN = ("transformers", "ctranslate2")
CT2_COMPUTE_TYPES = ("int8", "int16", "float32", "int8_float32", "default")
TORCH_COMPUTE_TYPES = ("float32",)

# Why ``auto`` chose an engine, for the one line on stderr.
FAST_INSTALLED = "CTranslate2 is installed"
FAST_MISSING = 'CTranslate2 is not installed; pip install -e ".[fast]" in a clone for the fast path'


# Most padded source tokens in a batch: peak memory follows it (the beams' caches). The
# one default of every face (CLI, server, Ray); measured in docs/performance.md.
BATCH_TOKENS = 512


def fast_available() -> bool:
    return importlib.util.find_spec("ctranslate2") is not None


@dataclass(frozen=True)
class EngineOptions:
    model: str
    engine: str = AUTO
    device: str = "auto"
    compute_type: str | None = None  # None: the engine's own (ctranslate2 int8, transformers float32)
    beams: int = 4
    batch_size: int = 32  # most sentences decoded together
    batch_tokens: int = BATCH_TOKENS
    threads: int | None = None  # None: all cores
    max_input_tokens: int = 256  # longer sentences are split before the engine sees them

    @classmethod
    def build(cls, model: str | None = None, **settings) -> "EngineOptions":
        """The options with defaults for whatever is None or left out, checked."""
        from ..models import default_model

        given = {k: v for k, v in settings.items() if v is not None}
        unknown = set(given) - set(cls.__dataclass_fields__)
        if unknown:
            raise TypeError(f"unknown engine options: {', '.join(sorted(unknown))}")
        options = cls(model=model or default_model(), **given)
        options.check()
        return options

    def check(self) -> None:
        check_device(self.device)
        for name in ("beams", "batch_size", "batch_tokens", "max_input_tokens"):
            if getattr(self, name) < 1:
                raise TarjamaError(f"{name.replace('_', '-')} must be at least 1, not {getattr(self, name)}")
        if self.threads is not None and self.threads < 1:
            raise TarjamaError(f"threads must be at least 1, not {self.threads}")
        if self.engine in (AUTO, "ctranslate2") and self.compute_type not in (None, *CT2_COMPUTE_TYPES):
            raise TarjamaError(
                f"unknown compute type {self.compute_type!r} (ctranslate2: {', '.join(CT2_COMPUTE_TYPES)};"
                f" transformers: {', '.join(TORCH_COMPUTE_TYPES)})"
            )
        if self.engine == "transformers" and self.compute_type not in (None, *TORCH_COMPUTE_TYPES):
            raise TarjamaError(
                f"the transformers engine computes in float32 only, not {self.compute_type!r};"
                ' for int8 use --engine ctranslate2 (pip install -e ".[fast]" in a clone)'
            )

    def resolved(self) -> tuple["EngineOptions", str]:
        """The options with ``auto`` replaced by the engine that will run, and why."""
        if self.engine != AUTO:
            return self, "chosen with --engine"
        if fast_available():
            return replace(self, engine="ctranslate2"), FAST_INSTALLED
        if self.compute_type not in (None, *TORCH_COMPUTE_TYPES):
            raise TarjamaError(
                f"compute type {self.compute_type} needs CTranslate2: pip install -e \".[fast]\" in a clone"
            )
        return replace(self, engine="transformers"), FAST_MISSING

    def engine_kwargs(self) -> dict:
        """The keyword arguments of the engine's constructor (everything but its name and model)."""
        kwargs = {k: v for k, v in asdict(self).items() if k not in ("model", "engine")}
        if kwargs["compute_type"] is None:
            del kwargs["compute_type"]
        return kwargs

    def settings(self, engine: dict | None = None) -> str:
        """Everything besides the sentence and its terms that decides a translation: the
        key of the translation memory and of the batch manifest. ``engine`` is a loaded
        engine's own description, which wins over the options (plugins describe themselves).
        Batch sizes and threads are left out: an engine's output must not depend on them."""
        from .. import __version__
        from ..models import model_fingerprint

        options, _ = self.resolved()
        compute = options.compute_type or ("int8" if options.engine == "ctranslate2" else "float32")
        described = {"engine": options.engine, "model": model_fingerprint(options.model)}
        if engine and engine.get("engine") not in BUILTIN:
            described = engine
        data = {"tarjama": __version__, **described, "beams": options.beams,
                "max_input_tokens": options.max_input_tokens, "compute_type": compute}
        return json.dumps(data, sort_keys=True)


def create(options: EngineOptions):
    """The engine for ``options``, the options it runs with (``auto`` resolved), and one line
    saying which engine runs and why."""
    from . import create_engine
    from ..errors import ModelError

    chosen, why = options.resolved()
    if options.engine == AUTO and chosen.engine == "ctranslate2":
        try:
            engine = create_engine("ctranslate2", chosen.model, **chosen.engine_kwargs())
        except ModelError:
            raise  # a damaged or missing model: transformers would fail on it too
        except Exception as e:  # a model CTranslate2's converter does not know, a device it lacks
            if chosen.compute_type not in (None, *TORCH_COMPUTE_TYPES):
                raise
            reason = getattr(e, "message", None) or str(e).strip().splitlines()[0][:160] if str(e).strip() else type(e).__name__
            chosen, why = replace(options, engine="transformers"), f"CTranslate2 cannot run this model: {reason}"
            engine = create_engine("transformers", chosen.model, **chosen.engine_kwargs())
    else:
        engine = create_engine(chosen.engine, chosen.model, **chosen.engine_kwargs())
    return engine, chosen, f"engine: {describe(engine)} ({why})"


def describe(engine) -> str:
    d = engine.describe()
    parts = [d.get("engine", "engine")]
    if d.get("compute_type"):
        parts.append(d["compute_type"])
    if d.get("device"):
        parts.append(f"on {d['device']}")
    return " ".join(parts)
