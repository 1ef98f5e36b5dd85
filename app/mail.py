"""Outgoing email over SMTP."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from app.config import Settings

SMTP_TIMEOUT_SECONDS = 10


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server."""


def send_mail(settings: Settings, to: str, subject: str, body: str) -> None:
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


def send_verification_email(settings: Settings, to: str, token: str) -> None:
    link = f"{settings.public_url}/verify?token={token}"
    body = (
        "Welcome!\n\n"
        "Confirm your email address to finish setting up your organisation:\n\n"
        f"{link}\n\n"
        "The link expires in 24 hours. If you did not sign up, ignore this email.\n"
    )
    send_mail(settings, to, "Verify your email", body)
