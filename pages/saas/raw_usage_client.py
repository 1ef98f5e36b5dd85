"""A metering client that sends a usage report over a bare socket, so that a step can send only
part of a large report and then wait: an app that refuses it before reading it answers at once;
one that reads first keeps waiting for the rest, and the wait runs out."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

CHUNK = b"x" * 4096


@dataclass(frozen=True)
class RawAnswer:
    """The app's answer (status 0 and ``waited`` True: none came within the bound)."""

    status: int
    body: str
    sent_bytes: int
    waited: bool = False

    def error(self) -> str:
        try:
            return str(json.loads(self.body).get("error", ""))
        except ValueError:
            return self.body[:200]


class RawUsageClient:
    def __init__(self, base_url: str, answer_within: float) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.answer_within = answer_within

    def _head(self, tenant_id: str, api_key: str | None, framing: str) -> bytes:
        lines = [
            f"POST /api/v1/tenants/{tenant_id}/usage HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Content-Type: application/json",
            framing,
            "Connection: close",
        ]
        if api_key is not None:
            lines.append(f"Authorization: Bearer {api_key}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def announce(self, tenant_id: str, api_key: str | None, length: int) -> RawAnswer:
        """Sends the headers of a report of ``length`` bytes and none of its body, then waits
        for the answer."""
        with socket.create_connection((self.host, self.port), timeout=self.answer_within) as sock:
            sock.sendall(self._head(tenant_id, api_key, f"Content-Length: {length}"))
            return self._answer(sock, 0)

    def stream(self, tenant_id: str, api_key: str | None, sent_bytes: int) -> RawAnswer:
        """Sends ``sent_bytes`` of a chunked report (no length announced, no last chunk), then
        waits for the answer."""
        with socket.create_connection((self.host, self.port), timeout=self.answer_within) as sock:
            sock.sendall(self._head(tenant_id, api_key, "Transfer-Encoding: chunked"))
            sent = 0
            while sent < sent_bytes:
                piece = CHUNK[: min(len(CHUNK), sent_bytes - sent)]
                try:
                    sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    break  # the app answered and closed: its answer is read below
                sent += len(piece)
            return self._answer(sock, sent)

    def _answer(self, sock: socket.socket, sent: int) -> RawAnswer:
        received = b""
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                received += data
                head, _, body = received.partition(b"\r\n\r\n")
                length = _content_length(head)
                if length is not None and len(body) >= length:
                    break
        except TimeoutError:
            if not received:
                return RawAnswer(0, "", sent, waited=True)
        except ConnectionResetError:
            if not received:
                return RawAnswer(0, "connection reset without an answer", sent)
        head, _, body = received.partition(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        status = int(status_line.split(" ")[1]) if status_line.startswith("HTTP/") else 0
        return RawAnswer(status, body.decode("utf-8", "replace"), sent)


def _content_length(head: bytes) -> int | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return None
