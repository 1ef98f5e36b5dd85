"""Whether a database's emulator aborts commits at random (emulator_main --enable_fault_injection).

The emulator says why it aborted a commit: one it aborts of its own accord carries
INJECTED_ABORT in its message; one aborted because another transaction was running does not.
`commits_until_injected_abort` commits transactions that change nothing until the emulator aborts
one of its own accord: a fault-injecting emulator does so about once in 13 commits, so none in
PROBE_COMMITS means the flag is off (the chance of missing it is (12/13)**300, about 4e-11).
"""

from __future__ import annotations

from google.api_core.exceptions import Aborted
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from spanner.transactions import is_transient_conflict

INJECTED_ABORT = "to mimic production behavior"
PROBE_COMMITS = 300


def _read_nothing(txn: Transaction) -> None:
    # a read-write transaction with a read and no write: its commit changes nothing
    list(txn.execute_sql("SELECT 1"))


def is_injected_abort(error: BaseException) -> bool:
    """Whether the emulator aborted this commit of its own accord (fault injection)."""
    return isinstance(error, Aborted) and INJECTED_ABORT in str(error)


def commits_until_injected_abort(database: Database, limit: int = PROBE_COMMITS) -> int | None:
    """How many commits it took until the emulator aborted one of its own accord; None when it
    aborted none of ``limit``. Aborts for another transaction running are passed over."""
    for attempt in range(1, limit + 1):
        try:
            database.run_in_transaction(_read_nothing, timeout_secs=0)
        except Exception as error:
            if is_injected_abort(error):
                return attempt
            if not is_transient_conflict(error):
                raise
    return None
