"""Load on `tarjama serve`: 1, 4 and 16 concurrent clients on 127.0.0.1.

    python bench/serve_load.py                  # the tiny model and the full-size random model
    python bench/serve_load.py --models tiny    # a quick run
    python bench/serve_load.py --models full --engine ctranslate2

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


def bench_model(name: str, model: Path, sentences: list[str], per_level: int, threads: int, timeout: float, no_glossary: bool, engine: str = "transformers", batch_tokens: int | None = None) -> dict:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "TARJAMA_CACHE_DIR": tempfile.mkdtemp(prefix="tarjama-bench-")}
    cmd = [sys.executable, __file__, "--serve", "--model", str(model), "--port", str(port), "--threads", str(threads)]
    cmd += ["--no-glossary"] if no_glossary else []
    cmd += ["--engine", engine]
    cmd += ["--batch-tokens", str(batch_tokens)] if batch_tokens else []
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
        for clients, count in zip(LEVELS, counts):
            print(f"  {name}: {clients} client(s), {count} requests...", file=sys.stderr)
            levels.append(run_level(url, clients, requests[:count], timeout))
        rss = peak_rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    one, many = levels[0], levels[-1]
    return {
        "model": name,
        "levels": levels,
        "peak_rss_mb": round(rss),
        # From the counts and times, not the rounded rates (0.54 / 0.18 would say 3.00).
        "ratio_16_to_1": round((many["sentences"] / many["seconds"]) / (one["sentences"] / one["seconds"]), 2),
    }


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
        lines.append(f"{r['model']}: 16 clients / 1 client throughput = {r['ratio_16_to_1']:.2f}x; server peak RSS {r['peak_rss_mb']} MB")
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
    parser.add_argument("--engine", default="transformers", help="the server's engine: transformers (default) or ctranslate2")
    parser.add_argument("--batch-tokens", type=int, help="the server's --batch-tokens (default: the engine's)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve_child(args)

    cache = HERE / ".cache"
    builders = {"tiny": lambda: tiny_model(cache / "tiny-marian"), "full": lambda: full_model(cache / "opus-mt-ar-en-random")}
    sentences, origin = real_sentences(400, args.corpus)
    results = []
    for name in args.models.split(","):
        print(f"building/loading the {name} model...", file=sys.stderr)
        results.append(bench_model(name, builders[name](), sentences, args.requests, args.threads, args.timeout, args.no_glossary, args.engine, args.batch_tokens))
    meta = {"cpus": os.cpu_count(), "threads": args.threads, "per_level": args.requests, "origin": origin, "glossary": not args.no_glossary, "engine": args.engine, "batch_tokens": args.batch_tokens}
    Path(args.output).write_text(json.dumps({"meta": meta, "results": results}, indent=2, ensure_ascii=False) + "\n")
    print(report(results, meta))


if __name__ == "__main__":
    main()
