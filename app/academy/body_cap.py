"""A request body judged by its size before it is read: the Content-Length it announces, then,
for a body sent without one (chunked), the bytes as they arrive, stopped at the cap."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import Message, Receive


class BodyTooLarge(Exception):  # noqa: N818 - the request is refused for it
    """The body is, or announces to be, larger than the cap."""


class BadLength(ValueError):
    """The Content-Length header is not a number of bytes."""


def announced_too_large(request: Request, cap: int) -> bool:
    """Whether the request's Content-Length is over ``cap`` (BadLength when it is malformed);
    nothing of the body is read."""
    declared = request.headers.get("content-length")
    if declared is None:
        return False
    if not declared.isascii() or not declared.isdigit() or len(declared) > 18:
        raise BadLength(f"Content-Length must be a number of bytes, got {declared[:40]!r}")
    return int(declared) > cap


def capped(request: Request, cap: int) -> Request:
    """The same request, whose body reading raises BodyTooLarge once more than ``cap`` bytes
    have arrived (the rest is never read)."""
    arrived = 0
    receive: Receive = request.receive

    async def receive_capped() -> Message:
        nonlocal arrived
        message = await receive()
        if message["type"] == "http.request":
            arrived += len(message.get("body", b""))
            if arrived > cap:
                raise BodyTooLarge(f"more than {cap} bytes")
        return message

    return Request(request.scope, receive_capped)
