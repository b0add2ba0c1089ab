"""Cells a spreadsheet would run as formulas ("CSV injection"), made inert on export.

OWASP's advice: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is prefixed with a single quote, which spreadsheets read as "this is text" and do
not display. Importing removes that one quote again, so export then import gives back the
very same text. A value that already starts with quotes before such a character gets one
quote more, so the round trip stays exact for it too.
"""

from __future__ import annotations

import re

_NEEDS_QUOTE = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")


def neutralise(cell: str) -> str:
    """``=HYPERLINK(...)`` → ``'=HYPERLINK(...)``; every other cell as it is."""
    return "'" + cell if _NEEDS_QUOTE.match(cell) else cell


def restore(cell: str) -> str:
    """The inverse of :func:`neutralise`."""
    return cell[1:] if _QUOTED.match(cell) else cell


def neutralise_row(cells) -> list[str]:
    return [neutralise(c) for c in cells]
