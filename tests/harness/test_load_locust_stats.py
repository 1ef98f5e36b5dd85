"""Locust's CSV statistics read back, and refused with the file and line when odd."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.load.locust_run import LocustError, read_stats_csv

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
)
SAMPLE = HEADER + (
    "POST,/login,300,2,410,520.5,80.1,4100.2,0.0,5.1,0.03,410,480,520,560,900,1500,2600,3100,4100,4100,4100\n"
    "GET,/api/dashboard,2400,0,35,41.2,6.0,900.0,150.0,40.2,0.0,35,40,45,50,70,95,150,300,900,900,900\n"
    ",Aggregated,2700,2,40,96.1,6.0,4100.2,133.3,45.3,0.03,40,50,60,70,120,410,1200,2100,4100,4100,4100\n"
)


def test_each_request_and_the_aggregate(tmp_path: Path) -> None:
    path = tmp_path / "locust_stats.csv"
    path.write_text(SAMPLE)
    stats = read_stats_csv(path)
    login = stats.named("/login")
    assert (login.type, login.requests, login.failures) == ("POST", 300, 2)
    assert (login.median_ms, login.p95_ms, login.max_ms) == (410.0, 1500.0, 4100.2)
    assert login.requests_per_second == 5.1
    assert stats.named("/api/dashboard").p95_ms == 95.0
    assert stats.aggregated.requests == 2700
    assert stats.aggregated.requests_per_second == 45.3


def test_a_request_never_made_is_none_or_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "locust_stats.csv"
    path.write_text(SAMPLE)
    stats = read_stats_csv(path)
    assert stats.get("/nowhere") is None
    with pytest.raises(LocustError, match=r"no request named '/nowhere' \(names: /login, /api"):
        stats.named("/nowhere")


def test_no_percentile_yet_is_none(tmp_path: Path) -> None:
    path = tmp_path / "locust_stats.csv"
    row = "GET,/api/dashboard,0,0,0,0,0,0,0,0.0,0.0" + ",N/A" * 11 + "\n"
    path.write_text(HEADER + row)
    assert read_stats_csv(path).named("/api/dashboard").p95_ms is None


def test_a_malformed_row_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "locust_stats.csv"
    path.write_text(HEADER + "GET,/api/dashboard,many,0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1\n")
    with pytest.raises(LocustError, match=rf"{path}, line 2: not a Locust stats row"):
        read_stats_csv(path)


def test_no_file_or_no_rows_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LocustError, match="cannot read Locust's statistics"):
        read_stats_csv(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text(HEADER)
    with pytest.raises(LocustError, match="no statistics"):
        read_stats_csv(empty)
