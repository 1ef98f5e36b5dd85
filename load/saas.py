"""Locust: people of a SaaS tenant sign in through the login form, then read their dashboard's
data (GET /api/dashboard, JSON) every 5-15 s.

Run by features/load.feature through harness/load/locust_run.py, or by hand:

    .venv/bin/locust --headless -f load/saas.py --host http://127.0.0.1:8000 \
        --users 300 --spawn-rate 60 --run-time 30s --people-file people.json

people.json: {"password": "...", "emails": ["user01@load.example.com", ...]}; virtual user k
signs in as emails[k % len(emails)], so a few hundred virtual users share the seeded people.
Never import this file into behave: Locust's gevent patches the standard library.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from locust import HttpUser, between, events, task

SIGN_IN = "/login"
DASHBOARD_DATA = "/api/dashboard"
_people: dict[str, object] = {}
_turns = itertools.count()


@events.init_command_line_parser.add_listener
def _options(parser) -> None:
    parser.add_argument(
        "--people-file",
        default="",
        help='JSON {"password": "...", "emails": [...]}: whom the virtual users sign in as',
    )


@events.init.add_listener
def _read_people(environment, **_kwargs) -> None:
    options = environment.parsed_options
    if options is None or getattr(options, "master", False):
        return  # the master runs no users; each worker reads its own copy
    path = Path(options.people_file) if options.people_file else None
    if path is None or not path.is_file():
        raise SystemExit(f"--people-file: no file at {options.people_file!r} (load/saas.py)")
    data = json.loads(path.read_text(encoding="utf-8"))
    if not data.get("emails") or not data.get("password"):
        raise SystemExit(f"{path}: expected {{'password': ..., 'emails': [...]}} (load/saas.py)")
    _people.update(data)


class TenantPerson(HttpUser):
    """Signs in, then reads the dashboard's data every 5-15 s, as a dashboard left open
    refreshes; a person whose sign-in failed tries again instead."""

    wait_time = between(5, 15)

    def on_start(self) -> None:
        emails = _people["emails"]
        self.email = emails[next(_turns) % len(emails)]
        self.signed_in = False
        self.sign_in()

    def sign_in(self) -> None:
        with self.client.post(
            SIGN_IN,
            data={"email": self.email, "password": _people["password"]},
            allow_redirects=False,
            name=SIGN_IN,
            catch_response=True,
        ) as answer:
            self.signed_in = (
                answer.status_code == 303 and answer.headers.get("location") == "/dashboard"
            )
            if not self.signed_in:
                answer.failure(f"not signed in: {answer.status_code}")

    @task
    def read_dashboard_data(self) -> None:
        if not self.signed_in:
            self.sign_in()
            return
        with self.client.get(DASHBOARD_DATA, name=DASHBOARD_DATA, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}: {answer.text[:200]}")
                return
            try:
                tenant = answer.json()["tenant"]["name"]
            except (ValueError, KeyError, TypeError):
                answer.failure(f"not the dashboard's JSON: {answer.text[:200]}")
                return
            if not tenant:
                answer.failure("the dashboard's data names no tenant")
