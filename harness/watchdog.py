"""Noticing, within a second, that a process the run depends on has died.

Each watched service has a liveness check and a description of its death. A thread checks
them every quarter second. When one has died, the cause is kept, and the main thread is
interrupted (SIGUSR1) if it is inside a scenario, so the step that waits on the dead service
fails at once with the cause instead of running into its timeouts. The interrupt is repeated every
second while the scenario goes on, because clean-up code (a transaction's rollback, say) may
wait on the dead service too. Every later scenario fails at once with the same cause
(`raise_if_dead`).

The interrupt raises only where the runner catches it (`guarded`): behave turns an exception
in a step or a hook into a failure, but one raised in its own code between them would end the
run with a traceback. Outside the guard the interrupt waits for the next repeat.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

CHECK_INTERVAL = 0.25
REPEAT_INTERRUPT = 1.0


class ServiceDied(RuntimeError):
    """A process the run depends on has exited."""


@dataclass
class _Watched:
    name: str
    alive: Callable[[], bool]
    death: Callable[[], str]


class Watchdog:
    def __init__(self, guarded: Callable[[], bool] = lambda: True) -> None:
        self._guarded = guarded
        self._watched: list[_Watched] = []
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self.cause: str | None = None
        self.dead: str | None = None  # the name of the service whose death is the cause
        self.armed = False

    def watch(self, name: str, alive: Callable[[], bool], death: Callable[[], str]) -> None:
        with self._lock:
            self._watched.append(_Watched(name, alive, death))

    def forget(self, name: str) -> None:
        """Stop watching a service (before stopping it on purpose)."""
        with self._lock:
            self._watched = [w for w in self._watched if w.name != name]

    def start(self) -> Watchdog:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGUSR1, self._interrupt)
        self._thread = threading.Thread(target=self._run, name="watchdog", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        with self._lock:
            self._watched.clear()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def check_now(self) -> str | None:
        """Look at every watched service now; the cause of a death, if any."""
        if self.cause is None:
            with self._lock:
                dead = next((w for w in self._watched if not w.alive()), None)
            if dead is not None:
                self.cause, self.dead = dead.death(), dead.name
        return self.cause

    def pardon(self, names: set[str]) -> None:
        """Forget the death of one of these services: it has been started again since (the apps
        between two mutants: harness/mutant_runner.py)."""
        with self._lock:
            if self.dead in names:
                self.cause = self.dead = None

    def raise_if_dead(self) -> None:
        if self.check_now() is not None:
            raise ServiceDied(self.cause)

    def _run(self) -> None:
        last_interrupt = 0.0
        while not self._stopped.wait(CHECK_INTERVAL):
            if self.check_now() is None:
                continue
            if self.armed and time.monotonic() - last_interrupt >= REPEAT_INTERRUPT:
                last_interrupt = time.monotonic()
                os.kill(os.getpid(), signal.SIGUSR1)

    def _interrupt(self, _signum: int, _frame: object) -> None:
        if self.armed and self.cause is not None and self._guarded():
            raise ServiceDied(self.cause)
