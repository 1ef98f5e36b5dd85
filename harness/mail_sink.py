"""A local SMTP server that keeps every message, so a scenario can read its mail like a person.

MailSink listens on a fixed port (setting mail.smtp_port) or, by default, a free one. Besides
what a scenario reads (Mail), it keeps what a Mailpit-style API shows of a message
(Received), so harness/mailpit.py can serve its inbox over HTTP.
"""

from __future__ import annotations

import email
import email.policy
import errno
import re
import secrets
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import getaddresses

from aiosmtpd.controller import Controller

from base.ports import free_port

Address = tuple[str, str]  # (display name, address)


class MailSinkError(RuntimeError):
    """The sink could not listen where it was asked to."""


@dataclass(frozen=True)
class Mail:
    """One email: `body` is its text part (its HTML part when it has no text part), `html`
    its HTML part ("" when it has none). A multipart email keeps both: the texts of its
    HTML links are in `html` only."""

    sender: str
    recipients: tuple[str, ...]
    subject: str
    body: str
    html: str = ""

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"']+", self.body)


@dataclass(frozen=True)
class Received:
    """One message as the sink keeps it: the Mail, and its headers as an inbox shows them."""

    id: str
    mail: Mail
    message_id: str
    header_from: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    bcc: tuple[Address, ...]  # envelope recipients named in no To or Cc header
    reply_to: tuple[Address, ...]
    text: str  # the text part alone ("" when there is none); the HTML part is mail.html
    size: int
    created: datetime


def _addresses(message: EmailMessage, header: str) -> tuple[Address, ...]:
    return tuple(
        (name, address) for name, address in getaddresses(message.get_all(header, [])) if address
    )


def _content(message: EmailMessage, kind: str) -> str:
    part = message.get_body(preferencelist=(kind,))
    return part.get_content() if part is not None else ""


def parse_received(mail_from: str, rcpt_tos: Iterable[str], raw: bytes) -> Received:
    parsed: EmailMessage = email.message_from_bytes(raw, policy=email.policy.default)
    text, html = _content(parsed, "plain"), _content(parsed, "html")
    recipients = tuple(address.lower() for address in rcpt_tos)
    to, cc = _addresses(parsed, "To"), _addresses(parsed, "Cc")
    named = {address.lower() for _, address in (*to, *cc)}
    senders = _addresses(parsed, "From")
    return Received(
        id=secrets.token_urlsafe(16),
        mail=Mail(
            sender=mail_from,
            recipients=recipients,
            subject=str(parsed.get("Subject", "")),
            body=text or html,
            html=html,
        ),
        message_id=str(parsed.get("Message-ID", "")).strip("<>"),
        header_from=senders[0] if senders else None,
        to=to,
        cc=cc,
        bcc=tuple(("", address) for address in recipients if address not in named),
        reply_to=_addresses(parsed, "Reply-To"),
        text=text,
        size=len(raw),
        created=datetime.now(UTC),
    )


class _Inbox:
    def __init__(self) -> None:
        self.received: list[Received] = []  # oldest first
        self.changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        received = parse_received(
            envelope.mail_from, envelope.rcpt_tos, envelope.original_content or envelope.content
        )
        with self.changed:
            self.received.append(received)
            self.changed.notify_all()
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Mail]:
        wanted = address.lower()
        return [r.mail for r in self.received if wanted in r.mail.recipients]


def _check_port_free(host: str, port: int) -> None:
    """Fail at once (not after aiosmtpd's ready timeout) when the port is taken."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            raise MailSinkError(
                f"the mail sink cannot receive SMTP on {host}:{port}: the port is in use "
                "(another mail sink or Mailpit?); choose another port "
                "(setting mail.smtp_port / MAIL_SMTP_PORT, or serve's --smtp-port)"
            ) from None


class MailSink:
    """Start with start(); read with wait_for(); empty between scenarios with clear().

    `port` 0 (the default) takes a free port; any other port is used as it is.
    """

    def __init__(self, port: int = 0, host: str = "127.0.0.1") -> None:
        self._inbox = _Inbox()
        self.host = host
        self.fixed_port = port != 0
        self.port = port or free_port()
        self._controller = Controller(self._inbox, hostname=self.host, port=self.port)
        self._started = False

    @property
    def where(self) -> str:
        return f"the suite's SMTP sink on {self.host}:{self.port}"

    def start(self) -> MailSink:
        if self.fixed_port:
            _check_port_free(self.host, self.port)
        try:
            self._controller.start()
        except (OSError, TimeoutError, RuntimeError) as error:
            raise MailSinkError(
                f"the mail sink did not start receiving SMTP on {self.host}:{self.port}: {error}"
            ) from error
        self._started = True
        return self

    def alive(self) -> bool:
        """Whether the SMTP server's thread still runs (aiosmtpd keeps it as _thread)."""
        thread = getattr(self._controller, "_thread", None)
        return self._started and thread is not None and thread.is_alive()

    def stop(self) -> None:
        if self._started:
            self._controller.stop()
            self._started = False

    def clear(self) -> None:
        self.delete()

    def received(self) -> list[Received]:
        """Every message kept, oldest first."""
        with self._inbox.changed:
            return list(self._inbox.received)

    def delete(self, ids: Iterable[str] | None = None) -> None:
        """Forget the messages with these ids, or every message."""
        with self._inbox.changed:
            if ids is None:
                self._inbox.received.clear()
            else:
                gone = set(ids)
                self._inbox.received[:] = [r for r in self._inbox.received if r.id not in gone]

    def received_mail(self) -> list[Mail]:
        """Every message, oldest first."""
        return [received.mail for received in self.received()]

    def messages_to(self, address: str) -> list[Mail]:
        with self._inbox.changed:
            return self._inbox.to(address)

    def wait_for(self, address: str, timeout: float = 10.0) -> Mail:
        """The newest message to `address`, waiting for one to arrive."""
        with self._inbox.changed:
            arrived = self._inbox.changed.wait_for(
                lambda: bool(self._inbox.to(address)), timeout=timeout
            )
            if not arrived:
                received = [", ".join(r.mail.recipients) for r in self._inbox.received]
                raise AssertionError(
                    f"no email to {address} within {timeout:g}s at {self.where}; "
                    f"mail went to: {'; '.join(received) or 'nobody'}"
                )
            return self._inbox.to(address)[-1]
