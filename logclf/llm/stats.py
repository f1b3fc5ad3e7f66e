"""Counters the LLM tier keeps for callers (summaries, /metrics): what was sent and what it cost."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class LLMStats:
    requests: int = 0  # HTTP requests sent (every attempt counts)
    cache_hits: int = 0  # templates answered from the cache
    retries: int = 0
    failures: int = 0  # batches that ended without an answer
    prompt_tokens: int = 0
    completion_tokens: int = 0
    breaker_trips: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)
