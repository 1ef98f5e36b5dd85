"""`python mutation/worker.py PORT`: cosmic-ray's HTTP worker, listening on the loopback only.

cosmic-ray's own `cosmic-ray http-worker --port` listens on every interface; this serves the
same handler (cosmic_ray.distribution.http.handle_mutate_and_test) on 127.0.0.1. The worker
mutates, tests and restores the module paths it is sent relative to its working directory,
which mutation/run.py makes a copy of the tree of its own.
"""

from __future__ import annotations

import sys

from aiohttp import web
from cosmic_ray.distribution.http import handle_mutate_and_test


def main(argv: list[str]) -> None:
    if len(argv) != 1 or not argv[0].isdigit():
        sys.exit("usage: python mutation/worker.py PORT")
    app = web.Application()
    app.add_routes([web.post("/", handle_mutate_and_test)])
    web.run_app(app, host="127.0.0.1", port=int(argv[0]), print=None, access_log=None)


if __name__ == "__main__":
    main(sys.argv[1:])
