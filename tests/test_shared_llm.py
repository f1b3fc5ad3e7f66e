"""The job-wide LLM budget and answer book (no Ray here: their bookkeeping, on a fake clock), and the actor plan."""

from __future__ import annotations

import pytest

from logclf.errors import UserError
from logclf.llm.limits import WindowBudget
from logclf.llm.shared import AnswerBook


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_budget_grants_n_per_window_and_dates_a_slot_from_its_reply():
    clock = Clock()
    budget = WindowBudget(3, 1_000_000, window_s=60, clock=clock)
    tickets = [budget.try_acquire(10)[0] for _ in range(3)]
    assert all(tickets)
    ticket, wait = budget.try_acquire(10)
    assert ticket is None and wait == pytest.approx(60)
    clock.now += 5
    budget.settle(tickets[0], 10)  # the first reply came back 5 s later: its slot frees 60 s after that
    clock.now += 56  # 61 s after the grants: slots 2 and 3 (settled never) are free, slot 1 not yet
    assert budget.try_acquire(10)[0] is not None
    assert budget.try_acquire(10)[0] is not None
    ticket, wait = budget.try_acquire(10)
    assert ticket is None and wait == pytest.approx(4)
    clock.now += 4
    assert budget.try_acquire(10)[0] is not None


def test_budget_counts_tokens_and_lets_one_oversized_request_through_an_empty_window():
    clock = Clock()
    budget = WindowBudget(100, 1000, clock=clock)
    first, _ = budget.try_acquire(5000)  # larger than the whole budget: goes alone
    assert first is not None
    assert budget.try_acquire(1)[0] is None
    budget.settle(first, 400)  # the server said 400
    assert budget.try_acquire(600)[0] is not None
    assert budget.try_acquire(1)[0] is None


def test_a_pause_stops_every_client_until_it_ends():
    clock = Clock()
    budget = WindowBudget(100, 1_000_000, clock=clock)
    budget.pause(3)
    budget.pause(1)  # a shorter pause never shortens a longer one
    ticket, wait = budget.try_acquire(1)
    assert ticket is None and wait == pytest.approx(3)
    clock.now += 3
    assert budget.try_acquire(1)[0] is not None


def texts(*keys: str) -> dict[str, tuple[str, str]]:
    return {key: ("ModernCRM", f"template {key}") for key in keys}


def test_a_template_is_claimed_once_and_answered_for_everyone():
    book = AnswerBook(lease_s=30, clock=Clock())
    found, mine, others = book.claim("a", texts("k1", "k2"), known={"k0": "Error"})
    assert (found, list(mine), others) == ({}, ["k1", "k2"], [])
    assert mine["k1"] == ("ModernCRM", "template k1")
    found, mine, others = book.claim("b", texts("k0", "k1", "k3"), known={})
    assert (found, list(mine), others) == ({"k0": "Error"}, ["k3"], ["k1"])
    assert book.poll("b", ["k1"]) == ({}, {})  # still a's
    book.publish("a", {"k1": "User Action"}, released=["k2"])  # k2 failed: released
    assert book.poll("b", ["k1", "k2"]) == ({"k1": "User Action"}, texts("k2"))  # k2 passes to b, with its text
    assert book.claim("c", texts("k2"), {}) == ({}, {}, ["k2"])


def test_a_silent_owner_loses_its_claims_after_the_lease():
    clock = Clock()
    book = AnswerBook(lease_s=30, clock=clock)
    book.claim("a", texts("k"), {})
    clock.now += 29
    assert book.poll("b", ["k"]) == ({}, {})
    clock.now += 2  # a said nothing for 31 s: its actor (or node) is taken for dead
    assert book.poll("b", ["k"]) == ({}, texts("k"))


def test_partial_batches_of_several_tiers_merge_into_one_request():
    clock = Clock()
    book = AnswerBook(lease_s=30, batch_size=4, linger_s=1.0, clock=clock)
    book.begin("c")  # c is classifying a batch: it may add to the pool soon
    found, mine, others = book.claim("a", texts("a1", "a2", "a3", "a4", "a5", "a6"), {})
    assert list(mine) == ["a1", "a2", "a3", "a4"] and others == ["a5", "a6"]  # one whole batch; the tail waits in the pool
    found, mine, others = book.claim("b", texts("b1", "b2", "b3"), {})
    assert list(mine) == ["a5", "a6", "b1", "b2"] and others == ["b1", "b2", "b3"]  # b sends the merged batch
    assert book.poll("b", ["b3"]) == ({}, {})  # b3 lingers: c may still add to it
    clock.now += 1.0
    assert book.poll("a", ["a5"]) == ({}, texts("b3"))  # then whoever asks next sends it


def test_a_partial_batch_goes_at_once_when_every_tier_is_waiting():
    clock = Clock()
    book = AnswerBook(lease_s=30, batch_size=4, linger_s=1.0, clock=clock)
    book.begin("a")
    assert list(book.claim("a", texts("a1", "a2", "a3", "a4", "a5"), {})[1]) == ["a1", "a2", "a3", "a4", "a5"]  # alone: no wait
    book.publish("a", {}, [])  # a is asking, not waiting
    assert book.claim("b", texts("b1"), {})[1] == {}  # a may add to the pool
    assert book.poll("a", ["a1"]) == ({}, texts("b1"))  # now a waits too: nobody will, so the pool goes
    book.end("a")

    starting = AnswerBook(lease_s=30, batch_size=4, linger_s=1.0, tiers=2, clock=clock)
    assert starting.claim("a", texts("a1"), {})[1] == {}  # the job's second tier has not spoken yet: a1 waits for it
    clock.now += 1.0
    assert starting.poll("a", ["a1"]) == ({}, texts("a1"))  # ... at most linger_s


GB = 1_000_000_000


def test_plan_sizes_actors_from_each_node():
    from logclf.engine_ray import plan_actors

    one = plan_actors([(1.0, 8 * GB)])
    assert (one.per_node, one.cpus_per_actor, one.auto) == ((1,), 0.5, True)
    two = plan_actors([(2.0, 8 * GB)])
    assert (two.per_node, two.cpus_per_actor) == ((2,), 0.75)
    mixed = plan_actors([(1.0, 8 * GB), (2.0, 8 * GB)])
    assert (mixed.per_node, mixed.cpus_per_actor, mixed.actors) == ((1, 2), 0.5, 3)
    assert "2 node(s) (1, 2 CPUs): 3 actor(s) (1 + 2) x 0.5 CPU" in mixed.text()
    small_memory = plan_actors([(8.0, 2.5 * GB)])
    assert small_memory.per_node == (2,) and small_memory.cpus_per_actor == 1.0


def test_explicit_settings_win_and_a_plan_that_cannot_fit_is_refused():
    from logclf.engine_ray import plan_actors

    both = plan_actors([(4.0, 8 * GB), (2.0, 8 * GB)], 1, 1.5)
    assert (both.per_node, both.cpus_per_actor, both.auto) == ((1, 1), 1.5, False)
    share = plan_actors([(4.0, 8 * GB), (1.0, 8 * GB)], 0, 0.5)
    assert share.per_node == (4, 1) and share.cpus_per_actor == 0.5
    count = plan_actors([(4.0, 8 * GB), (1.0, 8 * GB)], 2, 0)
    assert count.per_node == (2, 2) and count.cpus_per_actor == 0.25
    with pytest.raises(UserError, match="leaves no CPU for read and write"):
        plan_actors([(1.0, 8 * GB)], 1, 1.0)
    with pytest.raises(UserError, match="has room for an actor"):
        plan_actors([(0.5, 8 * GB)])
    with pytest.raises(UserError, match="has room for an actor"):
        plan_actors([(1.0, 8 * GB)], 0, 1.0)


def test_a_tier_between_two_batches_holds_the_pool_for_a_moment_only():
    clock = Clock()
    book = AnswerBook(lease_s=30, batch_size=4, linger_s=10.0, clock=clock)
    book.begin("b")
    book.end("b")  # b finished a batch; Ray Data usually hands it the next one at once
    book.begin("a")
    assert book.claim("a", texts("a1"), {})[1] == {}  # b may bring templates: a1 waits
    clock.now += 1.0  # b stayed idle: it brings nothing (the job is ending)
    assert book.poll("a", ["a1"]) == ({}, texts("a1"))


def test_an_idle_tier_holds_the_pool_while_the_job_has_rows_left_to_hand_out():
    clock = Clock()
    book = AnswerBook(lease_s=30, batch_size=4, linger_s=10.0, clock=clock)
    book.expect_reads(2)
    book.rows_read(100)
    book.begin("b", 100)
    book.end("b")  # b is idle, under load perhaps for seconds before Ray Data hands it the next block
    book.begin("a", 0)
    assert book.claim("a", texts("a1"), {})[1] == {}
    clock.now += 5.0  # well past IDLE_GRACE_S: a read is still running, so b will get rows and may bring templates
    assert book.poll("a", ["a1"]) == ({}, {})
    book.rows_read(50, finished=True)
    book.rows_read(0, finished=True)  # every read is done, but 50 rows are not begun: they may go to b
    assert book.poll("a", ["a1"]) == ({}, {})
    book.begin("a", 50)  # a took them itself (it is busy again, then waits): nothing is left for b
    assert book.poll("a", ["a1"]) == ({}, texts("a1"))


def test_an_idle_tier_that_went_silent_past_its_lease_does_not_hold_the_pool():
    clock = Clock()
    book = AnswerBook(lease_s=30, batch_size=4, linger_s=100.0, clock=clock)
    book.expect_reads(1)
    book.begin("b", 10)
    book.end("b")
    clock.now += 31.0  # b's node is gone: rows left or not, it brings nothing
    book.begin("a", 10)
    assert book.claim("a", texts("a1"), {})[1] == texts("a1")  # a is the only live tier: its partial batch goes at once


def test_a_read_that_ray_retries_is_counted_once():
    from logclf.ray_shared import Coordinator

    coordinator = Coordinator(100, 1_000_000, lease_s=30, batch_size=4, actors=2, reads=1)
    for _ in range(2):  # the read task ran twice: its blocks and its end are reported twice
        coordinator.rows_read(0, 0, 100)
        coordinator.rows_read(0, 100, 50)
        coordinator.file_read(0)
    coordinator.begin("a", 150)
    coordinator.end("a")  # every row read is begun, and the one read is done: nothing is left to hand out
    coordinator.begin("b", 0)
    assert coordinator.claim("b", texts("b1"), {})[1] == texts("b1")  # the idle `a` holds nothing back
