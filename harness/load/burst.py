"""A burst of browser logins released together: every person in a browser context of their own,
on the login page with the form filled, then all clicking at once.

Playwright's sync API belongs to the thread that started it (behave's), so the burst runs
Playwright's async API on an event loop in a thread of its own, with browsers of its own: one
launched here, or one connection per Playwright server given. The contexts are spread over them
in turn. An asyncio.Barrier holds every login until all are ready; nothing staggers them.

What a product's pages do (open the login page and fill it, click, recognise the landing page)
comes in as LoginSteps, from pages/<product>/.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from playwright.async_api import Browser, Page, Request, Response, async_playwright

from harness.load.cpu import CpuLoad, CpuWatch

PREPARE_AT_ONCE = 4


class BurstError(RuntimeError):
    """The burst could not be run fairly (a login not ready, a browser not reached)."""


@dataclass(frozen=True)
class Credentials:
    email: str
    password: str


class LoginSteps(Protocol):
    async def prepare(self, page: Page, person: Credentials) -> None:
        """Open the login page and fill the form, without sending it."""

    async def submit(self, page: Page) -> None:
        """Send the filled form (click its button)."""

    async def arrived(self, page: Page, timeout_ms: float) -> None:
        """Wait until the page a signed-in person lands on shows; raise when it does not."""


@dataclass(frozen=True)
class Hop:
    """One request of the login's navigation (the form's POST, its redirect, the landing page),
    timed by the browser's Resource Timing: request start to response end (``seconds``), and
    the app's own time when its answer carries a Server-Timing header (``app_seconds``)."""

    method: str
    url: str
    status: int | None
    seconds: float | None
    app_seconds: float | None = None


@dataclass
class LoginOutcome:
    email: str
    browser: str
    reached: bool
    end_to_end: float | None = None  # click to landing page shown
    hops: list[Hop] = field(default_factory=list)
    error: str | None = None
    page_url: str = ""
    page_said: str = ""  # the start of the page's text, when the landing page did not show

    @property
    def network(self) -> float | None:
        """The sum of the hops' request-start-to-response-end times, as the browser saw them."""
        timed = [hop.seconds for hop in self.hops if hop.seconds is not None]
        return sum(timed) if self.hops and len(timed) == len(self.hops) else None

    @property
    def server(self) -> float | None:
        """The server's part: the app's own time over the hops when every answer said it
        (Server-Timing), else the browser's request-to-response time (``network``)."""
        told = [hop.app_seconds for hop in self.hops if hop.app_seconds is not None]
        if self.hops and len(told) == len(self.hops):
            return sum(told)
        return self.network


@dataclass
class BurstOutcome:
    logins: list[LoginOutcome]
    cpu: CpuLoad
    wall: float  # release to the last login's end
    browsers: list[str]


@dataclass(frozen=True)
class BurstPlan:
    base_url: str
    people: Sequence[Credentials]
    browser: str  # chromium, firefox, webkit
    endpoints: Sequence[str]  # Playwright servers; none: launch one with launch_options
    launch_options: Callable[[Any], dict[str, Any]]  # given the (async) Playwright object
    prepare_timeout: float  # seconds for every login to be ready
    login_timeout: float  # seconds from a click to the landing page


# The burst's browsers stand for people on machines of their own. On a test machine shared
# with the app they are confined to half its cores, so that their own load cannot take the
# app's processors and be charged to the server's part of each login (it shows in the
# end-to-end figure and the CPU load instead). A nice value would not do: Chromium sets its
# threads' priorities itself.
def _confine_this_thread_to_half_the_cores() -> None:
    """Linux keeps the CPU affinity per thread and hands it to the processes a thread starts:
    the Playwright driver and the browser launched from this thread use only these cores."""
    try:
        cores = sorted(os.sched_getaffinity(0))
        if len(cores) >= 2:
            os.sched_setaffinity(threading.get_native_id(), cores[len(cores) // 2 :])
    except (AttributeError, OSError):  # not Linux: the browsers share every core
        pass


def run_burst(plan: BurstPlan, steps: LoginSteps) -> BurstOutcome:
    """Run the burst in its own thread and event loop; bounded by the plan's timeouts."""
    if not plan.people:
        raise BurstError("a burst needs at least one person to sign in")
    result: dict[str, Any] = {}

    def work() -> None:
        _confine_this_thread_to_half_the_cores()
        try:
            result["outcome"] = asyncio.run(_burst(plan, steps))
        except BaseException as error:  # handed to the caller's thread
            result["error"] = error

    thread = threading.Thread(target=work, name="login-burst", daemon=True)
    thread.start()
    # browsers start and close within the margin; the logins are bounded by their own timeouts
    bound = plan.prepare_timeout + plan.login_timeout + 120
    thread.join(timeout=bound)
    if thread.is_alive():
        raise BurstError(f"the login burst did not end within {bound:.0f} s")
    if "error" in result:
        raise result["error"]
    return result["outcome"]


async def _burst(plan: BurstPlan, steps: LoginSteps) -> BurstOutcome:
    async with async_playwright() as playwright:
        browser_type = getattr(playwright, plan.browser)
        browsers: list[tuple[str, Browser]] = []
        try:
            for endpoint in plan.endpoints:
                try:
                    browsers.append((endpoint, await browser_type.connect(endpoint)))
                except Exception as error:
                    raise BurstError(f"Playwright server {endpoint}: {error}") from None
            if not browsers:
                browsers.append(
                    ("local", await browser_type.launch(**plan.launch_options(playwright)))
                )
            return await _release_together(plan, steps, browsers)
        finally:
            for _, browser in browsers:
                await browser.close()


async def _release_together(
    plan: BurstPlan, steps: LoginSteps, browsers: list[tuple[str, Browser]]
) -> BurstOutcome:
    barrier = asyncio.Barrier(len(plan.people) + 1)
    # the preparing is not measured: a few pages at a time load faster than all at once
    preparing = asyncio.Semaphore(PREPARE_AT_ONCE)
    tasks = [
        asyncio.create_task(
            _one_login(plan, steps, *browsers[index % len(browsers)], person, barrier, preparing)
        )
        for index, person in enumerate(plan.people)
    ]
    try:
        async with asyncio.timeout(plan.prepare_timeout):
            await barrier.wait()
    except (TimeoutError, asyncio.BrokenBarrierError):
        await barrier.abort()
        errors = await asyncio.gather(*tasks, return_exceptions=True)
        first = next(
            (e for e in errors if isinstance(e, BaseException)
             and not isinstance(e, asyncio.BrokenBarrierError)),
            None,
        )  # fmt: skip
        cause = f"{type(first).__name__}: {first}" if first else "no error, just too slow"
        raise BurstError(
            f"not every login was ready on the login page within {plan.prepare_timeout:.0f} s, "
            f"so they could not be released together; first cause: {cause}"
        ) from None
    # this thread's cores: those its browsers could use
    cpu = CpuWatch(os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None)
    released = time.perf_counter()
    logins = list(await asyncio.gather(*tasks))
    wall = time.perf_counter() - released
    return BurstOutcome(logins, cpu.load(), wall, [label for label, _ in browsers])


async def _one_login(
    plan: BurstPlan,
    steps: LoginSteps,
    label: str,
    browser: Browser,
    person: Credentials,
    barrier: asyncio.Barrier,
    preparing: asyncio.Semaphore,
) -> LoginOutcome:
    async with preparing:
        context = await browser.new_context(base_url=plan.base_url)
    try:
        context.set_default_timeout(plan.login_timeout * 1000)
        try:
            async with preparing:
                page = await context.new_page()
                await steps.prepare(page, person)
        except Exception:
            await barrier.abort()
            raise
        await barrier.wait()
        return await _click_and_arrive(plan, steps, label, page, person)
    finally:
        await context.close()


async def _click_and_arrive(
    plan: BurstPlan, steps: LoginSteps, label: str, page: Page, person: Credentials
) -> LoginOutcome:
    outcome = LoginOutcome(person.email, label, reached=False)
    clicked = time.perf_counter()
    try:
        async with page.expect_navigation(
            wait_until="commit", timeout=plan.login_timeout * 1000
        ) as navigation:
            await steps.submit(page)
        response = await navigation.value
        await steps.arrived(page, plan.login_timeout * 1000)
        outcome.end_to_end = time.perf_counter() - clicked
        outcome.reached = True
        await response.finished()
        outcome.hops = await _hops(response)
    except Exception as error:
        outcome.error = f"{type(error).__name__}: {str(error).splitlines()[0]}"
    outcome.page_url = page.url
    if not outcome.reached:
        outcome.page_said = await _said(page)
    return outcome


async def _said(page: Page) -> str:
    """The start of what a page that was not the landing page said (an error page's message)."""
    try:
        text = await page.evaluate("document.body ? document.body.innerText : ''")
    except Exception as error:  # a page gone or hung says nothing; say why
        return f"(nothing readable: {type(error).__name__})"
    return " ".join(str(text).split())[:160]


_APP_DURATION = re.compile(r"(?:^|,)\s*app\s*;(?:[^,]*;)?\s*dur=([0-9.]+)")


def app_duration(server_timing: str | None) -> float | None:
    """Seconds of the ``app`` metric of a Server-Timing header (its dur is in milliseconds)."""
    found = _APP_DURATION.search(server_timing or "")
    return float(found.group(1)) / 1000 if found else None


async def _hops(response: Response) -> list[Hop]:
    """The navigation's requests, first to last (the POST, then where it redirected)."""
    hops = []
    request: Request | None = response.request
    while request is not None:
        timing = request.timing
        start, end = timing.get("requestStart", -1), timing.get("responseEnd", -1)
        seconds = (end - start) / 1000 if start >= 0 and end >= start else None
        answer = await request.response()
        told = await answer.header_value("server-timing") if answer else None
        hops.append(
            Hop(
                request.method,
                request.url,
                answer.status if answer else None,
                seconds,
                app_duration(told),
            )
        )
        request = request.redirected_from
    return list(reversed(hops))
