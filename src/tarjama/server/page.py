"""The web page (``/`` and its script and style) and ``/health``."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from .. import __version__
from .errors import ApiError

PAGE = Path(__file__).parent / "page"
ASSETS = {"page.js": "text/javascript; charset=utf-8", "page.css": "text/css; charset=utf-8"}

router = APIRouter()


@router.get("/", include_in_schema=False)
def page():
    return FileResponse(PAGE / "index.html", media_type="text/html; charset=utf-8")


@router.get("/page/{name}", include_in_schema=False)
def page_asset(name: str):
    if name not in ASSETS:
        raise ApiError(404, "Not Found")
    return FileResponse(PAGE / name, media_type=ASSETS[name])


@router.get("/health", tags=["server"])
def health(request: Request):
    """The server's state: "ok", or "degraded" while a glossary file cannot be read (the last
    good glossary is used meanwhile); the model by name, the glossary, the queue."""
    service = request.app.state.service
    settings = request.app.state.settings
    queue = request.app.state.queue
    translator = service.translator  # reloads the glossary if a file changed
    glossary = service.glossary_state()
    return {
        "status": "degraded" if glossary["error"] else "ok",
        "version": __version__,
        "model": model_name(translator.model),
        "engine": translator.engine.name,
        "glossary": glossary,
        "queue": {"pending": queue.pending, "running": queue.running, "limit": settings.queue_size, **queue.stats.as_dict()},
    }


def model_name(model) -> str | None:
    """The model's name: a hub name as given, a local folder by its last part only (the
    server's paths are nobody's business)."""
    from ..models import is_local

    if model is None:
        return None
    text = str(model)
    return (Path(text).name or None) if is_local(text) else text
