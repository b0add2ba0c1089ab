"""Engines for tests that run in other processes (Ray workers): loaded through
``TARJAMA_PLUGINS=tarjama_test_engines`` with this folder on ``PYTHONPATH``."""

import os
from pathlib import Path

from fakes import EchoEngine

from tarjama.engines import ENGINES


class DiesOnce(EchoEngine):
    """Kills its own process the first time it translates (a marker file remembers),
    as a worker that crashes mid-batch would."""

    name = "dies-once"

    def translate(self, texts, **kwargs):
        marker = Path(os.environ["TARJAMA_TEST_MARKER"])
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            os._exit(1)
        return super().translate(texts, **kwargs)


class SlowEcho(EchoEngine):
    """Slow enough for a test to kill the job part-way."""

    name = "slow-echo"

    def translate(self, texts, **kwargs):
        import time

        time.sleep(0.4)
        return super().translate(texts, **kwargs)


ENGINES["echo"] = lambda model, **kw: EchoEngine()
ENGINES["dies-once"] = lambda model, **kw: DiesOnce()
ENGINES["slow-echo"] = lambda model, **kw: SlowEcho()
