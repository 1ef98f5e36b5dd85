"""Every route of every app answers with the security headers, whatever it answers (a page,
a redirect to the login, a refusal, an error), and no route leaks a Server header
(app/platform/headers.py)."""

from __future__ import annotations

import re
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from app.academy.product import PRODUCT as ACADEMY
from app.clinic.product import PRODUCT as CLINIC
from app.platform import health, login
from app.platform.db import Databases
from app.platform.product import AppProduct
from app.platform.settings import load_settings
from app.platform.web import create_app
from app.saas.product import PRODUCT as SAAS

PARAM = re.compile(r"\{[^}]+\}")
EXPECTED = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def _routes(product: AppProduct) -> list[tuple[str, str]]:
    """(method, path) of every route the app serves: the platform's and the product's."""
    found = []
    routes = [
        r for router in (health.router, login.router, *product.routers) for r in router.routes
    ]
    for route in routes:
        if isinstance(route, Route):
            for method in sorted(route.methods or ()):
                if method != "HEAD":
                    found.append((method, PARAM.sub("x", route.path)))
        elif isinstance(route, Mount):
            found.append(("GET", PARAM.sub("x", route.path) + "/x"))
    return found


@pytest.mark.parametrize("product", [SAAS, ACADEMY, CLINIC], ids=lambda p: p.title)
def test_every_route_sends_the_security_headers(product: AppProduct) -> None:
    settings = load_settings(product, {"APP_PUBLIC_URL": "http://testserver"})
    # no databases: a route that needs one answers an error page, which must carry them too
    app = create_app(product, settings, Databases(cast(Any, None), {}), services={})
    routes = _routes(product)
    assert len(routes) > 5, routes
    missing = []
    with TestClient(app, follow_redirects=False, raise_server_exceptions=False) as client:
        for method, path in routes:
            r = client.request(method, path)
            wrong = [name for name, value in EXPECTED.items() if r.headers.get(name) != value]
            csp = r.headers.get("content-security-policy", "")
            if "frame-ancestors 'none'" not in csp or "unsafe-inline" in csp:
                wrong.append("content-security-policy")
            if "camera=()" not in r.headers.get("permissions-policy", ""):
                wrong.append("permissions-policy")
            if wrong:
                missing.append(f"{method} {path} ({r.status_code}): {', '.join(wrong)}")
    assert not missing, "security headers missing:\n" + "\n".join(missing)
