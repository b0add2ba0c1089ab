"""`tarjama batch --ray`: the same batch, with Ray Data spreading groups over an actor pool.

Planning (what to translate), writing and the manifest stay with the driver, exactly as in
a local batch; only the translation of each group of files moves to actors, each of which
loads the model once and runs tarjama's own pipeline (segmentation, glossary, engine,
repair). Groups are the local batch's groups, so the engine sees the same batches and the
output is the same, byte for byte. An actor that dies is restarted and its group retried by
Ray; each document is written and recorded once, when its result reaches the driver.

``pip install "tarjama[ray]"``. Without an address a local Ray runtime is started on this
machine; ``--ray-address auto`` or ``ray://HOST:PORT`` joins a running cluster, whose
nodes must see IN_DIR and OUT_DIR at the same paths and have the same tarjama and model.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import asdict
from pathlib import Path

from . import batch as batching
from .errors import TarjamaError

# Passed on to the workers, so that they find the same models, caches and engines.
FORWARDED_ENV = ("TARJAMA_", "HF_", "TRANSFORMERS_", "PYTHONPATH")


def start_ray(address: str | None, num_cpus: int | None = None):
    try:
        import ray
    except ImportError:
        raise TarjamaError('--ray needs Ray Data: pip install "tarjama[ray]"') from None
    if ray.is_initialized():
        return ray
    env = {k: v for k, v in os.environ.items() if k.startswith(FORWARDED_ENV)}
    try:
        ray.init(
            address=address,
            num_cpus=num_cpus if address is None else None,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
            runtime_env={"env_vars": env} if env else None,
        )
    except ConnectionError as e:
        raise TarjamaError(f"cannot reach the Ray cluster at {address}: {e}") from None
    return ray


def quiet_ray_data(context) -> None:
    """tarjama draws its own progress on stderr; Ray Data's would interleave with it."""
    import logging

    context.enable_progress_bars = False
    context.enable_operator_progress_bars = False
    context.enable_auto_log_stats = False
    context.verbose_stats_logs = False
    for name in ("ray.data", "ray"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _portable(done) -> dict:
    """A document's result as JSON can carry it (documents are bytes: base64)."""
    d = asdict(done)
    if d["data"] is not None:
        d["data"] = base64.b64encode(d["data"]).decode("ascii")
    return d


class GroupTranslator:
    """A Ray Data actor: builds its Translator (and loads the model) once."""

    def __init__(self, config: dict):
        from .translator import Translator

        options = dict(config["options"])
        memory = None
        if config.get("memory"):
            from .memory import TranslationMemory

            memory = TranslationMemory(config["memory"])
        self.translator = Translator(config["model"], glossary=config["glossary"], engine=config["engine"], memory=memory, **options)
        self.lock = threading.Lock()

    def __call__(self, rows: dict) -> dict:
        out = []
        with self.lock:  # never two groups at once on one translator
            for payload in rows["group"]:
                documents = [(rel, base64.b64decode(data)) for rel, data in json.loads(payload)]
                done = batching.translate_group(documents, self.translator)
                out.append(json.dumps([_portable(d) for d in done], ensure_ascii=False))
        return {"result": out}


def run(
    jobs: list,
    out_dir: Path,
    translator_config: dict,
    settings: str,
    *,
    address: str | None = None,
    workers: int | None = None,
    cpus_per_worker: float | None = None,
    gpus_per_worker: float = 0,
    progress=None,
    on_file=None,
) -> batching.BatchReport:
    """Translate the jobs that need it on a Ray actor pool; write and record on the driver."""
    started = time.time()
    todo = [j for j in jobs if j.todo]
    out_dir.mkdir(parents=True, exist_ok=True)
    if not todo:
        return batching.BatchReport(jobs, time.time() - started)
    ray = start_ray(address)
    from ray.data import ActorPoolStrategy, DataContext, from_items

    quiet_ray_data(DataContext.get_current())

    # By default an actor computes with as many threads as a local run would (this machine's
    # cores): floating-point sums then run in the same order, so neural engines give the
    # same bytes as a local batch. Fewer CPUs per actor trade that for more actors.
    largest_node = max((n["Resources"].get("CPU", 0) for n in ray.nodes() if n.get("Alive")), default=1)
    if cpus_per_worker is None:
        threads = translator_config.get("options", {}).get("threads") or os.cpu_count() or 1
        cpus_per_worker = min(threads, largest_node)
    available = ray.cluster_resources().get("CPU", 1)
    fits = max(1, int(available // max(cpus_per_worker, 1e-9)))
    workers = min(workers or fits, fits)
    config = dict(translator_config)
    config["options"] = {**config.get("options", {}), "threads": max(1, round(cpus_per_worker))}
    groups = batching.groups(todo)
    by_rel = {j.rel: j for j in todo}
    rows = [{"group": json.dumps([[j.rel, base64.b64encode(j.data).decode("ascii")] for j in g])} for g in groups]
    dataset = from_items(rows, override_num_blocks=len(rows))
    translated = dataset.map_batches(
        GroupTranslator,
        fn_constructor_kwargs={"config": config},
        batch_size=1,
        # One group at a time per actor: a second one queued on the same actor would wait for
        # the first, while another actor sits idle (and a translator is not meant to be shared).
        compute=ActorPoolStrategy(size=min(workers, len(rows)), max_tasks_in_flight_per_actor=1),
        num_cpus=cpus_per_worker,
        num_gpus=gpus_per_worker or None,
        max_restarts=-1,  # a dead actor is replaced...
        max_task_retries=-1,  # ...and its group given to the new one
    )
    if progress:
        progress.start(sum(j.sentences_planned for j in todo))
    manifest = batching.Manifest(out_dir)
    try:
        for row in translated.iter_rows():
            for item in json.loads(row["result"]):
                if item["data"] is not None:
                    item["data"] = base64.b64decode(item["data"])
                done = batching.Translated(**item)
                job = by_rel.pop(done.rel, None)
                if job is None:  # already written: a retried group never writes twice
                    continue
                batching.record(job, done, manifest, settings)
                if progress:
                    progress.advance(job.sentences_planned)
                if on_file:
                    on_file(job)
    finally:
        manifest.close()
    return batching.BatchReport(jobs, time.time() - started)
