"""Glossaries for machine translation services: DeepL, Amazon Translate, Google Cloud.

Each takes term pairs and nothing else, so an entry becomes one row per Arabic form (its
source and each variant) with the target; forbidden renderings, alternatives and notes have
no place there and are left out (the export says how many).

- DeepL (developers.deepl.com, "Managing glossaries"): CSV entries, one per line, source
  phrase first, no header.
- Amazon Translate (docs.aws.amazon.com/translate, "Creating a custom terminology"): CSV
  whose first row names the languages (``ar,en``); the first column is the source language.
- Google Cloud Translation (cloud.google.com/translate, "Create and use glossaries",
  unidirectional glossary): a two-column CSV, source then target, no header.
"""

from __future__ import annotations

import csv
import io
from typing import Sequence

from ..model import Entry
from .spreadsheet import neutralise_row

FORMATS = ("deepl", "amazon", "google")
NAMES = {"deepl": "DeepL", "amazon": "Amazon Translate", "google": "Google Cloud Translation"}


def pairs(entries: Sequence[Entry]) -> list[tuple[str, str]]:
    return [(form, e.target) for e in entries for form in e.forms]


def dropped(entries: Sequence[Entry]) -> int:
    """How many entries lose something (forbidden renderings, alternatives, a note)."""
    return sum(1 for e in entries if e.forbidden or e.alternatives or e.note)


def to_vendor(entries: Sequence[Entry], fmt: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if fmt == "amazon":
        writer.writerow(["ar", "en"])
    # A cell a spreadsheet would run as a formula is made inert (see ``spreadsheet``).
    writer.writerows(neutralise_row(pair) for pair in pairs(entries))
    return out.getvalue()
