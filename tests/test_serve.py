"""`tarjama serve`: the LibreTranslate API (with a real client), the /v1 API, batching
across requests, limits and errors. Every server runs on 127.0.0.1 and is stopped."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from fakes import EchoEngine
from serving import (
    GLOSSARY_TSV,
    FailingEngine,
    GateEngine,
    make_app,
    request,
    running,
    wait_until,
)

from tarjama.glossary.model import load_glossary
from tarjama.pipeline.translator import Translator

KEY = "k" * 8 + "-test-key-0123456789"
SENTENCE = "وقالت قسد إن عناصر داعش هاجموا السجن."


@pytest.fixture
def glossary_dir(tmp_path) -> Path:
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "terms.tsv").write_text(GLOSSARY_TSV, encoding="utf-8")
    return folder


def expected(text: str, glossary_dir: Path) -> str:
    """What the Python API gives for the same text, engine and glossary."""
    return Translator("fake-model", glossary=load_glossary([glossary_dir]), engine=EchoEngine()).translate(text)


# -- LibreTranslate compatibility ----------------------------------------------------------
def test_libretranslate_client_translates_detects_and_lists(glossary_dir):
    from libretranslatepy import LibreTranslateAPI

    with running(make_app(EchoEngine(), glossary_dir)) as url:
        lt = LibreTranslateAPI(url)
        translated = lt.translate(SENTENCE, "ar", "en")
        assert translated == expected(SENTENCE, glossary_dir)
        assert "SDF" in translated and "ISIS" in translated
        assert lt.translate("سطر أول\n\nسطر ثالث", "auto", "en").split("\n")[1] == ""
        assert lt.detect(SENTENCE) == [{"confidence": 100.0, "language": "ar"}]
        assert lt.detect("The SDF said so")[0]["language"] == "en"
        assert {lang["code"]: lang["targets"] for lang in lt.languages()} == {"ar": ["en"], "en": []}


def test_libretranslate_shapes_json_form_lists_auto_and_html(glossary_dir):
    engine = EchoEngine()
    with running(make_app(engine, glossary_dir)) as url:
        r = request("POST", f"{url}/translate", json_body={"q": [SENTENCE, "داعش"], "source": "ar", "target": "en"})
        assert r.status == 200
        assert r.json() == {"translatedText": [expected(SENTENCE, glossary_dir), expected("داعش", glossary_dir)]}

        r = request("POST", f"{url}/translate", json_body={"q": SENTENCE, "source": "auto", "target": "en"})
        assert r.json() == {"translatedText": expected(SENTENCE, glossary_dir), "detectedLanguage": {"confidence": 100.0, "language": "ar"}}
        r = request("POST", f"{url}/translate", json_body={"q": ["قسد", "داعش"], "source": "auto", "target": "en"})
        assert r.json()["detectedLanguage"] == [{"confidence": 100.0, "language": "ar"}] * 2

        # A form with the letters unescaped (as `curl -d q=...` sends it) is read as UTF-8.
        raw = f"q={SENTENCE}&source=ar&target=en".encode("utf-8")
        r = request("POST", f"{url}/translate", data=raw, headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.json() == {"translatedText": expected(SENTENCE, glossary_dir)}

        html = '<p class="x">قالت <b>قسد</b> اليوم</p><code>قسد</code>'
        r = request("POST", f"{url}/translate", form={"q": html, "source": "ar", "target": "en", "format": "html"})
        out = r.json()["translatedText"]
        assert out.startswith('<p class="x">') and "<b>SDF</b>" in out
        assert "<code>قسد</code>" in out  # code is never translated

        settings = request("GET", f"{url}/frontend/settings").json()
        assert settings["charLimit"] == 20000 and {".txt", ".md", ".html"} <= set(settings["supportedFilesFormat"])


@pytest.mark.parametrize(
    "body, status, message",
    [
        ({"source": "ar", "target": "en"}, 400, "Invalid request: missing q parameter"),
        ({"q": "قسد", "target": "en"}, 400, "Invalid request: missing source parameter"),
        ({"q": "قسد", "source": "ar"}, 400, "Invalid request: missing target parameter"),
        ({"q": "قسد", "source": "ar", "target": "fr"}, 400, "fr is not supported"),
        ({"q": "hi", "source": "en", "target": "en"}, 400, "English (en) is not available as a target language from English (en)"),
        ({"q": "hello there", "source": "auto", "target": "en"}, 400, "English (en) is not available as a target language from English (en)"),
        ({"q": "قسد", "source": "ar", "target": "en", "format": "pdf"}, 400, "pdf format is not supported"),
        ({"q": [1, 2], "source": "ar", "target": "en"}, 400, "Invalid request: q must be a string or a list of strings"),
    ],
)
def test_libretranslate_errors(glossary_dir, body, status, message):
    with running(make_app(EchoEngine(), glossary_dir)) as url:
        r = request("POST", f"{url}/translate", json_body=body)
        assert (r.status, r.json()) == (status, {"error": message})
        r = request("POST", f"{url}/detect", json_body={})
        assert (r.status, r.json()) == (400, {"error": "Invalid request: missing q parameter"})


def test_libretranslate_translate_file_and_download(glossary_dir):
    markdown = "# قسد\n\nقالت `قسد` إن **داعش** هاجم.\n\n```\nقسد\n```\n"
    with running(make_app(EchoEngine(), glossary_dir)) as url:
        r = request("POST", f"{url}/translate_file", form={"source": "ar", "target": "en"}, files={"file": ("news.md", markdown.encode())})
        assert r.status == 200, r.text
        link = r.json()["translatedFileUrl"]
        assert link.startswith(f"{url}/download_file/") and link.endswith(".news.md")
        d = request("GET", link)
        assert d.status == 200
        assert 'filename="news.md"' in d.headers["content-disposition"]
        text = d.text
        assert text.startswith("# SDF\n") and "`قسد`" in text and "**ISIS**" in text and "```\nقسد\n```" in text

        r = request("POST", f"{url}/translate_file", form={"source": "ar", "target": "en"}, files={"file": ("photo.jpg", b"\xff\xd8")})
        assert (r.status, r.json()) == (400, {"error": "Invalid request: file format not supported"})
        r = request("POST", f"{url}/translate_file", form={"source": "ar", "target": "en"}, files={"file": ("old.txt", "قالت قسد ".encode() + b"\xff")})
        assert r.status == 400 and r.json()["error"].startswith("old.txt: not UTF-8: byte 0xff"), r.json()
        r = request("POST", f"{url}/translate_file", form={"source": "ar", "target": "en"})
        assert (r.status, r.json()) == (400, {"error": "Invalid request: missing file parameter"})
        assert request("GET", f"{url}/download_file/..%2F..%2Fetc%2Fpasswd").status == 404
        assert request("GET", f"{url}/download_file/{'0' * 32}.news.md").status == 404


# -- tarjama's own API ------------------------------------------------------------------------
def test_v1_translate_report_check_score_and_glossary_reads(glossary_dir):
    with running(make_app(EchoEngine(), glossary_dir)) as url:
        r = request("POST", f"{url}/v1/translate", json_body={"text": SENTENCE + "\n\n123"})
        body = r.json()
        assert r.status == 200
        assert body["translation"] == expected(SENTENCE + "\n\n123", glossary_dir)
        assert body["paragraphs"][1:] == ["", "123"]
        assert (body["applied"], body["unresolved"], body["summary"]) == (2, 0, "2 glossary terms applied, 0 unresolved")
        first = body["sentences"][0]
        assert [(t["source"], t["target"], t["text"], t["status"]) for t in first["glossary"]] == [
            ("قسد", "SDF", "قسد", "applied"),
            ("داعش", "ISIS", "داعش", "applied"),
        ]
        assert SENTENCE[first["glossary"][0]["start"] : first["glossary"][0]["end"]] == "قسد"
        assert body["sentences"][1]["method"] == "copied"

        r = request("POST", f"{url}/v1/check", json_body={"source": SENTENCE, "translation": "Qasad said Daesh attacked."})
        kinds = sorted((v["kind"], v["target"]) for v in r.json()["violations"])
        assert r.json()["ok"] is False
        assert kinds == [("forbidden", "ISIS"), ("forbidden", "SDF"), ("missing", "ISIS"), ("missing", "SDF")]

        ref = ["The SDF said ISIS attacked the prison."]
        r = request("POST", f"{url}/v1/score", json_body={"hypotheses": ref, "references": [ref], "sources": [SENTENCE], "metrics": ["bleu", "chrf"]})
        scores = r.json()
        assert [m["name"] for m in scores["metrics"]] == ["BLEU", "chrF2"]
        assert scores["metrics"][0]["score"] == 100.0 and scores["term_success"]["hits"] == 2
        r = request("POST", f"{url}/v1/score", json_body={"hypotheses": ["a", "b"], "references": [["a"]]})
        assert r.status == 400 and "line counts differ" in r.json()["error"]

        r = request("GET", f"{url}/v1/glossary?search=الدوله")
        assert [e["target"] for e in r.json()["entries"]] == ["ISIS"]
        r = request("GET", f"{url}/v1/glossary/entry?term=sdf")
        assert r.json()["source"] == "قسد" and r.json()["forbidden"] == ["Qasad", "Syrian Democratic Forces"]
        r = request("GET", f"{url}/v1/glossary/entry?term=nothing")
        assert (r.status, r.json()) == (404, {"error": "no glossary entry for 'nothing'"})
        r = request("POST", f"{url}/v1/glossary/find", json_body={"text": "وبقوات سوريا الديمقراطية"})
        (m,) = r.json()["matches"]
        assert (m["target"], m["text"]) == ("SDF", "قوات سوريا الديمقراطية")

        r = request("POST", f"{url}/v1/translate", json_body={"txt": "x"})
        assert r.status == 400 and r.json()["error"].startswith("Invalid request: text: Field required")
        spec = request("GET", f"{url}/openapi.json").json()
        for path in ("/v1/translate", "/v1/check", "/v1/score", "/v1/glossary", "/v1/glossary/entry", "/translate", "/health"):
            assert path in spec["paths"]
        assert "X-API-Key" in json.dumps(spec["components"]["securitySchemes"])


def test_v1_translate_file_keeps_markup(glossary_dir):
    html = "<html lang=\"ar\" dir=\"rtl\"><body><h1>قسد</h1><script>var a = 'قسد';</script></body></html>"
    with running(make_app(EchoEngine(), glossary_dir)) as url:
        r = request("POST", f"{url}/v1/translate_file", files={"file": ("page.html", html.encode())})
        body = r.json()
        assert body["filename"] == "page.html"
        assert "<h1>SDF</h1>" in body["translation"] and "var a = 'قسد';" in body["translation"]
        assert '<html lang="en" dir="ltr">' in body["translation"]  # where the source said Arabic
        assert body["applied"] == 1


def test_glossary_edits_need_a_key_and_change_later_translations(glossary_dir):
    tsv = glossary_dir / "terms.tsv"
    with running(make_app(EchoEngine(), glossary_dir, api_keys=[KEY])) as url:
        new = {"source": "الحسكة", "target": "Hasakah", "forbidden": ["Hasaka"]}
        assert request("POST", f"{url}/v1/glossary/entry", json_body=new).status == 401
        r = request("POST", f"{url}/v1/glossary/entry", json_body=new, headers={"X-API-Key": KEY[:-1] + "x"})
        assert (r.status, r.json()) == (403, {"error": "Invalid API key"})
        assert "الحسكة" not in tsv.read_text(encoding="utf-8")
        before = request("POST", f"{url}/v1/translate", json_body={"text": "في الحسكة"}).json()
        assert before["applied"] == 0

        r = request("POST", f"{url}/v1/glossary/entry", json_body=new, headers={"X-API-Key": KEY})
        assert r.status == 201 and r.json()["entry"]["file"] == str(glossary_dir / "custom.tsv")
        after = request("POST", f"{url}/v1/translate", json_body={"text": "في الحسكة"}).json()
        assert after["applied"] == 1 and "Hasakah" in after["translation"]

        r = request("POST", f"{url}/v1/glossary/entry", json_body={"source": "الحسكه", "target": "X"}, headers={"Authorization": f"Bearer {KEY}"})
        assert r.status == 400 and r.json()["error"].endswith("already exists (" + str(glossary_dir / "custom.tsv") + ':2: الحسكة → Hasakah); send "replace": true to replace it, or PATCH /v1/glossary/entry to edit it')
        r = request("PATCH", f"{url}/v1/glossary/entry?source=قسد", json_body={"target": "S.D.F."}, headers={"X-API-Key": KEY})
        assert r.json()["entry"]["target"] == "S.D.F."
        assert "قسد\tS.D.F.\t" in tsv.read_text(encoding="utf-8")
        assert "S.D.F." in request("POST", f"{url}/v1/translate", json_body={"text": "قسد"}).json()["translation"]
        r = request("DELETE", f"{url}/v1/glossary/entry?source=داعش", headers={"X-API-Key": KEY})
        assert r.json()["removed"]["target"] == "ISIS"
        assert "داعش" not in tsv.read_text(encoding="utf-8")
        r = request("POST", f"{url}/v1/glossary/entry", json_body={**new, "source": "حلب", "file": "../evil.tsv"}, headers={"X-API-Key": KEY})
        assert r.status == 400 and not (glossary_dir.parent / "evil.tsv").exists()

    # An edit made by another process (another server, the CLI) is seen too.
    with running(make_app(EchoEngine(), glossary_dir)) as url:
        r = request("POST", f"{url}/v1/glossary/entry", json_body=new, headers={"X-API-Key": KEY})
        assert (r.status, r.json()["error"]) == (403, "glossary edits are disabled on this server (start it with --api-key-file)")
        from tarjama.glossary.tools.edit import set_fields

        set_fields(glossary_dir / "custom.tsv", "الحسكة", target="Al-Hasakah")
        assert "Al-Hasakah" in request("POST", f"{url}/v1/translate", json_body={"text": "الحسكة"}).json()["translation"]


# -- batching, memory, limits -----------------------------------------------------------------
def in_threads(calls):
    """Run each call in its own thread; return their results in order once all are done."""
    results = [None] * len(calls)

    def run(i, call):
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    return threads, results


def test_requests_that_arrive_together_share_engine_batches():
    engine = GateEngine()
    engine.gate.clear()
    sentences = [f"الجملة رقم {n} هنا." for n in range(1, 7)]
    with running(make_app(engine, cache=False)) as url:
        post = lambda s: lambda: request("POST", f"{url}/v1/translate", json_body={"text": s})  # noqa: E731
        first, first_result = in_threads([post(sentences[0])])
        wait_until(engine.entered.is_set, what="the first batch reaching the engine")
        # The engine is busy: these five requests wait in the queue together...
        rest, rest_results = in_threads([post(s) for s in sentences[1:]])
        wait_until(lambda: request("GET", f"{url}/health").json()["queue"]["pending"] == 5, what="five queued requests")
        engine.gate.set()
        for t in first + rest:
            t.join(30)
        health = request("GET", f"{url}/health").json()
    # ... and went to the engine as one batch.
    assert engine.calls == [[sentences[0]], sorted(sentences[1:], key=lambda s: engine.calls[1].index(s))]
    assert sorted(engine.calls[1]) == sorted(sentences[1:])
    assert all(r.status == 200 for r in first_result + rest_results)
    assert [r.json()["translation"] for r in rest_results] == [EchoEngine().render(s) for s in sentences[1:]]
    assert health["queue"]["batches"] == 2 and health["queue"]["largest_batch_jobs"] == 5


def test_full_queue_answers_429_with_retry_after():
    engine = GateEngine()
    engine.gate.clear()
    with running(make_app(engine, queue_size=2, cache=False)) as url:
        post = lambda s: lambda: request("POST", f"{url}/v1/translate", json_body={"text": s})  # noqa: E731
        busy, _ = in_threads([post("أ")])
        wait_until(engine.entered.is_set, what="the engine busy")
        queued, queued_results = in_threads([post("ب"), post("ت")])
        wait_until(lambda: request("GET", f"{url}/health").json()["queue"]["pending"] == 2, what="a full queue")
        r = request("POST", f"{url}/translate", json_body={"q": "ث", "source": "ar", "target": "en"})
        assert r.status == 429
        assert int(r.headers["Retry-After"]) >= 1
        assert r.json()["error"].startswith("Slowdown: the translation queue is full")
        engine.gate.set()
        for t in busy + queued:
            t.join(30)
        assert all(x.status == 200 for x in queued_results)


def test_request_timeout_is_504_and_the_dropped_job_never_runs():
    engine = GateEngine()
    engine.gate.clear()
    with running(make_app(engine, timeout=0.3, cache=False)) as url:
        busy, busy_result = in_threads([lambda: request("POST", f"{url}/v1/translate", json_body={"text": "أولى"})])
        wait_until(engine.entered.is_set, what="the engine busy")
        r = request("POST", f"{url}/v1/translate", json_body={"text": "ثانية"})
        assert r.status == 504 and r.json()["error"].startswith("Cannot translate text: the translation took longer than 0.3 s")
        engine.gate.set()
        busy[0].join(30)
        wait_until(lambda: request("GET", f"{url}/health").json()["queue"]["pending"] == 0, what="an empty queue")
    assert busy_result[0].status == 504  # it waited past its timeout too, but it had started
    assert engine.calls == [["أولى"]]  # the second job was dropped before any work


def test_size_limits_are_413():
    with running(make_app(EchoEngine(), max_chars=50)) as url:
        r = request("POST", f"{url}/translate", json_body={"q": "ب" * 51, "source": "ar", "target": "en"})
        assert (r.status, r.json()) == (413, {"error": "Invalid request: request (51) exceeds text limit (50)"})
        r = request("POST", f"{url}/v1/translate", json_body={"text": "ب" * 51})
        assert r.status == 413
        r = request("POST", f"{url}/translate", json_body={"q": ["ب" * 30, "ب" * 30], "source": "ar", "target": "en"})
        assert r.status == 413
        big = b"q=" + b"x" * (6 * 50 + 65536)
        r = request("POST", f"{url}/translate", data=big, headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status == 413 and "exceeds the size limit" in r.json()["error"]
        assert request("POST", f"{url}/translate", json_body={"q": "ب" * 50, "source": "ar", "target": "en"}).status == 200


def test_translation_memory_serves_repeats():
    engine = EchoEngine()
    with running(make_app(engine)) as url:
        first = request("POST", f"{url}/v1/translate", json_body={"text": SENTENCE}).json()
        second = request("POST", f"{url}/v1/translate", json_body={"text": SENTENCE}).json()
    assert first == second
    assert len(engine.calls) == 1


def test_no_traceback_in_any_response_and_no_cors_unless_asked():
    with running(make_app(FailingEngine())) as url:
        r = request("POST", f"{url}/translate", json_body={"q": "قسد", "source": "ar", "target": "en"})
        assert (r.status, r.json()) == (500, {"error": "Cannot translate text: internal error (see the server's log)"})
        r = request("POST", f"{url}/v1/translate", data=b"{not json", headers={"Content-Type": "application/json"})
        assert r.status == 400 and "Traceback" not in r.text
        r = request("POST", f"{url}/translate", data=b"{not json", headers={"Content-Type": "application/json"})
        assert (r.status, r.json()) == (400, {"error": "Invalid request: the body is not valid JSON"})
        assert request("GET", f"{url}/nothing").json() == {"error": "Not Found"}
        r = request("GET", f"{url}/health", headers={"Origin": "https://cms.example"})
        assert r.status == 200 and "access-control-allow-origin" not in {k.lower() for k in r.headers}
    with running(make_app(EchoEngine(), cors_origins=["https://cms.example"])) as url:
        r = request("GET", f"{url}/health", headers={"Origin": "https://cms.example"})
        assert r.headers["access-control-allow-origin"] == "https://cms.example"


def test_the_real_model_path(tiny_model, glossary_dir):
    from tarjama.server.app import create_app
    from tarjama.server.settings import ServerSettings, build_service

    settings = ServerSettings(model=str(tiny_model), glossary=[str(glossary_dir)], beams=1, device="cpu", threads=1)
    service = build_service(settings)
    # A server's batches are larger than the command line's (its requests share them).
    from tarjama.server.settings import SERVER_BATCH_TOKENS

    assert service.translator.engine.batch_tokens == SERVER_BATCH_TOKENS
    assert build_service(ServerSettings(model=str(tiny_model), no_glossary=True, beams=1, batch_tokens=300)).translator.engine.batch_tokens == 300
    with running(create_app(service, settings)) as url:
        health = request("GET", f"{url}/health").json()
        assert (health["status"], health["engine"], health["glossary"]["entries"], health["glossary"]["error"]) == ("ok", "transformers", 2, None)
        # The model by its name, never the server's local path.
        assert health["model"] == tiny_model.name and str(tiny_model.parent) not in json.dumps(health)
        body = request("POST", f"{url}/v1/translate", json_body={"text": SENTENCE}).json()
        assert body["unresolved"] == 0 and body["applied"] == 2
        assert "SDF" in body["translation"] and "ISIS" in body["translation"]
        from libretranslatepy import LibreTranslateAPI

        assert LibreTranslateAPI(url).translate(SENTENCE, "ar", "en") == body["translation"]


# -- the command ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_serves_on_localhost_and_shuts_down_gracefully(tmp_path, glossary_dir):
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "TARJAMA_PLUGINS": "tarjama_test_engines",
    }
    cmd = [sys.executable, "-m", "tarjama", "serve", "--port", str(port), "--engine", "slow-echo", "--glossary", str(glossary_dir), "--no-cache"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"

        def up():
            try:
                return request("GET", f"{url}/health", timeout=2).status == 200
            except OSError:
                return False

        wait_until(up, seconds=60, what="the server answering")
        # SIGTERM while a request is being translated: it is still answered.
        inflight, result = in_threads([lambda: request("POST", f"{url}/v1/translate", json_body={"text": SENTENCE})])
        wait_until(lambda: request("GET", f"{url}/health").json()["queue"]["running"] == 1, what="a running request")
        proc.send_signal(signal.SIGTERM)
        inflight[0].join(30)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert result[0].status == 200 and "SDF" in result[0].json()["translation"]
    # uvicorn re-raises the signal once it has shut down (older versions exit with 0).
    assert proc.returncode in (0, -signal.SIGTERM)
    assert "Traceback" not in err and "Finished server process" in err
    assert out == ""  # stdout stays clean; the log is on stderr
    assert f"http://127.0.0.1:{port}" in err
    # Its own lines: the model loading (nothing else is said while it loads), then ready.
    lines = err.splitlines()
    from tarjama.models import default_model

    loading = lines.index(f"tarjama serve: loading model {default_model()} (slow-echo) …")
    assert lines.index(f"tarjama serve: ready on http://127.0.0.1:{port}") > loading


def test_cli_bad_input_is_one_line(runner, tmp_path):
    from tarjama.cli import app

    r = runner.invoke(app, ["serve", "--api-key-file", str(tmp_path / "none.txt")])
    assert r.exit_code == 2 and r.output.strip() == f"Error: {tmp_path / 'none.txt'}: no such API key file"
    short = tmp_path / "keys.txt"
    short.write_text("# keys\nshort\n")
    r = runner.invoke(app, ["serve", "--api-key-file", str(short)])
    assert r.exit_code == 2 and "at least 16 characters" in r.output


def test_closing_the_queue_finishes_every_accepted_job():
    from tarjama.server.queue import BatchQueue, QueueClosed

    gate, seen = threading.Event(), []

    def translate(documents):
        gate.wait(30)
        seen.append(len(documents))
        return [" ".join(d).upper() for d in documents]

    queue = BatchQueue(translate, wait=0)
    futures = [queue.put([[f"doc {i}"]]) for i in range(3)]
    closer = threading.Thread(target=queue.close)
    closer.start()
    wait_until(lambda: queue._closing, what="the queue closing")
    with pytest.raises(QueueClosed):
        queue.put([["late"]])
    gate.set()
    closer.join(30)
    assert not closer.is_alive()
    assert [f.result(0) for f in futures] == [["DOC 0"], ["DOC 1"], ["DOC 2"]]
    assert sum(seen) == 3


def test_every_document_format_goes_through_translate_file(glossary_dir):
    """Word, subtitles and XLIFF as well as text formats: the file comes back translated,
    in its own format, with no Arabic left (checked with python-docx and a second parse)."""
    import base64
    import io

    import docx
    from lxml import etree

    from tarjama.text.arabic import has_arabic

    data_dir = Path(__file__).parent / "data" / "formats"
    with running(make_app(EchoEngine(), glossary_dir)) as url:
        r = request("POST", f"{url}/translate_file", form={"source": "ar", "target": "en"},
                    files={"file": ("report.docx", (data_dir / "sky-news-france-syria.ar.docx").read_bytes())})
        assert r.status == 200, r.text
        d = request("GET", r.json()["translatedFileUrl"])
        document = docx.Document(io.BytesIO(d.body))
        assert not any(has_arabic(p.text) for p in document.paragraphs)

        r = request("POST", f"{url}/v1/translate_file",
                    files={"file": ("job.xlf", (data_dir / "sky-news-france-syria.ar-1.2.xlf").read_bytes())})
        assert r.status == 200, r.text
        tree = etree.fromstring(r.json()["translation"].encode("utf-8"))
        ours = [t for t in tree.iter("{urn:oasis:names:tc:xliff:document:1.2}target") if t.get("state-qualifier") == "leveraged-mt"]
        for t in ours:  # a protected <mrk> stays as written, by the CAT tool's wish
            for mrk in t.iter("{urn:oasis:names:tc:xliff:document:1.2}mrk"):
                if mrk.get("mtype") == "protected":
                    mrk.text = ""
        assert ours and not any(has_arabic("".join(t.itertext())) for t in ours)

        r = request("POST", f"{url}/v1/translate_file",
                    files={"file": ("report.docx", (data_dir / "sky-news-france-syria.ar.docx").read_bytes())})
        body = r.json()
        assert body["translation"] == "" and docx.Document(io.BytesIO(base64.b64decode(body["document_base64"])))


def test_after_a_busy_batch_the_queue_waits_for_the_clients_it_just_answered():
    """Closed-loop clients send their next request a moment after their answer; a batch
    started at once would miss them. The window grows with the last batch's time only when
    that batch served several requests, and a wait of 0 stays 0."""
    from tarjama.server.queue import BatchQueue

    queue = BatchQueue(lambda documents: [d[0] for d in documents], wait=0.005, max_wait=0.25)
    try:
        assert queue.window() == 0.005  # nothing served yet
        queue.stats.recent_seconds, queue.stats.last_jobs = 2.0, 1
        assert queue.window() == 0.005  # a lone client is not kept waiting
        queue.stats.last_jobs = 12
        assert queue.window() == pytest.approx(0.1)  # 5 % of a 2 s batch
        queue.stats.recent_seconds = 60.0
        assert queue.window() == 0.25
        # And the queue records what the window reads: jobs of one batch.
        futures = [queue.put([[f"d{i}"]]) for i in range(3)]
        assert [f.result(10) for f in futures] == [["d0"], ["d1"], ["d2"]]
        wait_until(lambda: queue.stats.batches >= 1 and queue.running == 0, what="the batch")
        assert 1 <= queue.stats.last_jobs <= 3
    finally:
        queue.close(10)
    never = BatchQueue(lambda d: d, wait=0)
    never.stats.recent_seconds, never.stats.last_jobs = 60.0, 12
    assert never.window() == 0
    never.close(10)
