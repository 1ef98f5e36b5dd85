"""Many writers at once while Spanner aborts commits: the steps every product shares.

The product's own steps release the writers (harness/concurrent_requests.py) and keep the burst
in context.learned["burst"]; these check that Spanner aborts commits at random, that no request
got a server error, and count the aborted writes the app retried meanwhile (its log).
"""

from __future__ import annotations

import allure
from behave import given, then

from harness.fault_injection import FAULT_TAG
from harness.retried_aborts import retried_aborts
from spanner.fault_injection import PROBE_COMMITS, commits_until_injected_abort

NEVER_A_SERVER_ERROR = (
    "while Spanner aborts commits, every request ends in a success or a clear refusal, never a "
    "server error"
)


@given("Spanner aborts commits at random")
def step_spanner_aborts_at_random(context):
    """Commits transactions that change nothing in each of the product's databases until
    Spanner aborts one of its own accord (fault injection); fails when none of 300 is."""
    found = {}
    for name in context.db.handles:
        found[name] = commits_until_injected_abort(context.db.handles[name])
        assert found[name] is not None, (
            f"Spanner must abort commits at random for this scenario, and the {name} database "
            f"aborted none of {PROBE_COMMITS} commits of its own accord: its emulator was not "
            f"started with --enable_fault_injection (tag the feature @{FAULT_TAG}, or set "
            "spanner.fault_injection=true)"
        )
    allure.attach(
        "\n".join(
            f"{name}: the commit {n} was aborted by fault injection" for name, n in found.items()
        ),
        name="Spanner aborts commits at random",
        attachment_type=allure.attachment_type.TEXT,
    )


@then("no request was answered with a server error")
def step_no_server_error(context):
    """Every writer got an answer, and none was a 5xx."""
    burst = context.learned["burst"]
    failed = burst.unanswered() + burst.server_errors()
    assert not failed, (
        f"{NEVER_A_SERVER_ERROR}: {len(failed)} of {len(burst.outcomes)} requests were not; "
        f"{burst.summary()}; "
        + "; ".join(
            f"{o.describe()} {o.response.text[:200] if o.response else ''}" for o in failed[:5]
        )
    )


@then("the {app} retried the writes Spanner aborted meanwhile")
def step_aborts_retried(context, app):
    """Counts the aborted writes the app's log says it retried since the scenario began (and
    since the writers were released), by kind, and attaches the figures; none at all would
    leave the scenario proving nothing about aborts."""
    retried = retried_aborts(context.app.log_since(context.app_log_offset))
    released_at = context.learned.get("log_at_release")
    lines = [f"during the scenario: {retried}"]
    if released_at is not None:
        lines.append(
            f"after the writers were released: {retried_aborts(context.app.log_since(released_at))}"
        )
    allure.attach(
        "\n".join(lines), name="aborted writes retried", attachment_type=allure.attachment_type.TEXT
    )
    assert retried.total > 0, (
        f"with Spanner aborting commits at random and many writers at once, the {app} must have "
        f"retried at least one aborted write, or this scenario proves nothing about aborts: "
        f"{retried}; {context.learned['burst'].summary()}"
    )
