"""harness/concurrent_requests.py and harness/html_forms.py against a small local server: writers
load a form first, post back its hidden fields with their own cookies, and are released together."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import httpx
import pytest

from harness.concurrent_requests import WritersNotReleased, release_together
from harness.html_forms import FormError, find_form

WRITERS = 8
# The server answers a POST only once all WRITERS posts are in, so writers that were not
# released together would never all be answered: the barrier breaks after this many seconds.
TOGETHER_SECONDS = 10

FORM_PAGE = """<!doctype html><html><body>
<form method="get" action="/search"><input name="q"></form>
<form method="post" action="/orders" class="stacked">
  <input type="hidden" name="csrf_token" value="{token}">
  <input name="item" value="">
  <input type="checkbox" name="gift" value="yes">
  <input type="checkbox" name="terms" checked>
  <input type="submit" name="go" value="Order">
  <input name="disabled_one" value="x" disabled>
  <select name="size"><option value="s">Small</option>
    <option value="m" selected>Medium</option></select>
  <select name="colour"><option>Red &amp; blue</option><option>Green</option></select>
  <textarea name="note">Leave at the door &lt;please&gt;</textarea>
  <button type="submit">Order</button>
</form></body></html>"""


class _Shop(BaseHTTPRequestHandler):
    arrivals: threading.Barrier
    posts: list[dict[str, object]]
    lock = threading.Lock()

    def log_message(self, *args: object) -> None:  # keep pytest's output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        visitor = self.path.rsplit("=", 1)[-1]
        body = FORM_PAGE.format(token=f"token-{visitor}").encode()
        self.send_response(200)
        self.send_header("Set-Cookie", f"visitor={visitor}; Path=/")
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        try:
            self.arrivals.wait()
            status = 201
        except threading.BrokenBarrierError:
            status = 503
        with self.lock:
            self.posts.append({"cookie": self.headers.get("Cookie"), "form": form})
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def shop() -> Iterator[tuple[str, type[_Shop]]]:
    handler = type("Shop", (_Shop,), {})
    handler.arrivals = threading.Barrier(WRITERS, timeout=TOGETHER_SECONDS)
    handler.posts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def order(visitor: int) -> Callable[[httpx.Client], Callable[[], httpx.Response]]:
    def get_ready(client: httpx.Client) -> Callable[[], httpx.Response]:
        page = client.get(f"/shop?visitor={visitor}")
        form = find_form(page.text, "/orders")
        data = form.submission({"item": f"book {visitor}"})
        return lambda: client.post(form.url(str(page.url)), data=data)

    return get_ready


def test_writers_are_released_together_each_with_its_cookies_and_hidden_fields(shop) -> None:
    url, handler = shop
    burst = release_together([order(i) for i in range(WRITERS)], url, ready_timeout=10)
    # every post was answered 201 only because all of them were in flight at once
    assert burst.statuses() == {201: WRITERS}, burst.report()
    assert not burst.server_errors() and not burst.unanswered()
    by_item = {post["form"]["item"][0]: post for post in handler.posts}
    for visitor in range(WRITERS):
        post = by_item[f"book {visitor}"]
        assert post["cookie"] == f"visitor={visitor}"
        assert post["form"]["csrf_token"] == [f"token-{visitor}"]


def test_a_writer_that_cannot_get_ready_stops_the_release_and_is_named(shop) -> None:
    url, handler = shop

    def lost(client: httpx.Client) -> Callable[[], httpx.Response]:
        find_form(client.get("/shop?visitor=9").text, "/checkout", "the shop page")
        raise AssertionError("unreachable: the shop page has no checkout form")

    writers = [order(0), lost, order(2)]
    with pytest.raises(WritersNotReleased, match=r"writer 1: FormError: the shop page has no form"):
        release_together(writers, url, ready_timeout=10)
    assert handler.posts == [], "no writer may be released when one is not ready"


def test_an_unanswered_request_is_an_outcome_not_a_crash(shop) -> None:
    url, _ = shop

    def refused(client: httpx.Client) -> Callable[[], httpx.Response]:
        return lambda: client.get("http://127.0.0.1:9/nothing-listens-here")

    burst = release_together([refused], url, ready_timeout=5, request_timeout=2)
    assert len(burst.unanswered()) == 1
    assert "no answer" in burst.outcomes[0].describe()


def test_no_writers_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one writer"):
        release_together([], "http://127.0.0.1:9")


# --- the form as a browser sends it


def test_form_sends_hidden_and_filled_fields_as_a_browser_does() -> None:
    form = find_form(FORM_PAGE.format(token="abc"), "/orders")
    assert form.method == "post" and form.hidden == ("csrf_token",)
    assert form.submission({"item": "a book"}) == {
        "csrf_token": "abc",
        "item": "a book",
        "terms": "on",
        "size": "m",
        "colour": "Red & blue",
        "note": "Leave at the door <please>",
    }
    assert form.url("http://shop.example/shop?visitor=1") == "http://shop.example/orders"


def test_typing_into_a_field_the_form_lacks_is_named() -> None:
    form = find_form(FORM_PAGE.format(token="abc"), "/orders")
    with pytest.raises(FormError, match="no field adress"):
        form.submission({"adress": "1 Main St"})


def test_a_missing_form_names_the_forms_there_are() -> None:
    with pytest.raises(FormError, match=r"the cart has no form posting to '/pay'.*'/search'"):
        find_form(FORM_PAGE.format(token="abc"), "/pay", "the cart")
