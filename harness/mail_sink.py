"""A local SMTP server that keeps every message, so a scenario can read its mail like a person."""

from __future__ import annotations

import email
import email.policy
import re
import threading
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from base.ports import free_port


@dataclass(frozen=True)
class Mail:
    sender: str
    recipients: tuple[str, ...]
    subject: str
    body: str

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"']+", self.body)


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Mail] = []
        self.changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        parsed: EmailMessage = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=email.policy.default
        )
        part = parsed.get_body(preferencelist=("plain", "html"))
        mail = Mail(
            sender=envelope.mail_from,
            recipients=tuple(address.lower() for address in envelope.rcpt_tos),
            subject=str(parsed.get("Subject", "")),
            body=part.get_content() if part is not None else "",
        )
        with self.changed:
            self.messages.append(mail)
            self.changed.notify_all()
        return "250 Message accepted for delivery"


class MailSink:
    """Start with start(); read with wait_for(); empty between scenarios with clear()."""

    def __init__(self) -> None:
        self._inbox = _Inbox()
        self.host = "127.0.0.1"
        self.port = free_port()
        self._controller = Controller(self._inbox, hostname=self.host, port=self.port)

    def start(self) -> MailSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def clear(self) -> None:
        with self._inbox.changed:
            self._inbox.messages.clear()

    def messages_to(self, address: str) -> list[Mail]:
        with self._inbox.changed:
            return [m for m in self._inbox.messages if address.lower() in m.recipients]

    def wait_for(self, address: str, timeout: float = 10.0) -> Mail:
        """The newest message to `address`, waiting for one to arrive."""
        with self._inbox.changed:
            arrived = self._inbox.changed.wait_for(
                lambda: any(address.lower() in m.recipients for m in self._inbox.messages),
                timeout=timeout,
            )
            if not arrived:
                received = [", ".join(m.recipients) for m in self._inbox.messages] or ["nobody"]
                raise AssertionError(
                    f"no email to {address} within {timeout:g}s; "
                    f"mail went to: {'; '.join(received)}"
                )
            return [m for m in self._inbox.messages if address.lower() in m.recipients][-1]
