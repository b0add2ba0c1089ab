"""Errors a user can act on. The CLI prints their message on one line and exits with ``exit_code``."""

from __future__ import annotations


class TarjamaError(Exception):
    """A problem with the user's input, files or environment (not a bug in tarjama)."""

    exit_code = 2

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class InputError(TarjamaError):
    """An input document that cannot be read as UTF-8 text."""


class ModelError(TarjamaError):
    """A model that cannot be found, fetched or used for translation."""
