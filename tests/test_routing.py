"""Where a row goes, with stub tiers: the cascade holds its tiers to the `Tier` contract only, so
routing is tested without loading any model."""

from __future__ import annotations

import pytest

from logclf.cascade import Cascade
from logclf.decision import Batch, Decision
from logclf.masking import Masker
from logclf.paths import RESOURCES

LABELS = ["Error", "Security Alert", "System Notification", "Unclassified"]


class RuleStub:
    """A regex tier: lines starting with 'RULE' are Security Alerts."""

    name = "regex"

    def __init__(self):
        self.seen: list[str] = []

    def decide(self, batch: Batch) -> list[Decision | None]:
        self.seen += list(batch.messages)
        return [Decision("Security Alert", "regex", 1.0) if m.startswith("RULE") else None for m in batch.messages]


class ModelStub:
    """An ML tier: sure of templates containing 'disk', unsure of the rest."""

    name = "bert"

    def __init__(self):
        self.seen: list[str] = []

    def decide(self, batch: Batch) -> list[Decision | None]:
        assert batch.templates is not None
        self.seen += list(batch.templates)
        return [Decision("Error", "bert", 0.99) if "disk" in t else None for t in batch.templates]


class LLMStub:
    """The last tier: answers System Notification and counts what it was asked; offers stats and close."""

    name = "llm"

    def __init__(self):
        self.asked: list[tuple[str, str]] = []
        self.closed = False

    def decide(self, batch: Batch) -> list[Decision | None]:
        assert batch.templates is not None
        self.asked += list(zip(batch.sources, batch.templates, strict=True))
        return [Decision("System Notification", "llm") for _ in batch.messages]

    def stats_snapshot(self) -> dict[str, int]:
        return {"requests": len(self.asked)}

    def close(self) -> None:
        self.closed = True


@pytest.fixture()
def tiers():
    return RuleStub(), ModelStub(), LLMStub()


@pytest.fixture()
def cascade(tiers) -> Cascade:
    regex, model, llm = tiers
    masker = Masker.from_file(RESOURCES / "masking.yaml")
    return Cascade(regex, model, llm, masker, LABELS, {}, llm_sources=["LegacyCRM"])


def test_each_row_goes_to_the_first_tier_that_is_sure(cascade, tiers):
    regex, model, llm = tiers
    rows = [
        ("ModernCRM", "RULE matched for admin"),
        ("ModernCRM", "disk 7 failed on node 3"),
        ("ModernCRM", "queue 12 drained"),
        ("ModernCRM", "   "),
        ("LegacyCRM", "RULE would match but this source goes to the LLM"),
    ]
    decisions = cascade.classify([s for s, _ in rows], [m for _, m in rows])
    assert [(d.label, d.tier) for d in decisions] == [
        ("Security Alert", "regex"),
        ("Error", "bert"),
        ("System Notification", "llm"),
        ("Unclassified", "none"),
        ("System Notification", "llm"),
    ]
    assert "RULE would match but this source goes to the LLM" not in regex.seen  # LLM sources skip the rules
    assert all("RULE" not in t for t in model.seen)  # ruled rows never reach the model
    assert [source for source, _ in llm.asked] == ["ModernCRM", "LegacyCRM"]


def test_templates_are_decided_once_across_batches(cascade, tiers):
    _, model, _ = tiers
    first = cascade.classify(["A"] * 3, ["disk 1 failed on node 2", "disk 3 failed on node 4", "disk 5 failed on node 6"])
    second = cascade.classify(["A"], ["disk 99 failed on node 100"])
    assert {d.tier for d in first + second} == {"bert"}
    assert len(model.seen) == 1  # one template, embedded once, remembered for the next batch


def test_unsure_rows_reach_the_llm_as_templates_and_keep_their_order(cascade, tiers):
    _, _, llm = tiers
    messages = [f"job {i} finished in {i * 3} ms" for i in range(5)] + ["disk 9 failed on node 1"]
    decisions = cascade.classify(["A"] * 6, messages)
    assert [d.tier for d in decisions] == ["llm"] * 5 + ["bert"]
    assert all(template == llm.asked[0][1] for _, template in llm.asked)  # masked: ids and numbers are gone
    assert "0" not in llm.asked[0][1] and "3" not in llm.asked[0][1]


def test_a_correction_comes_before_every_tier(cascade, tiers):
    regex, _, _ = tiers
    template = cascade.masker.template("RULE matched for admin 7")
    cascade.use_overrides(lambda: {("ModernCRM", template): "Error"})
    [decision] = cascade.classify(["ModernCRM"], ["RULE matched for admin 8"])
    assert (decision.label, decision.tier) == ("Error", "override")


def test_optional_tier_extras_are_used_when_offered(cascade, tiers):
    _, _, llm = tiers
    cascade.classify(["LegacyCRM"], ["anything at all"])
    assert cascade.llm_stats() == {"requests": 1}
    assert cascade.llm_status() == {"configured": False}  # the stub offers no status
    cascade.close()
    assert llm.closed
