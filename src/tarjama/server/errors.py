"""Errors of the HTTP API: an error with its status, answered as ``{"error": message}``."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException


class ApiError(HTTPException):
    """An error with its HTTP status, reported as ``{"error": message}``."""


def error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def check_chars(texts: list[str], limit: int) -> None:
    size = sum(len(t) for t in texts)
    if size > limit:
        raise ApiError(413, f"Invalid request: request ({size}) exceeds text limit ({limit})")
