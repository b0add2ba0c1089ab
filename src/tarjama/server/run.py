"""Running the application on uvicorn: one process, or several sharing the port."""

from __future__ import annotations

import copy
import os

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
        uvicorn.run("tarjama.server.run:app_from_env", factory=True, workers=workers, **common)
        return
    from .app import create_app

    app = create_app(build_service(settings), settings)
    uvicorn.run(app, **common)
