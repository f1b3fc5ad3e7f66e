"""Job-wide answers for the LLM tier when many processes classify one job (the Ray engine).

`AnswerBook` is the bookkeeping alone (no Ray, no threads): one coordinator holds it, and every
LLM tier of the job asks it before sending anything. A template is asked once per job: the first
tier to need it *claims* it and asks; the others wait for its answer instead of asking again.
A claim whose owner has gone quiet for `lease_s` (its process died, its node left) passes to the
next tier that waits for it, so a lost actor cannot stall the job.

`Exchange` is the interface the LLM tier sees (`logclf.tiers.llm.LLMTier(exchange=...)`); the Ray
engine's implementation is `logclf.ray_shared.RemoteExchange`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Protocol


class SharedStateLost(RuntimeError):
    """The job's coordinator (shared budget and answers) is gone: the job must fail, not label rows Unclassified."""


Text = tuple[str, str]  # (source, the text the LLM is sent for a template)


class Exchange(Protocol):
    """What the LLM tier needs from a job-wide answer store."""

    def claim(self, texts: dict[str, Text], known: dict[str, str]) -> tuple[dict[str, str], dict[str, Text], list[str]]:
        """Publish `known` answers; for the keys of `texts`: (answers known job-wide, {key: text} now mine to ask,
        keys others are asking). What is mine may include other tiers' templates (merged partial batches)."""
        ...

    def publish(self, answers: dict[str, str], released: list[str]) -> None:
        """Answers to my claims; `released`: claims I could not answer (another tier may try)."""
        ...

    def wait(self, keys: list[str]) -> tuple[dict[str, str], dict[str, Text]]:
        """Block a little for other tiers' answers: (answers that arrived, {key: text} handed over to me to ask)."""
        ...


POOL = "<pool>"  # the owner of templates waiting in the shared partial batch
IDLE_GRACE_S = 1.0  # a tier that ended a batch this recently may be about to begin the next one


class AnswerBook:
    """Answers and claims of one job, keyed like the answer cache (provider, model, prompt, taxonomy, source, template).

    Partial batches are merged: of the templates a tier claims, whole batches of `batch_size` are its to
    ask; the rest join a shared pool, which goes out (with whichever tier asks next) as soon as it fills a
    batch, or no tier can add to it soon (each is waiting for answers, or is idle while no rows are left to
    hand out), or the pool has waited `linger_s`. So the job's requests approach
    (templates / batch size), however many actors split the rows, instead of one partial batch per actor
    call; a tier alone never waits, and a pool waits `linger_s` only while some of the job's `tiers` have
    not spoken yet (they are still loading their models).

    Rows left to hand out: the job's readers report what they read (`expect_reads`, `rows_read`) and each
    tier what it began (`begin(owner, rows)`). While reads are unfinished or read rows are not yet begun, an
    idle tier is about to get rows, so the pool waits for it; once none are left, it does not. Without
    reports (no reads expected), an idle tier is waited for `IDLE_GRACE_S` after its last batch.
    """

    def __init__(
        self, lease_s: float, batch_size: int = 1, linger_s: float = 10.0, tiers: int = 0, clock: Callable[[], float] = time.monotonic
    ):
        self.lease_s, self.batch_size, self.linger_s, self.tiers = lease_s, max(1, batch_size), linger_s, tiers
        self._clock = clock
        self.answers: dict[str, str] = {}
        self._claims: dict[str, str] = {}  # key -> owner (or POOL)
        self._texts: dict[str, Text] = {}  # key -> what to send, until answered
        self._pool: list[str] = []
        self._pool_since = 0.0
        self._seen: dict[str, float] = {}  # owner -> last time it spoke to the book
        self._waiting: dict[str, bool] = {}  # owner -> blocked on others' answers (its last call said so)
        self._busy: set[str] = set()  # owners classifying a batch now: they may still add to the pool
        self._ended: dict[str, float] = {}  # owner -> when its last batch ended (a new one usually follows at once)
        self._reads_reported = False  # the job's readers report what they read (the Ray engine): see _pool_due
        self._reads_left = 0  # the job's read tasks not finished yet
        self._rows_read = 0  # rows the readers handed out so far
        self._rows_begun = 0  # rows the tiers began to classify so far

    def touch(self, owner: str) -> None:
        """The owner is alive (it calls this on every exchange, and the budget does it while the owner waits)."""
        self._seen[owner] = self._clock()

    def expect_reads(self, reads: int) -> None:
        """The job reads its rows in `reads` tasks; each reports through `rows_read`."""
        self._reads_left += reads
        self._reads_reported |= reads > 0

    def rows_read(self, rows: int, *, finished: bool = False) -> None:
        """A reader handed out `rows` more rows (`finished`: and its task is done)."""
        self._rows_read += rows
        self._reads_left -= finished

    def begin(self, owner: str, rows: int = 0) -> None:
        """The owner starts classifying a batch of `rows` rows (it may claim templates soon)."""
        self.touch(owner)
        self._busy.add(owner)
        self._rows_begun += rows

    def end(self, owner: str) -> None:
        """The owner's batch is done: it will add nothing to the pool until its next `begin`."""
        self.touch(owner)
        self._busy.discard(owner)
        self._ended[owner] = self._clock()
        self._waiting[owner] = False

    def claim(self, owner: str, texts: dict[str, Text], known: dict[str, str]) -> tuple[dict[str, str], dict[str, Text], list[str]]:
        self.touch(owner)
        self._learn(known)
        found: dict[str, str] = {}
        claimed: list[str] = []
        others: list[str] = []
        for key, text in texts.items():
            if key in self.answers:
                found[key] = self.answers[key]
            elif key in self._claims and self._claims[key] != owner and self._alive(self._claims[key]):
                others.append(key)
            else:
                self._claims[key] = owner
                self._texts[key] = text
                claimed.append(key)
        whole = len(claimed) // self.batch_size * self.batch_size
        tail = claimed[whole:]
        if tail:
            if not self._pool:
                self._pool_since = self._clock()
            self._pool.extend(tail)
            for key in tail:
                self._claims[key] = POOL
            others.extend(tail)
        self._waiting[owner] = bool(others)
        mine = claimed[:whole] + self._take_pool(owner, whole_batches=not self._pool_due())
        return found, {key: self._texts[key] for key in mine}, others

    def publish(self, owner: str, answers: dict[str, str], released: Iterable[str]) -> None:
        self.touch(owner)
        self._waiting[owner] = False
        self._learn(answers)
        for key in released:
            if self._claims.get(key) == owner:
                del self._claims[key]

    def poll(self, owner: str, keys: Iterable[str]) -> tuple[dict[str, str], dict[str, Text]]:
        """Answers that arrived for `keys`; keys handed to `owner`: released, or their owner went quiet, or the
        pool waited long enough (the whole pool, whoever's templates it holds)."""
        self.touch(owner)
        self._waiting[owner] = True
        found: dict[str, str] = {}
        mine: list[str] = []
        for key in keys:
            if key in self.answers:
                found[key] = self.answers[key]
            elif key not in self._claims or not self._alive(self._claims[key]):
                self._claims[key] = owner
                mine.append(key)
        if self._pool_due():
            mine += self._take_pool(owner, whole_batches=False)
        return found, {key: self._texts[key] for key in mine if key in self._texts}

    def _pool_due(self) -> bool:
        """Send a partial pool now: it waited long enough, or every tier heard from lately has had its turn."""
        if not self._pool:
            return False
        now = self._clock()
        if now - self._pool_since >= self.linger_s:
            return True
        if len(self._seen) < self.tiers:  # some tier has not spoken yet (still loading its models): it may bring more
            return False
        rows_left = self._reads_left > 0 or self._rows_read > self._rows_begun
        for owner in self._seen:
            if owner in self._busy:
                if not self._waiting.get(owner, False) and self._alive(owner):
                    return False  # classifying, not yet at its LLM step
            elif self._reads_reported:
                if rows_left and self._alive(owner):
                    return False  # idle while rows are left to hand out: it is about to get some
            elif now - self._ended.get(owner, float("-inf")) < IDLE_GRACE_S:
                return False  # between two batches: its next one may bring templates
        return True

    def _take_pool(self, owner: str, *, whole_batches: bool) -> list[str]:
        n = len(self._pool) // self.batch_size * self.batch_size if whole_batches else len(self._pool)
        taken, self._pool = self._pool[:n], self._pool[n:]
        for key in taken:
            self._claims[key] = owner
        if taken and self._pool:
            self._pool_since = self._clock()
        return taken

    def _learn(self, answers: dict[str, str]) -> None:
        self.answers.update(answers)
        for key in answers:
            self._claims.pop(key, None)
            self._texts.pop(key, None)

    def _alive(self, owner: str) -> bool:
        return owner == POOL or self._clock() - self._seen.get(owner, float("-inf")) < self.lease_s
