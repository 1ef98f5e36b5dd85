"""A burst's figures as text and JSON, for the report and the assertion messages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from harness.load.burst import BurstOutcome, LoginOutcome
from harness.load.figures import Figures


def end_to_end_figures(outcome: BurstOutcome) -> Figures | None:
    times = [login.end_to_end for login in outcome.logins if login.end_to_end is not None]
    return Figures.of(times) if times else None


def server_figures(outcome: BurstOutcome) -> Figures | None:
    times = [login.server for login in outcome.logins if login.server is not None]
    return Figures.of(times) if times else None


def network_figures(outcome: BurstOutcome) -> Figures | None:
    times = [login.network for login in outcome.logins if login.network is not None]
    return Figures.of(times) if times else None


def server_source(outcome: BurstOutcome) -> str:
    """What the server's part was read from: the app's Server-Timing, or the network's view."""
    told = all(hop.app_seconds is not None for login in outcome.logins for hop in login.hops)
    if told:
        return "the app's own time for each request of the login, its Server-Timing header"
    return "request start to response end of each request of the login (no Server-Timing)"


def saturated(outcome: BurstOutcome, busy_limit: float) -> bool:
    return outcome.cpu.busy_percent >= busy_limit


def summary(outcome: BurstOutcome) -> str:
    e2e, server = end_to_end_figures(outcome), server_figures(outcome)
    network = network_figures(outcome)
    reached = sum(login.reached for login in outcome.logins)
    return "\n".join(
        [
            f"{len(outcome.logins)} logins released together over "
            f"{len(outcome.browsers)} browser(s) ({', '.join(outcome.browsers)}); "
            f"{reached} reached their page; {outcome.wall:.3f} s from the release to the last",
            f"end to end (click to page shown): {e2e.line() if e2e else 'none timed'}",
            f"server's part ({server_source(outcome)}): "
            f"{server.line() if server else 'none timed'}",
            f"network's view (request start to response end, as the browser saw it): "
            f"{network.line() if network else 'none timed'}",
            f"test machine during the burst: {outcome.cpu.line()}",
        ]
    )


def per_login(outcome: BurstOutcome) -> str:
    return "\n".join(login_line(login) for login in outcome.logins)


def login_line(login: LoginOutcome) -> str:
    e2e = f"{login.end_to_end:.3f} s" if login.end_to_end is not None else "-"
    server = f"{login.server:.3f} s" if login.server is not None else "-"
    hops = "; ".join(
        f"{hop.method} {urlsplit(hop.url).path} {hop.status or '?'} "
        + (f"{hop.seconds:.3f} s" if hop.seconds is not None else "untimed")
        + (f" (app {hop.app_seconds:.3f} s)" if hop.app_seconds is not None else "")
        for hop in login.hops
    )
    error = (
        f"  NOT REACHED, on {login.page_url} saying {login.page_said!r}: {login.error}"
        if not login.reached
        else ""
    )
    times = f"end to end {e2e:>9}  server {server:>9}"
    return f"{login.email:32} {login.browser:10} {times}  {hops}{error}"


def as_json(outcome: BurstOutcome) -> dict[str, Any]:
    e2e, server = end_to_end_figures(outcome), server_figures(outcome)
    network = network_figures(outcome)
    return {
        "browsers": outcome.browsers,
        "wall_seconds": outcome.wall,
        "cpu": {
            "busy_percent": outcome.cpu.busy_percent,
            "cores": outcome.cpu.cores,
            "load_average_1m": outcome.cpu.load_average,
        },
        "end_to_end": e2e.as_dict() if e2e else None,
        "server": server.as_dict() if server else None,
        "server_source": server_source(outcome),
        "network": network.as_dict() if network else None,
        "logins": [
            {
                "email": login.email,
                "browser": login.browser,
                "reached": login.reached,
                "end_to_end_seconds": login.end_to_end,
                "server_seconds": login.server,
                "requests": [
                    {
                        "method": h.method,
                        "url": h.url,
                        "status": h.status,
                        "seconds": h.seconds,
                        "app_seconds": h.app_seconds,
                    }
                    for h in login.hops
                ],
                "error": login.error,
                "page_url": login.page_url,
                "page_said": login.page_said,
            }
            for login in outcome.logins
        ],
    }
