"""`tarjama batch --ray`: the same batch, with Ray Data spreading groups over an actor pool.

Planning (what to translate), writing and the manifest stay with the driver, exactly as in
a local batch; only the translation of each group of files moves to actors, each of which
loads the model once and runs tarjama's own pipeline (segmentation, glossary, engine,
repair). Groups are the local batch's groups, so the engine sees the same batches and the
output is the same, byte for byte. An actor that dies is restarted and its group retried by
Ray; each document is written and recorded once, when its result reaches the driver.

``pip install -e ".[ray]"`` in a clone of tarjama. Without an address a local Ray runtime is started on this
machine; ``--ray-address auto`` or ``ray://HOST:PORT`` joins a running cluster, whose
nodes must see IN_DIR and OUT_DIR at the same paths and have the same tarjama and model.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import threading
import time
from dataclasses import asdict, replace
from pathlib import Path

from . import batch as batching
from ..errors import TarjamaError

# Passed on to the workers, so that they find the same models, caches and engines.
FORWARDED_ENV = ("TARJAMA_", "HF_", "TRANSFORMERS_", "PYTHONPATH")


def prepare_ray_client() -> None:
    """Settings for Ray's client (``ray://``), made before Ray is imported, which reads them.

    A cluster started with `ray start` enables token authentication and keeps its token in
    ~/.ray/auth_token (or $RAY_AUTH_TOKEN / $RAY_AUTH_TOKEN_PATH); Ray's client sends it only
    when told to, so a `ray://` connection would time out without this."""
    # Ray's client gives up after about 35 s (5, 10 and 20 s tries); a cluster's proxy starts a
    # server process for each new client, which takes longer than that on a busy head node.
    # Read when Ray is imported, like the mode below.
    os.environ.setdefault("RAY_CLIENT_INITIAL_CONNECTION_TIMEOUT_S", "20")
    os.environ.setdefault("RAY_CLIENT_MAX_CONNECTION_TIMEOUT_S", "60")
    if os.environ.get("RAY_AUTH_MODE"):
        return  # the user's choice stands
    token_file = os.environ.get("RAY_AUTH_TOKEN_PATH") or str(Path.home() / ".ray" / "auth_token")
    if os.environ.get("RAY_AUTH_TOKEN") or Path(token_file).is_file():
        os.environ["RAY_AUTH_MODE"] = "token"


# A cluster's client proxy starts a server process per client by forking from a threaded
# process; now and then that child dies or hangs before serving (the proxy then answers
# "Initialization failure from server", or the data stream is dropped). A new connection
# gets a new process, so a ray:// address is tried a few times before giving up.
CLIENT_ATTEMPTS = 3


def cluster_answered(error: ConnectionError) -> bool:
    """True when the cluster's proxy was reached and the failure was on its side; an address
    that nothing answers on is not worth trying again (each try waits a minute)."""
    return "connection timeout" not in str(error)


LOCAL_ADDRESS = "127.0.0.1"
# Ray treats a machine as one node of a possible cluster and turns 127.0.0.1 into the
# machine's network address, except where clusters are off (its default on macOS and
# Windows, and what this variable, despite its name, says on Linux too).
LOCAL_ONLY_ENV = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"


def local_only(ray) -> None:
    """Make the local runtime that ``ray.init`` is about to start listen on 127.0.0.1 only:
    it is this process's alone, and nobody on the network has any business with it. Its
    processes inherit the setting; Ray's constant is read when the runtime starts."""
    os.environ[LOCAL_ONLY_ENV] = "0"
    from ray._private import ray_constants

    ray_constants.ENABLE_RAY_CLUSTER = False


def start_ray(address: str | None, num_cpus: int | None = None):
    try:
        import ray
    except ImportError:
        raise TarjamaError('--ray needs Ray Data (the "ray" extra): pip install -e ".[ray]" in a clone of tarjama, or pip install "ray[data]"') from None
    if address and address.startswith("ray://"):
        try:
            import ray.util.client  # noqa: F401  (its gRPC parts come with ray[client])
            import grpc  # noqa: F401
        except ImportError:
            raise TarjamaError(f'--ray-address {address} needs the Ray client (the "ray" extra): pip install -e ".[ray]" in a clone of tarjama, or pip install "ray[data,client]"') from None
        prepare_ray_client()
    if ray.is_initialized():
        return ray
    env = {k: v for k, v in os.environ.items() if k.startswith(FORWARDED_ENV)}
    attempts = CLIENT_ATTEMPTS if address and address.startswith("ray://") else 1
    local = {}
    if address is None:
        local_only(ray)
        local = {"_node_ip_address": LOCAL_ADDRESS}
    for attempt in range(1, attempts + 1):
        try:
            ray.init(
                address=address,
                num_cpus=num_cpus if address is None else None,
                **local,
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
                runtime_env={"env_vars": env} if env else None,
            )
            break
        except ConnectionError as e:
            if attempt == attempts or not cluster_answered(e):
                raise TarjamaError(f"cannot reach the Ray cluster at {address}: {e}") from None
            # Ray's client disconnects itself after a failed init, so trying again is clean.
    return ray


RAY_LOG = ".tarjama-ray.log"


@contextlib.contextmanager
def ray_output_to(log_path: Path):
    """While Ray runs, everything it writes to file descriptor 2 (its core's log lines about
    actors, its Python warnings and notices) goes to ``log_path``, not the user's terminal:
    tarjama reports on one line and draws its own progress. Yields a stream on the real
    stderr for that progress; tarjama's errors are raised and printed after this block."""
    import io
    import logging
    import sys

    sys.stderr.flush()
    try:
        sink = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    except OSError:
        sink = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(2)
    terminal = io.TextIOWrapper(os.fdopen(os.dup(saved), "wb", buffering=0), encoding="utf-8", errors="replace", line_buffering=True)
    ray_logger = logging.getLogger("ray")
    saved_logging = (ray_logger.handlers[:], ray_logger.propagate)
    log_handler = logging.StreamHandler(os.fdopen(os.dup(sink), "w", encoding="utf-8"))
    log_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    ray_logger.handlers[:] = [log_handler]
    ray_logger.propagate = False
    # ray.init drops the handlers of its logger; its records then reach logging's last-resort
    # handler, which would write to the terminal.
    saved_last_resort, logging.lastResort = logging.lastResort, log_handler
    os.dup2(sink, 2)
    try:
        yield terminal
    finally:
        sys.stderr.flush()
        ray_logger.handlers[:], ray_logger.propagate = saved_logging
        logging.lastResort = saved_last_resort
        log_handler.close()
        terminal.close()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(sink)


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
        from ..pipeline.translator import Translator

        memory = None
        if config.get("memory"):
            from .translation_memory import TranslationMemory

            memory = TranslationMemory(config["memory"])
        self.translator = Translator(glossary=config["glossary"], options=config["options"], memory=memory)
        self.lock = threading.Lock()
        self.allow_arabic = bool(config.get("allow_arabic"))

    def __call__(self, rows: dict) -> dict:
        out = []
        with self.lock:  # never two groups at once on one translator
            for payload in rows["group"]:
                documents = [(rel, base64.b64decode(data)) for rel, data in json.loads(payload)]
                try:
                    done = batching.translate_group(documents, self.translator, allow_arabic=self.allow_arabic)
                except TarjamaError as e:
                    # A user's error (a model that cannot be loaded, say) goes back to the
                    # driver as data: raised here, Ray would print its own traceback.
                    out.append(json.dumps({"error": e.message, "exit_code": e.exit_code}, ensure_ascii=False))
                    continue
                out.append(json.dumps([_portable(d) for d in done], ensure_ascii=False))
        return {"result": out}

    def translate_rows(self, rows: dict) -> dict:  # the name a Ray actor method call uses
        return self(rows)


def bound_actor(config: dict) -> type:
    """A GroupTranslator class with ``config`` built in. Ray ships it with the class
    definition; as constructor arguments it would sit in the object store, which Ray warns
    makes restarting a dead actor fragile."""

    class BoundGroupTranslator(GroupTranslator):
        def __init__(self):
            super().__init__(config)

    return BoundGroupTranslator


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
    if address and address.startswith("ray://"):
        prepare_ray_client()  # before Ray is imported: it reads its authentication mode then
    try:
        import ray  # noqa: F401  (imported first: it sets up its loggers, which are then redirected)
    except ImportError:
        raise TarjamaError('--ray needs Ray Data (the "ray" extra): pip install -e ".[ray]" in a clone of tarjama, or pip install "ray[data]"') from None
    with ray_output_to(out_dir / RAY_LOG) as terminal:
        if progress is not None and hasattr(progress, "stream"):
            progress.stream = terminal
        _run_on_ray(todo, out_dir, translator_config, settings, address, workers, cpus_per_worker, gpus_per_worker, progress, on_file)
    return batching.BatchReport(jobs, time.time() - started)


def _run_on_ray(todo, out_dir, translator_config, settings, address, workers, cpus_per_worker, gpus_per_worker, progress, on_file):
    ray = start_ray(address)

    # By default an actor computes with as many threads as a local run would (this machine's
    # cores): floating-point sums then run in the same order, so neural engines give the
    # same bytes as a local batch. Fewer CPUs per actor trade that for more actors.
    largest_node = max((n["Resources"].get("CPU", 0) for n in ray.nodes() if n.get("Alive")), default=1)
    if cpus_per_worker is None:
        threads = translator_config["options"].threads or os.cpu_count() or 1
        cpus_per_worker = min(threads, largest_node)
    available = ray.cluster_resources().get("CPU", 1)
    fits = max(1, int(available // max(cpus_per_worker, 1e-9)))
    workers = min(workers or fits, fits)
    config = dict(translator_config)
    config["options"] = replace(config["options"], threads=max(1, round(cpus_per_worker)))
    groups = batching.groups(todo)
    by_rel = {j.rel: j for j in todo}
    rows = [{"group": json.dumps([[j.rel, base64.b64encode(j.data).decode("ascii")] for j in g])} for g in groups]
    plan = (rows, config, min(workers, len(rows)), cpus_per_worker, gpus_per_worker)
    if address and address.startswith("ray://"):
        results = client_translated_groups(*plan)
    else:
        results = translated_groups(*plan)
    if progress:
        progress.start(sum(j.sentences_planned for j in todo))
    manifest = batching.Manifest(out_dir)
    try:
        for payload in _ray_errors_as_ours(results):
            result = json.loads(payload)
            if isinstance(result, dict):
                raise TarjamaError(result["error"], result.get("exit_code"))
            for item in result:
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


def translated_groups(rows, config, workers, cpus_per_worker, gpus_per_worker):
    """The translated groups, as JSON, in the order the actor pool finishes them."""
    from ray.data import ActorPoolStrategy, DataContext, from_items

    quiet_ray_data(DataContext.get_current())
    dataset = from_items(rows, override_num_blocks=len(rows))
    translated = dataset.map_batches(
        bound_actor(config),
        batch_size=1,
        # One group at a time per actor: a second one queued on the same actor would wait for
        # the first, while another actor sits idle (and a translator is not meant to be shared).
        compute=ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=1),
        num_cpus=cpus_per_worker,
        num_gpus=gpus_per_worker or None,
        # Ray Data's actor pools replace a dead actor and give its group to the new one by
        # default (max_restarts=-1, max_task_retries=-1); the tests kill workers to check it.
    )
    for row in translated.iter_rows():
        yield row["result"]


def client_translated_groups(rows, config, workers, cpus_per_worker, gpus_per_worker):
    """The same, through Ray's client (``ray://``), where Ray Data cannot execute a dataset
    from the driver: a pool of the same actors, fed one group at a time, each group's
    result back as soon as it is done. A dead actor is restarted and its group retried."""
    import ray
    from ray.util import ActorPool

    actor = ray.remote(
        num_cpus=cpus_per_worker, num_gpus=gpus_per_worker or None, max_restarts=-1, max_task_retries=-1
    )(GroupTranslator)
    pool = ActorPool([actor.remote(config) for _ in range(workers)])
    for out in pool.map_unordered(lambda a, row: a.translate_rows.remote({"group": [row["group"]]}), rows):
        yield from out["result"]


def _ray_errors_as_ours(results):
    """Ray's own failures (a lost connection, a cluster without the resources) as one line."""
    try:
        yield from results
    except TarjamaError:
        raise
    except Exception as e:  # Ray wraps errors in many types; all end the batch the same way
        first = next((line for line in str(e).splitlines() if line.strip()), type(e).__name__)
        raise TarjamaError(f"Ray failed: {first}") from None
