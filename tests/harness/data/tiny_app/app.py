"""A tiny lending shelf, written for the suite's tests as a team's own app would be: not built
on the suite's code, reading only the app contract's environment (docs/app-contract.md).

GET /         the books and who has each, with a form to lend one
POST /lend    lends a book to a person (form fields "book" and "borrower")
GET /healthz  200 once the database answers
"""

import html
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from google.auth.credentials import AnonymousCredentials
from google.cloud import spanner

emulator = os.environ.get("SPANNER_EMULATOR_HOST")
client = spanner.Client(
    project=os.environ["SPANNER_PROJECT"],
    credentials=AnonymousCredentials() if emulator else None,
    client_options={"api_endpoint": emulator} if emulator else None,
)
database = client.instance(os.environ["SPANNER_INSTANCE"]).database(
    os.environ["APP_DATABASE_SHELF"]
)


def books() -> list[tuple[str, str, str | None]]:
    with database.snapshot() as snapshot:
        rows = snapshot.execute_sql("SELECT BookId, Title, Borrower FROM Books ORDER BY Title")
        return [tuple(row) for row in rows]


def lend(book_id: str, borrower: str) -> int:
    def work(transaction) -> int:
        return transaction.execute_update(
            "UPDATE Books SET Borrower = @borrower WHERE BookId = @book AND Borrower IS NULL",
            params={"borrower": borrower, "book": book_id},
            param_types={
                "borrower": spanner.param_types.STRING,
                "book": spanner.param_types.STRING,
            },
        )

    return database.run_in_transaction(work)


def page(message: str = "") -> str:
    items = "".join(
        f"<li>{html.escape(title)}: {html.escape(borrower or 'on the shelf')}</li>"
        for _, title, borrower in books()
    )
    options = "".join(
        f'<option value="{html.escape(book_id)}">{html.escape(title)}</option>'
        for book_id, title, borrower in books()
        if borrower is None
    )
    return (
        "<!doctype html><html><head><title>Shelf</title></head><body><main>"
        f"<h1>Shelf</h1><p role='status'>{html.escape(message)}</p><ul>{items}</ul>"
        '<form method="post" action="/lend"><label for="book">Book</label>'
        f'<select id="book" name="book">{options}</select>'
        '<label for="borrower">Borrower</label><input id="borrower" name="borrower">'
        "<button>Lend</button></form></main></body></html>"
    )


class Handler(BaseHTTPRequestHandler):
    def answer(self, status: int, body: str, kind: str = "text/html") -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/healthz":
            books()  # the database answers
            self.answer(200, '{"status": "ok"}', "application/json")
        elif self.path == "/":
            self.answer(200, page())
        else:
            self.answer(404, "not found", "text/plain")

    def do_POST(self) -> None:
        if self.path != "/lend":
            self.answer(404, "not found", "text/plain")
            return
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        book, borrower = form.get("book", [""])[0], form.get("borrower", [""])[0].strip()
        if not book or not borrower:
            self.answer(400, page("Choose a book and write who borrows it."))
            return
        if borrower == "Crash":  # a bug for the suite's tests: 500, with a page that looks right
            self.answer(500, page(f"Lent to {borrower}."))
            return
        lent = lend(book, borrower)
        self.answer(200, page(f"Lent to {borrower}." if lent else "That book is not here."))


if __name__ == "__main__":
    host, port = os.environ["APP_HOST"], int(os.environ["PORT"])
    # the contract, for the test to read in the app's log
    print(
        f"shelf: listening on {host}:{port}; public URL {os.environ['APP_PUBLIC_URL']}; "
        f"database {os.environ['APP_DATABASE_SHELF']}; "
        f"mail {os.environ['APP_SMTP_HOST']}:{os.environ['APP_SMTP_PORT']}",
        flush=True,
    )
    try:
        ThreadingHTTPServer((host, port), Handler).serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)
