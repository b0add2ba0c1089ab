"""The ASGI application: the routers, the queue's lifetime, the limits and the errors.

``/`` is the web page and ``/health`` the server's state (:mod:`.page`), ``/v1/...`` is
tarjama's own API (:mod:`.v1`, OpenAPI at ``/openapi.json``, browsable at ``/docs``),
documents are :mod:`.files`, and LibreTranslate's routes are :mod:`.libretranslate`.
Every error is JSON ``{"error": "..."}`` (the LibreTranslate shape), never a traceback.
"""

from __future__ import annotations

import contextlib
import sys

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import TarjamaError
from .errors import error
from .limits import BodyLimit
from .queue import BatchQueue, ClientGone, JobTimeout, QueueClosed, QueueFull, merge_results
from .service import NotFound, Service
from .settings import ServerSettings


def create_app(service: Service, settings: ServerSettings) -> FastAPI:
    from . import files, libretranslate, page, v1

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.queue = BatchQueue(
            service.translate,
            max_pending=settings.queue_size,
            wait=settings.batch_wait,
            max_paragraphs=settings.batch_paragraphs,
            piece_paragraphs=settings.piece_paragraphs,
            merge=merge_results,
        )
        try:
            yield
        finally:
            # The server has stopped accepting connections and its requests are answered;
            # whatever is still queued is finished before the worker stops.
            app.state.queue.close()
            app.state.files.cleanup()

    app = FastAPI(
        title="tarjama",
        version=__version__,
        description="Arabic→English news translation with an enforced glossary. "
        "tarjama's own API is under /v1; /translate, /languages, /detect and /translate_file speak LibreTranslate's API.",
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.settings = settings
    app.state.files = files.FileStore()

    app.add_middleware(BodyLimit, max_bytes=settings.max_bytes)
    if settings.cors_origins:  # none unless asked for
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"], allow_headers=["*"])

    install_error_handlers(app)
    for router in (page.router, libretranslate.router, files.router, v1.router):
        app.include_router(router)
    return app


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request, exc: HTTPException):
        return error(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request, exc: RequestValidationError):
        problems = []
        for e in exc.errors()[:3]:
            where = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body"
            problems.append(f"{where}: {e.get('msg', 'invalid')}")
        return error(400, "Invalid request: " + "; ".join(problems))

    @app.exception_handler(NotFound)
    async def not_found(request, exc: NotFound):
        return error(404, exc.message)

    @app.exception_handler(TarjamaError)
    async def bad_input(request, exc: TarjamaError):
        return error(400, exc.message)

    @app.exception_handler(RecursionError)
    async def too_deep(request, exc: RecursionError):
        return error(400, "Invalid request: the body is nested too deep")

    @app.exception_handler(QueueFull)
    async def full(request, exc: QueueFull):
        return error(429, f"Slowdown: {exc}", {"Retry-After": str(exc.retry_after)})

    @app.exception_handler(ClientGone)
    async def gone(request, exc: ClientGone):
        return error(499, "the client closed the connection")

    @app.exception_handler(QueueClosed)
    async def closed(request, exc: QueueClosed):
        return error(503, "the server is shutting down", {"Retry-After": "5"})

    @app.exception_handler(JobTimeout)
    async def timeout(request, exc: JobTimeout):
        return error(504, f"Cannot translate text: {exc}")

    @app.exception_handler(Exception)
    async def internal(request, exc: Exception):
        # The details go to the server's log; the client gets one line, never a traceback.
        print(f"tarjama serve: {request.method} {request.url.path}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return error(500, "Cannot translate text: internal error (see the server's log)")
