"""`python mutation/exec.py CONFIG SESSION`: `cosmic-ray exec` without aiohttp's 300 s limit.

cosmic-ray's HTTP distributor sends each mutant to a worker with `aiohttp.request` and no
timeout of its own, so aiohttp's default (300 s in all) cuts off any mutant whose test run is
longer, and the mutant is recorded as abnormal. The worker already enforces the time-out per
mutant that mutation/run.py sets from the baseline; this launcher only lifts the client's total
limit (the connect limit stays) and then runs cosmic-ray's own command line.
"""

from __future__ import annotations

import sys

import aiohttp.client
from cosmic_ray.cli import main

# ClientSession reads this module-level default whenever it is given no timeout
aiohttp.client.DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=None, sock_connect=30)

if __name__ == "__main__":
    sys.argv[1:1] = ["exec"]
    sys.exit(main())
