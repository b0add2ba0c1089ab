"""The ASGI application: routes over the Python API, and nothing else.

``/`` is the web page, ``/health`` is for orchestration, ``/v1/...`` is tarjama's own API
(OpenAPI at ``/openapi.json``, browsable at ``/docs``), and the LibreTranslate-compatible
routes live in :mod:`.libretranslate`. Every error is JSON ``{"error": "..."}`` (the
LibreTranslate shape), never a traceback.
"""

from __future__ import annotations

import contextlib
import hmac
import sys
from pathlib import Path
from typing import List, Optional

from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import TarjamaError
from .errors import ApiError, check_chars, error
from .queue import BatchQueue, JobTimeout, QueueClosed, QueueFull
from .limits import BodyLimit
from .service import NotFound, Service
from .settings import ServerSettings

PAGE = Path(__file__).parent / "page"


# -- request and response bodies of /v1 (they make the OpenAPI document) ------------------------
class TranslateRequest(BaseModel):
    text: str = Field(..., description="Arabic text; each line is a paragraph.")


class TranslateResponse(BaseModel):
    translation: str = Field(..., description="The English text, one line per input line.")
    paragraphs: List[str]
    sentences: List[dict] = Field(..., description="Per sentence: source, translation, method, glossary terms, warnings (the `--format json` shape).")
    applied: int
    unresolved: int
    summary: str


class FileResponseBody(TranslateResponse):
    filename: str
    document_base64: Optional[str] = Field(None, description="The translated document itself, for binary formats (.docx, .odt, .pptx), base64-encoded; `translation` is then empty.")


class CheckRequest(BaseModel):
    source: str = Field(..., description="Arabic text, one paragraph a line.")
    translation: str = Field(..., description="Its English translation, line-aligned.")


class ScoreRequest(BaseModel):
    hypotheses: List[str] = Field(..., description="Translated lines.")
    references: List[List[str]] = Field(..., description="One or more reference translations, each a list of lines.")
    sources: Optional[List[str]] = Field(None, description="Arabic source lines: adds the term success rate.")
    metrics: List[str] = Field(default_factory=lambda: ["bleu", "chrf", "chrf++", "ter"])


class FindRequest(BaseModel):
    text: str


class EntryRequest(BaseModel):
    source: str
    target: str
    variants: List[str] = Field(default_factory=list)
    forbidden: List[str] = Field(default_factory=list)
    note: str = ""
    file: Optional[str] = Field(None, description="A .tsv of the glossary folder (default custom.tsv).")
    replace: bool = False


class EntryChange(BaseModel):
    target: Optional[str] = None
    variants: Optional[List[str]] = None
    forbidden: Optional[List[str]] = None
    note: Optional[str] = None


def result_body(result) -> dict:
    return {
        "translation": result.text,
        "paragraphs": result.paragraphs,
        "sentences": [s.as_dict() for s in result.sentences],
        "applied": result.applied,
        "unresolved": result.unresolved,
        "summary": result.summary(),
    }


# -- the application ----------------------------------------------------------------------------
def create_app(service: Service, settings: ServerSettings) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.queue = BatchQueue(
            service.translate,
            max_pending=settings.queue_size,
            wait=settings.batch_wait,
            max_paragraphs=settings.batch_paragraphs,
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
    from .libretranslate import FileStore, router as lt_router

    app.state.files = FileStore()

    app.add_middleware(BodyLimit, max_bytes=settings.max_bytes)
    if settings.cors_origins:  # none unless asked for
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"], allow_headers=["*"])

    install_error_handlers(app)
    app.include_router(lt_router)

    key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="A key of the server's --api-key-file.")

    def require_key(request: Request, key: Optional[str] = Depends(key_header)) -> None:
        if not settings.api_keys:
            raise ApiError(403, "glossary edits are disabled on this server (start it with --api-key-file)")
        auth = request.headers.get("authorization", "")
        given = key or (auth[7:].strip() if auth.lower().startswith("bearer ") else "")
        if not given:
            raise ApiError(401, "an API key is required for glossary edits (header X-API-Key)")
        # Compare with every key, in constant time: no early exit that would time a guess.
        ok = False
        for k in settings.api_keys:
            ok |= hmac.compare_digest(given.encode("utf-8"), k.encode("utf-8"))
        if not ok:
            raise ApiError(403, "Invalid API key")

    # -- page and health --------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def page():
        return FileResponse(PAGE / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/page/{name}", include_in_schema=False)
    def page_asset(name: str):
        assets = {"page.js": "text/javascript; charset=utf-8", "page.css": "text/css; charset=utf-8"}
        if name not in assets:
            raise ApiError(404, "Not Found")
        return FileResponse(PAGE / name, media_type=assets[name])

    @app.get("/health", tags=["server"])
    def health(request: Request):
        queue: BatchQueue = request.app.state.queue
        translator = service.translator
        return {
            "status": "ok",
            "version": __version__,
            "model": translator.model,
            "engine": translator.engine.name,
            "glossary_entries": len(translator.glossary),
            "queue": {"pending": queue.pending, "running": queue.running, "limit": settings.queue_size, **queue.stats.as_dict()},
        }

    # -- /v1 --------------------------------------------------------------------------------
    async def translate_documents(request: Request, documents: list[list[str]]):
        return await request.app.state.queue.submit(documents, settings.timeout)

    @app.post("/v1/translate", response_model=TranslateResponse, tags=["translate"])
    async def v1_translate(body: TranslateRequest, request: Request):
        """Translate Arabic text, with the per-sentence and per-term report."""
        from ..text.segment import split_paragraphs

        check_chars([body.text], settings.max_chars)
        (result,) = await translate_documents(request, [split_paragraphs(body.text)])
        return result_body(result)

    @app.post("/v1/translate_file", response_model=FileResponseBody, tags=["translate"])
    async def v1_translate_file(
        request: Request,
        file: UploadFile = File(...),
        output: Optional[str] = Form(
            None, description="For a PDF or a scanned image: what to translate it into, docx (the default), md or html."
        ),
    ):
        """Translate a document (its format by its extension); markup is kept. A PDF or a
        scanned image (.png, .jpg, .tiff) is translated into a Word, Markdown or HTML document."""
        from .documents import open_document

        name = Path(file.filename or "").name
        document = open_document(name, await file.read(), output)
        check_chars(document.texts, settings.max_chars)
        (result,) = await translate_documents(request, [document.texts])
        data = document.finish(result)
        body = result_body(result)
        if document.binary:
            import base64

            body["translation"], body["document_base64"] = "", base64.b64encode(data).decode("ascii")
        else:
            body["translation"] = data.decode("utf-8")
        body["filename"] = document.output_name
        return body

    @app.post("/v1/check", tags=["quality"])
    def v1_check(body: CheckRequest):
        """Terminology QA of a translation made elsewhere: missing targets, forbidden renderings."""
        from ..quality.check import check_translation

        check_chars([body.source, body.translation], 2 * settings.max_chars)
        violations = check_translation(body.source, body.translation, service.glossary)
        return {"ok": not violations, "violations": [v.as_dict() for v in violations]}

    @app.post("/v1/score", tags=["quality"])
    def v1_score(body: ScoreRequest):
        """sacrebleu's BLEU, chrF, chrF++, TER (with signatures) and the term success rate."""
        from ..quality.score import parse_metrics, score_systems

        check_chars([*body.hypotheses, *(l for r in body.references for l in r), *(body.sources or [])], 4 * settings.max_chars)
        metrics = parse_metrics(body.metrics)
        (result,) = score_systems(
            [("hypothesis", body.hypotheses)], body.references, metrics, body.sources, service.glossary if body.sources else None
        )
        return result.as_dict()

    @app.get("/v1/glossary", tags=["glossary"])
    def v1_glossary_list(search: Optional[str] = None):
        """Entries; the search matches Arabic in any spelling and English case-insensitively."""
        return {"entries": [e.as_dict() for e in service.search(search)]}

    @app.get("/v1/glossary/entry", tags=["glossary"])
    def v1_glossary_show(term: str):
        """One entry, by Arabic source or variant (any spelling) or English target."""
        return service.show(term).as_dict()

    @app.post("/v1/glossary/find", tags=["glossary"])
    def v1_glossary_find(body: FindRequest):
        """Every occurrence of a glossary term in an Arabic text, with offsets."""
        from ..glossary.matching import Matcher

        check_chars([body.text], settings.max_chars)
        return {"matches": [m.as_dict() for m in Matcher(service.glossary).find(body.text)]}

    @app.post("/v1/glossary/entry", tags=["glossary"], dependencies=[Depends(require_key)], status_code=201)
    def v1_glossary_add(body: EntryRequest):
        """Add an entry (API key). A source that exists in any spelling is refused unless `replace`."""
        from ..glossary.model import Entry

        entry = Entry(body.source.strip(), body.target.strip(), tuple(body.variants), tuple(body.forbidden), body.note.strip())
        written, old = service.add(entry, body.file, body.replace)
        return {"entry": service.show(written.source).as_dict(), "replaced": old.as_dict() if old else None}

    @app.patch("/v1/glossary/entry", tags=["glossary"], dependencies=[Depends(require_key)])
    def v1_glossary_set(source: str, body: EntryChange):
        """Change fields of an entry where it stands (API key)."""
        return {"entry": service.set(source, **body.model_dump()).as_dict()}

    @app.delete("/v1/glossary/entry", tags=["glossary"], dependencies=[Depends(require_key)])
    def v1_glossary_remove(source: str):
        """Remove an entry from its file (API key)."""
        return {"removed": service.remove(source).as_dict()}

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

    @app.exception_handler(QueueFull)
    async def full(request, exc: QueueFull):
        return error(429, f"Slowdown: {exc}", {"Retry-After": str(exc.retry_after)})

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
