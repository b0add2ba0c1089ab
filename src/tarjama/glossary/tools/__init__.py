"""Glossary maintenance: edits, lint, imports and exports, corpus tools. Translation never imports these."""
