"""An attacker's web site, served by the suite on a port of its own: another origin than the
app under test, on the same host (so the browser treats it as the same *site*, the way a
sibling subdomain is: SameSite=Lax cookies go along, and only the app's own CSRF defence
stands in the way).

A page published here is a form copied from the app (or made up) that its script submits as
soon as the page opens, in the person's own browser, with the person's cookies. A form may
carry files: no page can type a path into a file input, but any page may make a file of bytes
of its own and put it there (a ``DataTransfer``), so the classic forged upload, an
auto-submitted multipart form, is what the page sends.
"""

from __future__ import annotations

import base64
import html
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import Page, Response

MULTIPART = "multipart/form-data"
# seconds stop() may wait for the server's thread to notice it (serve_forever's default, 0.5 s,
# cost each scenario with a foreign site 0.25 s on average)
SHUTDOWN_POLL = 0.01
# fills each file input with a File made of the page's own bytes, then sends the form
_FILL_FILES = """const files = %s;
for (const [id, file] of Object.entries(files)) {
  const bytes = Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0));
  const chosen = new DataTransfer();
  chosen.items.add(new File([bytes], file.name, {type: file.type}));
  document.getElementById(id).files = chosen.files;
}
"""


@dataclass(frozen=True)
class ForgedFile:
    """A file the attacker's page makes of its own bytes and puts into a file input."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class ForgedForm:
    """What the attacker's page sends: to ``action`` (an absolute URL of the app), these
    fields, in this encoding. It holds no CSRF token: another site cannot read the app's."""

    action: str
    fields: Mapping[str, str]
    method: str = "post"
    enctype: str = "application/x-www-form-urlencoded"
    files: Mapping[str, ForgedFile] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.files and (self.enctype != MULTIPART or self.method.lower() != "post"):
            raise ValueError(
                f"a forged form with files ({', '.join(self.files)}) is sent by POST as "
                f"{MULTIPART}, not by {self.method} as {self.enctype}"
            )

    def page(self) -> str:
        inputs = "\n".join(
            [
                f'  <input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
                for name, value in self.fields.items()
            ]
            + [
                f'  <input type="file" id="forged-file-{number}" name="{html.escape(name)}">'
                for number, name in enumerate(self.files)
            ]
        )
        return (
            "<!doctype html>\n<html><head><title>You have won a prize</title></head><body>\n"
            "<h1>You have won a prize</h1>\n"
            f'<form id="forged" method="{html.escape(self.method)}" '
            f'action="{html.escape(self.action)}" enctype="{html.escape(self.enctype)}">\n'
            f"{inputs}\n</form>\n"
            f"<script>\n{self._fill_files()}"
            'document.getElementById("forged").submit();\n</script>\n'
            "</body></html>\n"
        )

    def _fill_files(self) -> str:
        if not self.files:
            return ""
        files = {
            f"forged-file-{number}": {
                "name": file.name,
                "type": file.content_type,
                "content": base64.b64encode(file.content).decode("ascii"),
            }
            for number, file in enumerate(self.files.values())
        }
        # "<" escaped, so that no name can close the script
        return _FILL_FILES % json.dumps(files).replace("<", "\\u003c")


@dataclass
class ForeignSite:
    """A web server on 127.0.0.1 and a port of its own, serving the pages published to it."""

    pages: dict[str, str] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        if self._server is None:
            raise RuntimeError("the foreign site is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ForeignSite:
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server protocol
                body = pages.get(self.path)
                if body is None:
                    self.send_error(404, f"the foreign site has no page {self.path}")
                    return
                data = body.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return  # the scenario's own steps say what happened

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL},
            name="foreign-site",
            daemon=True,
        )
        self._thread.start()
        return self

    def publish(self, path: str, page: str) -> str:
        """Serve ``page`` at ``path``; its full URL."""
        if not path.startswith("/"):
            raise ValueError(f"a page's path starts with '/', got {path!r}")
        self.pages[path] = page
        return f"{self.origin}{path}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


def submit_from_foreign_site(page: Page, forged: ForgedForm, timeout_ms: float) -> Response:
    """Opens the attacker's page, serving ``forged``, in ``page`` (the person's browser, with
    their cookies) and waits for the app's answer to the forged request."""
    site = ForeignSite().start()
    try:
        url = site.publish("/prize.html", forged.page())
        with page.expect_response(
            lambda r: r.url.split("?", 1)[0] == forged.action and r.request.method == "POST",
            timeout=timeout_ms,
        ) as answer:
            page.goto(url)
        page.wait_for_load_state()
        return answer.value
    finally:
        site.stop()
