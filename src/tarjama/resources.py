"""Files that ship with tarjama: ``models.txt``, the project's ``glossary/`` and ``seeds/``.

In a source checkout (including an editable install) they are read from the project
root; a built wheel carries copies inside the package under ``tarjama/data``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_path(name: str) -> Path | None:
    for candidate in (_PACKAGE.parent.parent / name, _PACKAGE / "data" / name):
        if candidate.exists():
            return candidate
    return None
