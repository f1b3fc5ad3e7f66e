"""Pace and failure control shared by every worker thread: a rate limiter and a circuit breaker.

`WindowBudget` is the bookkeeping alone (no waiting, no threads), so the same budget serves one process
(`RateLimiter` wraps it with a condition variable) or a whole Ray job (one coordinator actor holds it and
every actor asks it before each request: see `logclf.ray_shared`).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable


class WindowBudget:
    """A sliding one-minute window over requests and tokens, plus a pause every client honours.

    A request's slot is dated when it is granted and dated again when it is settled (its reply came back),
    so a slot frees one window after the request *ended*: the server, which saw the request between the
    two, can never count more than `rpm` requests in any window, however long requests take.
    """

    def __init__(
        self, requests_per_minute: int, tokens_per_minute: int, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ):
        self.rpm, self.tpm, self.window = max(1, requests_per_minute), max(1, tokens_per_minute), window_s
        self._clock = clock
        self._events: deque[list[float]] = deque()  # [timestamp, tokens, ticket]
        self._tickets = itertools.count(1)
        self.paused_until = 0.0

    def try_acquire(self, tokens: int) -> tuple[int | None, float]:
        """(ticket, 0) when one request of about `tokens` fits now; else (None, seconds worth waiting)."""
        now = self._clock()
        if now < self.paused_until:
            return None, self.paused_until - now
        while self._events and now - self._events[0][0] >= self.window:
            self._events.popleft()
        used = sum(e[1] for e in self._events)
        # A single request larger than the budget still goes when the window is empty.
        if not self._events or (len(self._events) < self.rpm and used + tokens <= self.tpm):
            ticket = next(self._tickets)
            self._events.append([now, float(tokens), ticket])
            return ticket, 0.0
        return None, max(0.05, self.window - (now - self._events[0][0]))

    def settle(self, ticket: int, actual_tokens: int) -> None:
        """The request ended: count the tokens the server reported and restart its slot's minute from now."""
        now = self._clock()
        for event in self._events:
            if event[2] == ticket:
                event[0], event[1] = now, float(actual_tokens)
                break
        # Keep the deque ordered by time: the settled slot now expires last (or with its peers).
        self._events = deque(sorted(self._events, key=lambda e: e[0]))

    def pause(self, seconds: float) -> None:
        """Nobody sends for `seconds` (a 429 with Retry-After seen by one client slows every client)."""
        self.paused_until = max(self.paused_until, self._clock() + max(0.0, seconds))


class RateLimiter:
    """`WindowBudget` for the threads of one process: `acquire` blocks until the request fits, so we stay
    under a provider's published limits instead of learning them from 429s."""

    def __init__(self, requests_per_minute: int, tokens_per_minute: int, window_s: float = 60.0):
        self.budget = WindowBudget(requests_per_minute, tokens_per_minute, window_s)
        self.rpm, self.tpm, self.window = self.budget.rpm, self.budget.tpm, window_s
        self._cond = threading.Condition()

    def acquire(self, tokens: int) -> int:
        """Block until one request of about `tokens` fits; returns a ticket for `settle`."""
        with self._cond:
            while True:
                ticket, wait = self.budget.try_acquire(tokens)
                if ticket is not None:
                    return ticket
                self._cond.wait(timeout=wait)

    def settle(self, ticket: int, actual_tokens: int) -> None:
        """Replace a request's estimate by the tokens the server reported."""
        with self._cond:
            self.budget.settle(ticket, actual_tokens)
            self._cond.notify_all()

    def pause(self, seconds: float) -> None:
        with self._cond:
            self.budget.pause(seconds)


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
