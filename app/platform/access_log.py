"""The access log: one line per request with its path but never its query string (tokens and
searched names travel there), written by the app instead of uvicorn's own access log."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("app.access")


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            client = scope.get("client")
            log.info(
                '%s - "%s %s HTTP/%s" %d %.1fms',
                f"{client[0]}:{client[1]}" if client else "-",
                scope["method"],
                scope.get("root_path", "") + scope["path"],
                scope.get("http_version", "1.1"),
                status,
                (time.perf_counter() - started) * 1000,
            )
