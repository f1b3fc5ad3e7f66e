"""The small record that travels back for every row: which label, which tier decided, how sure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

UNCLASSIFIED = "Unclassified"
TIERS = ("override", "regex", "bert", "llm", "none")


class Decision(NamedTuple):
    label: str
    tier: str  # one of TIERS; "none" means no tier was confident
    confidence: float | None = None  # regex 1.0, bert = top probability, llm = None (no calibrated score)
    reason: str = ""  # why a row is Unclassified (shown by --explain)


def unclassified(reason: str) -> Decision:
    return Decision(UNCLASSIFIED, "none", None, reason)


@dataclass(frozen=True)
class Batch:
    """Parallel sequences, one entry per item. `templates` are the masked messages (what the ML and LLM tiers
    read); None only before masking (the regex tier reads the original messages). `levels` are the lines'
    level buckets (logclf/levels.py; None for a line without one), or None when the input has no levels."""

    sources: Sequence[str]
    messages: Sequence[str]
    templates: Sequence[str] | None = None
    levels: Sequence[str | None] | None = None


class Tier(Protocol):
    """The contract the cascade holds its three tiers to (`RegexTier`, `BertTier`, `LLMTier`).

    `decide` returns one entry per item of the batch: a `Decision`, or `None` when the tier passes the
    item on to the next one.
    """

    name: str

    def decide(self, batch: Batch) -> list[Decision | None]: ...
