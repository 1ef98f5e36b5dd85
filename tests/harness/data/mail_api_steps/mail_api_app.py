"""A notice board in a few lines, for the mail and API steps' tests (run as the product's app).

Pages: /signin (a form with a CSRF token, as the reference apps have: cookie + hidden field),
/home, /welcome?code=. JSON: GET /api/me (session), POST /api/invitations (session with the
CSRF header and the app's Origin, or `Authorization: Bearer key-acme`): it mails an HTML
invitation, a plain-text reminder and a two-part one (text and HTML) to the invited address.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import smtplib
from email.message import EmailMessage
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PEOPLE = {"pat@example.com": "pat-password"}
KEYS = {"key-acme": "acme.example.com"}
PUBLIC = os.environ["APP_PUBLIC_URL"]
SIGN_IN_FORM = """<!doctype html><title>Sign in</title>
<form method="post" action="/signin">
<input type="hidden" name="csrf_token" value="{token}">
<label for="e">Email</label><input id="e" name="email" type="email">
<label for="p">Password</label><input id="p" name="password" type="password">
<button>Sign in</button></form>{error}"""


def send(to: str, subject: str, body: str, subtype: str, html: str = "") -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "board@example.com", to, subject
    message.set_content(body, subtype=subtype)
    if html:  # multipart/alternative: the text part, then the HTML part
        message.add_alternative(html, subtype="html")
    with smtplib.SMTP(os.environ["APP_SMTP_HOST"], int(os.environ["APP_SMTP_PORT"])) as smtp:
        smtp.send_message(message)


class Handler(BaseHTTPRequestHandler):
    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie(self.headers.get("Cookie", ""))
        return {name: morsel.value for name, morsel in jar.items()}

    def answer(self, status: int, body: str, kind: str = "text/html", **headers: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(data)

    def json(self, status: int, value: object) -> None:
        self.answer(status, json.dumps(value), "application/json")

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        who = self.cookies().get("session")
        if url.path == "/healthz":
            self.json(200, {"status": "ok"})
        elif url.path == "/signin":
            token = self.cookies().get("csrf") or secrets.token_urlsafe(32)
            cookie = f"csrf={token}; Path=/; HttpOnly; SameSite=Strict"
            self.answer(200, SIGN_IN_FORM.format(token=token, error=""), Set_Cookie=cookie)
        elif url.path == "/home":
            token = self.cookies().get("csrf", "")
            self.answer(200, f'<meta name="csrf-token" content="{token}"><p>Hello {who}</p>')
        elif url.path == "/welcome":
            code = parse_qs(url.query).get("code", [""])[0]
            self.answer(200, f"<h1>Welcome</h1><p>Invitation {code}</p>")
        elif url.path == "/api/me":
            if who is None:
                self.json(401, {"error": "sign in first"})
                return
            plan = {"name": "Pro", "seats": 5}
            self.json(200, {"email": who, "plan": plan, "items": [{"id": "i-1"}, {"id": "i-2"}]})
        else:
            self.json(404, {"error": f"no page {url.path}"})

    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        cookies = self.cookies()
        if url.path == "/signin":
            form = {k: v[0] for k, v in parse_qs(self.body().decode()).items()}
            if not form.get("csrf_token") or form["csrf_token"] != cookies.get("csrf"):
                self.answer(403, "<p role=alert>No CSRF token</p>")
            elif PEOPLE.get(form.get("email", "")) == form.get("password"):
                self.answer(
                    303, "", Location="/home", Set_Cookie=f"session={form['email']}; Path=/"
                )
            else:
                page = SIGN_IN_FORM.format(
                    token=cookies.get("csrf", ""),
                    error="<p role=alert>Incorrect email or password.</p>",
                )
                self.answer(401, page)
        elif url.path == "/api/invitations":
            self.invite(cookies)
        else:
            self.json(404, {"error": f"no page {url.path}"})

    def invite(self, cookies: dict[str, str]) -> None:
        scheme, _, key = self.headers.get("Authorization", "").partition(" ")
        if scheme == "Bearer":
            if key not in KEYS:
                self.json(401, {"error": "unknown API key"})
                return
            inviter = KEYS[key]
        elif "session" in cookies:
            if self.headers.get("Origin") != PUBLIC:
                self.json(403, {"error": f"foreign origin {self.headers.get('Origin')}"})
                return
            if not cookies.get("csrf") or self.headers.get("X-CSRF-Token") != cookies["csrf"]:
                self.json(403, {"error": "no CSRF token"})
                return
            inviter = cookies["session"]
        else:
            self.json(401, {"error": "sign in first"})
            return
        invited = json.loads(self.body())["email"]
        link = f"{PUBLIC}/welcome?code=c-42"
        html = f'<p>{inviter} invites you.</p><p><a href="{link}">Accept the invitation</a></p>'
        send(invited, "You are invited", html, "html")
        send(invited, "Your invitation", f"Hello!\n\nOpen your invitation:\n\n{link}\n", "plain")
        send(
            invited,
            "Your invitation, in two parts",
            f"Hello!\n\nOpen this link to join:\n\n{link}\n",
            "plain",
            html=f'<p>Hello!</p><p><a href="{link}">Join the board</a></p>',
        )
        self.json(201, {"invitation": {"id": "c-42", "email": invited, "by": inviter}})

    def log_message(self, *args: object) -> None:
        return None


parser = argparse.ArgumentParser()
parser.add_argument("--host")
parser.add_argument("--port", type=int)
arguments = parser.parse_args()
ThreadingHTTPServer((arguments.host, arguments.port), Handler).serve_forever()
