"""Load on `tarjama serve`: 1, 4 and 16 concurrent clients on 127.0.0.1, and one huge
request beside a small client.

    python bench/serve_load.py                  # the tiny model and the full-size random model
    python bench/serve_load.py --models tiny    # a quick run
    python bench/serve_load.py --models full --engine ctranslate2
    python bench/serve_load.py --models tiny --cases fairness

For each model a server process is started on a free port of 127.0.0.1 (translation memory
off, so every sentence is translated; the project's glossary on), warmed up, then loaded
by 1, 4 and 16 client threads in turn. Each client sends LibreTranslate ``POST /translate``
requests of one to three real news sentences, one request at a time; each level sends the
same fixed number of requests, and every request has a timeout. Reported per level:
requests/s, sentences/s, latency p50/p95/p99; per model: the server's peak RSS and the
ratio of 16-client to 1-client throughput (what cross-request batching buys). Each level
sends a prefix of one list of requests, at least 4 per client.

The sentences come from the ANT corpus (../shared/corpus/ant-news-syria/ beside the
repository) when it is there, else from the seed article. The full-size model is the one
bench/run.py builds (the architecture of Helsinki-NLP/opus-mt-ar-en, random weights, never
ending by itself); as there, each sentence decodes a fixed number of tokens for its length.

The fairness case: a small client sends one-sentence requests one at a time, first with
the server idle, then while another client's single request of 5,000 short items (about
15,000 characters, a short word each) is being translated. Reported: the small
client's latency p50/p95 in both cases, how many of its requests finished before the huge
one, and the huge request's time. A fair queue keeps the loaded latency near the idle one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

CORPUS = ROOT.parent / "shared" / "corpus" / "ant-news-syria"
LEVELS = (1, 4, 16)
SERVER_EXTRA: list[str] = []  # options handed on to the server process


# -- models and sentences ---------------------------------------------------------------------
def tiny_model(folder: Path) -> Path:
    from tarjama.testing import build_marian

    if (folder / "config.json").exists():
        return folder
    ar = (ROOT / "seeds" / "hasakah-prison.ar.txt").read_text(encoding="utf-8").splitlines()
    en = (ROOT / "seeds" / "hasakah-prison.en.txt").read_text(encoding="utf-8").splitlines()
    return build_marian(folder, ar, en)


def full_model(folder: Path) -> Path:
    from run import build_model  # bench/run.py: the architecture of opus-mt-ar-en

    return build_model(folder)


def real_sentences(n: int, corpus: Path, seed: int = 7) -> tuple[list[str], str]:
    """``n`` news sentences of 6 to 40 words, and where they come from."""
    from tarjama.text.segment import split_sentences

    if corpus.is_dir():
        files = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))
        origin = "the ANT corpus (ant-news-syria)"
    else:
        files = [ROOT / "seeds" / "hasakah-prison.ar.txt"]
        origin = "the seed article"
    rng = random.Random(seed)
    rng.shuffle(files)
    out: list[str] = []
    for f in files:
        lines = f.read_text(encoding="utf-8", errors="replace").splitlines()[1:]  # the title is line 1
        for line in lines:
            for s in split_sentences(line):
                if 6 <= len(s.split()) <= 40:
                    out.append(s)
        if len(out) >= 4 * n:
            break
    rng.shuffle(out)
    return out[:n], origin


def make_requests(sentences: list[str], count: int, seed: int) -> list[list[str]]:
    """``count`` requests of one to three sentences each, drawn without repeats where possible."""
    rng = random.Random(seed)
    pool = list(sentences)
    rng.shuffle(pool)
    out = []
    for _ in range(count):
        k = rng.choice((1, 1, 2, 3))
        if len(pool) < k:
            pool = list(sentences)
            rng.shuffle(pool)
        out.append([pool.pop() for _ in range(k)])
    return out


# -- the server (a child process) ----------------------------------------------------------------
def simulated_engine(per_call: float, per_sentence: float, batch: int = 64):
    """An engine that costs time as a loaded one does, without the CPU: ``per_call`` seconds
    for each engine batch of up to ``batch`` sentences, plus ``per_sentence`` for each
    sentence (it sleeps; the output is the input). It measures the queue's scheduling on a
    machine too busy to time a model."""
    from tarjama.engines.base import Engine

    class Simulated(Engine):
        name = "simulated"

        def count_tokens(self, texts):
            return [len(t.split()) + 1 for t in texts]

        def translate(self, texts, *, avoid=None, progress=None):
            time.sleep(per_call * -(-len(texts) // batch) + per_sentence * len(texts))
            if progress:
                progress(len(texts))
            return ["x " + t for t in texts]

    return Simulated()


def serve_child(args) -> None:
    import uvicorn

    from run import output_length
    from tarjama.server.app import create_app
    from tarjama.server.run import log_config
    from tarjama.server.settings import ServerSettings, build_service

    parent = os.getppid()

    def orphaned():  # never outlive the benchmark, whatever ends it
        while os.getppid() == parent:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=orphaned, daemon=True).start()
    settings = ServerSettings(model=args.model, engine=args.engine, cache=False, no_glossary=args.no_glossary, threads=args.threads, device="cpu", queue_size=256, timeout=600, batch_tokens=args.batch_tokens)
    if args.fifo:  # the queue before round-robin: a request is one piece, taken whole
        settings.batch_paragraphs = settings.piece_paragraphs = 10**9
    if args.engine == "simulated":
        service = build_service(settings, engine=simulated_engine(args.per_call, args.per_sentence))
    else:
        service = build_service(settings)
        engine = service.translator.engine
        # The same decoding work for a sentence at every level (random weights never end by themselves).
        engine.output_budget = lambda n: min(output_length(n), engine.hard_limit)
    uvicorn.run(create_app(service, settings), host="127.0.0.1", port=args.port, log_config=log_config(), log_level="warning")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, body: dict, timeout: float) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode("utf-8"), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


def get(url: str, timeout: float = 5) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- the load ------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """The q-th percentile, linear between closest ranks."""
    v = sorted(values)
    k = (len(v) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def run_level(url: str, clients: int, requests: list[list[str]], timeout: float) -> dict:
    from tarjama.text.segment import split_sentences

    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    shares = [requests[i::clients] for i in range(clients)]

    def client(share):
        for sentences in share:
            start = time.perf_counter()
            try:
                body = post(f"{url}/translate", {"q": " ".join(sentences), "source": "ar", "target": "en"}, timeout)
                ok = isinstance(body.get("translatedText"), str) and body["translatedText"]
            except Exception as e:  # noqa: BLE001 - counted and reported
                ok, body = False, str(e)
            with lock:
                (latencies.append(time.perf_counter() - start) if ok else failures.append(str(body)[:200]))

    before = get(f"{url}/health")["queue"]
    threads = [threading.Thread(target=client, args=(s,)) for s in shares]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    after = get(f"{url}/health")["queue"]
    n_sentences = sum(len(split_sentences(" ".join(r))) for r in requests)
    return {
        "clients": clients,
        "requests": len(requests),
        "sentences": n_sentences,
        "failed": len(failures),
        "seconds": round(wall, 2),
        "requests_per_s": round(len(latencies) / wall, 2),
        "sentences_per_s": round(n_sentences / wall, 2),
        "p50_s": round(percentile(latencies, 50), 3),
        "p95_s": round(percentile(latencies, 95), 3),
        "p99_s": round(percentile(latencies, 99), 3),
        "engine_batches": after["batches"] - before["batches"],
        "requests_per_batch": round((after["jobs"] - before["jobs"]) / max(1, after["batches"] - before["batches"]), 2),
        "failures": failures[:3],
    }


def huge_items(sentences: list[str], count: int, seed: int = 5) -> list[str]:
    """``count`` short items (one word of at most four letters each), as a CMS sends the
    strings of a page: about three characters a word."""
    rng = random.Random(seed)
    words = [w for s in sentences for w in s.split() if len(w) <= 4 and any("\u0600" <= c <= "\u06ff" for c in w)]
    return [rng.choice(words) for _ in range(count)]


def run_fairness(url: str, sentences: list[str], items: int, small: int, timeout: float) -> dict:
    """The small client's latencies idle, then beside one huge request."""

    def small_client(count: int, offset: int, stop: threading.Event | None = None) -> list[tuple[float, float]]:
        out = []
        for i in range(count):
            sentence = sentences[(offset + i) % len(sentences)]
            if stop is not None and stop.is_set():
                break
            start = time.perf_counter()
            post(f"{url}/translate", {"q": sentence, "source": "ar", "target": "en"}, timeout)
            out.append((start, time.perf_counter()))
        return out

    idle = [end - start for start, end in small_client(small, 10)]
    huge = huge_items(sentences, items)
    done: dict = {}

    def huge_client():
        start = time.perf_counter()
        try:
            body = post(f"{url}/translate", {"q": huge, "source": "ar", "target": "en"}, timeout)
            ok = len(body["translatedText"]) == len(huge)
        except Exception as e:  # noqa: BLE001 - reported
            print(f"  the huge request failed: {e}", file=sys.stderr)
            ok = False
        done.update(start=start, end=time.perf_counter(), ok=ok)

    thread = threading.Thread(target=huge_client)
    thread.start()
    for _ in range(600):  # until the huge request is being translated
        if get(f"{url}/health", timeout=timeout)["queue"]["running"]:
            break
        time.sleep(0.05)
    finished = threading.Event()
    watcher = threading.Thread(target=lambda: (thread.join(), finished.set()))
    watcher.start()
    loaded_times = small_client(small, 10 + small, finished)
    thread.join()
    watcher.join()
    # Only the requests answered while the huge one was still running count as loaded.
    loaded = [end - start for start, end in loaded_times if end <= done["end"]]
    return {
        "items": items,
        "characters": sum(len(i) for i in huge),
        "huge_seconds": round(done["end"] - done["start"], 2),
        "huge_ok": done["ok"],
        "small_idle_p50_s": round(percentile(idle, 50), 3),
        "small_idle_p95_s": round(percentile(idle, 95), 3),
        "small_first_loaded_s": round(loaded_times[0][1] - loaded_times[0][0], 3),
        "small_loaded_requests": len(loaded),
        "small_loaded_p50_s": round(percentile(loaded, 50), 3) if loaded else None,
        "small_loaded_p95_s": round(percentile(loaded, 95), 3) if loaded else None,
    }


def bench_model(name: str, model: Path, sentences: list[str], per_level: int, threads: int, timeout: float, no_glossary: bool, engine: str = "transformers", batch_tokens: int | None = None, cases: tuple = ("throughput", "fairness"), items: int = 5000, small: int = 20) -> dict:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "TARJAMA_CACHE_DIR": tempfile.mkdtemp(prefix="tarjama-bench-")}
    cmd = [sys.executable, __file__, "--serve", "--model", str(model), "--port", str(port), "--threads", str(threads)]
    cmd += ["--no-glossary"] if no_glossary else []
    cmd += ["--engine", engine]
    cmd += ["--batch-tokens", str(batch_tokens)] if batch_tokens else []
    cmd += SERVER_EXTRA
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):  # model loading: at most 5 minutes
            if server.poll() is not None:
                raise SystemExit(f"the server for {name} exited: {server.stderr.read()[-2000:]}")
            try:
                get(f"{url}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit(f"the server for {name} did not start")
        for sentence in sentences[:2]:  # warm-up: first calls pay for lazy initialisation
            post(f"{url}/translate", {"q": sentence, "source": "ar", "target": "en"}, timeout)
        # Every level sends a prefix of the same requests, and at least 4 per client: with
        # one request per client, 16 clients measure a burst (a small first batch, then one
        # more), not the steady state a busy server reaches.
        counts = [max(per_level, 4 * clients) for clients in LEVELS]
        requests = make_requests(sentences, max(counts), seed=100)
        levels = []
        for clients, count in zip(LEVELS, counts) if "throughput" in cases else ():
            print(f"  {name}: {clients} client(s), {count} requests...", file=sys.stderr)
            levels.append(run_level(url, clients, requests[:count], timeout))
        fairness = None
        if "fairness" in cases:
            print(f"  {name}: a small client beside one request of {items} items...", file=sys.stderr)
            fairness = run_fairness(url, sentences, items, small, timeout)
        rss = peak_rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    out = {"model": name, "levels": levels, "peak_rss_mb": round(rss), "fairness": fairness}
    if levels:
        one, many = levels[0], levels[-1]
        # From the counts and times, not the rounded rates (0.54 / 0.18 would say 3.00).
        out["ratio_16_to_1"] = round((many["sentences"] / many["seconds"]) / (one["sentences"] / one["seconds"]), 2)
    return out


def report(results: list[dict], meta: dict) -> str:
    lines = [
        f"{meta['cpus']} CPU cores, server threads {meta['threads']}, {meta.get('engine', 'transformers')} engine, batch tokens {meta.get('batch_tokens') or 'default'}, beam 4, glossary {'on' if meta['glossary'] else 'off'}, translation memory off;"
        f" {meta['per_level']} requests of 1-3 sentences per level (at least 4 per client), sentences from {meta['origin']}",
        "",
        f"{'model':<6} {'clients':>7} {'req/s':>7} {'sent/s':>7} {'p50 s':>7} {'p95 s':>7} {'p99 s':>7} {'req/batch':>9}",
    ]
    for r in results:
        for lv in r["levels"]:
            lines.append(
                f"{r['model']:<6} {lv['clients']:>7} {lv['requests_per_s']:>7.2f} {lv['sentences_per_s']:>7.2f}"
                f" {lv['p50_s']:>7.2f} {lv['p95_s']:>7.2f} {lv['p99_s']:>7.2f} {lv['requests_per_batch']:>9.2f}"
            )
    lines.append("")
    for r in results:
        if "ratio_16_to_1" in r:
            lines.append(f"{r['model']}: 16 clients / 1 client throughput = {r['ratio_16_to_1']:.2f}x; server peak RSS {r['peak_rss_mb']} MB")
        f = r.get("fairness")
        if f:
            lines.append(
                f"{r['model']}: small client idle p50 {f['small_idle_p50_s']:.2f} s, p95 {f['small_idle_p95_s']:.2f} s; beside one request of"
                f" {f['items']} items ({f['characters']} characters, {f['huge_seconds']:.1f} s): first request {f['small_first_loaded_s']:.2f} s;"
                f" p50 {f['small_loaded_p50_s']} s, p95 {f['small_loaded_p95_s']} s over the {f['small_loaded_requests']} requests answered before the huge one"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default="tiny,full", help="tiny, full or both (default)")
    parser.add_argument("--requests", type=int, default=48, help="requests per concurrency level, at least 4 per client (default 48)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="the server's CPU threads")
    parser.add_argument("--timeout", type=float, default=600, help="seconds a request may take")
    parser.add_argument("--output", default=str(HERE / "serve_results.json"))
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of Arabic articles (default ../shared/corpus/ant-news-syria)")
    parser.add_argument("--no-glossary", action="store_true", help="serve without the glossary")
    parser.add_argument("--engine", default="transformers", help="the server's engine: transformers (default), ctranslate2, or simulated (a time cost per batch and sentence, no model: the queue's scheduling alone)")
    parser.add_argument("--batch-tokens", type=int, help="the server's --batch-tokens (default: the engine's)")
    parser.add_argument("--cases", default="throughput,fairness", help="throughput (1/4/16 clients), fairness (a small client beside a huge request), or both (default)")
    parser.add_argument("--items", type=int, default=5000, help="items of the fairness case's huge request (default 5000)")
    parser.add_argument("--small", type=int, default=20, help="requests of the fairness case's small client (default 20)")
    parser.add_argument("--fifo", action="store_true", help="the queue without round-robin (each request taken whole), for comparison")
    parser.add_argument("--per-call", type=float, default=0.05, help="--engine simulated: seconds per engine batch of 64 (default 0.05)")
    parser.add_argument("--per-sentence", type=float, default=0.004, help="--engine simulated: seconds per sentence (default 0.004)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve_child(args)
    SERVER_EXTRA.extend(["--per-call", str(args.per_call), "--per-sentence", str(args.per_sentence)] + (["--fifo"] if args.fifo else []))

    cache = HERE / ".cache"
    builders = {"tiny": lambda: tiny_model(cache / "tiny-marian"), "full": lambda: full_model(cache / "opus-mt-ar-en-random")}
    sentences, origin = real_sentences(400, args.corpus)
    results = []
    for name in args.models.split(","):
        print(f"building/loading the {name} model...", file=sys.stderr)
        results.append(bench_model(name, builders[name](), sentences, args.requests, args.threads, args.timeout, args.no_glossary, args.engine, args.batch_tokens, tuple(args.cases.split(",")), args.items, args.small))
    meta = {"cpus": os.cpu_count(), "threads": args.threads, "per_level": args.requests, "origin": origin, "glossary": not args.no_glossary, "engine": args.engine, "batch_tokens": args.batch_tokens}
    Path(args.output).write_text(json.dumps({"meta": meta, "results": results}, indent=2, ensure_ascii=False) + "\n")
    print(report(results, meta))


if __name__ == "__main__":
    main()
