"""The cross-request queue: requests that arrive together share engine batches.

Every translating request becomes a job (a list of documents, each a list of paragraphs).
One worker thread takes the jobs waiting in the queue (after waiting a few milliseconds
for more to arrive, unless the batch is already full) and hands all their documents to
one ``translate_many`` call, which sorts their sentences by length into the engine's
batches. While the engine is busy, new requests gather in the queue and form the next
batch, so many small requests cost about what one large one does.

The queue is bounded (a full queue refuses at once, with a hint of when to retry), a
waiting request gives up after its timeout (and is dropped if it has not started), and
closing the queue finishes every accepted job before the worker stops.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import math
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Sequence

Documents = Sequence[Sequence[str]]


class QueueFull(Exception):
    """The queue holds as many jobs as it may; try again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"the translation queue is full; retry in {retry_after} s")
        self.retry_after = retry_after


class QueueClosed(Exception):
    """The server is shutting down and takes no new work."""


class JobTimeout(Exception):
    """A job was not done within its timeout."""


@dataclass
class _Job:
    documents: list[list[str]]
    future: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)

    @property
    def size(self) -> int:
        return sum(len(d) for d in self.documents)


@dataclass
class BatchStats:
    batches: int = 0
    jobs: int = 0
    largest_batch_jobs: int = 0
    last_jobs: int = 0  # requests in the last batch
    seconds: float = 0.0  # time spent translating, all batches
    recent_seconds: float = 0.0  # a moving average of one batch's time

    def as_dict(self) -> dict:
        return {
            "batches": self.batches,
            "jobs": self.jobs,
            "largest_batch_jobs": self.largest_batch_jobs,
            "busy_seconds": round(self.seconds, 3),
        }


class BatchQueue:
    """Runs ``translate(documents) -> results`` (one result per document, in order) over
    the documents of many jobs at once, on its own thread."""

    def __init__(
        self,
        translate: Callable[[list[list[str]]], list],
        *,
        max_pending: int = 64,
        wait: float = 0.005,
        max_wait: float = 0.25,
        max_paragraphs: int = 256,
    ):
        self.translate = translate
        self.max_pending = max_pending
        self.wait = wait
        self.max_wait = max_wait
        self.max_paragraphs = max_paragraphs
        self.stats = BatchStats()
        self._pending: deque[_Job] = deque()
        self._running = 0  # jobs of the batch being translated
        self._closing = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._work, name="tarjama-batches", daemon=True)
        self._thread.start()

    # -- called from the event loop -------------------------------------------------------------
    @property
    def pending(self) -> int:
        return len(self._pending)

    @property
    def running(self) -> int:
        return self._running

    def put(self, documents: Documents) -> concurrent.futures.Future:
        """Queue a job; its future gets the list of results. Never blocks."""
        job = _Job([list(d) for d in documents])
        with self._cond:
            if self._closing:
                raise QueueClosed("the server is shutting down")
            if len(self._pending) >= self.max_pending:
                raise QueueFull(self._retry_after())
            self._pending.append(job)
            self._cond.notify()
        return job.future

    async def submit(self, documents: Documents, timeout: float | None = None) -> list:
        """Queue a job and wait for its results, at most ``timeout`` seconds."""
        future = self.put(documents)
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), timeout)
        except asyncio.TimeoutError:
            future.cancel()  # dropped if not started; a running batch finishes for the others
            raise JobTimeout(f"the translation took longer than {timeout:g} s") from None

    def close(self, timeout: float | None = None) -> None:
        """Accept no more jobs; finish the accepted ones; stop the worker."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join(timeout)

    # -- the worker thread ----------------------------------------------------------------------
    def _retry_after(self) -> int:
        """Seconds until the queue has probably room again: the batches ahead of a new job."""
        batches_ahead = 1 + sum(j.size for j in self._pending) / max(1, self.max_paragraphs)
        return max(1, math.ceil(batches_ahead * self.stats.recent_seconds))

    def window(self) -> float:
        """How long a new batch waits for more requests.

        After a batch of several requests, their clients were answered a moment ago and many
        send their next request within milliseconds (a CAT tool's next segment, a chat bot's
        next message). Started at once, the next batch would miss them, and the clients would
        settle into two halves that alternate batches, each batch half as full. So the wait
        grows with the last batch's time (5 %, at most ``max_wait``): a small fraction of
        the latency for full batches. A lone client (one request a batch) waits only ``wait``."""
        if self.stats.last_jobs <= 1 or not self.wait:  # a wait of 0 is never to wait
            return self.wait
        return max(self.wait, min(self.max_wait, 0.05 * self.stats.recent_seconds))

    def _take(self) -> list[_Job] | None:
        with self._cond:
            while not self._pending and not self._closing:
                self._cond.wait()
            if not self._pending:
                return None  # closing, and nothing left to do
            # A few milliseconds for the requests that arrive together to join this batch.
            deadline = time.monotonic() + self.window()
            while not self._closing and sum(j.size for j in self._pending) < self.max_paragraphs:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            jobs, size = [], 0
            while self._pending and (not jobs or size + self._pending[0].size <= self.max_paragraphs):
                job = self._pending.popleft()
                size += job.size
                jobs.append(job)
            # Jobs whose caller gave up are dropped here, before any work is done for them.
            jobs = [j for j in jobs if j.future.set_running_or_notify_cancel()]
            self._running = len(jobs)
            return jobs

    def _work(self) -> None:
        while True:
            jobs = self._take()
            if jobs is None:
                return
            if not jobs:
                continue
            documents = [d for j in jobs for d in j.documents]
            started = time.monotonic()
            try:
                results = self.translate(documents)
            except BaseException as e:  # noqa: BLE001 - every waiting request must hear of it
                for j in jobs:
                    j.future.set_exception(e)
                if not isinstance(e, Exception):
                    raise
                print(f"tarjama serve: a batch failed: {type(e).__name__}: {e}", file=sys.stderr)
            else:
                start = 0
                for j in jobs:
                    j.future.set_result(results[start : start + len(j.documents)])
                    start += len(j.documents)
            finally:
                elapsed = time.monotonic() - started
                s = self.stats
                s.batches += 1
                s.jobs += len(jobs)
                s.largest_batch_jobs = max(s.largest_batch_jobs, len(jobs))
                s.last_jobs = len(jobs)
                s.seconds += elapsed
                s.recent_seconds = elapsed if s.batches == 1 else 0.7 * s.recent_seconds + 0.3 * elapsed
                with self._cond:
                    self._running = 0
