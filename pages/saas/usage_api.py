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
        return httpx.post(
            f"{self.base_url}/api/v1/tenants/{tenant_id}/usage",
            headers={"Authorization": f"Bearer {api_key}"},
            json={"metric_type": metric, "value": value, "recorded_at": recorded_at.isoformat()},
            timeout=10,
        )

    def send_reading(
        self, tenant_id: str, api_key: str, metric: str, value: object, recorded_at: str
    ) -> httpx.Response:
        """Posts a reading as given, even one the API must refuse (text, fractions, bad times)."""
        return httpx.post(
            f"{self.base_url}/api/v1/tenants/{tenant_id}/usage",
            headers={"Authorization": f"Bearer {api_key}"},
            json={"metric_type": metric, "value": value, "recorded_at": recorded_at},
            timeout=10,
        )
