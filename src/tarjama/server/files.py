"""Documents: LibreTranslate's ``/translate_file`` (with ``/download_file``) and
``/v1/translate_file``.

An upload's name is reduced to a safe one (its last part, letters, digits, ``.``, ``-``
and ``_``, its suffix kept) before anything else, so a download URL always works; parsing
and rebuilding run in a worker thread, never on the event loop.
"""

from __future__ import annotations

import base64
import re
import shutil
import tempfile
import threading
import uuid
from pathlib import Path, PureWindowsPath
from typing import Optional
from urllib.parse import quote

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import Field

from ..files import write_atomic
from . import work
from .errors import ApiError, check_chars
from .v1 import TranslateResponse, result_body

router = APIRouter()

_UNSAFE = re.compile(r"[^\w.-]+")


def safe_name(filename: str | None) -> str:
    """A file name fit for a URL and a folder: the last part of a path (``/`` or ``\\``),
    runs of other characters than letters, digits, ``.``, ``-``, ``_`` made one ``_``, no
    leading dot, the suffix kept; "" when nothing is left."""
    name = PureWindowsPath(filename or "").name  # both / and \ separate folders
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\.{2,}", ".", name)
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem.strip("._")[:120]
    if not stem:
        stem = "document" if suffix else ""
    return f"{stem}.{suffix}" if suffix else stem


class FileResponseBody(TranslateResponse):
    filename: str
    document_base64: Optional[str] = Field(None, description="The translated document itself, for binary formats (.docx, .odt, .odp, .pptx, .xlsx, .epub), base64-encoded; `translation` is then empty.")


async def translate_upload(request: Request, filename: str | None, data: bytes):
    """(name, opened document, result, translated bytes) of an upload."""
    from .documents import open_document

    name = safe_name(filename)
    if not name:
        raise ApiError(400, "Invalid request: the file has no name")
    document = await work.in_thread(open_document, name, data)
    check_chars(document.texts, request.app.state.settings.max_chars)
    (result,) = await work.translate(request, [document.texts])
    output = await work.in_thread(document.finish, result)
    return name, result, output


@router.post("/translate_file", tags=["LibreTranslate"])
async def translate_file(request: Request):
    """Translate a file (every format tarjama reads); returns the URL to download it from."""
    from starlette.datastructures import UploadFile as Upload

    from .libretranslate import check_languages, params

    p = await params(request)
    upload = p.get("file")
    if not isinstance(upload, Upload):
        raise ApiError(400, "Invalid request: missing file parameter")
    check_languages(p.get("source"), p.get("target"))
    name, _, output = await translate_upload(request, upload.filename, await upload.read())
    stored = await work.in_thread(request.app.state.files.put, name, output)
    return {"translatedFileUrl": str(request.url_for("download_file", filename=quote(stored)))}


@router.get("/download_file/{filename}", name="download_file", tags=["LibreTranslate"])
def download_file(filename: str, request: Request):
    """A file that /translate_file translated."""
    path = request.app.state.files.get(filename)
    if path is None:
        raise ApiError(404, "Invalid filename")
    return FileResponse(path, filename=filename.split(".", 1)[1], media_type="application/octet-stream")


@router.post("/v1/translate_file", response_model=FileResponseBody, tags=["translate"])
async def v1_translate_file(request: Request, file: UploadFile = File(...)):
    """Translate a document (its format by its extension); markup is kept."""
    from ..formats import format_for

    name, result, output = await translate_upload(request, file.filename, await file.read())
    body = result_body(result)
    if format_for(name).binary:
        body["translation"], body["document_base64"] = "", base64.b64encode(output).decode("ascii")
    else:
        body["translation"] = output.decode("utf-8")
    body["filename"] = name
    return body


class FileStore:
    """Translated files kept for download: the most recent ``keep``, in a private temporary
    folder that is removed when the server stops."""

    NAME = re.compile(r"^[0-9a-f]{32}\.[\w.-]+$")

    def __init__(self, keep: int = 256):
        self.folder = Path(tempfile.mkdtemp(prefix="tarjama-serve-"))
        self.keep = keep
        self.names: list[str] = []
        self.lock = threading.Lock()

    def put(self, name: str, data: bytes) -> str:
        stored = f"{uuid.uuid4().hex}.{safe_name(name)}"
        write_atomic(self.folder / stored, data)
        with self.lock:
            self.names.append(stored)
            while len(self.names) > self.keep:
                (self.folder / self.names.pop(0)).unlink(missing_ok=True)
        return stored

    def get(self, filename: str) -> Path | None:
        with self.lock:
            known = filename in self.names
        if not known or not self.NAME.match(filename):
            return None
        return self.folder / filename

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
