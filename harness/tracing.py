"""What each tracing mode records, in a behave run and in each attempt of harness/run_suite.

- on: every scenario's trace is kept.
- off: nothing is recorded.
- retain-on-failure: every scenario is recorded; the trace is kept when it did not pass.
- on-first-retry: nothing is recorded on a first attempt; the first retry (run_suite
  --retries) records and keeps every retried scenario's trace, later retries record nothing.
  A plain behave run has no retry, so it records nothing: a passing run pays nothing.
"""

from __future__ import annotations

MODES = ("on", "off", "retain-on-failure", "on-first-retry")
# Playwright's own advice: a passing run records nothing; a retried scenario keeps its trace
DEFAULT = "on-first-retry"


def records(mode: str) -> bool:
    """Whether a behave run given this mode records a trace of each scenario."""
    return mode in ("on", "retain-on-failure")


def keeps(mode: str, failed: bool) -> bool:
    """Whether a recorded scenario's trace is kept (written and attached to the report)."""
    return mode == "on" or (failed and mode == "retain-on-failure")


def mode_for_attempt(mode: str, attempt: int) -> str:
    """The mode behave is given on an attempt (0: the first run, 1: the first retry, ...)."""
    if mode != "on-first-retry":
        return mode
    return "on" if attempt == 1 else "off"
