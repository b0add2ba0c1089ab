"""The request size limit, enforced before a body is parsed or held in memory whole."""

from __future__ import annotations

import json


class BodyLimit:
    """ASGI middleware: a body over ``max_bytes`` gets 413 and is never read further,
    whether it announces its length (Content-Length) or not (chunked)."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                announced = int(length)
            except ValueError:
                return await self._refuse(send, 400, "Invalid request: bad Content-Length")
            if announced > self.max_bytes:
                return await self._refuse(send, 413, self._message(announced))
        # Read the body here, counting, and hand it on: a limit that holds for chunked bodies too.
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                return await self._refuse(send, 413, self._message(size))
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()  # after the body: wait for a disconnect, as the server would

        return await self.app(scope, replay, send)

    def _message(self, size: int) -> str:
        return f"Invalid request: request body ({size} bytes) exceeds the size limit ({self.max_bytes} bytes)"

    @staticmethod
    async def _refuse(send, status: int, message: str) -> None:
        body = json.dumps({"error": message}).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"connection", b"close")],
            }
        )
        await send({"type": "http.response.body", "body": body})
