"""The figures of a load burst: nearest-rank percentiles, and the report's own arithmetic."""

from __future__ import annotations

import os
from collections import namedtuple

import pytest

from harness.load.burst import Hop, LoginOutcome
from harness.load.cpu import busy_between
from harness.load.figures import Figures, percentile


def test_percentiles_are_nearest_rank() -> None:
    values = [float(n) for n in range(1, 51)]  # 1 … 50, in any order
    shuffled = values[25:] + values[:25]
    assert percentile(shuffled, 50) == 25.0
    assert percentile(shuffled, 95) == 48.0  # ceil(0.95 * 50) = 48th smallest
    assert percentile(shuffled, 100) == 50.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([1.0, 2.0], 50) == 1.0


def test_figures_of_durations() -> None:
    figures = Figures.of([0.5, 3.0, 1.0, 2.0])
    assert figures == Figures(count=4, p50=1.0, p95=3.0, max=3.0, total=6.5)
    assert figures.line() == "count 4, p50 1.000 s, p95 3.000 s, max 3.000 s, total 6.500 s"


@pytest.mark.parametrize("p", [0, -1, 101])
def test_a_percentile_outside_0_to_100_is_refused(p: float) -> None:
    with pytest.raises(ValueError, match="not in"):
        percentile([1.0], p)


def test_no_values_no_percentile() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_the_server_part_sums_every_request_of_the_navigation() -> None:
    login = LoginOutcome("a@x.test", "local", reached=True, end_to_end=2.0)
    login.hops = [Hop("POST", "/login", 303, 0.25), Hop("GET", "/dashboard", 200, 0.5)]
    assert login.server == 0.75


def test_a_login_with_an_untimed_request_has_no_server_part() -> None:
    login = LoginOutcome("a@x.test", "local", reached=True, end_to_end=2.0)
    login.hops = [Hop("POST", "/login", 303, 0.25), Hop("GET", "/dashboard", 200, None)]
    assert login.server is None
    assert LoginOutcome("b@x.test", "local", reached=False).server is None


def test_cpu_busy_is_the_share_not_idle_nor_waiting_for_io() -> None:
    Times = namedtuple("Times", "user nice system idle iowait")
    start = Times(100.0, 0.0, 50.0, 800.0, 50.0)
    end = Times(160.0, 0.0, 70.0, 810.0, 60.0)  # 80 busy, 20 idle or waiting, of 100
    assert busy_between(start, end).busy_percent == 80.0
    assert busy_between(start, start).busy_percent == 0.0


def test_the_burst_watches_the_cores_its_browsers_may_use() -> None:
    """On a machine of two cores or more, the browsers get half of them and the CPU load is
    read on those: a saturated browser core is not averaged away by the app's idle one."""
    from harness.load.cpu import CpuWatch

    load = CpuWatch({0}).load()
    assert (load.cores, load.machine_cores) == (1, os.cpu_count())
    if (os.cpu_count() or 1) >= 2:
        assert f"the browsers' 1 of {os.cpu_count()} cores" in load.line()


def test_the_servers_part_is_the_apps_own_time_when_every_answer_says_it() -> None:
    from harness.load.burst import app_duration

    told = [Hop("POST", "/login", 303, 2.0, 0.120), Hop("GET", "/dashboard", 200, 1.0, 0.030)]
    login = LoginOutcome("a@x.test", "local", True, hops=told)
    assert login.server == pytest.approx(0.150)
    assert login.network == pytest.approx(3.0)
    half = [Hop("POST", "/login", 303, 2.0, 0.120), Hop("GET", "/dashboard", 200, 1.0)]
    assert LoginOutcome("b@x.test", "local", True, hops=half).server == pytest.approx(3.0)
    assert app_duration('db;dur=3, app;desc="login";dur=1200.5') == pytest.approx(1.2005)
    assert app_duration("cache;dur=2") is None
