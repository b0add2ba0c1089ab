"""tarjama's own API under ``/v1``: translation with its report, terminology QA, scores and
the glossary (reads for everyone, edits with an API key). Its OpenAPI document is at
``/openapi.json``; documents are under :mod:`.files`."""

from __future__ import annotations

import hmac
from typing import List, Optional

from fastapi import APIRouter, Depends, Request
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field

from . import work
from .errors import ApiError, check_chars

router = APIRouter()


# -- request and response bodies (they make the OpenAPI document) -------------------------------
class TranslateRequest(BaseModel):
    text: str = Field(..., description="Arabic text; each line is a paragraph.")


class TranslateResponse(BaseModel):
    translation: str = Field(..., description="The English text, one line per input line.")
    paragraphs: List[str]
    sentences: List[dict] = Field(..., description="Per sentence: source, translation, method, glossary terms, warnings (the `--format json` shape).")
    applied: int
    unresolved: int
    summary: str


class CheckRequest(BaseModel):
    source: str = Field(..., description="Arabic text, one paragraph a line.")
    translation: str = Field(..., description="Its English translation, line-aligned.")


class ScoreRequest(BaseModel):
    hypotheses: List[str] = Field(..., min_length=1, description="Translated lines.")
    references: List[List[str]] = Field(..., min_length=1, description="One or more reference translations, each a list of lines.")
    sources: Optional[List[str]] = Field(None, description="Arabic source lines: adds the term success rate.")
    metrics: List[str] = Field(default_factory=lambda: ["bleu", "chrf", "chrf++", "ter"], min_length=1)


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


key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="A key of the server's --api-key-file.")


def require_key(request: Request, key: Optional[str] = Depends(key_header)) -> None:
    keys = request.app.state.settings.api_keys
    if not keys:
        raise ApiError(403, "glossary edits are disabled on this server (start it with --api-key-file)")
    auth = request.headers.get("authorization", "")
    given = key or (auth[7:].strip() if auth.lower().startswith("bearer ") else "")
    if not given:
        raise ApiError(401, "an API key is required for glossary edits (header X-API-Key)")
    # Compare with every key, in constant time: no early exit that would time a guess.
    ok = False
    for k in keys:
        ok |= hmac.compare_digest(given.encode("utf-8"), k.encode("utf-8"))
    if not ok:
        raise ApiError(403, "Invalid API key")


def _settings(request: Request):
    return request.app.state.settings


def _service(request: Request):
    return request.app.state.service


# -- routes ---------------------------------------------------------------------------------------
@router.post("/v1/translate", response_model=TranslateResponse, tags=["translate"])
async def v1_translate(body: TranslateRequest, request: Request):
    """Translate Arabic text, with the per-sentence and per-term report."""
    from ..text.segment import split_paragraphs

    check_chars([body.text], _settings(request).max_chars)
    (result,) = await work.translate(request, [split_paragraphs(body.text)])
    return result_body(result)


@router.post("/v1/check", tags=["quality"])
def v1_check(body: CheckRequest, request: Request):
    """Terminology QA of a translation made elsewhere: missing targets, forbidden renderings."""
    from ..quality.check import check_translation

    check_chars([body.source, body.translation], 2 * _settings(request).max_chars)
    violations = check_translation(body.source, body.translation, _service(request).glossary)
    return {"ok": not violations, "violations": [v.as_dict() for v in violations]}


@router.post("/v1/score", tags=["quality"])
def v1_score(body: ScoreRequest, request: Request):
    """sacrebleu's BLEU, chrF, chrF++, TER (with signatures) and the term success rate."""
    from ..quality.score import parse_metrics, score_systems

    check_chars([*body.hypotheses, *(l for r in body.references for l in r), *(body.sources or [])], 4 * _settings(request).max_chars)
    metrics = parse_metrics(body.metrics)
    service = _service(request)
    (result,) = score_systems(
        [("hypothesis", body.hypotheses)], body.references, metrics, body.sources, service.glossary if body.sources else None
    )
    return result.as_dict()


@router.get("/v1/glossary", tags=["glossary"])
def v1_glossary_list(request: Request, search: Optional[str] = None):
    """Entries; the search matches Arabic in any spelling and English case-insensitively."""
    return {"entries": [e.as_dict() for e in _service(request).search(search)]}


@router.get("/v1/glossary/entry", tags=["glossary"])
def v1_glossary_show(term: str, request: Request):
    """One entry, by Arabic source or variant (any spelling) or English target."""
    return _service(request).show(term).as_dict()


@router.post("/v1/glossary/find", tags=["glossary"])
def v1_glossary_find(body: FindRequest, request: Request):
    """Every occurrence of a glossary term in an Arabic text, with offsets."""
    from ..glossary.matching import Matcher

    check_chars([body.text], _settings(request).max_chars)
    return {"matches": [m.as_dict() for m in Matcher(_service(request).glossary).find(body.text)]}


@router.post("/v1/glossary/entry", tags=["glossary"], dependencies=[Depends(require_key)], status_code=201)
def v1_glossary_add(body: EntryRequest, request: Request):
    """Add an entry (API key). A source that exists in any spelling is refused unless `replace`."""
    from ..glossary.model import Entry

    service = _service(request)
    entry = Entry(body.source.strip(), body.target.strip(), tuple(body.variants), tuple(body.forbidden), body.note.strip())
    written, old = service.add(entry, body.file, body.replace)
    return {"entry": service.show(written.source).as_dict(), "replaced": old.as_dict() if old else None}


@router.patch("/v1/glossary/entry", tags=["glossary"], dependencies=[Depends(require_key)])
def v1_glossary_set(source: str, body: EntryChange, request: Request):
    """Change fields of an entry where it stands (API key)."""
    return {"entry": _service(request).set(source, **body.model_dump()).as_dict()}


@router.delete("/v1/glossary/entry", tags=["glossary"], dependencies=[Depends(require_key)])
def v1_glossary_remove(source: str, request: Request):
    """Remove an entry from its file (API key)."""
    return {"removed": _service(request).remove(source).as_dict()}
