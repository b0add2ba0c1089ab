"""The effect of the glossary: translate a source twice, without and with it, and score both."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..files import write_atomic
from ..engines import Engine
from ..glossary.model import Glossary
from .score import DEFAULT_METRICS, SystemScore, check_lengths, score_systems
from ..pipeline.translator import Translator

SYSTEMS = ("no glossary", "glossary")


@dataclass
class Evaluation:
    systems: list[SystemScore]
    translations: dict[str, list[str]]

    def as_dict(self) -> dict:
        return {"systems": [s.as_dict() for s in self.systems]}


def evaluate(
    source: str,
    references: Sequence[Sequence[str]],
    engine: Engine,
    glossary: Glossary,
    metrics: Sequence[str] = DEFAULT_METRICS,
    progress=None,
) -> Evaluation:
    """Translate ``source`` (one segment per line) with ``engine``, with no glossary and
    with ``glossary``; score both against ``references``, term success rate included."""
    from ..text.segment import split_paragraphs

    sources = split_paragraphs(source)
    check_lengths([("source", sources), *((f"reference {i + 1}", r) for i, r in enumerate(references))])
    translations = {}
    for name, g in zip(SYSTEMS, (None, glossary)):
        result = Translator(glossary=g, engine=engine).translate_document(source, progress=progress)
        translations[name] = [line.rstrip() for line in result.paragraphs]
    systems = score_systems(
        [(name, translations[name]) for name in SYSTEMS],
        references,
        metrics,
        sources=[s.rstrip() for s in sources],
        glossary=glossary,
    )
    return Evaluation(systems, translations)


def check_save_folder(folder: str | Path) -> None:
    """A folder that ``save`` will be able to write into: created now, and writable."""
    import os

    from ..errors import InputError

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"--save {folder} is a file; give a folder (it gets no-glossary.en.txt, glossary.en.txt and report.json)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"--save {folder}: cannot create the folder: {e.strerror or e}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"--save {folder}: the folder is not writable")


def save(evaluation: Evaluation, folder: str | Path) -> list[Path]:
    """Both translations and the JSON report, each written atomically."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, lines in evaluation.translations.items():
        path = folder / f"{name.replace(' ', '-')}.en.txt"
        write_atomic(path, "\n".join(lines) + "\n")
        written.append(path)
    report = folder / "report.json"
    write_atomic(report, json.dumps(evaluation.as_dict(), ensure_ascii=False, indent=2) + "\n")
    written.append(report)
    return written
