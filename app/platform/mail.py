"""Outgoing email over SMTP."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from app.platform.settings import Settings

SMTP_TIMEOUT_SECONDS = 10


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server."""


def send_mail(settings: Settings, to: str, subject: str, body: str) -> None:
    """Send a plain-text message from APP_MAIL_FROM; MailError when the server refuses it."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS
        ) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"could not send mail to {to}: {exc}") from exc
