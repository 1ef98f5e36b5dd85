"""harness/work_queue.py: the parts `run_suite --workers N` shares out as workers get free."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from harness.queue_runner import QueueRunner
from harness.scenario_selection import SelectedScenario
from harness.work_queue import PARTS_PER_WORKER, WorkQueue, cut


def scenario(filename: str, line: int) -> SelectedScenario:
    return SelectedScenario(f"{filename}:{line}", filename, line)


SCENARIOS = [
    *(scenario("features/long.feature", line) for line in range(10, 30)),  # 20 x 5 s
    scenario("features/short.feature", 3),  # 1 s
    *(scenario("features/middle.feature", line) for line in (5, 9, 12)),  # 3 x 4 s
]
TIMINGS = (
    {s.key: 5.0 for s in SCENARIOS[:20]}
    | {SCENARIOS[20].key: 1.0}
    | {s.key: 4.0 for s in SCENARIOS[21:]}
)


def test_every_scenario_is_in_one_part_once_in_behaves_order_within_its_feature() -> None:
    parts = cut(SCENARIOS, 2, TIMINGS).parts
    found = [s.location for part in parts for s in part.scenarios]
    assert sorted(found) == sorted(s.location for s in SCENARIOS)
    assert len(found) == len(set(found))
    for part in parts:
        lines = [s.line for s in part.scenarios]
        assert lines == sorted(lines)
        assert {s.filename for s in part.scenarios} == {part.filename}


def test_a_feature_longer_than_a_part_is_cut_in_runs_and_parts_come_longest_first() -> None:
    cut_parts = cut(SCENARIOS, 2, TIMINGS)
    assert cut_parts.by_time and cut_parts.unmeasured == 0
    longest = (100 + 1 + 12) / (2 * PARTS_PER_WORKER)  # 14.1 s
    parts = cut_parts.parts
    assert [p.filename for p in parts if p.filename != "features/long.feature"] == [
        "features/middle.feature",
        "features/short.feature",
    ]
    long_parts = [p for p in parts if p.filename == "features/long.feature"]
    assert len(long_parts) == 10  # 100 s in runs of at most 14.1 s: 2 scenarios, 10 s each
    assert all(p.seconds <= longest for p in long_parts)
    assert [p.seconds for p in parts] == sorted((p.seconds for p in parts), reverse=True)


def test_without_timings_parts_are_counted_in_scenarios() -> None:
    cut_parts = cut(SCENARIOS, 2, None)
    assert not cut_parts.by_time
    assert sum(p.seconds for p in cut_parts.parts) == len(SCENARIOS)


def test_each_worker_tries_its_own_part_first_then_the_queue_in_order() -> None:
    assert WorkQueue.order_for(1, 4) == [0, 1, 2, 3]
    assert WorkQueue.order_for(3, 4) == [2, 0, 1, 3]
    assert WorkQueue.order_for(5, 4) == [0, 1, 2, 3]  # more workers than parts


def test_a_part_is_taken_by_one_worker_only(tmp_path: Path) -> None:
    parts = cut(SCENARIOS, 2, TIMINGS).parts
    queue = WorkQueue.create(tmp_path / "queue", parts)
    assert queue.locations() == [p.locations for p in parts]
    won: list[tuple[int, int]] = []
    lock = threading.Lock()

    def worker(number: int) -> None:
        for index in WorkQueue.order_for(number, len(parts)):
            if queue.claim(index, number):
                with lock:
                    won.append((index, number))

    threads = [threading.Thread(target=worker, args=(n,)) for n in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(index for index, _ in won) == list(range(len(parts)))
    assert queue.claimed_by() == dict(won)


def test_a_stopped_queue_says_so(tmp_path: Path) -> None:
    queue = WorkQueue.create(tmp_path / "queue", cut(SCENARIOS, 2, None).parts)
    assert not queue.stopped
    queue.stop()
    assert queue.stopped


def test_a_queue_that_cannot_be_read_is_named(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SUITE_QUEUE", str(tmp_path / "nowhere"))
    queue = WorkQueue.of_environment()
    assert queue is not None
    with pytest.raises(ValueError, match=r"SUITE_QUEUE: cannot read the parts in .*nowhere"):
        queue.locations()


class _Feature:
    def __init__(self, failed: bool) -> None:
        self.failed = failed
        self.status = self

    def has_failed(self) -> bool:
        return self.failed


def _runner(stop: bool) -> QueueRunner:
    runner = QueueRunner.__new__(QueueRunner)  # only what _claimed reads
    runner.config = SimpleNamespace(stop=stop)
    runner.context = None
    return runner


@pytest.mark.parametrize("stop", [True, False])
def test_a_failed_part_under_behaves_stop_ends_every_workers_taking(
    tmp_path: Path, stop: bool
) -> None:
    queue = WorkQueue.create(tmp_path / "queue", cut(SCENARIOS, 2, None).parts)
    features = {0: [_Feature(False)], 1: [_Feature(True)], 2: [_Feature(False)]}
    taken = list(_runner(stop)._claimed(queue, 1, [0, 1, 2], features))
    assert taken == (
        [features[0][0], features[1][0]] if stop else [f[0] for f in features.values()]
    )
    assert queue.stopped is stop
    # the other worker, later, takes nothing more when the queue was stopped
    more = list(_runner(stop)._claimed(queue, 2, [3, 4], {3: [_Feature(False)], 4: []}))
    assert len(more) == (0 if stop else 1)
