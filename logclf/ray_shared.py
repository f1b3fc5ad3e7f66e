"""What the actors of one Ray job share: one LLM budget and one answer book, held by one coordinator actor.

The driver starts a `Coordinator` per job (`start_coordinator`) and hands its handle to every cascade
actor, whose LLM tier then uses `RemoteBudget` as its limiter and `RemoteExchange` as its exchange. The
LLM tier's own interface is unchanged: these are collaborators (see `logclf.tiers.llm.LLMTier`).

- Budget: `LLM_REQUESTS_PER_MINUTE` / `LLM_TOKENS_PER_MINUTE` hold for the job as a whole (an account's
  limits are per account, not per actor). A 429 seen by one actor pauses every actor (`pause`).
- Answers: a template is asked once per job; the node-local SQLite cache stays the persistent layer.
- Failure: if the coordinator dies, every call raises `SharedStateLost`; the LLM tier lets it through,
  the actor's batch fails, and the job fails without writing any output (the engine writes all or nothing).
"""

from __future__ import annotations

import time
import uuid

import ray

from logclf.llm.limits import WindowBudget
from logclf.llm.shared import AnswerBook, SharedStateLost, Text
from logclf.settings import Settings

COORDINATOR_PREFIX = "logclf-coordinator-"
_POLL_S = 0.2  # how often a waiting actor asks again (answers of others, a free slot in the budget)
_MAX_SLEEP_S = 2.0  # a waiting actor still speaks this often, so its claims stay alive (the lease)


class Coordinator:
    """One per job; every method returns at once (the actor runs one call at a time), waiting is the caller's."""

    def __init__(
        self,
        requests_per_minute: int,
        tokens_per_minute: int,
        lease_s: float,
        batch_size: int,
        actors: int,
        window_s: float = 60.0,
        reads: int = 0,
    ):
        self.budget = WindowBudget(requests_per_minute, tokens_per_minute, window_s)
        self.book = AnswerBook(lease_s, batch_size, tiers=actors)
        self.book.expect_reads(reads)  # the job's read tasks, each reporting the rows it hands out (`rows_read`)
        self._blocks_read: set[tuple[int, int]] = set()  # (file, first row) of every block reported
        self._files_read: set[int] = set()
        self.requests = 0
        self.pauses = 0

    def try_acquire(self, owner: str, tokens: int) -> tuple[int | None, float]:
        self.book.touch(owner)
        ticket, wait = self.budget.try_acquire(tokens)
        self.requests += ticket is not None
        return ticket, wait

    def settle(self, owner: str, ticket: int, tokens: int) -> None:
        self.book.touch(owner)
        self.budget.settle(ticket, tokens)

    def pause(self, owner: str, seconds: float) -> None:
        self.book.touch(owner)
        self.pauses += 1
        self.budget.pause(seconds)

    def begin(self, owner: str, rows: int) -> None:
        self.book.begin(owner, rows)

    def rows_read(self, file: int, start: int, rows: int) -> None:
        """A reader handed out rows [start, start + rows) of `file`; counted once, however often Ray retries the read."""
        if (file, start) not in self._blocks_read:
            self._blocks_read.add((file, start))
            self.book.rows_read(rows)

    def file_read(self, file: int) -> None:
        """A reader finished `file` (counted once, as above)."""
        if file not in self._files_read:
            self._files_read.add(file)
            self.book.rows_read(0, finished=True)

    def end(self, owner: str) -> None:
        self.book.end(owner)

    def claim(self, owner: str, texts: dict[str, Text], known: dict[str, str]) -> tuple[dict[str, str], dict[str, Text], list[str]]:
        return self.book.claim(owner, texts, known)

    def publish(self, owner: str, answers: dict[str, str], released: list[str]) -> None:
        self.book.publish(owner, answers, released)

    def poll(self, owner: str, keys: list[str]) -> tuple[dict[str, str], dict[str, Text]]:
        return self.book.poll(owner, keys)

    def counts(self) -> dict[str, int]:
        """What the job shared: requests granted, pauses (429s), answers in the book."""
        return {"requests": self.requests, "pauses": self.pauses, "answers": len(self.book.answers)}


def lease_seconds(settings: Settings) -> float:
    """How long an actor may stay silent before its claims pass to others: one request with its retries and waits."""
    return settings.llm_timeout_s + settings.llm_backoff_max_s + 30.0


def start_coordinator(settings: Settings, actors: int, reads: int = 0) -> ray.actor.ActorHandle:
    """The job's coordinator for a pool of `actors` and `reads` read tasks (each reports what it reads): no
    CPU (it only keeps books), named so operators (and tests) can find it."""
    return (
        ray.remote(Coordinator)
        .options(name=COORDINATOR_PREFIX + uuid.uuid4().hex[:12], num_cpus=0, max_restarts=0, lifetime=None)
        .remote(
            settings.llm_requests_per_minute,
            settings.llm_tokens_per_minute,
            lease_seconds(settings),
            settings.llm_batch_size,
            actors,
            reads=reads,
        )
    )


def _call(method, *args):
    """One call to the coordinator; its death (or a lost node) becomes `SharedStateLost`."""
    try:
        return ray.get(method.remote(*args))
    except (ray.exceptions.RayActorError, ray.exceptions.ActorUnavailableError) as exc:
        raise SharedStateLost(f"the job's LLM coordinator is gone ({type(exc).__name__}); the job stops and writes nothing") from None


class RemoteBudget:
    """The LLM tier's limiter in a Ray actor: asks the coordinator before each request, sleeps here between asks."""

    def __init__(self, coordinator: ray.actor.ActorHandle, owner: str):
        self.coordinator, self.owner = coordinator, owner

    def acquire(self, tokens: int) -> int:
        while True:
            ticket, wait = _call(self.coordinator.try_acquire, self.owner, tokens)
            if ticket is not None:
                return ticket
            time.sleep(min(max(wait, _POLL_S / 4), _MAX_SLEEP_S))

    def settle(self, ticket: int, actual_tokens: int) -> None:
        _call(self.coordinator.settle, self.owner, ticket, actual_tokens)

    def pause(self, seconds: float) -> None:
        _call(self.coordinator.pause, self.owner, seconds)


class RemoteExchange:
    """The LLM tier's exchange in a Ray actor (`logclf.llm.shared.Exchange`)."""

    def __init__(self, coordinator: ray.actor.ActorHandle, owner: str):
        self.coordinator, self.owner = coordinator, owner

    def claim(self, texts: dict[str, Text], known: dict[str, str]) -> tuple[dict[str, str], dict[str, Text], list[str]]:
        return _call(self.coordinator.claim, self.owner, texts, known)

    def publish(self, answers: dict[str, str], released: list[str]) -> None:
        _call(self.coordinator.publish, self.owner, answers, released)

    def wait(self, keys: list[str]) -> tuple[dict[str, str], dict[str, Text]]:
        time.sleep(_POLL_S)
        return _call(self.coordinator.poll, self.owner, keys)


class Participant:
    """One cascade actor's side of the job's coordinator: the LLM tier's collaborators, and batch start / end."""

    def __init__(self, coordinator: ray.actor.ActorHandle):
        self.coordinator, self.owner = coordinator, uuid.uuid4().hex

    def collaborators(self) -> dict:
        """Keyword arguments for `Cascade.from_settings`: the job's budget and answers instead of the actor's own."""
        return {"llm_limiter": RemoteBudget(self.coordinator, self.owner), "llm_exchange": RemoteExchange(self.coordinator, self.owner)}

    def begin(self, rows: int) -> None:
        _call(self.coordinator.begin, self.owner, rows)

    def end(self) -> None:
        _call(self.coordinator.end, self.owner)
