"""Prometheus metrics of the HTTP server, in a registry per app (tests build several apps).

LLM figures are read from the cascade's running `LLMStats` at scrape time rather than summed
from per-request deltas: concurrent requests share one LLM tier, so deltas would overlap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)


class _LLMCollector(Collector):
    """Exports the LLM tier's cumulative counters (requests, cache hits, retries, tokens...)."""

    def __init__(self, stats: Callable[[], dict[str, int] | None]):
        self._stats = stats

    def collect(self) -> Iterator[Metric]:
        stats = self._stats() or {}
        simple = {
            "requests": "HTTP requests sent to the LLM API (every attempt)",
            "cache_hits": "templates answered from the LLM answer cache",
            "retries": "LLM requests retried",
            "failures": "LLM batches that ended without an answer",
            "breaker_trips": "times the LLM circuit breaker opened",
        }
        for key, doc in simple.items():
            family = CounterMetricFamily(f"logclf_llm_{key}", doc)
            family.add_metric([], stats.get(key, 0))
            yield family
        tokens = CounterMetricFamily("logclf_llm_tokens", "LLM tokens used", labels=["kind"])
        tokens.add_metric(["prompt"], stats.get("prompt_tokens", 0))
        tokens.add_metric(["completion"], stats.get("completion_tokens", 0))
        yield tokens


class ServerMetrics:
    def __init__(self, llm_stats: Callable[[], dict[str, int] | None]):
        self.registry = CollectorRegistry()
        self.rows = Counter(
            "logclf_rows_classified", "rows classified, by deciding tier and label", ["tier", "label"], registry=self.registry
        )
        self.requests = Counter("logclf_http_requests", "HTTP requests, by route and status", ["route", "status"], registry=self.registry)
        self.latency = Histogram(
            "logclf_http_request_duration_seconds", "HTTP request latency", ["route"], buckets=LATENCY_BUCKETS, registry=self.registry
        )
        self.in_progress = Gauge("logclf_classifications_in_progress", "classifications running or queued", registry=self.registry)
        self.registry.register(_LLMCollector(llm_stats))

    def observe_request(self, route: str, status: int, seconds: float) -> None:
        self.requests.labels(route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def count_rows(self, by_tier_label: Iterable[tuple[tuple[str, str], int]]) -> None:
        for (tier, label), n in by_tier_label:
            self.rows.labels(tier, label).inc(n)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def tier_label_counts(decisions: Iterable[Any]) -> dict[tuple[str, str], int]:
    """(tier, label) -> rows, from Decision objects."""
    out: dict[tuple[str, str], int] = {}
    for d in decisions:
        key = (d.tier, d.label)
        out[key] = out.get(key, 0) + 1
    return out
