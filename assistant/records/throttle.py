"""Sign-in throttling: after a few failures a user name, or an address, is locked for a while.

Kept in memory per process: a replica behind a sticky balancer sees its own clients. The address
comes from the request that is signing in (see `client_address`), set by the login middleware.
"""

from __future__ import annotations

import contextvars
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# the login route calls the auth function with only (name, password); the middleware puts the
# caller's address here so the throttle can count per address too
client_address: contextvars.ContextVar[str] = contextvars.ContextVar("client_address", default="")


@dataclass
class _Record:
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0


class LoginThrottle:
    def __init__(self, max_failures: int = 5, max_address_failures: int = 20, window_s: float = 900.0,
                 lock_s: float = 900.0, clock: Callable[[], float] = time.monotonic) -> None:
        # an address may be a branch's NAT: it gets more tries before it locks everyone behind it
        self.limits = {"user": max_failures, "addr": max_address_failures}
        self.window_s, self.lock_s = window_s, lock_s
        self.clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    @staticmethod
    def keys(name: str, address: str = "") -> list[str]:
        return [f"user:{name.strip().lower()}"] + ([f"addr:{address}"] if address else [])

    def locked(self, keys: list[str]) -> float:
        """Seconds left on the longest lock among these keys; 0 when none is locked."""
        now = self.clock()
        with self._lock:
            left = [r.locked_until - now for k in keys if (r := self._records.get(k)) is not None]
        return max([0.0, *left])

    def failed(self, keys: list[str]) -> None:
        now = self.clock()
        with self._lock:
            if len(self._records) > 100_000:  # a flood of made-up names must not grow memory without end
                self._records = {k: r for k, r in self._records.items() if r.locked_until > now}
            for key in keys:
                record = self._records.setdefault(key, _Record())
                record.failures = [t for t in record.failures if now - t < self.window_s] + [now]
                if len(record.failures) >= self.limits[key.split(":", 1)[0]]:
                    record.locked_until = now + self.lock_s
                    record.failures = []
                    print(f"登录失败次数过多,{key} 锁定 {int(self.lock_s // 60)} 分钟 / too many failed sign-ins: "
                          f"{key} locked for {int(self.lock_s)} s", file=sys.stderr, flush=True)

    def succeeded(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                if key.startswith("user:"):
                    self._records.pop(key, None)
