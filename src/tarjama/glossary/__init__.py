"""The glossary: entries and files (``model``), finding terms in Arabic (``matching``),
locked edits (``edit``), TSV/CSV/TBX interchange (``interchange``) and lint rules (``lint``).

The names most code needs are re-exported here: ``from tarjama.glossary import Glossary``.
"""

from .model import Entry, Glossary, GlossaryError, default_glossary_dir, load_glossary

__all__ = ["Entry", "Glossary", "GlossaryError", "default_glossary_dir", "load_glossary"]
