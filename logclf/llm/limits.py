"""Pace and failure control shared by every worker thread: a rate limiter and a circuit breaker."""

from __future__ import annotations

import threading
import time
from collections import deque


class RateLimiter:
    """Sliding one-minute window over requests and tokens, so we stay under a provider's published limits
    instead of learning them from 429s."""

    def __init__(self, requests_per_minute: int, tokens_per_minute: int, window_s: float = 60.0):
        self.rpm, self.tpm, self.window = max(1, requests_per_minute), max(1, tokens_per_minute), window_s
        self._events: deque[list[float]] = deque()  # [timestamp, tokens]
        self._cond = threading.Condition()

    def acquire(self, tokens: int) -> list[float]:
        """Block until one request of about `tokens` fits; returns a handle for `settle`."""
        with self._cond:
            while True:
                now = time.monotonic()
                while self._events and now - self._events[0][0] >= self.window:
                    self._events.popleft()
                used = sum(e[1] for e in self._events)
                # A single request larger than the budget still goes when the window is empty.
                if not self._events or (len(self._events) < self.rpm and used + tokens <= self.tpm):
                    event = [now, float(tokens)]
                    self._events.append(event)
                    return event
                self._cond.wait(timeout=max(0.05, self.window - (now - self._events[0][0])))

    def settle(self, event: list[float], actual_tokens: int) -> None:
        """Replace a request's estimate by the tokens the server reported."""
        with self._cond:
            event[1] = float(actual_tokens)
            self._cond.notify_all()


class CircuitBreaker:
    """Opens after `threshold` consecutive failed calls, so a dead endpoint costs seconds, not a timeout per
    batch; one probe is allowed after `cooldown_s`."""

    def __init__(self, threshold: int, cooldown_s: float = 60.0):
        self.threshold, self.cooldown = max(1, threshold), cooldown_s
        self._failures = 0
        self._opened_at: float | None = None
        self._lock = threading.Lock()

    def allow(self) -> bool:
        with self._lock:
            if self._opened_at is None:
                return True
            if time.monotonic() - self._opened_at >= self.cooldown:
                self._opened_at = time.monotonic()  # half-open: let this one call probe
                return True
            return False

    def record(self, ok: bool) -> bool:
        """Record a call's outcome; True when this failure just opened the breaker."""
        with self._lock:
            if ok:
                self._failures, self._opened_at = 0, None
                return False
            self._failures += 1
            if self._failures >= self.threshold and self._opened_at is None:
                self._opened_at = time.monotonic()
                return True
            return False

    def trip(self) -> None:
        with self._lock:
            self._failures, self._opened_at = self.threshold, time.monotonic()
