"""behave's runner for a worker of `run_suite --workers N` (`behave --runner
harness.queue_runner:QueueRunner`): the parts of the queue named by SUITE_QUEUE
(harness/work_queue.py), each run when this worker claims it.

All the parts' features are parsed first and are the run's features (before_all checks their
products and starts the first one's early); the features run are those this worker claims, one
after another, as it gets to them, so its formatters and its summary know only those. Without
SUITE_QUEUE it is behave's own runner.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from behave.formatter._registry import make_formatters
from behave.runner import Context, Runner
from behave.runner_util import FileLocationParser, parse_features

from harness.work_queue import WORKER_ENV, WorkQueue


class QueueRunner(Runner):
    def run_with_paths(self):
        queue = WorkQueue.of_environment()
        if queue is None:
            return super().run_with_paths()
        worker = int(os.environ.get(WORKER_ENV) or 0)
        self.context = Context(self)
        self.load_hooks()
        self.load_step_definitions()
        locations = queue.locations()
        order = queue.order_for(worker, len(locations))
        parsed = {
            index: parse_features(
                [FileLocationParser.parse(text) for text in locations[index]],
                language=self.config.lang,
            )
            for index in order
        }
        self.features.extend(feature for index in order for feature in parsed[index])
        self.formatters = make_formatters(self.config, self.config.outputs)
        return self.run_model(self._claimed(queue, worker, order, parsed))

    def _claimed(self, queue: WorkQueue, worker: int, order: list[int], parsed) -> Iterator:
        for index in order:
            if queue.stopped or self.aborted:
                return
            if not queue.claim(index, worker):
                continue
            for feature in parsed[index]:
                yield feature
                if self.config.stop and feature.status.has_failed():
                    queue.stop()  # behave --stop: the first failure ends every worker's run
                    return
