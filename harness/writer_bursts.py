"""Many writers released at once against the scenario's app, for a step: the release noted in
the app's log (steps/shared/many_writers.py counts the aborts retried after it) and the burst's
report attached to Allure."""

from __future__ import annotations

from collections.abc import Sequence

import allure

from harness.concurrent_requests import Burst, Writer, release_together


def release_writers(context, writers: Sequence[Writer], report_name: str) -> Burst:
    """Release ``writers`` together at the scenario's app; context.learned["log_at_release"]
    holds where the app's log stood at the release."""

    def note_release() -> None:
        context.learned.update(log_at_release=context.app.log_size())

    burst = release_together(writers, context.app.base_url, on_release=note_release)
    allure.attach(burst.report(), name=report_name, attachment_type=allure.attachment_type.TEXT)
    return burst
