"""The cross-request queue: requests that arrive together share engine batches, and every
waiting client gets its turn.

Every translating request becomes a job (a list of documents, each a list of paragraphs),
cut into pieces of a few paragraphs. One worker thread builds each engine batch by taking
pieces round-robin: one piece from each waiting client in turn (a client is the address
the request came from), and within a client one piece from each of its requests in turn,
until the batch holds ``max_paragraphs`` paragraphs. The batch goes to one
``translate`` call (``translate_many``, which sorts its sentences by length into the
engine's batches). So many small requests cost about what one large one does, and a short
request that arrives while a huge one is being translated waits for one batch, not for the
whole huge request.

The queue is bounded (a full queue refuses at once, with a hint of when to retry); a job
whose client gave up (timeout, or the connection closed) loses its pieces not yet
translated; closing the queue finishes every accepted job before the worker stops.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import math
import sys
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field, replace
from typing import Awaitable, Callable, Sequence

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


class ClientGone(Exception):
    """The client closed its connection before its translation was done."""


@dataclass(eq=False)
class _Piece:
    job: "_Job"
    index: int  # its place among the job's pieces
    documents: list[list[str]]  # whole documents, or a run of one document's paragraphs
    document: int | None = None  # the document a run of paragraphs belongs to, if cut

    @property
    def size(self) -> int:
        return max(1, sum(len(d) for d in self.documents))


@dataclass(eq=False)
class _Job:
    client: str
    documents: list[list[str]]
    future: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)
    pieces: deque = field(default_factory=deque)  # not yet taken
    parts: dict = field(default_factory=dict)  # piece index -> its results
    order: list = field(default_factory=list)  # every piece, in order

    @property
    def size(self) -> int:
        return sum(p.size for p in self.pieces)


def cut(job: _Job, piece_paragraphs: int, merge) -> None:
    """Cut a job into pieces of about ``piece_paragraphs`` paragraphs: whole documents
    together, and a longer document into runs of paragraphs when ``merge`` can join them."""
    whole: list[list[str]] = []

    def flush():
        if whole:
            job.pieces.append(_Piece(job, len(job.pieces), list(whole)))
            whole.clear()

    for i, document in enumerate(job.documents):
        if merge is not None and len(document) > piece_paragraphs:
            flush()
            for start in range(0, len(document), piece_paragraphs):
                job.pieces.append(_Piece(job, len(job.pieces), [document[start : start + piece_paragraphs]], i))
            continue
        whole.append(document)
        if sum(max(1, len(d)) for d in whole) >= piece_paragraphs:
            flush()
    flush()
    job.order = list(job.pieces)


def assemble(job: _Job, merge) -> list:
    """The job's results, one per document, from its pieces' results."""
    out: list = []
    runs: dict[int, list] = {}
    for index, piece in enumerate(job.order):
        results = job.parts[index]
        if piece.document is None:
            out.extend(results)
        else:
            runs.setdefault(piece.document, []).extend(results)
            if index + 1 == len(job.order) or job.order[index + 1].document != piece.document:
                out.append(merge(runs.pop(piece.document)))
    return out


def merge_results(results: list):
    """One :class:`~tarjama.pipeline.translator.TranslationResult` from the results of
    consecutive runs of one document's paragraphs (paragraph numbers shifted)."""
    first, sentences, sources, paragraphs = results[0], [], [], []
    for r in results:
        offset = len(sources)
        sentences.extend(replace(s, paragraph=s.paragraph + offset) for s in r.sentences)
        sources.extend(r.sources)
        paragraphs.extend(r.paragraphs)
    return replace(first, sources=sources, paragraphs=paragraphs, sentences=sentences, units=[])


@dataclass
class BatchStats:
    batches: int = 0
    jobs: int = 0
    largest_batch_jobs: int = 0
    last_jobs: int = 0  # requests in the last batch
    cancelled: int = 0  # jobs given up by their clients before they were done
    seconds: float = 0.0  # time spent translating, all batches
    recent_seconds: float = 0.0  # a moving average of one batch's time

    def as_dict(self) -> dict:
        return {
            "batches": self.batches,
            "jobs": self.jobs,
            "largest_batch_jobs": self.largest_batch_jobs,
            "cancelled": self.cancelled,
            "busy_seconds": round(self.seconds, 3),
        }


class BatchQueue:
    """Runs ``translate(documents) -> results`` (one result per document, in order) over
    pieces of many jobs at once, on its own thread. ``merge`` joins the results of runs of
    one document's paragraphs (without it, documents are never cut)."""

    def __init__(
        self,
        translate: Callable[[list[list[str]]], list],
        *,
        max_pending: int = 64,
        wait: float = 0.005,
        max_wait: float = 0.25,
        max_paragraphs: int = 256,
        piece_paragraphs: int = 8,
        merge: Callable[[list], object] | None = None,
    ):
        self.translate = translate
        self.max_pending = max_pending
        self.wait = wait
        self.max_wait = max_wait
        self.max_paragraphs = max_paragraphs
        self.piece_paragraphs = max(1, piece_paragraphs)
        self.merge = merge
        self.stats = BatchStats()
        self._clients: OrderedDict[str, deque[_Job]] = OrderedDict()  # jobs with pieces left
        self._queued = 0  # jobs not yet started
        self._started: set[_Job] = set()  # jobs with a piece translated or being translated
        self._running = 0  # jobs of the batch being translated
        self._closing = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._work, name="tarjama-batches", daemon=True)
        self._thread.start()

    # -- called from the event loop -------------------------------------------------------------
    @property
    def pending(self) -> int:
        """Jobs waiting for their first piece to be translated."""
        return self._queued

    @property
    def running(self) -> int:
        return self._running

    def put(self, documents: Documents, client: str = "") -> concurrent.futures.Future:
        """Queue a job; its future gets the list of results. Never blocks."""
        return self._add(documents, client).future

    def _add(self, documents: Documents, client: str) -> _Job:
        job = _Job(client, [list(d) for d in documents])
        cut(job, self.piece_paragraphs, self.merge)
        with self._cond:
            if self._closing:
                raise QueueClosed("the server is shutting down")
            if self._queued >= self.max_pending:
                raise QueueFull(self._retry_after())
            if not job.pieces:  # nothing to translate
                job.future.set_result([])
                return job
            self._clients.setdefault(client, deque()).append(job)
            self._queued += 1
            self._cond.notify()
        return job

    async def submit(
        self,
        documents: Documents,
        timeout: float | None = None,
        client: str = "",
        disconnected: Callable[[], Awaitable[object]] | None = None,
    ) -> list:
        """Queue a job and wait for its results, at most ``timeout`` seconds, and only while
        ``disconnected()`` (awaited alongside) has not returned: a job whose client is gone
        loses its pieces not yet translated."""
        job = self._add(documents, client)
        done = asyncio.ensure_future(asyncio.shield(asyncio.wrap_future(job.future)))
        watch = asyncio.ensure_future(disconnected()) if disconnected is not None else None
        try:
            finished, _ = await asyncio.wait([done] + ([watch] if watch else []), timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            self.cancel(job)
            raise
        finally:
            if watch is not None:
                watch.cancel()
        if done in finished:
            return done.result()
        done.cancel()
        self.cancel(job)
        if not finished:
            raise JobTimeout(f"the translation took longer than {timeout:g} s")
        raise ClientGone("the client closed the connection")

    def cancel(self, job: _Job) -> None:
        """Drop the job's pieces not yet translated; pieces in the running batch finish for
        the other jobs of that batch."""
        with self._cond:
            if job.future.done():
                return
            job.future.cancel()
            self.stats.cancelled += 1
            self._forget(job)

    def close(self, timeout: float | None = None) -> None:
        """Accept no more jobs; finish the accepted ones; stop the worker."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join(timeout)

    # -- the worker thread ----------------------------------------------------------------------
    def _forget(self, job: _Job) -> None:
        """Take a job out of the queue (the lock held)."""
        jobs = self._clients.get(job.client)
        if jobs is not None and job in jobs:
            jobs.remove(job)
            if job not in self._started:
                self._queued -= 1
            if not jobs:
                del self._clients[job.client]
        job.pieces.clear()
        self._started.discard(job)

    def _paragraphs(self) -> int:
        return sum(job.size for jobs in self._clients.values() for job in jobs)

    def _retry_after(self) -> int:
        """Seconds until the queue has probably room again: the batches ahead of a new job."""
        batches_ahead = 1 + self._paragraphs() / max(1, self.max_paragraphs)
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

    def _take(self) -> list[_Piece] | None:
        with self._cond:
            while not self._clients and not self._closing:
                self._cond.wait()
            if not self._clients:
                return None  # closing, and nothing left to do
            # A few milliseconds for the requests that arrive together to join this batch.
            deadline = time.monotonic() + self.window()
            while not self._closing and self._paragraphs() < self.max_paragraphs:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            pieces: list[_Piece] = []
            size = 0
            while self._clients:
                client, jobs = next(iter(self._clients.items()))
                job = jobs[0]
                piece = job.pieces[0]
                if pieces and size + piece.size > self.max_paragraphs:
                    break
                job.pieces.popleft()
                pieces.append(piece)
                size += piece.size
                if job not in self._started:
                    self._started.add(job)
                    self._queued -= 1
                # Round-robin: this request goes behind the client's others, the client
                # behind the other clients.
                jobs.popleft()
                if job.pieces:
                    jobs.append(job)
                if jobs:
                    self._clients.move_to_end(client)
                else:
                    del self._clients[client]
            self._running = len({id(p.job) for p in pieces})
            return pieces

    def _work(self) -> None:
        while True:
            pieces = self._take()
            if pieces is None:
                return
            pieces = [p for p in pieces if not p.job.future.done()]
            if not pieces:
                with self._cond:
                    self._running = 0
                continue
            jobs = list({id(p.job): p.job for p in pieces}.values())
            documents = [d for p in pieces for d in p.documents]
            started = time.monotonic()
            try:
                results = self.translate(documents)
            except BaseException as e:  # noqa: BLE001 - every waiting request must hear of it
                with self._cond:
                    for j in jobs:
                        self._forget(j)
                        if not j.future.done():
                            j.future.set_exception(e)
                if not isinstance(e, Exception):
                    raise
                print(f"tarjama serve: a batch failed: {type(e).__name__}: {e}", file=sys.stderr)
            else:
                start = 0
                with self._cond:
                    for p in pieces:
                        p.job.parts[p.index] = results[start : start + len(p.documents)]
                        start += len(p.documents)
                    for j in jobs:
                        if len(j.parts) == len(j.order) and not j.future.done():
                            self._started.discard(j)
                            try:
                                j.future.set_result(assemble(j, self.merge))
                            except Exception as e:  # noqa: BLE001 - a merge that fails fails the job
                                j.future.set_exception(e)
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
