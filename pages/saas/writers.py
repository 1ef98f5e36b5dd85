"""The SaaS platform's requests as many writers send them at once (harness/concurrent_requests.py).

A sign-up is sent the way a browser sends it: the sign-up page is loaded first, and its form
posted back with every field it holds (hidden ones included), the person's typing over them.
A usage reading is what a metering client sends: one JSON request with the tenant's key.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import httpx

from harness.concurrent_requests import Writer
from harness.html_forms import find_form
from pages.saas.signup import SignupScreen

CHECK_EMAIL = "/signup/check-email"  # where a sign-up that is taken leads


def sign_up(company: str, domain: str, admin_email: str, plan: str) -> Writer:
    """Opens the sign-up page, then (at the moment) sends its form filled in."""

    def get_ready(client: httpx.Client) -> Callable[[], httpx.Response]:
        page = client.get(SignupScreen.path)
        assert page.status_code == 200, (
            f"the sign-up page answered {page.status_code}, not the form: {page.text[:300]}"
        )
        form = find_form(page.text, SignupScreen.path, "the sign-up page")
        typed = {"company_name": company, "domain": domain, "admin_email": admin_email,
                 "plan": plan}  # fmt: skip
        data, url = form.submission(typed), form.url(str(page.url))
        return lambda: client.post(url, data=data)

    return get_ready


def sign_up_taken(response: httpx.Response) -> bool:
    """Whether the platform took the sign-up: it leads to 'check your email'."""
    return response.status_code == 303 and response.headers.get("location") == CHECK_EMAIL


def usage_reading(
    tenant_id: str, api_key: str, metric: str, value: int, recorded_at: str
) -> Writer:
    """A metering client's reading: nothing to load first, one request at the moment."""

    def get_ready(client: httpx.Client) -> Callable[[], httpx.Response]:
        body = {"metric_type": metric, "value": value, "recorded_at": recorded_at}
        headers = {"Authorization": f"Bearer {api_key}"}
        return lambda: client.post(f"/api/v1/tenants/{tenant_id}/usage", json=body, headers=headers)

    return get_ready


_FIELD_ERROR = re.compile(
    r'<p class="field-error" id="(?P<field>[\w-]+)-error">(?P<text>.*?)</p>', re.DOTALL
)


def field_errors(response: httpx.Response) -> dict[str, str]:
    """What a form sent back says is wrong, by field name."""
    return {
        m["field"]: html.unescape(m["text"]).strip() for m in _FIELD_ERROR.finditer(response.text)
    }
