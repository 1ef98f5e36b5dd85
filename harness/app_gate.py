"""A reference app's process, started before its databases exist: it imports the app, then
waits for the harness to hand it its environment and command line, and runs it as
`python -m <module>` would, in the same process.

    python <repo>/harness/app_gate.py <host>:<port> -m <module>

(run by its path, so that it needs nothing on the app's path; `-m <module>` names the app in
process listings as its own command line would)

The app's imports (most of its start) so overlap the emulator's start and the databases'
creation. The harness listens on <host>:<port>; this process connects once imported, sends how
many seconds the imports took (a line), and reads a JSON object {"env": {...}, "args": [...]}
to the end of the stream. The app then starts exactly as it would have: os.environ is that
environment (nothing of the harness's is left), sys.argv its command line.
"""

from __future__ import annotations

import importlib
import json
import os
import runpy
import socket
import sys
import time


def main(argv: list[str]) -> None:
    address, module = argv[1], argv[3]
    sys.path[0] = os.getcwd()  # the app's folder first, as `python -m` puts it
    started = time.perf_counter()
    main_module = f"{module}.__main__"
    importlib.import_module(main_module)  # its imports; its `if __name__ == "__main__"` waits
    imported = time.perf_counter() - started
    sys.modules.pop(main_module, None)  # runpy runs it afresh, as __main__
    host, port = address.rsplit(":", 1)
    with socket.create_connection((host, int(port))) as connection:
        connection.sendall(f"{imported:.6f}\n".encode())
        received = bytearray()
        while chunk := connection.recv(65536):
            received.extend(chunk)
    launch = json.loads(received)
    os.environ.clear()
    os.environ.update(launch["env"])
    sys.argv = [module, *launch["args"]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv)
