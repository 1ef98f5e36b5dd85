"""Failed sign-ins per client address, in memory (the `limits` library's moving window):
many accounts sprayed from one address are refused once the address has used up its rate
(APP_LOGIN_FAILURES_PER_ADDRESS), whatever the login names."""

from __future__ import annotations

import math
import time

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class AddressThrottle:
    def __init__(self, rate: str) -> None:
        self.rate = rate
        self._limit = parse(rate)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def allows(self, address: str) -> bool:
        """Whether the address may try to sign in now."""
        return self._limiter.test(self._limit, address)

    def failed(self, address: str) -> None:
        self._limiter.hit(self._limit, address)

    def retry_after_seconds(self, address: str) -> int:
        reset_at = self._limiter.get_window_stats(self._limit, address).reset_time
        return max(1, math.ceil(reset_at - time.time()))
