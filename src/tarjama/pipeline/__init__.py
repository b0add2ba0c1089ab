"""Sentences to English: segment, match, protect, decode through an engine, restore and verify."""
