"""Running the application on uvicorn: one process, or several sharing the port."""

from __future__ import annotations

import copy
import os
import sys

from .settings import ENV, ServerSettings, build_service


def app_from_env():
    """The application of one worker process (``--workers N``): settings from the environment."""
    from .app import create_app

    settings = ServerSettings.from_env()
    return create_app(build_service(settings), settings)


def log_config() -> dict:
    """uvicorn's logging, all of it on stderr: stdout stays clean."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    for handler in config["handlers"].values():
        handler["stream"] = "ext://sys.stderr"
    return config


def say(message: str) -> None:
    print(f"tarjama serve: {message}", file=sys.stderr, flush=True)


def loading_line(settings: ServerSettings) -> str:
    from ..models import default_model
    from .page import model_name

    return f"loading model {model_name(settings.model or default_model())} ({settings.engine}) …"


def ready_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def serve(settings: ServerSettings, host: str = "127.0.0.1", port: int = 5000, workers: int = 1) -> None:
    """Serve until SIGINT/SIGTERM; then stop accepting, answer the accepted requests, exit."""
    import uvicorn

    common = dict(
        host=host,
        port=port,
        log_config=log_config(),
        # Accepted requests are answered before the process exits, but not forever.
        timeout_graceful_shutdown=int(settings.timeout) + 5,
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    )
    if workers > 1:
        os.environ[ENV] = settings.to_env()
        say(f"{workers} workers, each {loading_line(settings)}")
        uvicorn.run("tarjama.server.run:app_from_env", factory=True, workers=workers, **common)
        return
    from .app import create_app

    say(loading_line(settings))
    app = create_app(build_service(settings), settings)

    class Server(uvicorn.Server):
        async def startup(self, sockets=None):
            await super().startup(sockets)
            if self.started:  # listening: the port was free
                bound = self.servers[0].sockets[0].getsockname()[1] if self.servers and self.servers[0].sockets else port
                say(f"ready on {ready_url(host, bound)}")

    Server(uvicorn.Config(app, **common)).run()
