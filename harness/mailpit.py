"""Mail through Mailpit's HTTP API: reading it (MailpitMailbox) and offering it (MailpitApi).

Mailpit (https://mailpit.axllent.org, the `mailpit` service of docker-compose.yml) keeps what
an app sends over SMTP and shows it through /api/v1. The suite reads mail there when the
setting mail.api_url is set. `python -m harness.serve` offers the same API over its own
sink, so the suite reads serve's mail exactly as it reads a real Mailpit's.

The subset used, with Mailpit's field names:
  GET    /api/v1/messages?start=&limit=  {"total", "messages_count", "start", "messages": [
                                          {"ID", "From": {"Name", "Address"}, "To": [...],
                                           "Cc": [...], "Bcc": [...], "Subject", "Created"}]}
                                          newest first
  GET    /api/v1/message/{ID}            {"ID", "From", "To", "Cc", "Bcc", "Subject", "Text",
                                          "HTML", ...}; ID `latest` is the newest message
  DELETE /api/v1/messages                every message (or {"IDs": [...]} only those)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import tenacity

from harness.mail_sink import Address, Mail, MailSink, MailSinkError, Received

MESSAGES = "/api/v1/messages"
MESSAGE = "/api/v1/message/"
PAGE_SIZE = 250
DEFAULT_LIMIT = 50  # Mailpit's page size when no limit is asked for
SHUTDOWN_POLL = 0.05  # seconds stop() may wait for the server thread to notice


class MailpitError(RuntimeError):
    """The Mailpit API answered something else than Mailpit would."""


class MailpitUnreachable(MailpitError):
    """Nothing answered at the Mailpit API's address."""


# ---------------------------------------------------------------- reading: the suite's side


def _recipients(message: dict[str, Any]) -> tuple[str, ...]:
    people = [*(message.get("To") or ()), *(message.get("Cc") or ()), *(message.get("Bcc") or ())]
    return tuple(dict.fromkeys(p["Address"].lower() for p in people if p and p.get("Address")))


class MailpitMailbox:
    """The mail a Mailpit API at `api_url` holds, read the way a scenario reads MailSink's.

    host/port are where apps should send mail over SMTP: Mailpit's SMTP side, when the suite
    was told it (setting mail.smtp_port next to mail.api_url); None when it was not.
    """

    def __init__(
        self,
        api_url: str,
        smtp_host: str | None = None,
        smtp_port: int | None = None,
        request_timeout: float = 5.0,
        start_timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.host = smtp_host if smtp_port else None
        self.port = smtp_port if smtp_host else None
        self.start_timeout = start_timeout
        # transport: another way to reach the API than the network (a test's recorded answers)
        self._http = httpx.Client(
            base_url=self.api_url, timeout=request_timeout, transport=transport
        )

    @property
    def where(self) -> str:
        return f"the Mailpit API at {self.api_url}"

    def start(self) -> MailpitMailbox:
        """Check, within start_timeout, that the API answers like Mailpit's."""
        try:
            tenacity.retry(
                retry=tenacity.retry_if_exception_type(MailpitUnreachable),
                wait=tenacity.wait_exponential(multiplier=0.02, max=0.5),
                stop=tenacity.stop_after_delay(self.start_timeout),
                reraise=True,
            )(self._page)(0, 1)
        except MailpitUnreachable as error:
            self.stop()
            raise MailpitUnreachable(
                f"{self.where} did not answer within {self.start_timeout:g}s ({error}); "
                "is Mailpit running there? (setting mail.api_url / MAIL_API_URL)"
            ) from None
        except MailpitError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self._http.close()

    def clear(self) -> None:
        self._call("DELETE", MESSAGES)

    def messages_to(self, address: str) -> list[Mail]:
        """Every message to `address`, oldest first (as MailSink lists them)."""
        wanted = address.lower()
        summaries = [s for s in reversed(self._summaries()) if wanted in _recipients(s)]
        return [self._mail(summary["ID"]) for summary in summaries]

    def received_mail(self) -> list[Mail]:
        """Every message, oldest first: one request per message, so for failure messages."""
        return [self._mail(summary["ID"]) for summary in reversed(self._summaries())]

    def wait_for(self, address: str, timeout: float = 10.0) -> Mail:
        """The newest message to `address`, polling the API for up to `timeout` seconds."""
        wanted = address.lower()
        seen: list[dict[str, Any]] = []
        trouble: list[str] = []

        class NotYet(Exception):
            pass

        @tenacity.retry(
            retry=tenacity.retry_if_exception_type(NotYet),
            wait=tenacity.wait_exponential(multiplier=0.02, max=0.25),
            stop=tenacity.stop_after_delay(timeout),
            reraise=True,
        )
        def newest() -> str:
            try:
                seen[:] = self._summaries()
            except MailpitError as error:
                trouble[:] = [f"; the API did not answer as expected: {error}"]
                raise NotYet from None
            trouble.clear()
            for summary in seen:  # newest first
                if wanted in _recipients(summary):
                    return summary["ID"]
            raise NotYet

        try:
            message_id = newest()
        except NotYet:
            went = [", ".join(_recipients(s)) or "(no recipient)" for s in reversed(seen)]
            raise AssertionError(
                f"no email to {address} within {timeout:g}s at {self.where}; "
                f"mail went to: {'; '.join(went) or 'nobody'}{''.join(trouble)}"
            ) from None
        return self._mail(message_id)

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TransportError as error:
            raise MailpitUnreachable(
                f"{method} {self.api_url}{path} got no answer ({type(error).__name__}: {error})"
            ) from error
        except httpx.HTTPError as error:
            raise MailpitError(f"{method} {self.api_url}{path}: {error}") from error
        if response.status_code != HTTPStatus.OK:
            raise MailpitError(
                f"{method} {self.api_url}{path} answered {response.status_code}: "
                f"{response.text[:200]}"
            )
        return response

    def _json(self, path: str, **params: Any) -> dict[str, Any]:
        response = self._call("GET", path, params=params or None)
        try:
            answer = response.json()
        except ValueError:
            raise MailpitError(
                f"GET {self.api_url}{path} did not answer JSON: {response.text[:200]!r}"
            ) from None
        if not isinstance(answer, dict):
            raise MailpitError(f"GET {self.api_url}{path} answered {answer!r}, not an object")
        return answer

    def _page(self, start: int, limit: int) -> dict[str, Any]:
        page = self._json(MESSAGES, start=start, limit=limit)
        if not isinstance(page.get("messages"), list):
            raise MailpitError(
                f"GET {self.api_url}{MESSAGES} has no `messages` list: is this Mailpit's API?"
            )
        return page

    def _summaries(self) -> list[dict[str, Any]]:
        """Every message summary, newest first."""
        summaries: list[dict[str, Any]] = []
        while True:
            page = self._page(len(summaries), PAGE_SIZE)
            summaries.extend(page["messages"])
            total = page.get("messages_count", page.get("total", 0))
            if not page["messages"] or len(summaries) >= total:
                return summaries

    def _mail(self, message_id: str) -> Mail:
        message = self._json(f"{MESSAGE}{message_id}")
        sender = (message.get("From") or {}).get("Address", "")
        return Mail(
            sender=sender,
            recipients=_recipients(message),
            subject=message.get("Subject", ""),
            body=message.get("Text") or message.get("HTML") or "",
            html=message.get("HTML") or "",
        )


# ----------------------------------------------------------- offering: serve's side


def _people(addresses: Iterable[Address]) -> list[dict[str, str]]:
    return [{"Name": name, "Address": address} for name, address in addresses]


def _timestamp(received: Received) -> str:
    return received.created.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def summary_json(received: Received) -> dict[str, Any]:
    """A message as Mailpit lists it (storage.MessageSummary)."""
    sender = received.header_from
    return {
        "ID": received.id,
        "MessageID": received.message_id,
        "Read": False,
        "From": _people([sender])[0] if sender else None,
        "To": _people(received.to),
        "Cc": _people(received.cc),
        "Bcc": _people(received.bcc),
        "ReplyTo": _people(received.reply_to),
        "Subject": received.mail.subject,
        "Created": _timestamp(received),
        "Username": "",
        "Tags": [],
        "Size": received.size,
        "Attachments": 0,
        "Snippet": " ".join(received.mail.body.split())[:250],
    }


def message_json(received: Received) -> dict[str, Any]:
    """A message as Mailpit shows it whole (storage.Message)."""
    summary = summary_json(received)
    for listing_only in ("Read", "Created", "Snippet", "Attachments"):
        del summary[listing_only]
    return {
        **summary,
        "ReturnPath": received.mail.sender,
        "Date": _timestamp(received),
        "Text": received.text,
        "HTML": received.mail.html,
        "Inline": [],
        "Attachments": [],
    }


def _handler(sink: MailSink) -> type[BaseHTTPRequestHandler]:
    class MailpitHandler(BaseHTTPRequestHandler):
        server_version = "harness-mailpit-api"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base's name
            pass  # the suite reads mail through it; a line per request is noise

        def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, answer: Any) -> None:
            self._send(HTTPStatus.OK, json.dumps(answer).encode(), "application/json")

        def _text(self, status: HTTPStatus, text: str) -> None:
            self._send(status, text.encode(), "text/plain; charset=utf-8")

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            url = urlsplit(self.path)
            if url.path in ("/livez", "/readyz"):
                return self._text(HTTPStatus.OK, "ok")
            if url.path == MESSAGES:
                return self._list(parse_qs(url.query))
            if url.path.startswith(MESSAGE):
                return self._one(url.path[len(MESSAGE) :])
            return self._text(HTTPStatus.NOT_FOUND, "404 page not found")

        def do_DELETE(self) -> None:  # noqa: N802 - http.server's name
            if urlsplit(self.path).path != MESSAGES:
                return self._text(HTTPStatus.NOT_FOUND, "404 page not found")
            length = int(self.headers.get("Content-Length") or 0)
            ids = None
            if length:
                try:
                    ids = json.loads(self.rfile.read(length)).get("IDs") or None
                except (ValueError, AttributeError):
                    ids = None  # Mailpit, too, deletes everything on a body it cannot read
            sink.delete(ids)
            return self._text(HTTPStatus.OK, "ok")

        def _list(self, query: dict[str, list[str]]) -> None:
            try:
                start = int(query.get("start", ["0"])[0])
                limit = int(query.get("limit", [str(DEFAULT_LIMIT)])[0])
            except ValueError:
                return self._text(HTTPStatus.BAD_REQUEST, "start and limit must be numbers")
            newest_first = list(reversed(sink.received()))
            page = newest_first[max(start, 0) : max(start, 0) + max(limit, 0)]
            total = len(newest_first)
            return self._json(
                {
                    "total": total,
                    "unread": total,
                    "count": len(page),
                    "messages_count": total,
                    "messages_unread": total,
                    "start": start,
                    "tags": [],
                    "messages": [summary_json(r) for r in page],
                }
            )

        def _one(self, message_id: str) -> None:
            received = sink.received()
            if message_id == "latest":
                found = received[-1:]
            else:
                found = [r for r in received if r.id == message_id]
            if not found:
                return self._text(HTTPStatus.NOT_FOUND, "message not found")
            return self._json(message_json(found[0]))

    return MailpitHandler


class MailpitApi:
    """Mailpit's /api/v1 subset over a MailSink's inbox, served by a thread of this process."""

    def __init__(self, sink: MailSink, port: int = 0, host: str = "127.0.0.1") -> None:
        self.sink, self.host, self.port = sink, host, port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> MailpitApi:
        try:
            server = ThreadingHTTPServer((self.host, self.port), _handler(self.sink))
        except OSError as error:
            raise MailSinkError(
                f"the mail API cannot listen on {self.host}:{self.port} ({error.strerror}); "
                "is Mailpit or another serve running there? choose another --http-port"
            ) from None
        server.daemon_threads = True
        self._server, self.port = server, server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL},
            name="mailpit-api",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()  # returns once serve_forever has ended
            self._server.server_close()
            self._server = None
