"""Checking and scoring translations: glossary checks, sacrebleu scores, evaluation sets."""
