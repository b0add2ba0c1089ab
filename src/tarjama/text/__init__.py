"""Text handling with no knowledge of glossaries or models: Arabic normalization with
offsets (``arabic``), paragraphs and sentences (``segment``), English clean-up (``english``)."""
