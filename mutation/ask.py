"""`python mutation/ask.py [--restart-apps] SOCKET FALLBACK -- LOCATION...`: a mutant's test
command when its worker keeps a behave up (harness/mutant_runner.py listening on SOCKET);
--restart-apps: the apps started again for it, not the mutant swapped into them.

It asks that behave to run the scenarios (file:line, or whole feature files) in order, up to the
first that fails, and exits as behave would: 0 when every one passed, 1 when one failed, with
behave's "Failing scenarios:" list naming it (mutation/worker.py reads the kill from there).
When the behave does not answer (not up, or it died during the run), or answers that it is
broken (a service it depends on died), the mutant is not judged on that: FALLBACK, the shell
command that runs the same scenarios in a behave of their own, runs instead and its exit code is
the answer.
"""

from __future__ import annotations

import json
import os
import socket
import sys

FALLBACK_NOTE = (
    "mutation: the kept behave did not answer; the scenarios run in a behave of their own"
)


def ask(socket_path: str, locations: list[str], restart: bool = False) -> dict | None:
    """The kept behave's answer, or None when it cannot be had."""
    request = {"locations": locations, "restart_apps": restart}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(socket_path)
            connection.sendall(json.dumps(request).encode() + b"\n")
            line = connection.makefile("rb").readline()
    except OSError:
        return None
    return json.loads(line) if line.strip() else None


def report(answer: dict) -> int:
    """behave's words for the answer; the exit code behave would give."""
    failed = answer.get("failed")
    timing = (
        f"the code put in ({answer.get('code', '?')}) in {answer.get('restart_seconds', '?')} s, "
        f"in all {answer.get('seconds')} s"
    )
    if failed is None:
        print(f"{answer['ran']} scenarios passed ({timing})")
        return 0
    print(failed["message"])
    print(f"{answer['ran']} scenarios run, the last one failed ({timing})")
    print("\nFailing scenarios:")
    print(f"  {failed['location']}  {failed['name']}")
    return 1


def main(argv: list[str]) -> int:
    restart = bool(argv) and argv[0] == "--restart-apps"
    argv = argv[1:] if restart else argv
    if len(argv) < 3 or argv[2] != "--":
        sys.exit("usage: python mutation/ask.py [--restart-apps] SOCKET FALLBACK -- LOCATION...")
    socket_path, fallback, locations = argv[0], argv[1], argv[3:]
    answer = ask(socket_path, locations, restart)
    if answer is None or "broken" in answer:
        print(FALLBACK_NOTE + (f" ({answer['broken']})" if answer else ""), flush=True)
        os.execv("/bin/sh", ["/bin/sh", "-c", fallback])
    return report(answer)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
