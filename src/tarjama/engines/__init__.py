"""Translation engines: anything that turns a list of Arabic strings into English strings.

The glossary logic talks to engines only through :class:`Engine`, so it never knows
which one runs. ``create_engine`` builds one by name; tests register fakes in ``ENGINES``.
"""

from __future__ import annotations

from typing import Callable

from .base import Engine, check_device

# name -> factory(model, **options). Factories import their heavy dependencies lazily.
ENGINES: dict[str, Callable[..., Engine]] = {}


def _transformers(model: str, **options) -> Engine:
    from .transformers import TransformersEngine

    return TransformersEngine(model, **options)


def _ctranslate2(model: str, **options) -> Engine:
    from .ctranslate2 import CTranslate2Engine

    return CTranslate2Engine(model, **options)


ENGINES["transformers"] = _transformers
ENGINES["ctranslate2"] = _ctranslate2


def load_plugins() -> None:
    """Import the modules named in ``$TARJAMA_PLUGINS`` (comma-separated); each registers
    its engines in ``ENGINES`` when imported. This is how other engines reach every process,
    Ray workers included."""
    import importlib
    import os

    for name in filter(None, (m.strip() for m in os.environ.get("TARJAMA_PLUGINS", "").split(","))):
        importlib.import_module(name)


def create_engine(name: str, model: str, **options) -> Engine:
    from ..errors import TarjamaError

    if name not in ENGINES:
        load_plugins()
    try:
        factory = ENGINES[name]
    except KeyError:
        raise TarjamaError(
            f"unknown engine {name!r} (available: {', '.join(sorted(ENGINES))})"
        ) from None
    if "device" in options:
        check_device(options["device"])
    return factory(model, **options)


__all__ = ["Engine", "ENGINES", "create_engine"]
