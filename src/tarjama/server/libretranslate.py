"""LibreTranslate's API, so that its clients (CMS plug-ins, browser extensions, CAT tools)
work unchanged: the same routes, parameters (form or JSON), response shapes and errors.

Only Arabic→English exists here: ``source`` is ``ar`` or ``auto``, ``target`` is ``en``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request

from ..text.segment import split_paragraphs
from . import work
from .documents import open_text, supported_extensions
from .errors import ApiError, check_chars

router = APIRouter(tags=["LibreTranslate"])

LANGUAGES = [
    {"code": "ar", "name": "Arabic", "targets": ["en"]},
    {"code": "en", "name": "English", "targets": []},
]
NAMES = {lang["code"]: lang["name"] for lang in LANGUAGES}

_LETTER = re.compile(r"[^\W\d_]")


def detect(text: str) -> list[dict]:
    """LibreTranslate's detections: Arabic when most letters are Arabic, else English;
    the confidence is the share of letters (in %) that says so."""
    from ..text.arabic import has_arabic

    letters = _LETTER.findall(text)
    if not letters:
        return [{"confidence": 0.0, "language": "ar"}]
    arabic = sum(has_arabic(c) for c in letters) / len(letters)
    language = "ar" if arabic >= 0.5 else "en"
    return [{"confidence": round(100 * max(arabic, 1 - arabic), 1), "language": language}]


async def params(request: Request) -> dict:
    """The request's fields, from a JSON body, a form (urlencoded or multipart) or the URL."""

    values: dict = dict(request.query_params)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            body = await request.json()
        except (ValueError, RecursionError):  # RecursionError: nested too deep to be a request
            raise ApiError(400, "Invalid request: the body is not valid JSON") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Invalid request: the JSON body must be an object")
        values.update(body)
    elif kind == "application/x-www-form-urlencoded":
        # Parsed here as UTF-8: `curl -d q=قسد` sends the letters unescaped, and Starlette's
        # form parser would read them as Latin-1.
        try:
            text = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "Invalid request: the form is not UTF-8") from None
        values.update(parse_qsl(text, keep_blank_values=True))
    elif kind == "multipart/form-data":
        form = await request.form()
        values.update({k: v for k, v in form.multi_items()})
    return values


def check_languages(source, target) -> None:
    if not source:
        raise ApiError(400, "Invalid request: missing source parameter")
    if not target:
        raise ApiError(400, "Invalid request: missing target parameter")
    if not isinstance(source, str) or not isinstance(target, str):
        raise ApiError(400, "Invalid request: source and target must be language codes (strings)")
    for code in (source, target):
        if code != "auto" and code not in NAMES:
            raise ApiError(400, f"{code} is not supported")
    if source not in ("ar", "auto") or target != "en":
        s = "ar" if source == "auto" else source
        raise ApiError(
            400, f"{NAMES[target]} ({target}) is not available as a target language from {NAMES[s]} ({s})"
        )


@router.post("/translate")
async def translate(request: Request):
    """Translate a string or a list of strings (`q`), `format` text or html."""
    p = await params(request)
    q, source, target, fmt = p.get("q"), p.get("source"), p.get("target"), p.get("format") or "text"
    if not q:
        raise ApiError(400, "Invalid request: missing q parameter")
    check_languages(source, target)
    batch = isinstance(q, list)
    texts = q if batch else [q]
    if not all(isinstance(t, str) for t in texts):
        raise ApiError(400, "Invalid request: q must be a string or a list of strings")
    if not isinstance(fmt, str) or fmt not in ("text", "html"):
        raise ApiError(400, f"{fmt} format is not supported")
    check_chars(texts, request.app.state.settings.max_chars)
    detections = [detect(t)[0] for t in texts] if source == "auto" else None
    for d in detections or []:
        if d["language"] != "ar":
            raise ApiError(400, f"English (en) is not available as a target language from {NAMES[d['language']]} ({d['language']})")

    if fmt == "html":
        opened = await work.in_thread(lambda: [open_text(t, "html") for t in texts])
        documents = [d.texts for d in opened]
    else:
        documents = [split_paragraphs(t) for t in texts]
    results = await work.translate(request, documents)
    if fmt == "html":
        translated = await work.in_thread(lambda: [d.finish(r).decode("utf-8") for d, r in zip(opened, results)])
    else:
        translated = [r.text for r in results]
    body: dict = {"translatedText": translated if batch else translated[0]}
    if detections is not None:
        body["detectedLanguage"] = detections if batch else detections[0]
    return body


@router.get("/languages")
@router.post("/languages", include_in_schema=False)
def languages():
    """The languages: Arabic, translated into English."""
    return LANGUAGES


@router.post("/detect")
async def detect_route(request: Request):
    """Detect the language of a text: Arabic or English."""
    p = await params(request)
    q = p.get("q")
    if not q or not isinstance(q, str):
        raise ApiError(400, "Invalid request: missing q parameter")
    return detect(q)


@router.get("/frontend/settings")
def frontend_settings(request: Request):
    settings = request.app.state.settings
    return {
        "charLimit": settings.max_chars,
        "frontendTimeout": int(settings.timeout * 1000),
        "apiKeys": False,
        "keyRequired": False,
        "suggestions": False,
        "filesTranslation": True,
        "supportedFilesFormat": supported_extensions(),
        "language": {"source": {"code": "ar", "name": "Arabic"}, "target": {"code": "en", "name": "English"}},
    }
