"""The platform's usage API, as a tenant's metering client calls it."""

from __future__ import annotations

from datetime import datetime

import httpx


class UsageApi:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def record(
        self, tenant_id: str, api_key: str, metric: str, value: int, recorded_at: datetime
    ) -> httpx.Response:
        return self.send_reading(tenant_id, api_key, metric, value, recorded_at.isoformat())

    def send_reading(
        self,
        tenant_id: str,
        api_key: str | None,
        metric: str,
        value: object,
        recorded_at: str,
        authorization: str = "Bearer {key}",
    ) -> httpx.Response:
        """Posts a reading as given, even one the API must refuse (text, fractions, bad times);
        without an API key when api_key is None. ``authorization`` is the header's value, the
        key where it says {key}."""
        headers = {} if api_key is None else {"Authorization": authorization.format(key=api_key)}
        return httpx.post(
            f"{self.base_url}/api/v1/tenants/{tenant_id}/usage",
            headers=headers,
            json={"metric_type": metric, "value": value, "recorded_at": recorded_at},
            timeout=10,
        )

    def send_body(self, tenant_id: str, api_key: str, body: str | bytes) -> httpx.Response:
        """Posts a report whose JSON text is given as it is (nested, oversized numbers …): text
        in UTF-8, bytes as they are (another encoding, say)."""
        return httpx.post(
            f"{self.base_url}/api/v1/tenants/{tenant_id}/usage",
            headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
            content=body.encode() if isinstance(body, str) else body,
            timeout=10,
        )

    def send_padded(
        self, tenant_id: str, api_key: str, body: bytes, announce: bool
    ) -> httpx.Response:
        """Posts the body with its length announced (Content-Length), or chunked in 4 KB
        pieces without it."""
        content = body if announce else (body[i : i + 4096] for i in range(0, len(body), 4096))
        return httpx.post(
            f"{self.base_url}/api/v1/tenants/{tenant_id}/usage",
            headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
            content=content,
            timeout=10,
        )
