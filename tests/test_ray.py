"""`tarjama batch --ray` on a real local Ray runtime (2 CPUs): the same bytes as a local
batch, survival of a worker that dies, and resuming a killed job."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tarjama.cli import app

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
LINES = (ROOT / "seeds" / "hasakah-prison.ar.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def ray_runtime(tmp_path_factory):
    """One local Ray for the module, started with the test engines visible to its workers."""
    import ray  # a test dependency (the "test" extra): its absence is a failure, not a skip
    saved = {k: os.environ.get(k) for k in ("TARJAMA_PLUGINS", "PYTHONPATH", "TARJAMA_TEST_MARKER")}
    os.environ["TARJAMA_PLUGINS"] = "tarjama_test_engines"
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), saved["PYTHONPATH"]]))
    os.environ["TARJAMA_TEST_MARKER"] = str(tmp_path_factory.mktemp("marker") / "died")
    from tarjama.jobs.ray_batch import start_ray

    start_ray(None, num_cpus=2)
    yield ray
    ray.shutdown()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def folder(root: Path, n: int = 8) -> Path:
    src = root / "in"
    (src / "sub").mkdir(parents=True)
    for i in range(n):
        (src / ("sub" if i % 3 == 0 else "") / f"{i:02d}.txt").write_text("\n".join(LINES[i : i + 3]) + "\n", encoding="utf-8")
    (src / "sub" / "page.md").write_text('# تقرير عن "قسد"\n\nقالت **قسد** إن [الهجوم](https://x.org/a) بدأ `run` اليوم.\n', encoding="utf-8")
    (src / "page.html").write_text('<p lang="ar">قالت <b>داعش</b> شيئا.</p>', encoding="utf-8")
    (src / "bad.txt").write_bytes("سطر".encode() + b"\xff")  # damaged UTF-8 (b"\xff\xfe" alone is an empty UTF-16 file)
    return src


def outputs(out: Path) -> dict:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def test_ray_output_is_the_local_output(runner, ray_runtime, tiny_model, tmp_path, monkeypatch):
    import tarjama.jobs.batch

    monkeypatch.setattr(tarjama.jobs.batch, "GROUP_SENTENCES", 6)  # several groups, so both workers work
    src = folder(tmp_path)
    # No translation memory: a sentence served from it leaves its batch, and which sentences
    # share a batch depends on the order groups finish in; on a random model full of near-ties
    # that can change a word. Identity is claimed for the same work, batch for batch.
    common = ["--model", str(tiny_model), "--engine", "transformers", "--beams", "2", "-q", "--no-cache"]
    # The same threads per translation on both sides: the same floating-point sums.
    local = runner.invoke(app, ["batch", str(src), str(tmp_path / "local"), *common, "--threads", "1"])
    assert local.exit_code == 1  # bad.txt
    monkeypatch.setenv("TARJAMA_CACHE_DIR", str(tmp_path / "fresh-cache"))  # nothing served from memory
    on_ray = runner.invoke(app, ["batch", str(src), str(tmp_path / "ray"), *common, "--ray", "--ray-workers", "2", "--cpus-per-worker", "1"])
    assert on_ray.exit_code == 1, on_ray.stderr
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")
    assert len(outputs(tmp_path / "ray")) == 10
    assert "failed: bad.txt" in on_ray.stderr
    # A second run skips everything, as locally.
    again = runner.invoke(app, ["batch", str(src), str(tmp_path / "ray"), *(c for c in common if c != "-q"), "--ray"])
    assert "translated                         0" in again.stderr  # the summary is on stderr


def test_a_worker_that_dies_mid_batch_is_replaced(runner, ray_runtime, tmp_path, monkeypatch):
    import tarjama.jobs.batch

    monkeypatch.setattr(tarjama.jobs.batch, "GROUP_SENTENCES", 6)
    src = folder(tmp_path)
    marker = Path(os.environ["TARJAMA_TEST_MARKER"])
    assert not marker.exists()
    reference = runner.invoke(app, ["batch", str(src), str(tmp_path / "local"), "--engine", "echo", "-q"])
    assert reference.exit_code == 1
    r = runner.invoke(app, ["batch", str(src), str(tmp_path / "ray"), "--engine", "dies-once", "--ray", "--ray-workers", "2", "--cpus-per-worker", "1", "-q", "--report", str(tmp_path / "r.json")])
    assert marker.exists()  # a worker did die
    assert r.exit_code == 1, r.stderr  # only bad.txt failed
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")
    import json

    report = json.loads((tmp_path / "r.json").read_text())
    assert report["summary"]["translated"] == 10  # each file once


DRIVER = """
import sys, time
sys.path.insert(0, {tests!r})
import tarjama_test_engines  # noqa: F401
from fakes import EchoEngine
from tarjama.jobs import batch
from tarjama.engines import ENGINES
from tarjama.cli import app

batch.GROUP_SENTENCES = 3
app(sys.argv[1:])
"""


def test_killed_ray_job_resumes_to_the_same_result(tmp_path):
    src = folder(tmp_path, n=12)
    script = tmp_path / "driver.py"
    script.write_text(DRIVER.format(tests=str(TESTS)), encoding="utf-8")
    env = {**os.environ, "TARJAMA_PLUGINS": "tarjama_test_engines", "PYTHONPATH": str(TESTS),
           "TARJAMA_TEST_MARKER": str(tmp_path / "unused"), "TARJAMA_CACHE_DIR": str(tmp_path / "cache")}
    (tmp_path / "unused").write_text("no dying here")
    # Its own local Ray, not the module's (ray.init leaves RAY_ADDRESS behind for children).
    env.pop("RAY_ADDRESS", None)

    def run(out, kill_after=None):
        cmd = [sys.executable, str(script), "batch", str(src), str(out), "--engine", "slow-echo", "--ray", "--ray-workers", "2", "--cpus-per-worker", "1", "-q"]
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if kill_after:
            deadline = time.time() + 120
            while time.time() < deadline and len(list(out.rglob("*.txt"))) < kill_after and proc.poll() is None:
                time.sleep(0.05)
            proc.kill()
        proc.communicate(timeout=300)
        return proc.returncode

    assert run(tmp_path / "reference") == 1  # bad.txt
    assert run(tmp_path / "out", kill_after=3) == -9
    written = len(list((tmp_path / "out").rglob("*.txt")))
    assert 3 <= written < 12
    assert run(tmp_path / "out") == 1
    assert outputs(tmp_path / "out") == outputs(tmp_path / "reference")


def listening_addresses(root_pid: int) -> dict[str, set[str]]:
    """The TCP addresses that ``root_pid`` and its descendants listen on, by process name
    (from /proc: the sockets each process holds, looked up in /proc/net/tcp and tcp6)."""
    import ipaddress

    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    family, todo = set(), [root_pid]
    while todo:
        pid = todo.pop()
        family.add(pid)
        todo.extend(p for p, parent in parents.items() if parent == pid and p not in family)
    owners: dict[str, str] = {}
    for pid in family:
        try:
            name = (Path("/proc") / str(pid) / "comm").read_text().strip()
            for fd in (Path("/proc") / str(pid) / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    owners[target[8:-1]] = name
        except OSError:
            continue
    out: dict[str, set[str]] = {}
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            parts = line.split()
            local, state, inode = parts[1], parts[3], parts[9]
            if state != "0A" or inode not in owners:  # 0A: LISTEN
                continue
            hexaddr = local.split(":")[0]
            raw = bytes.fromhex(hexaddr)
            # The kernel writes each 32-bit word in host order (little-endian here).
            raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            out.setdefault(owners[inode], set()).add(str(ipaddress.ip_address(raw)))
    return out


def test_a_local_ray_listens_on_loopback_only(ray_runtime):
    """The local runtime that `batch --ray` starts is this machine's alone: Ray's node and
    every one of its services listen on 127.0.0.1, not the machine's network address."""
    import ipaddress

    assert ray_runtime.get_runtime_context().gcs_address.startswith("127.0.0.1:")
    assert [n["NodeManagerAddress"] for n in ray_runtime.nodes()] == ["127.0.0.1"]
    listening = listening_addresses(os.getpid())
    assert {"gcs_server", "raylet"} <= set(listening), listening
    for name, addresses in listening.items():
        for address in addresses:
            ip = ipaddress.ip_address(address)
            loopback = ip.is_loopback or (ip.version == 6 and ip.ipv4_mapped is not None and ip.ipv4_mapped.is_loopback)
            assert loopback, f"{name} listens on {address}"
