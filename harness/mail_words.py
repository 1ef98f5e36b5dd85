"""An email as a person reads it: who it is to, its subject, its words and its links by text.

The generic mail steps (steps/mail.py) read the run's mailbox (harness/mailbox.py) through
this module: `wait_for_email` waits, within a bound, for an email to someone with a subject;
`Email.link` finds a link by the text a person clicks.

A link's text is what a person sees: in an HTML email, the text of its <a>; in a plain-text
email, the words that introduce the address (`Verify your email: https://…`, or the line
just before an address that stands on a line of its own, without its closing colon), or a
Markdown `[text](https://…)`. In both, the address itself, or its path (`/verify`), names its
link too. An email with both parts (multipart/alternative) is read as a mail client shows
it, by its HTML part: its <a> texts name its links first; the names its text part gives
still name them, and its words are what either part says.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import tenacity

from harness.mail_sink import Mail
from harness.mailbox import Mailbox

_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^\s)]+)\)")
_HTML_MARK = re.compile(r"<(?:html|body|a|p|div|br|table)\b", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# what an introducing line ends with before its address
_INTRO_END = " \t:-–—>"
SHOWN_CHARS = 600  # an email's text in a failure message is cut after this many characters


def words_of(text: str) -> str:
    """Text with every run of white space as one space, as a person reads it."""
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Link:
    text: str  # what a person clicks ("" when nothing introduces the address)
    url: str

    def named(self, text: str) -> bool:
        """Its text, its whole address, or the address's path (`/verify`) names it."""
        return text in (self.text, self.url, urlsplit(self.url).path)

    def shown(self) -> str:
        return f'"{self.text}" -> {self.url}' if self.text else self.url


class _HtmlReader(HTMLParser):
    """The readable text of an HTML email, and its <a href> links with their texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[Link] = []
        self._href: str | None = None
        self._link_text: list[str] = []
        self._hidden = 0  # inside <style>, <script>, <head>'s <title>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title"):
            self._hidden += 1
        elif tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._link_text = []
        elif tag in ("br", "p", "div", "li", "tr", "h1", "h2", "h3", "td"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._hidden = max(0, self._hidden - 1)
        elif tag == "a" and self._href is not None:
            self.links.append(Link(words_of("".join(self._link_text)), self._href))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self.parts.append(data)
        if self._href is not None:
            self._link_text.append(data)


def _text_links(text: str) -> list[Link]:
    links = [Link(words_of(m.group(1)), m.group(2)) for m in _MARKDOWN_LINK.finditer(text)]
    in_markdown = {link.url for link in links}
    previous = ""
    for line in text.splitlines():
        for match in _URL.finditer(line):
            url = match.group(0).rstrip(".,;")
            if url in in_markdown:
                continue
            before = line[: match.start()].rstrip(_INTRO_END + "(<")
            intro = before or (previous.rstrip(_INTRO_END) if previous.endswith(":") else "")
            links.append(Link(words_of(intro), url))
        if line.strip():
            previous = line.strip()
    return links


def _cut(text: str) -> str:
    text = words_of(text)
    return text[:SHOWN_CHARS] + " …" if len(text) > SHOWN_CHARS else text


@dataclass(frozen=True)
class Email:
    recipients: tuple[str, ...]
    subject: str
    text: str  # its words as a person reads them (its HTML part's, when it has one)
    links: tuple[Link, ...]  # the HTML part's first, then those only its text part names
    plain: str = ""  # its text part, when it has an HTML part too

    @classmethod
    def of(cls, mail: Mail) -> Email:
        html_part, text_part = mail.html, "" if mail.body == mail.html else mail.body
        if not html_part and _HTML_MARK.search(text_part):  # HTML sent as its only body
            html_part, text_part = text_part, ""
        if not html_part:
            return cls(
                mail.recipients,
                mail.subject,
                html.unescape(text_part),
                tuple(_text_links(text_part)),
            )
        reader = _HtmlReader()
        reader.feed(html_part)
        reader.close()
        links = [*reader.links, *(k for k in _text_links(text_part) if k not in reader.links)]
        return cls(
            mail.recipients,
            mail.subject,
            words_of("".join(reader.parts)),
            tuple(links),
            html.unescape(text_part),
        )

    @property
    def to(self) -> str:
        return ", ".join(self.recipients)

    def shown(self) -> str:
        """The email in a few lines, for a failure message."""
        shown = f'to {self.to}, subject "{self.subject}":\n  {_cut(self.text)}'
        if self.plain and words_of(self.plain) != words_of(self.text):
            shown += f"\n  its text part: {_cut(self.plain)}"
        return shown

    def says(self, words: str) -> bool:
        """Its HTML part or its text part holds these words."""
        wanted = words_of(words)
        return any(wanted in words_of(text) for text in (self.text, self.plain) if text)

    def link(self, text: str) -> Link:
        """The link named `text` exactly (its text, or its address); AssertionError listing
        the email's links when there is none."""
        for link in self.links:
            if link.named(text):
                return link
        offered = "\n  ".join(link.shown() for link in self.links) or "(no link at all)"
        raise AssertionError(
            f'the email to {self.to} with the subject "{self.subject}" has no link "{text}" '
            f"(a link is named by its text, its address or its path); its links:\n  {offered}"
        )


def _listing(mails: list[Mail]) -> str:
    lines = [f'to {", ".join(m.recipients) or "(nobody)"}: "{m.subject}"' for m in mails]
    return "\n  ".join(lines) or "(none)"


def wait_for_email(mailbox: Mailbox, address: str, subject: str, timeout: float) -> Email:
    """The newest email to `address` with exactly this subject, waiting up to `timeout`
    seconds; AssertionError listing the emails that did arrive (to, subject) when none."""

    class NotYet(Exception):
        pass

    @tenacity.retry(
        retry=tenacity.retry_if_exception_type(NotYet),
        wait=tenacity.wait_exponential(multiplier=0.02, max=0.25),
        stop=tenacity.stop_after_delay(timeout),
        reraise=True,
    )
    def newest() -> Mail:
        for mail in reversed(mailbox.messages_to(address)):
            if mail.subject == subject:
                return mail
        raise NotYet

    try:
        return Email.of(newest())
    except NotYet:
        raise AssertionError(
            f'no email to {address} with the subject "{subject}" arrived within {timeout:g}s '
            f"at {mailbox.where}; every email that arrived:\n  {_listing(mailbox.received_mail())}"
        ) from None
