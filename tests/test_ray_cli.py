"""`tarjama batch --ray` as a user runs it, in its own process: errors raised in workers
come back as one line and tarjama's exit code, -q is quiet, and `--ray-address ray://…`
joins a cluster through Ray's client protocol."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SEED = (TESTS.parent / "seeds" / "hasakah-prison.ar.txt").read_text(encoding="utf-8").splitlines()


def env_for(tmp_path: Path) -> dict:
    return {
        **os.environ,
        "TARJAMA_PLUGINS": "tarjama_test_engines",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")])),
        "TARJAMA_CACHE_DIR": str(tmp_path / "cache"),
        "TARJAMA_TEST_MARKER": str(tmp_path / "marker"),
    }


def tarjama(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tarjama", *args], capture_output=True, text=True, env=env_for(tmp_path), timeout=300
    )


def articles(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"{i}.txt").write_text("\n".join(SEED[i : i + 2]) + "\n", encoding="utf-8")
    return src


def test_a_model_that_cannot_be_loaded_is_one_line_and_exit_2_like_a_local_batch(tmp_path):
    src = articles(tmp_path)
    local = tarjama(tmp_path, "batch", str(src), str(tmp_path / "local"), "--model", str(tmp_path / "nowhere"), "-q")
    on_ray = tarjama(tmp_path, "batch", str(src), str(tmp_path / "ray"), "--model", str(tmp_path / "nowhere"), "--ray", "--ray-workers", "1", "-q")
    assert local.returncode == on_ray.returncode == 2
    assert on_ray.stderr.strip().splitlines() == local.stderr.strip().splitlines()
    assert on_ray.stderr.startswith("Error: ") and "Traceback" not in on_ray.stderr


def test_a_successful_quiet_run_prints_nothing_of_ray(tmp_path):
    src = articles(tmp_path)
    r = tarjama(tmp_path, "batch", str(src), str(tmp_path / "out"), "--engine", "echo", "--ray", "--ray-workers", "1", "-q")
    assert r.returncode == 0, r.stderr
    assert "ray" not in r.stderr.lower() and "warning" not in r.stderr.lower(), r.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.txt")) == ["0.txt", "1.txt", "2.txt"]
    # Ray's own messages are kept for whoever needs them, beside the manifest.
    assert (tmp_path / "out" / ".tarjama-ray.log").exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def ray_cluster(tmp_path):
    """A one-node cluster started as a user would (`ray start --head`), on 127.0.0.1, with
    its client server; stopped afterwards."""
    ray_cli = shutil.which("ray", path=os.path.dirname(sys.executable)) or shutil.which("ray")
    assert ray_cli, "the ray command comes with the [ray] extra"
    client_port = free_port()
    env = env_for(tmp_path)
    # The cluster's client proxy forks a server for each client while its gRPC threads are
    # busy; with gRPC's fork handlers on, that child now and then dies before it execs
    # ("epoll_wait error: Bad file descriptor"). gRPC's own advice for a process that forks
    # and execs: turn fork support off. (tarjama also tries a failed start again.)
    env["GRPC_ENABLE_FORK_SUPPORT"] = "false"
    # Ray turns 127.0.0.1 into the machine's network address unless clusters are off; the
    # test cluster is this machine's alone (tarjama's own local runtime does the same).
    from tarjama.jobs.ray_batch import LOCAL_ONLY_ENV

    env[LOCAL_ONLY_ENV] = "0"
    start = subprocess.run(
        [ray_cli, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={free_port()}",
         f"--ray-client-server-port={client_port}", "--num-cpus=2", "--include-dashboard=false",
         "--disable-usage-stats"],
        capture_output=True, text=True, env=env, timeout=180,
    )
    assert start.returncode == 0, start.stderr[-2000:]
    try:
        yield f"ray://127.0.0.1:{client_port}"
    finally:
        subprocess.run([ray_cli, "stop", "--force"], capture_output=True, env=env, timeout=120)


def test_ray_address_joins_a_cluster_through_the_client_protocol(tmp_path, ray_cluster):
    src = articles(tmp_path)
    local = tarjama(tmp_path, "batch", str(src), str(tmp_path / "local"), "--engine", "echo", "-q")
    assert local.returncode == 0, local.stderr
    r = tarjama(tmp_path, "batch", str(src), str(tmp_path / "out"), "--engine", "echo", "--ray-address", ray_cluster, "-q")
    assert r.returncode == 0, r.stderr
    # Quiet through the client protocol too: Ray's messages are in the run's log file, and
    # stderr holds the local run's lines (its summary), no more.
    assert "ray" not in r.stderr.lower() and "warning" not in r.stderr.lower(), r.stderr
    assert len(r.stderr.splitlines()) == len(local.stderr.splitlines()), r.stderr
    for name in ("0.txt", "1.txt", "2.txt"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def test_a_client_server_that_fails_to_start_is_tried_again_but_a_silent_address_is_not(monkeypatch):
    """The cluster's proxy forks a server per client; when that child dies (Ray answers
    "Initialization failure from server"), a new connection gets a new one. An address where
    nothing answers fails at once: each try there waits a minute."""
    import ray

    from tarjama.jobs import ray_batch
    from tarjama.errors import TarjamaError

    calls = []

    def failing_init(failures, error):
        def init(**kwargs):
            calls.append(kwargs["address"])
            if len(calls) <= failures:
                raise error
        return init

    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", failing_init(2, ConnectionAbortedError("Initialization failure from server:\nZombieProcess")))
    assert ray_batch.start_ray("ray://127.0.0.1:1") is ray
    assert calls == ["ray://127.0.0.1:1"] * 3

    calls.clear()
    monkeypatch.setattr(ray, "init", failing_init(5, ConnectionAbortedError("Initialization failure from server")))
    with pytest.raises(TarjamaError, match="^cannot reach the Ray cluster at ray://127.0.0.1:1: Initialization failure"):
        ray_batch.start_ray("ray://127.0.0.1:1")
    assert len(calls) == ray_batch.CLIENT_ATTEMPTS

    calls.clear()
    monkeypatch.setattr(ray, "init", failing_init(5, ConnectionError("ray client connection timeout")))
    with pytest.raises(TarjamaError, match="connection timeout"):
        ray_batch.start_ray("ray://127.0.0.1:1")
    assert len(calls) == 1
