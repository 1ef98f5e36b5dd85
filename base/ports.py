"""Free loopback ports, and waiting (bounded) until something listens on one."""

from __future__ import annotations

import socket
import subprocess

import tenacity


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(
    host: str, port: int, timeout: float, alive: subprocess.Popen[bytes] | None = None
) -> bool:
    """Poll until a TCP connection succeeds; False on timeout or when `alive` exits."""

    class _Exited(Exception):
        pass

    @tenacity.retry(
        retry=tenacity.retry_if_exception_type(OSError),
        wait=tenacity.wait_exponential(multiplier=0.005, max=0.2),
        stop=tenacity.stop_after_delay(timeout),
        reraise=True,
    )
    def connect() -> None:
        if alive is not None and alive.poll() is not None:
            raise _Exited
        socket.create_connection((host, port), timeout=0.5).close()

    try:
        connect()
    except (OSError, _Exited):
        return False
    return True
