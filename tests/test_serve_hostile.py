"""`tarjama serve` as a hostile client and a newsroom under load see it: malformed bodies
are 4xx, download URLs work whatever the upload's name, one huge request does not starve
the others, work for a client that hung up is dropped, documents are parsed off the event
loop, a glossary broken by hand is reported, and the command says what it is doing."""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from pathlib import Path

import pytest
from fakes import EchoEngine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from serving import GLOSSARY_TSV, GateEngine, make_app, request, running, wait_until

SENTENCE = "وقالت قسد إن عناصر داعش هاجموا السجن."


@pytest.fixture
def glossary_dir(tmp_path) -> Path:
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "terms.tsv").write_text(GLOSSARY_TSV, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def echo_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("glossary")
    (folder / "terms.tsv").write_text(GLOSSARY_TSV, encoding="utf-8")
    with running(make_app(EchoEngine(), folder, max_chars=2000)) as url:
        yield url


DEEP = "@deep@"  # stands for a list nested 5,000 deep (json.dumps would not write it)


# -- malformed requests: 4xx with a JSON error, never 5xx ----------------------------------------
@pytest.mark.parametrize(
    "path, body",
    [
        ("/translate", {"q": SENTENCE, "source": ["ar"], "target": "en"}),
        ("/translate", {"q": SENTENCE, "source": "ar", "target": {"en": 1}}),
        ("/translate", {"q": SENTENCE, "source": "ar", "target": "en", "format": ["html"]}),
        ("/translate", {"q": DEEP, "source": "ar", "target": "en"}),
        ("/translate_file", {"file": "x", "source": ["ar"], "target": "en"}),
        ("/detect", {"q": DEEP}),
        ("/v1/translate", {"text": DEEP}),
        ("/v1/score", {"hypotheses": ["The SDF said."], "references": []}),
        ("/v1/score", {"hypotheses": [], "references": [[]]}),
        ("/v1/score", {"hypotheses": ["a"], "references": [["a", "b"]]}),
        ("/v1/score", {"hypotheses": ["a"], "references": [["a"]], "metrics": []}),
        ("/v1/score", {"hypotheses": ["a"], "references": [["a"]], "metrics": ["nope"]}),
    ],
)
def test_malformed_requests_are_400_with_a_json_error(echo_server, path, body):
    raw = json.dumps(body, ensure_ascii=False).replace(f'"{DEEP}"', "[" * 5000 + '"x"' + "]" * 5000)
    r = request("POST", f"{echo_server}{path}", data=raw.encode("utf-8"), headers={"Content-Type": "application/json"})
    assert 400 <= r.status < 500, (r.status, r.text)
    assert set(r.json()) == {"error"} and "Traceback" not in r.text


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from(["q", "source", "target", "format", "text", "hypotheses", "references", "sources", "metrics", "translation", "file", "api_key"])
BODIES = st.one_of(
    st.dictionaries(FIELDS, JSON | st.sampled_from(["ar", "en", "auto", "html", "text", SENTENCE]), max_size=5),
    JSON,
)
ROUTES = st.sampled_from(["/translate", "/detect", "/translate_file", "/languages", "/v1/translate", "/v1/check",
                          "/v1/score", "/v1/glossary/find", "/v1/translate_file", "/v1/glossary/entry"])
KINDS = st.sampled_from(["application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", ""])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=ROUTES, body=BODIES, kind=KINDS, raw=st.booleans())
def test_fuzzed_bodies_never_get_a_5xx(echo_server, path, body, kind, raw):
    if raw or kind != "application/x-www-form-urlencoded":
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    else:
        pairs = body.items() if isinstance(body, dict) else [("q", body)]
        data = urllib.parse.urlencode([(k, json.dumps(v) if not isinstance(v, str) else v) for k, v in pairs]).encode()
    headers = {"Content-Type": kind} if kind else {}
    r = request("POST", f"{echo_server}{path}", data=data, headers=headers)
    assert r.status < 500, (path, body, r.status, r.text)
    if r.status >= 400:
        assert isinstance(r.json().get("error"), str)


# -- download URLs -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["report #2.txt", "what?.txt", "100%25 done.txt", "a%2Fb.md", "C:\\Users\\editor\\Desktop\\brief.txt",
     "../../etc/passwd.txt", ".hidden.txt", "تقرير الحسكة.txt", "  spaced  name .html", "#?%.txt"],
)
def test_translate_file_download_url_works_for_hostile_names(echo_server, name):
    text = f"{SENTENCE}\n".encode("utf-8")
    if name.endswith(".html"):
        text = f"<p>{SENTENCE}</p>".encode("utf-8")
    r = request("POST", f"{echo_server}/translate_file", form={"source": "ar", "target": "en"}, files={"file": (name, text)})
    assert r.status == 200, r.text
    url = r.json()["translatedFileUrl"]
    assert url.startswith(f"{echo_server}/download_file/")
    assert not any(c in url[len(echo_server):] for c in "#?\\ ")
    d = request("GET", url)
    assert d.status == 200, (url, d.text)
    assert "SDF" in d.text and "ISIS" in d.text
    disposition = d.headers["Content-Disposition"]
    assert ".." not in disposition and "/" not in disposition.split("filename", 1)[1] and "\\" not in disposition


def test_safe_names():
    from tarjama.server.files import safe_name

    assert safe_name("C:\\Users\\x\\a#b?.docx") == "a_b.docx"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..txt") == "document.txt"
    assert safe_name("تقرير.txt") == "تقرير.txt"
    assert safe_name("") == "" and safe_name("///") == ""


# -- fairness and cancellation -------------------------------------------------------------------
def test_a_short_request_is_served_between_the_pieces_of_a_huge_one():
    """The queue takes pieces round-robin: a small client that arrives while a huge job is
    translated is served in the very next batch, not after the whole huge job."""
    from tarjama.server.queue import BatchQueue

    gate, entered, calls = threading.Event(), threading.Event(), []

    def translate(documents):
        entered.set()
        gate.wait(30)
        calls.append([p for d in documents for p in d])
        return [" ".join(d).upper() for d in documents]

    queue = BatchQueue(translate, wait=0, max_paragraphs=64, piece_paragraphs=8)
    try:
        huge = queue.put([[f"item {i}"] for i in range(1000)], client="10.0.0.1")
        wait_until(entered.is_set, what="the first batch")
        small = queue.put([["short one"]], client="10.0.0.2")
        also_huge = queue.put([[f"more {i}"] for i in range(100)], client="10.0.0.1")
        gate.set()
        assert small.result(30) == ["SHORT ONE"]
        assert huge.result(30) == [f"ITEM {i}" for i in range(1000)]
        assert also_huge.result(30) == [f"MORE {i}" for i in range(100)]
    finally:
        queue.close(30)
    # The small request went into the second batch, beside the huge one's next pieces.
    assert "short one" in calls[1]
    assert all(len(c) <= 64 for c in calls)
    # Within one client, its requests take turns too: the second began before the first ended.
    first_more = next(i for i, c in enumerate(calls) if "more 0" in c)
    assert first_more < next(i for i, c in enumerate(calls) if "item 999" in c)


def test_a_long_document_is_cut_and_joined_back():
    """A document of many paragraphs goes to the engine in pieces and comes back whole, its
    sentences numbered by their paragraph in the document."""
    from tarjama.pipeline.translator import Translator

    engine = EchoEngine()
    paragraphs = [f"الفقرة رقم {i} هنا." for i in range(1, 41)]
    with running(make_app(engine, cache=False, batch_paragraphs=16)) as url:
        body = request("POST", f"{url}/v1/translate", json_body={"text": "\n".join(paragraphs)}).json()
    whole = Translator("fake-model", glossary=None, engine=EchoEngine()).translate_many([paragraphs])[0]
    assert body["paragraphs"] == whole.paragraphs
    assert [s["paragraph"] for s in body["sentences"]] == [s.paragraph for s in whole.sentences] == list(range(1, 41))
    assert len(engine.calls) >= 3 and max(len(c) for c in engine.calls) <= 16


def test_work_of_a_client_that_hung_up_is_dropped():
    engine = GateEngine()
    engine.gate.clear()
    with running(make_app(engine, cache=False)) as url:
        busy = threading.Thread(target=lambda: request("POST", f"{url}/v1/translate", json_body={"text": "أولى"}))
        busy.start()
        wait_until(engine.entered.is_set, what="the engine busy")
        host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
        body = json.dumps({"q": ["ثانية"] * 500, "source": "ar", "target": "en"}).encode("utf-8")
        with socket.create_connection((host, port)) as s:
            s.sendall(b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            wait_until(lambda: request("GET", f"{url}/health").json()["queue"]["pending"] == 1, what="the job queued")
        # The client has hung up: its job leaves the queue before any of it is translated.
        wait_until(lambda: request("GET", f"{url}/health").json()["queue"]["cancelled"] == 1, what="the job cancelled")
        assert request("GET", f"{url}/health").json()["queue"]["pending"] == 0
        engine.gate.set()
        busy.join(30)
    assert engine.calls == [["أولى"]]


# -- documents off the event loop ------------------------------------------------------------------
def test_health_answers_while_an_upload_is_parsed(monkeypatch):
    """Parsing runs in a worker thread: while one upload's parsing is stuck, /health and
    other requests are answered (on the event loop, this request would time out)."""
    import tarjama.server.documents as documents

    parsing, release = threading.Event(), threading.Event()
    real = documents.open_document

    def slow_open(name, data, *args, **kwargs):
        parsing.set()
        release.wait(30)
        return real(name, data, *args, **kwargs)

    monkeypatch.setattr(documents, "open_document", slow_open)
    with running(make_app(EchoEngine())) as url:
        results = []
        upload = threading.Thread(target=lambda: results.append(
            request("POST", f"{url}/v1/translate_file", files={"file": ("big.txt", (SENTENCE + "\n").encode() * 200)})))
        upload.start()
        try:
            wait_until(parsing.is_set, what="the parsing")
            assert request("GET", f"{url}/health", timeout=5).json()["status"] == "ok"
            r = request("POST", f"{url}/translate", json_body={"q": "قسد", "source": "ar", "target": "en"}, timeout=5)
            assert r.status == 200
        finally:
            release.set()
            upload.join(30)
    assert results[0].status == 200


# -- the glossary broken by hand -------------------------------------------------------------------
def test_a_glossary_broken_by_hand_is_reported_and_the_last_good_one_kept(glossary_dir, capfd):
    with running(make_app(EchoEngine(), glossary_dir, cache=False)) as url:
        health = request("GET", f"{url}/health").json()
        assert health["status"] == "ok" and health["glossary"]["entries"] == 2 and health["glossary"]["error"] is None
        loaded_at = health["glossary"]["loaded_at"]
        (glossary_dir / "terms.tsv").write_text(GLOSSARY_TSV + "حلب\t\t\t\t\n", encoding="utf-8")  # no target
        for _ in range(3):
            health = request("GET", f"{url}/health").json()
            translated = request("POST", f"{url}/v1/translate", json_body={"text": SENTENCE}).json()["translation"]
            assert "SDF" in translated and "ISIS" in translated  # the last good glossary
        assert health["status"] == "degraded"
        assert health["glossary"]["entries"] == 2 and health["glossary"]["loaded_at"] == loaded_at
        assert health["glossary"]["error"].startswith("terms.tsv:4: empty target")
        assert str(glossary_dir) not in json.dumps(health)  # no server paths
        (glossary_dir / "terms.tsv").write_text(GLOSSARY_TSV + "حلب\tAleppo\t\t\t\n", encoding="utf-8")
        health = request("GET", f"{url}/health").json()
        assert health["status"] == "ok" and health["glossary"]["entries"] == 3 and health["glossary"]["error"] is None
    err = capfd.readouterr().err
    lines = [l for l in err.splitlines() if "glossary not reloaded" in l]
    assert len(lines) == 1, err  # one line, however many requests met the broken file
    assert "the last good one (2 entries) stays in use" in lines[0] and "empty target" in lines[0]


# -- the command ------------------------------------------------------------------------------------
def test_serve_without_its_extra_is_one_line(runner, monkeypatch):
    import sys

    from tarjama.cli import app

    monkeypatch.setitem(sys.modules, "uvicorn", None)
    r = runner.invoke(app, ["serve", "--engine", "echo-never-loaded"])
    assert r.exit_code == 2
    assert r.output.strip() == 'Error: the server needs the "serve" extra (uvicorn is missing): pip install -e ".[serve]" in a clone of tarjama'


def test_every_serve_option_reads_the_environment(runner, monkeypatch, tmp_path, glossary_dir):
    import tarjama.server.run as run

    from tarjama.cli import app

    seen = {}
    monkeypatch.setattr(run, "serve", lambda settings, host, port, workers: seen.update(settings=settings, host=host, port=port, workers=workers))
    keys = tmp_path / "keys"
    keys.write_text("k" * 20 + "\n")
    env = {"TARJAMA_HOST": "127.0.0.2", "TARJAMA_PORT": "8123", "TARJAMA_MAX_CHARS": "77", "TARJAMA_QUEUE_SIZE": "5",
           "TARJAMA_TIMEOUT": "9", "TARJAMA_NO_CACHE": "1", "TARJAMA_API_KEY_FILE": str(keys), "TARJAMA_WORKERS": "2",
           "TARJAMA_GLOSSARY": str(glossary_dir), "TARJAMA_CORS_ORIGIN": "https://cms.example", "TARJAMA_BATCH_WAIT_MS": "0"}
    r = runner.invoke(app, ["serve", "--queue-size", "6"], env=env)
    assert r.exit_code == 0, r.output
    s = seen["settings"]
    assert (seen["host"], seen["port"], seen["workers"]) == ("127.0.0.2", 8123, 2)
    assert (s.max_chars, s.queue_size, s.timeout, s.cache, s.api_keys, s.batch_wait) == (77, 6, 9.0, False, ["k" * 20], 0.0)
    assert s.glossary == [str(glossary_dir)] and s.cors_origins == ["https://cms.example"]
    r = runner.invoke(app, ["serve"], env={"TARJAMA_PORT": "eighty"})
    assert r.exit_code == 2 and "Invalid value for '--port'" in r.output
