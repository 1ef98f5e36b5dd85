"""Steps that leave a browser's state behind, and steps that check a next scenario sees none
of it. Each leaving step first checks that what it left is there, so that the checks after it
can fail. LEFT keeps what the last scenario left, across scenarios of the run."""

from __future__ import annotations

import time
from typing import Any

from behave import given, then, when
from playwright.sync_api import Error, expect

from harness.browser import open_scenario_browser
from harness.context_reuse import shows_nothing

LEFT: dict[str, Any] = {"contexts": [], "pages": [], "counter": None, "heard": []}

LEAVE_STORAGE = """async () => {
    document.cookie = "left_by_script=1; path=/";
    localStorage.setItem("left", "1");
    sessionStorage.setItem("left", "1");
    await new Promise((done, failed) => {
        const opening = indexedDB.open("left", 1);
        opening.onupgradeneeded = () => opening.result.createObjectStore("things");
        opening.onsuccess = () => { opening.result.close(); done(); };
        opening.onerror = failed;
    });
    await (await caches.open("left")).put("/cached", new Response("left"));
    await navigator.serviceWorker.register("/worker.js");
    await navigator.serviceWorker.ready;
}"""

STORAGE_HELD = """async () => ({
    cookie: document.cookie,
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    indexedDB: (await indexedDB.databases()).map(d => d.name),
    caches: await caches.keys(),
    serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
})"""

NOTHING_HELD = {
    "cookie": "",
    "localStorage": 0,
    "sessionStorage": 0,
    "indexedDB": [],
    "caches": [],
    "serviceWorkers": 0,
}

# storage written as the page is left: the clearing must come after the page is left
WRITE_ON_LEAVING = """() => {
    addEventListener("pagehide", () => {
        localStorage.setItem("written_on_leaving", "1");
        sessionStorage.setItem("written_on_leaving", "1");
    });
    return location.origin;
}"""

LOCATION_PERMISSION = "async () => (await navigator.permissions.query({name: 'geolocation'})).state"
WHERE_AM_I = """() => new Promise(answer => navigator.geolocation.getCurrentPosition(
    position => answer(`${position.coords.latitude},${position.coords.longitude}`),
    error => answer(`no location: ${error.message}`),
    {timeout: 2000},
))"""
PARIS = {"latitude": 48.85, "longitude": 2.35}


def _fetch(page, path: str) -> str:
    return page.evaluate("async path => (await fetch(path)).text()", path)


# --- leaving things behind


@given("a scenario that leaves things behind")
def step_leaving_scenario(context):
    context.page.goto("/index.html")
    LEFT["contexts"] = [context.page.context]
    LEFT["pages"] = [context.page]


@when("it leaves cookies and storage of every kind behind")
def step_leave_storage(context):
    page = context.page
    page.context.add_cookies([{"name": "left", "value": "1", "url": context.base_url}])
    page.evaluate(LEAVE_STORAGE)
    held = page.evaluate(STORAGE_HELD)
    assert held["localStorage"] and held["sessionStorage"] and held["serviceWorkers"], held
    assert held["indexedDB"] == ["left"] and held["caches"] == ["left"], held
    assert len(page.context.cookies()) == 2, page.context.cookies()


@when("it leaves routes, a popup, a smaller window and its history behind")
def step_leave_routes(context):
    page = context.page
    page.context.route("**/hello.html", lambda route: route.fulfill(body="Routed by the context"))
    page.route("**/index.html", lambda route: route.fulfill(body="Routed by the page"))
    with page.expect_popup() as popup:
        page.evaluate("window.open('/hello.html')")
    expect(popup.value.locator("body")).to_have_text("Routed by the context")
    page.set_viewport_size({"width": 800, "height": 500})
    page.goto("/hello.html")
    expect(page.locator("body")).to_have_text("Routed by the context")
    assert len(page.context.pages) == 2


@when("it signs in to the members' page with the password in the address")
def step_leave_credentials(context):
    address = context.base_url.replace("http://", "http://member:secret@") + "/private"
    response = context.page.goto(address)
    assert response and response.status == 200, response and response.status
    expect(context.page.locator("h1")).to_have_text("Members only")


@when("it fetches a number the browser keeps in its cache")
def step_leave_cache(context):
    context.page.goto("/index.html")
    first = _fetch(context.page, "/counter")
    assert _fetch(context.page, "/counter") == first, "the site's counter should be cached"
    LEFT["counter"] = first


@when("it leaves permissions, a location, extra headers and offline mode behind")
def step_leave_permissions(context):
    page = context.page
    browser_context = page.context
    browser_context.grant_permissions(["geolocation"], origin=context.base_url)
    browser_context.set_geolocation(PARIS)
    browser_context.set_extra_http_headers({"X-Left-By-Context": "1"})
    page.set_extra_http_headers({"X-Left-By-Page": "1"})
    assert page.evaluate(LOCATION_PERMISSION) == "granted"
    assert page.evaluate(WHERE_AM_I) == "48.85,2.35"
    headers = page.evaluate("async () => (await fetch('/headers')).json()")
    assert headers.get("x-left-by-context") == "1" and headers.get("x-left-by-page") == "1"
    browser_context.set_offline(True)
    assert page.evaluate("navigator.onLine") is False


@when("its last page writes to its storage as it is left")
def step_leave_writer(context):
    assert context.page.evaluate(WRITE_ON_LEAVING) == context.base_url


@when("it leaves a request on its way to the site, held by a route")
def step_leave_held_request(context):
    page = context.page
    held: list = []
    page.context.route("**/held", lambda route: held.append(route))
    with page.expect_request("**/held"):
        page.evaluate("() => { fetch('/held', {method: 'POST', body: 'sent late'}); }")
    deadline = time.monotonic() + 5
    while not held:  # the route's handler is called on Playwright's loop: give it turns
        assert time.monotonic() < deadline, "the route never got the request to /held"
        page.evaluate("0")
    assert _fetch(page, "/held-count") == "0", "the held request reached the site already"


@when("it opens a second browser that keeps a cookie")
def step_leave_second_browser(context):
    second = open_scenario_browser(context.browser, context.base_url, context.settings)
    context.add_cleanup(second.close)
    second.context.add_cookies([{"name": "second", "value": "1", "url": context.base_url}])
    LEFT["contexts"].append(second.context)
    LEFT["pages"].append(second.page)


@when("it leaves a listener on its page that accepts every dialog")
def step_leave_page_listener(context):
    context.page.on("dialog", lambda dialog: dialog.accept())
    assert context.page.evaluate("confirm('Sure?')") is True


@when("it leaves a listener on its browser context and a function exposed to its pages")
def step_leave_context_listener(context):
    heard = LEFT["heard"]
    context.page.context.on("request", lambda request: heard.append(request.url))
    context.page.context.expose_function("leftBehind", lambda: "still here")
    context.page.goto("/hello.html")
    assert heard, "the listener should hear the page's request"
    assert context.page.evaluate("window.leftBehind()") == "still here"


@when("it closes its own page")
def step_close_own_page(context):
    context.page.close()


# --- what the next scenario sees


@then("its browser is the last scenario's, with the same page")
def step_same_browser_same_page(context):
    assert context.page.context in LEFT["contexts"], "a kept context was expected"
    assert context.page in LEFT["pages"], "a kept page was expected"


@then("its browser is the last scenario's, with a new page")
def step_same_browser_new_page(context):
    assert context.page.context in LEFT["contexts"], "a kept context was expected"
    assert context.page not in LEFT["pages"], "a new page was expected"


@then("its browser is a new one")
def step_new_browser(context):
    assert context.page.context not in LEFT["contexts"], "a new context was expected"


@then("its page shows nothing and has no history")
def step_no_history(context):
    page = context.page
    assert shows_nothing(page.url), page.url
    assert page.locator("body").inner_text() == "", page.content()
    assert page.go_back() is None, f"the page went back to {page.url}"
    assert shows_nothing(page.url), page.url


@then("no other page is open and the window has its usual size")
def step_no_other_page(context):
    assert context.page.context.pages == [context.page], context.page.context.pages
    assert context.page.viewport_size == {"width": 1280, "height": 720}


@then("no browser holds a cookie")
def step_no_cookie(context):
    for browser_context in context.browser.contexts:
        assert browser_context.cookies() == [], browser_context.cookies()


@then("no storage of any kind is left")
def step_no_storage(context):
    context.page.goto("/index.html")
    assert context.page.evaluate(STORAGE_HELD) == NOTHING_HELD


@then("no route is left")
def step_no_route(context):
    context.page.goto("/index.html")
    expect(context.page.locator("p")).to_have_text("A page of the site.")
    context.page.goto("/hello.html")
    expect(context.page.locator("h1")).to_have_text("Hello from the site")


@then("the browser is online, with no permission, location or extra header left")
def step_no_permission(context):
    page = context.page
    page.goto("/index.html")
    assert page.evaluate("navigator.onLine") is True
    assert page.evaluate(LOCATION_PERMISSION) != "granted"
    headers = page.evaluate("async () => (await fetch('/headers')).json()")
    assert not [name for name in headers if name.startswith("x-left")], headers
    page.context.grant_permissions(["geolocation"], origin=context.base_url)
    assert page.evaluate(WHERE_AM_I) != "48.85,2.35", "the last scenario's location is left"


@then("the members' page asks who they are")
def step_no_credentials(context):
    try:
        response = context.page.goto("/private")
    except Error as error:  # Chromium asks for a password it has not got: the navigation fails
        assert "ERR_INVALID_AUTH_CREDENTIALS" in str(error), error
        return
    assert response and response.status == 401, response and response.status


@then("the number is fetched anew")
def step_not_cached(context):
    context.page.goto("/index.html")
    assert _fetch(context.page, "/counter") != LEFT["counter"]


@then("the request the last scenario held never reached the site")
def step_held_never_arrived(context):
    context.page.goto("/index.html")
    assert _fetch(context.page, "/held-count") == "0", "the held request reached the site"


@then("a dialog is dismissed")
def step_dialog_dismissed(context):
    context.page.goto("/index.html")
    assert context.page.evaluate("confirm('Sure?')") is False


@then("no listener or function of the last scenario is left")
def step_no_listener(context):
    heard = len(LEFT["heard"])
    context.page.goto("/hello.html")
    assert len(LEFT["heard"]) == heard, LEFT["heard"][heard:]
    assert context.page.evaluate("typeof window.leftBehind") == "undefined"
