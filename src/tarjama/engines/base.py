"""The one interface every engine implements."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Callable, Sequence

Progress = Callable[[int], None]

_DEVICE = re.compile(r"^(auto|cpu|cuda(:\d+)?)$")


def check_device(device: str) -> str:
    """``auto``, ``cpu``, ``cuda`` or ``cuda:N``, the same words for every engine."""
    if not isinstance(device, str) or not _DEVICE.match(device):
        from ..errors import TarjamaError

        raise TarjamaError(f"unknown device {device!r}: choose auto, cpu, cuda or cuda:N (e.g. cuda:0)")
    return device


def unique_work(texts: Sequence[str], avoid: Sequence[Sequence[str]] | None):
    """The distinct (text, forbidden renderings) pairs of a call, for engines to decode each
    once: a translation depends on those two only. Returns the distinct texts, their avoid
    lists, each input's index among them, and how many inputs each stands for (for progress)."""
    first: dict[tuple, int] = {}
    index = [
        first.setdefault((text, tuple(sorted(a)) if avoid else ()), len(first))
        for text, a in zip(texts, avoid if avoid else [()] * len(texts))
    ]
    weight = [0] * len(first)
    for j in index:
        weight[j] += 1
    return [t for t, _ in first], [list(a) for _, a in first], index, weight


class Engine(ABC):
    """Translates batches of sentences. Implementations batch and order work as they like,
    but must return exactly one string per input, in input order, and never see empty input
    (the pipeline filters it out)."""

    name: str = "engine"
    #: The longest input, in the engine's own tokens, that it translates well.
    max_input_tokens: int = 256

    @abstractmethod
    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Length of each text in the engine's input tokens (used to split long sentences)."""

    @abstractmethod
    def translate(
        self,
        texts: Sequence[str],
        *,
        avoid: Sequence[Sequence[str]] | None = None,
        progress: Progress | None = None,
    ) -> list[str]:
        """Translate ``texts``. ``avoid[i]`` lists English renderings that the translation
        of ``texts[i]`` must not use (an engine may ignore it: the glossary post-processing
        replaces them anyway). ``progress(n)`` is called as each ``n`` more texts are done.

        The translation of a text must depend on that text and its ``avoid`` list only,
        never on the other texts of the call (batching is an engine's private business)."""

    def describe(self) -> dict:
        return {"engine": self.name}
