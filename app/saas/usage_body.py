"""Reading a JSON body within bounds (a usage report's, a profile change's): its size before
and while it is read, and how deep its JSON nests before it is decoded (pure logic beside the
streaming read)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

MAX_BODY_BYTES = 16 * 1024
MAX_JSON_DEPTH = 16
MAX_NUMBER_DIGITS = 30  # far above any count billing takes, far below what is slow to convert


class BodyError(ValueError):
    """The body cannot be taken; ``status`` is the HTTP answer, the message says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


TOO_LARGE = f"body is too large: a usage report holds at most {MAX_BODY_BYTES} bytes"


def check_declared_length(
    raw: str | None, cap: int = MAX_BODY_BYTES, too_large: str = TOO_LARGE
) -> None:
    """Refuses a body whose Content-Length says it is over the cap, before reading any of it."""
    if raw is None:
        return
    if not raw.strip().isdigit():
        raise BodyError(400, "Content-Length must be a whole number of bytes")
    if int(raw) > cap:
        raise BodyError(413, too_large)


async def read_capped(
    chunks: AsyncIterator[bytes], cap: int = MAX_BODY_BYTES, too_large: str = TOO_LARGE
) -> bytes:
    """The body, read chunk by chunk; stops reading as soon as it passes the cap (a chunked
    body announces no length)."""
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > cap:
            raise BodyError(413, too_large)
    return bytes(body)


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in JSON text (brackets inside strings not counted)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise BodyError(400, f"body has a number of more than {MAX_NUMBER_DIGITS} digits")
    return int(digits)


def decode(body: bytes) -> object:
    """The JSON value of the body; nesting deeper than MAX_JSON_DEPTH is refused undecoded."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError(400, "body must be valid JSON in UTF-8") from None
    if json_depth(text) > MAX_JSON_DEPTH:
        raise BodyError(400, f"body nests JSON deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text, parse_int=_bounded_int)
    except BodyError:
        raise
    except ValueError:  # JSONDecodeError, or an integer of more digits than Python converts
        raise BodyError(400, "body must be valid JSON") from None
