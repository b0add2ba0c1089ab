"""What the routes share: translating through the queue as one client among others, and
running blocking work (parsing and rebuilding documents) off the event loop."""

from __future__ import annotations

from fastapi import Request
from starlette.concurrency import run_in_threadpool


def client_of(request: Request) -> str:
    """The client a request counts for in the queue's round-robin: the address it came from
    (behind a trusted proxy, the address the proxy names)."""
    return request.client.host if request.client else ""


async def disconnected(request: Request) -> None:
    """Returns when the client closes its connection (the body has been read by then)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def translate(request: Request, documents: list[list[str]]) -> list:
    """Translate documents (lists of paragraphs) in the shared queue: this client's turn
    comes round-robin with the others; if it hangs up, its work not yet started is dropped."""
    return await request.app.state.queue.submit(
        documents,
        request.app.state.settings.timeout,
        client=client_of(request),
        disconnected=lambda: disconnected(request),
    )


async def in_thread(function, *args):
    """Run blocking work (a document's parsing or rebuilding) in a worker thread: the event
    loop only moves bytes, so /health and every other client are answered meanwhile."""
    return await run_in_threadpool(function, *args)
