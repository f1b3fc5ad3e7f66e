"""Tier 3: an LLM (Groq, or any OpenAI-compatible server) for rows from label-scarce sources and rows the ML tier
is unsure of.

Designed to be cheap, bounded, private and safe:
- private by default: the LLM reads each row's template (ids, numbers, IPs, e-mails, UUIDs and secrets masked);
  `LLM_SEND=raw` sends raw lines instead, with secrets still scrubbed (`Masker.scrub`);
- few requests: items are grouped by (source, template), each template is asked once, and up to
  `llm_batch_size` templates share one request (see `logclf.llm.prompt` for the wire contract);
- a persistent SQLite answer cache keyed by provider, model, prompt version, taxonomy, source and template;
- bounded concurrency (a thread pool) and pace (a client-side requests/tokens-per-minute limiter);
- bounded time: a timeout per request, retries with backoff + jitter honouring `Retry-After`, and a
  circuit breaker after consecutive failures. Anything unanswered becomes Unclassified, with a reason;
- safety: log text is delimited as data and every answer is validated against the allowed labels.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from logclf.decision import UNCLASSIFIED, Batch, Decision, unclassified
from logclf.llm.cache import AnswerCache
from logclf.llm.limits import CircuitBreaker, RateLimiter
from logclf.llm.prompt import PROMPT_VERSION, MalformedAnswer, build_messages, clip, norm, parse_labels
from logclf.llm.providers import CallFailed, Provider, make_provider
from logclf.llm.stats import LLMStats
from logclf.masking import Masker
from logclf.settings import Settings

log = logging.getLogger("logclf.llm")
EMPTY_SLOT = unclassified("")  # placeholder while filling a result list; every slot is overwritten


@dataclass(frozen=True)
class _Answer:
    """A decision and whether it may be cached: a label, or the model's own "nothing fits" (never a failure)."""

    decision: Decision
    cacheable: bool


class LLMTier:
    name = "llm"

    def __init__(self, settings: Settings, label_descriptions: dict[str, str], masker: Masker):
        self.settings = settings
        self.label_descriptions = {k: v for k, v in label_descriptions.items() if k != UNCLASSIFIED}
        labels = [*self.label_descriptions, UNCLASSIFIED]
        self._allowed = {norm(label): label for label in labels}
        self.masker = masker
        self.stats = LLMStats()
        self._stats_lock = threading.Lock()
        self.breaker = CircuitBreaker(settings.llm_breaker_threshold)
        self.limiter = RateLimiter(settings.llm_requests_per_minute, settings.llm_tokens_per_minute)
        self._warned = False
        taxonomy = hashlib.sha256(json.dumps(sorted(self.label_descriptions.items())).encode()).hexdigest()[:12]
        self._key_prefix = f"{settings.llm_provider}|{settings.llm_model_in_use}|{PROMPT_VERSION}|{settings.llm_send}|{taxonomy}|"
        self.cache = self._open_cache() if settings.llm_cache_enabled and settings.llm_configured else None
        self.provider: Provider | None = None
        if settings.llm_configured:
            self.provider = make_provider(settings, labels, lambda: self._count(requests=1))

    def _open_cache(self) -> AnswerCache | None:
        try:
            return AnswerCache(self.settings.llm_cache_path)
        except (OSError, sqlite3.Error) as exc:  # e.g. a read-only home directory
            log.warning("LLM answer cache disabled: cannot open %s (%s)", self.settings.llm_cache_path, exc)
            return None

    @property
    def configured(self) -> bool:
        return self.provider is not None

    def stats_snapshot(self) -> dict[str, int]:
        """The counters (calls, cache hits, tokens ...) as a plain dict; callers diff two snapshots."""
        return self.stats.as_dict()

    def status(self) -> dict:
        """What /health and summaries show: on or off, which provider and model, what is sent; never the key."""
        s = self.settings
        return {"configured": self.configured, "provider": s.llm_provider, "model": s.llm_model_in_use, "send": s.llm_send}

    def off_reason(self) -> str:
        if not self.settings.llm_enabled:
            return "LLM tier disabled (--no-llm / LLM_ENABLED=false)"
        if self.settings.llm_provider == "openai":
            return "LLM tier off: LLM_PROVIDER=openai needs LLM_MODEL and LLM_BASE_URL (or LLM_API_KEY)"
        return "LLM tier off: GROQ_API_KEY is not set"

    def _count(self, **deltas: int) -> None:
        with self._stats_lock:
            for k, v in deltas.items():
                setattr(self.stats, k, getattr(self.stats, k) + v)

    # -- the batch call ---------------------------------------------------------------------

    def decide(self, batch: Batch) -> list[Decision]:
        """One decision per item. Reads `batch.templates` (masked here when None); sends templates, or
        secret-scrubbed raw lines with LLM_SEND=raw."""
        sources, messages = batch.sources, batch.messages
        if not messages:
            return []
        if not self.configured:
            if not self._warned:
                log.warning("%s: rows routed to the LLM (LLM sources, rows the ML tier is unsure of) are Unclassified", self.off_reason())
                self._warned = True
            return [unclassified(self.off_reason())] * len(messages)
        templates = batch.templates if batch.templates is not None else [self.masker.template(m) for m in messages]
        raw = self.settings.llm_send == "raw"

        # Group items by (source, template); the first item of a group represents it.
        groups: dict[str, list[int]] = {}
        sent_text: dict[str, tuple[str, str]] = {}  # key -> (source, text to send)
        for i, (source, template) in enumerate(zip(sources, templates, strict=True)):
            key = self._key_prefix + source + "|" + template
            if key not in groups:
                groups[key] = []
                sent_text[key] = (source, self.masker.scrub(messages[i]) if raw else template)
            groups[key].append(i)

        answers: dict[str, Decision] = {}
        cached = self.cache.get_many(list(groups)) if self.cache else {}
        for key, label in cached.items():
            answers[key] = self._decision(label).decision
        self._count(cache_hits=len(cached))

        # One request carries lines of several sources (each line's source is named in it): batching per
        # source made a file of many sources cost a request per source and chunk (157 instead of 40 for 1M
        # varied rows). Sorted by source, so lines of one source share requests where they can.
        pending = sorted((key for key in groups if key not in answers), key=lambda k: sent_text[k][0])
        size = max(1, self.settings.llm_batch_size)
        batches = [pending[i : i + size] for i in range(0, len(pending), size)]

        if batches:
            workers = max(1, min(self.settings.llm_max_concurrency, len(batches)))
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="llm") as pool:
                results = pool.map(
                    lambda keys: self._answer_batch([sent_text[k][0] for k in keys], [sent_text[k][1] for k in keys]), batches
                )
                for keys, result in zip(batches, results, strict=True):
                    fresh = {}
                    for key, answer in zip(keys, result, strict=True):
                        answers[key] = answer.decision
                        if answer.cacheable:
                            fresh[key] = answer.decision.label
                    if self.cache:
                        self.cache.put_many(fresh)

        out: list[Decision] = [EMPTY_SLOT] * len(messages)
        for key, rows in groups.items():
            for i in rows:
                out[i] = answers[key]
        return out

    def _decision(self, label: str | None) -> _Answer:
        if label is None:
            return _Answer(unclassified("llm: answered a label outside the allowed set"), cacheable=False)
        if label == UNCLASSIFIED:
            return _Answer(unclassified("llm: no label fits"), cacheable=True)
        return _Answer(Decision(label, self.name), cacheable=True)

    def _answer_batch(self, sources: list[str], lines: list[str]) -> list[_Answer]:
        """One batch -> one answer per line; never raises."""
        try:
            labels = self._request_with_retries(sources, lines)
        except CallFailed as exc:
            self._count(failures=1)
            return [_Answer(unclassified(f"llm: {exc.reason}"), cacheable=False)] * len(lines)
        except Exception:  # a bug must cost this batch its labels, never the whole file
            log.exception("LLM batch failed unexpectedly")
            self._count(failures=1)
            return [_Answer(unclassified("llm: internal error (see server log)"), cacheable=False)] * len(lines)
        return [self._decision(label) for label in labels]

    def _request_with_retries(self, sources: list[str], lines: list[str]) -> list[str | None]:
        s = self.settings
        messages = build_messages(sources, [clip(line, s.llm_max_line_chars) for line in lines], self.label_descriptions)
        estimate = sum(len(m["content"]) for m in messages) // 4 + 16 * len(lines) + 200
        failure = CallFailed("no attempt made")
        for attempt in range(s.llm_max_retries + 1):
            if attempt:
                self._count(retries=1)
            if not self.breaker.allow():
                raise CallFailed("circuit breaker open after repeated failures")
            event = self.limiter.acquire(estimate)
            try:
                completion = self.provider.complete(messages)  # type: ignore[union-attr]  # configured
            except CallFailed as exc:
                self.limiter.settle(event, estimate)
                if exc.auth:
                    self.breaker.trip()
                    raise
                self._record_failure()
                if not exc.retry:
                    raise
                failure = CallFailed(f"{exc.reason} ({attempt + 1} attempt(s))", retry_after=exc.retry_after)
            else:
                self._count(prompt_tokens=completion.prompt_tokens, completion_tokens=completion.completion_tokens)
                self.limiter.settle(event, completion.prompt_tokens + completion.completion_tokens or estimate)
                self.breaker.record(ok=True)
                try:
                    return parse_labels(completion.content, len(lines), self._allowed)
                except MalformedAnswer as exc:
                    failure = CallFailed(f"malformed answer ({exc})")
            if attempt < s.llm_max_retries:
                time.sleep(self._backoff(attempt, failure.retry_after))
        raise failure

    def _record_failure(self) -> None:
        if self.breaker.record(ok=False):
            self._count(breaker_trips=1)
            log.warning("LLM circuit breaker opened after %d consecutive failures", self.breaker.threshold)

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        s = self.settings
        if retry_after is not None:
            return min(retry_after, s.llm_backoff_max_s)
        return min(s.llm_backoff_max_s, s.llm_backoff_base_s * 2**attempt) * random.uniform(0.5, 1.0)

    def close(self) -> None:
        if self.cache:
            self.cache.close()
        if self.provider is not None:
            self.provider.close()
