"""Mail sent over SMTP to the sink on a fixed port, read back through Mailpit's HTTP API.

The sink and its Mailpit-style API run in this process, as under `python -m harness.serve`;
MailpitMailbox reads them over real sockets exactly as it reads a real Mailpit.
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Iterator
from email.message import EmailMessage

import httpx
import pytest

from base.ports import free_port
from harness.config import load_settings
from harness.mail_sink import Mail, MailSink, MailSinkError, parse_received
from harness.mail_words import Email, Link, wait_for_email
from harness.mailbox import Mailbox, open_mailbox
from harness.mailpit import MailpitApi, MailpitMailbox, MailpitUnreachable
from harness.smoke import NoMail, SmokeModeError

SENDER = "no-reply@platform.example.com"


@pytest.fixture
def sink() -> Iterator[MailSink]:
    sink = MailSink(free_port()).start()
    yield sink
    sink.stop()


@pytest.fixture
def api(sink: MailSink) -> Iterator[MailpitApi]:
    api = MailpitApi(sink, free_port()).start()
    yield api
    api.stop()


@pytest.fixture
def mailbox(api: MailpitApi) -> Iterator[MailpitMailbox]:
    mailbox = MailpitMailbox(api.url).start()
    yield mailbox
    mailbox.stop()


def send(
    sink: MailSink,
    to: str,
    subject: str,
    body: str,
    bcc: tuple[str, ...] = (),
    html: str = "",
) -> None:
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    with smtplib.SMTP(sink.host, sink.port, timeout=10) as smtp:
        smtp.send_message(message, to_addrs=[to, *bcc])


def test_mail_sent_over_smtp_is_read_through_the_mailpit_api(
    sink: MailSink, mailbox: MailpitMailbox
) -> None:
    assert sink.fixed_port
    send(sink, "Admin@Acme.example.com", "First", "first mail")
    send(sink, "admin@acme.example.com", "Verify your email",
         "Confirm: http://127.0.0.1:8000/verify?token=abc123\nThanks.")  # fmt: skip

    mail = mailbox.wait_for("admin@acme.example.com", timeout=5)

    assert mail.subject == "Verify your email"  # the newest one
    assert mail.sender == SENDER
    assert mail.recipients == ("admin@acme.example.com",)
    assert mail.links() == ["http://127.0.0.1:8000/verify?token=abc123"]
    assert [m.subject for m in mailbox.messages_to("ADMIN@acme.example.com")] == [
        "First",
        "Verify your email",
    ]


def test_the_api_answers_with_mailpits_field_names(sink: MailSink, api: MailpitApi) -> None:
    send(sink, "a@acme.example.com", "Hello", "body text", bcc=("hidden@acme.example.com",))
    listing = httpx.get(f"{api.url}/api/v1/messages", timeout=5).json()
    assert listing["total"] == listing["messages_count"] == 1
    [summary] = listing["messages"]
    assert summary["From"]["Address"] == SENDER
    assert [p["Address"] for p in summary["To"]] == ["a@acme.example.com"]
    assert [p["Address"] for p in summary["Bcc"]] == ["hidden@acme.example.com"]
    assert summary["Subject"] == "Hello"

    message = httpx.get(f"{api.url}/api/v1/message/{summary['ID']}", timeout=5).json()
    assert message["ID"] == summary["ID"]
    assert message["Text"].strip() == "body text"
    latest = httpx.get(f"{api.url}/api/v1/message/latest", timeout=5).json()
    assert latest["ID"] == summary["ID"]
    assert httpx.get(f"{api.url}/api/v1/message/nope", timeout=5).status_code == 404

    deleted = httpx.request("DELETE", f"{api.url}/api/v1/messages", timeout=5)
    assert (deleted.status_code, deleted.text) == (200, "ok")
    assert httpx.get(f"{api.url}/api/v1/messages", timeout=5).json()["messages"] == []


def test_a_bcc_recipient_gets_the_mail_too(sink: MailSink, mailbox: MailpitMailbox) -> None:
    send(sink, "a@acme.example.com", "Copy", "see", bcc=("hidden@acme.example.com",))
    assert mailbox.wait_for("hidden@acme.example.com", timeout=5).subject == "Copy"


def test_clear_empties_the_mailbox(sink: MailSink, mailbox: MailpitMailbox) -> None:
    send(sink, "a@acme.example.com", "One", "1")
    mailbox.wait_for("a@acme.example.com", timeout=5)
    mailbox.clear()
    assert mailbox.messages_to("a@acme.example.com") == []
    assert sink.received() == []


def test_waiting_for_mail_that_never_comes_fails_in_time_naming_where_it_went(
    sink: MailSink, mailbox: MailpitMailbox
) -> None:
    send(sink, "someone-else@acme.example.com", "Not yours", "x")
    started = time.monotonic()
    with pytest.raises(AssertionError) as raised:
        mailbox.wait_for("nobody@acme.example.com", timeout=0.5)
    elapsed = time.monotonic() - started
    assert elapsed < 3, f"wait_for took {elapsed:.1f}s for a 0.5s timeout"
    message = str(raised.value)
    assert "nobody@acme.example.com" in message
    assert "someone-else@acme.example.com" in message
    assert mailbox.api_url in message


def test_the_in_process_sink_fails_the_same_way(sink: MailSink) -> None:
    send(sink, "someone-else@acme.example.com", "Not yours", "x")
    with pytest.raises(AssertionError, match="nobody@acme.example.com.*someone-else@"):
        sink.wait_for("nobody@acme.example.com", timeout=0.2)


def test_a_taken_smtp_port_is_named(sink: MailSink) -> None:
    with pytest.raises(MailSinkError, match=f"{sink.port}.*in use.*mail.smtp_port"):
        MailSink(sink.port).start()


def test_a_taken_api_port_is_named(sink: MailSink, api: MailpitApi) -> None:
    with pytest.raises(MailSinkError, match=f"{api.port}.*http-port"):
        MailpitApi(sink, api.port).start()


def test_no_mailpit_at_the_address_is_named_within_the_bound() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(MailpitUnreachable, match=f"{url}.*did not answer within 0.3s"):
        MailpitMailbox(url, start_timeout=0.3).start()


def test_open_mailbox_picks_mailpit_when_its_api_is_set(api: MailpitApi) -> None:
    settings = load_settings({}, environ={"MAIL_API_URL": api.url})
    mailbox = open_mailbox(settings)
    try:
        assert isinstance(mailbox, MailpitMailbox)
        assert isinstance(mailbox, Mailbox)
        assert (mailbox.host, mailbox.port) == (None, None)  # its SMTP side is unknown
    finally:
        mailbox.stop()

    settings = load_settings({}, environ={"MAIL_API_URL": api.url, "MAIL_SMTP_PORT": "1025"})
    mailbox = open_mailbox(settings)
    try:
        assert (mailbox.host, mailbox.port) == ("127.0.0.1", 1025)
    finally:
        mailbox.stop()


def test_open_mailbox_starts_the_sink_on_the_fixed_port_or_a_free_one() -> None:
    port = free_port()
    mailbox = open_mailbox(load_settings({"mail.smtp_port": str(port)}, environ={}))
    try:
        assert isinstance(mailbox, MailSink)
        assert isinstance(mailbox, Mailbox)
        assert (mailbox.host, mailbox.port) == ("127.0.0.1", port)
    finally:
        mailbox.stop()

    mailbox = open_mailbox(load_settings({}, environ={}))
    try:
        assert isinstance(mailbox, MailSink) and mailbox.port > 0
    finally:
        mailbox.stop()


TEXT_PART = "Hello Sam,\n\nOpen this to join:\n\nhttp://127.0.0.1:8000/join?code=c-7\n"
HTML_PART = (
    '<p>Hello Sam,</p><p><a href="http://127.0.0.1:8000/join?code=c-7">Join the board</a></p>'
)


def multipart(text: str = TEXT_PART, html: str = HTML_PART) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = SENDER, "sam@example.com", "Join us"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message.as_bytes()


def test_the_sink_keeps_both_parts_of_a_multipart_email() -> None:
    received = parse_received(SENDER, ["Sam@Example.com"], multipart())
    assert received.mail.body == TEXT_PART
    assert received.mail.html.strip() == HTML_PART
    assert received.text == TEXT_PART
    assert received.mail.recipients == ("sam@example.com",)


def test_an_html_only_emails_body_and_html_are_its_html_part() -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = SENDER, "sam@example.com", "Join us"
    message.set_content(HTML_PART, subtype="html")
    received = parse_received(SENDER, ["sam@example.com"], message.as_bytes())
    assert received.mail.body.strip() == received.mail.html.strip() == HTML_PART
    assert received.text == ""


def test_a_plain_text_email_has_no_html() -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = SENDER, "sam@example.com", "Join us"
    message.set_content(TEXT_PART)
    received = parse_received(SENDER, ["sam@example.com"], message.as_bytes())
    assert (received.mail.body, received.mail.html) == (TEXT_PART, "")


def test_a_multipart_email_read_through_the_mailpit_api_keeps_its_html(
    sink: MailSink, mailbox: MailpitMailbox
) -> None:
    send(sink, "sam@example.com", "Join us", TEXT_PART, html=HTML_PART)
    mail = mailbox.wait_for("sam@example.com", timeout=5)
    assert mail.body.splitlines() == TEXT_PART.splitlines()  # SMTP sends CRLF line ends
    assert mail.html.strip() == HTML_PART
    assert Email.of(mail).link("Join the board").url == "http://127.0.0.1:8000/join?code=c-7"


def test_every_email_is_listed_oldest_first_by_the_sink_and_through_mailpit(
    sink: MailSink, mailbox: MailpitMailbox
) -> None:
    for to, subject in [("a@acme.example.com", "One"), ("b@acme.example.com", "Two")]:
        send(sink, to, subject, "x")
    mailbox.wait_for("b@acme.example.com", timeout=5)
    send(sink, "a@acme.example.com", "Three", "x", html="<p>x</p>")
    mailbox.wait_for("a@acme.example.com", timeout=5)
    expected = [
        (("a@acme.example.com",), "One", ""),
        (("b@acme.example.com",), "Two", ""),
        (("a@acme.example.com",), "Three", "<p>x</p>"),
    ]
    for box in (sink, mailbox):
        listed = [(m.recipients, m.subject, m.html.strip()) for m in box.received_mail()]
        assert listed == expected, box
    mailbox.clear()
    assert mailbox.received_mail() == sink.received_mail() == []


@pytest.mark.parametrize("through_mailpit", [False, True])
def test_no_such_email_lists_every_email_that_arrived(
    sink: MailSink, mailbox: MailpitMailbox, through_mailpit: bool
) -> None:
    send(sink, "someone-else@acme.example.com", "Not yours", "x")
    send(sink, "nobody@acme.example.com", "Another subject", "x")
    box: Mailbox = mailbox if through_mailpit else sink
    box.wait_for("nobody@acme.example.com", timeout=5)
    with pytest.raises(AssertionError) as raised:
        wait_for_email(box, "nobody@acme.example.com", "Welcome", timeout=0.3)
    assert str(raised.value) == (
        'no email to nobody@acme.example.com with the subject "Welcome" arrived within 0.3s '
        f"at {box.where}; every email that arrived:\n"
        '  to someone-else@acme.example.com: "Not yours"\n'
        '  to nobody@acme.example.com: "Another subject"'
    )


# A message as a real Mailpit (v1.2x) answers GET /api/v1/message/{ID}: multipart, where
# "Text" and "HTML" are its two parts.
RECORDED_MESSAGE = {
    "ID": "Mx7yQk2nTjWZ9bLr4vGd3s",
    "MessageID": "173323@board.example.com",
    "From": {"Name": "Notice board", "Address": "board@example.com"},
    "To": [{"Name": "", "Address": "Sam@Example.com"}],
    "Cc": [],
    "Bcc": [],
    "ReplyTo": [],
    "ReturnPath": "board@example.com",
    "Subject": "Join us",
    "ListUnsubscribe": {"Header": "", "Links": [], "Errors": "", "HeaderPost": ""},
    "Date": "2026-12-06T13:50:02Z",
    "Tags": [],
    "Username": "",
    "Text": TEXT_PART,
    "HTML": HTML_PART,
    "Size": 1183,
    "Inline": [],
    "Attachments": [],
}
RECORDED_SUMMARY = {
    key: RECORDED_MESSAGE[key]
    for key in ("ID", "MessageID", "From", "To", "Cc", "Bcc", "ReplyTo", "Subject", "Tags")
} | {"Read": False, "Created": "2026-12-06T13:50:02.114Z", "Size": 1183, "Attachments": 0}


def recorded_mailpit(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/api/v1/messages":
        listing = {"total": 1, "unread": 1, "count": 1, "messages_count": 1, "start": 0}
        return httpx.Response(200, json=listing | {"tags": [], "messages": [RECORDED_SUMMARY]})
    if request.url.path == f"/api/v1/message/{RECORDED_MESSAGE['ID']}":
        return httpx.Response(200, json=RECORDED_MESSAGE)
    return httpx.Response(404, text="message not found")


def test_a_real_mailpits_multipart_message_keeps_its_html_part() -> None:
    mailbox = MailpitMailbox(
        "http://mailpit.invalid:8025", transport=httpx.MockTransport(recorded_mailpit)
    ).start()
    try:
        mail = mailbox.wait_for("sam@example.com", timeout=1)
        assert mailbox.received_mail() == [mail]
    finally:
        mailbox.stop()
    assert mail == Mail("board@example.com", ("sam@example.com",), "Join us", TEXT_PART, HTML_PART)
    email = Email.of(mail)
    assert email.links == (
        Link("Join the board", "http://127.0.0.1:8000/join?code=c-7"),
        Link("Open this to join", "http://127.0.0.1:8000/join?code=c-7"),
    )


def test_smoke_modes_mailbox_refuses_to_list_mail() -> None:
    assert isinstance(NoMail(), Mailbox)
    with pytest.raises(SmokeModeError, match="run.mode=smoke reads no mail"):
        NoMail().received_mail()
