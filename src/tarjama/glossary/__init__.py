"""The glossary: entries and files (``model``) and finding terms in Arabic (``matching``),
which is all that translation needs. Maintenance lives in ``tools``: locked edits and imports
(``edit``), lint rules (``lint``), corpus tools (``corpus``), and other tools' files
(``interchange``: format and encoding; ``csv_io``, ``tbx``, ``vendor``; ``candidates``: rows
and concepts to entries).

The names most code needs are re-exported here: ``from tarjama.glossary import Glossary``.
"""

from .model import Entry, Glossary, GlossaryError, default_glossary_dir, load_glossary

__all__ = ["Entry", "Glossary", "GlossaryError", "default_glossary_dir", "load_glossary"]
