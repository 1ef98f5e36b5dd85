"""The run's mailbox: where apps send mail, and how scenarios read it.

Two kinds, one interface:
- the suite's own SMTP sink (harness/mail_sink.py), on mail.smtp_port or a free port;
- a Mailpit API (harness/mailpit.py) at mail.api_url: a Mailpit of docker compose, or the
  one `python -m harness.serve` offers. With mail.smtp_port set too, apps the suite starts
  send their mail to Mailpit's SMTP side on that port (on the API's host).

open_mailbox(settings) picks one and starts it; the caller stops it.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable
from urllib.parse import urlsplit

from harness.config import Settings
from harness.mail_sink import Mail, MailSink
from harness.mailpit import MailpitMailbox


@runtime_checkable
class Mailbox(Protocol):
    """What steps and the lifecycle use of the run's mail.

    host, port   where apps should send mail over SMTP; None when the suite does not know
                 (a Mailpit whose SMTP side was not given: only a deployed app can send there)
    where        the mailbox in words, for messages
    """

    host: str | None
    port: int | None

    @property
    def where(self) -> str: ...

    def clear(self) -> None:
        """Forget every message (before each scenario)."""

    def received_mail(self) -> list[Mail]:
        """Every message, to anyone, oldest first (for failure messages: what did arrive)."""

    def messages_to(self, address: str) -> list[Mail]:
        """Every message to `address`, oldest first."""

    def wait_for(self, address: str, timeout: float = 10.0) -> Mail:
        """The newest message to `address`, waiting up to `timeout` seconds for one.

        AssertionError naming the address and where mail did go when none comes.
        """

    def stop(self) -> None:
        """Let go of what start() took (a port, a connection)."""


def open_mailbox(settings: Settings) -> Mailbox:
    """A started mailbox: Mailpit's API when mail.api_url is set, else the suite's sink."""
    if settings.mail_api_url:
        smtp_host = urlsplit(settings.mail_api_url).hostname
        smtp_port = settings.mail_smtp_port or None
        return MailpitMailbox(settings.mail_api_url, smtp_host, smtp_port).start()
    return MailSink(settings.mail_smtp_port).start()
