"""Forms read from a page's HTML and sent back as a browser sends them.

A browser posts every successful control of the form it submits: hidden inputs (a CSRF token,
say) with the values the page gave them, text fields, checked boxes, the chosen option of each
select. `find_form` reads a form out of the HTML; `Form.submission` is what a person who filled
some fields would send.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

# controls a browser never sends as name=value when the form is submitted by pressing Enter
_NOT_SENT = frozenset({"submit", "button", "reset", "image", "file"})
_CHECKED_ONLY = frozenset({"checkbox", "radio"})


class FormError(LookupError):
    """The page has no such form, or the form lacks a field that is to be filled."""


@dataclass
class Form:
    action: str
    method: str
    attributes: dict[str, str]
    values: dict[str, str] = field(default_factory=dict)  # name -> what the browser would send
    hidden: tuple[str, ...] = ()

    def submission(self, filled: dict[str, str]) -> dict[str, str]:
        """The form's own values (hidden ones included) with ``filled`` typed over them."""
        unknown = sorted(set(filled) - set(self.values))
        if unknown:
            raise FormError(
                f"the form posting to {self.action} has no field {', '.join(unknown)}; "
                f"its fields: {', '.join(self.values) or 'none'}"
            )
        return {**self.values, **filled}

    def url(self, page_url: str) -> str:
        """Where the form posts, resolved against the page's address as a browser does."""
        return urljoin(page_url, self.action or page_url)


@dataclass
class _Option:
    value: str | None  # None: the option's text is its value
    selected: bool
    text: str = ""


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._hidden: list[str] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._option: _Option | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower(), a)
            self._hidden = []
        elif self._form is None:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form.values[self._textarea] = ""
        elif tag == "select" and a.get("name"):
            self._select, self._first_option = a["name"], None
        elif tag == "option" and self._select is not None:
            self._option = _Option(a.get("value"), "selected" in a)

    def _input(self, a: dict[str, str]) -> None:
        name, kind = a.get("name"), a.get("type", "text").lower()
        if not name or kind in _NOT_SENT or "disabled" in a:
            return
        if kind in _CHECKED_ONLY and "checked" not in a:
            return
        assert self._form is not None
        self._form.values[name] = a.get("value", "on" if kind in _CHECKED_ONLY else "")
        if kind == "hidden":
            self._hidden.append(name)

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form.values[self._textarea] += data
        if self._option is not None:
            self._option.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "option" and self._option is not None and self._select is not None:
            self._end_option()
        elif tag == "select":
            if (
                self._select is not None
                and self._form is not None
                and self._first_option is not None
            ):
                self._form.values.setdefault(self._select, self._first_option)
            self._select = None
        elif tag == "form" and self._form is not None:
            self._form.hidden = tuple(self._hidden)
            self.forms.append(self._form)
            self._form = None

    def _end_option(self) -> None:
        assert self._option is not None and self._select is not None and self._form is not None
        option = self._option
        value = option.text.strip() if option.value is None else option.value
        if self._first_option is None:
            self._first_option = value
        if option.selected:
            self._form.values[self._select] = value
        self._option = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def find_form(html: str, action: str, page: str = "the page") -> Form:
    """The form that posts to ``action`` (its action attribute as written)."""
    forms = forms_in(html)
    for form in forms:
        if form.action == action:
            return form
    actions = ", ".join(repr(form.action) for form in forms) or "no form at all"
    raise FormError(f"{page} has no form posting to {action!r}; it has {actions}")
