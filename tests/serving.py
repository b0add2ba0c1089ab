"""Helpers for the server tests: a real server on 127.0.0.1 in this process, a plain HTTP
client, and engines that let a test hold the engine busy."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from fakes import EchoEngine

from tarjama.glossary.model import Glossary

GLOSSARY_TSV = (
    "source\ttarget\tvariants\tforbidden\tnote\n"
    "قسد\tSDF\tقوات سوريا الديمقراطية\tQasad|Syrian Democratic Forces\thouse style is the acronym\n"
    "داعش\tISIS\tتنظيم الدولة\tDaesh|ISIL\t\n"
)


class GateEngine(EchoEngine):
    """The echo engine, whose calls wait while the gate is closed: a test can keep the engine
    busy, queue requests behind it, and then let everything run."""

    name = "gate"

    def __init__(self):
        super().__init__()
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()

    def translate(self, texts, **kwargs):
        self.entered.set()
        if not self.gate.wait(30):
            raise RuntimeError("the test never opened the gate")
        return super().translate(texts, **kwargs)


class FailingEngine(EchoEngine):
    name = "failing"

    def translate(self, texts, **kwargs):
        raise RuntimeError("CUDA out of memory (a simulated engine failure)")


def make_app(engine, glossary_dir=None, **settings):
    from tarjama.server.app import create_app
    from tarjama.server.service import GlossarySource, Service
    from tarjama.server.settings import ServerSettings
    from tarjama.pipeline.translator import Translator

    s = ServerSettings(**settings)
    source = GlossarySource([glossary_dir] if glossary_dir else [])
    memory = None
    if s.cache:
        from tarjama.jobs.translation_memory import TranslationMemory

        memory = TranslationMemory()
    translator = Translator("fake-model", glossary=source.load() if glossary_dir else Glossary(), engine=engine, memory=memory)
    return create_app(Service(translator, source), s)


@contextlib.contextmanager
def running(app):
    """Serve ``app`` with uvicorn on a free port of 127.0.0.1; always stopped on exit."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=10))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            if not thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        else:
            raise RuntimeError("the server did not start within 10 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()
        assert not thread.is_alive(), "the server did not stop"


class Response:
    def __init__(self, status, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


def request(method, url, *, json_body=None, form=None, files=None, data=None, headers=None, timeout=30) -> Response:
    headers = dict(headers or {})
    if json_body is not None:
        data = json.dumps(json_body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    elif form is not None or files is not None:
        data, kind = multipart(form or {}, files or {})
        headers["Content-Type"] = kind
    url = urllib.parse.quote(url, safe=":/?&=%")  # Arabic in a query string
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return Response(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Response(e.code, e.headers, e.read())


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = []
    for name, value in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def wait_until(condition, seconds: float = 20.0, what: str = "condition") -> None:
    """Poll a condition a bounded number of times (never a timing assertion)."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"{what} did not happen within {seconds} s")
