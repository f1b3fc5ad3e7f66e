"""Classification for the HTTP server: the loaded cascade plus a bounded pool of worker threads.

The event loop never classifies: jobs run in `Classifier.pool` (SERVER_WORKER_THREADS threads, the
rest queue) under REQUEST_TIMEOUT_S; results are written to private temporary files.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from typing import Any, BinaryIO, TypeVar

import anyio
from fastapi import HTTPException

from logclf.formats import classify_any, open_input, split_name
from logclf.metrics import ServerMetrics, tier_label_counts
from logclf.settings import Settings
from logclf.stream import MAX_LINE_CHARS

T = TypeVar("T")


class _Cancelled(Exception):
    """The request gave up (timeout); the worker stops at the next chunk."""


class _CountingCascade:
    """Wraps the cascade for one request: counts (tier, label) and stops when cancelled."""

    def __init__(self, cascade: Any, cancelled: threading.Event):
        self._cascade, self._cancelled = cascade, cancelled
        self.counts: Counter[tuple[str, str]] = Counter()

    def classify(self, sources: Sequence[str], messages: Sequence[str], prepared: Any = None, levels: Any = None) -> list[Any]:
        if self._cancelled.is_set():
            raise _Cancelled
        cascade = self._cascade  # `prepared` / `levels` only when given: a plain classify(sources, messages) still fits
        if levels is not None:
            decisions = cascade.classify(sources, messages, prepared, levels=levels)
        else:
            decisions = cascade.classify(sources, messages) if prepared is None else cascade.classify(sources, messages, prepared)
        self.counts.update(tier_label_counts(decisions))
        return decisions

    def prepare(self, sources: Sequence[str], messages: Sequence[str]) -> Any:
        """The cascade's first step (rules, templates): the patterns table reads its templates."""
        return self._cascade.prepare(sources, messages)

    def llm_stats(self) -> dict[str, int]:
        return self._cascade.llm_stats()


class Classifier:
    """The models plus a bounded pool of worker threads, so the event loop never classifies."""

    def __init__(self, settings: Settings, cascade: Any, metrics: ServerMetrics):
        self.settings, self.cascade, self.metrics = settings, cascade, metrics
        self.pool = ThreadPoolExecutor(max(1, settings.server_worker_threads), thread_name_prefix="classify")
        self.active = 0

    async def run(self, job: Callable[[_CountingCascade], T], on_abandon: Callable[[T], None] | None = None) -> T:
        """Run `job` in the pool within REQUEST_TIMEOUT_S (queueing included); 504 after that."""
        cancelled = threading.Event()
        counting = _CountingCascade(self.cascade, cancelled)
        future = self.pool.submit(job, counting)
        self.active += 1
        self.metrics.in_progress.inc()
        try:
            with anyio.fail_after(self.settings.request_timeout_s):
                result = await asyncio.wrap_future(future)
        except TimeoutError:
            cancelled.set()
            if not future.cancel() and on_abandon:
                future.add_done_callback(lambda f: f.exception() is None and on_abandon(f.result()))
            raise HTTPException(504, f"classification took longer than REQUEST_TIMEOUT_S={self.settings.request_timeout_s:g}s") from None
        finally:
            self.active -= 1
            self.metrics.in_progress.dec()
        self.metrics.count_rows(counting.counts.items())
        return result

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.cascade.close()


def classify_upload(
    upload: BinaryIO,
    encoding: str | None,
    explain: bool,
    chunk_rows: int,
    cascade: _CountingCascade,
    found: dict[str, Any] | None = None,
    max_line_chars: int = MAX_LINE_CHARS,
    **formats: Any,
) -> str:
    """Classify an uploaded file (or a raw body) into a private temporary file (mode 0600) and return its path.

    `formats`: `open_input`'s keywords (name, fmt, source, message_field, source_field, max_bytes,
    log_format, multiline). `found`, if given, receives `header`: the plain-lines reader's `FormatReport`.
    """
    upload.seek(0)
    reader = open_input(upload, formats.pop("name", None), encoding=encoding, chunk_rows=chunk_rows, **formats)
    fd, path = tempfile.mkstemp(prefix="logclf-out-", suffix=".out")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            classify_any(reader, out, cascade, jsonl=False, explain=explain, max_line_chars=max_line_chars)
    except BaseException:
        unlink(path)
        raise
    if found is not None and hasattr(reader, "header_report"):
        found["header"] = reader.header_report()
    return path


def unlink(path: str) -> None:
    with suppress(FileNotFoundError):
        os.unlink(path)


def download_name(filename: str | None, ext: str = "csv") -> str:
    """`<stem>_classified.<ext>` from the client's file name (`.gz` and extension dropped), reduced to safe characters."""
    stem = split_name(filename)[0]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:100]
    return f"{stem or 'logs'}_classified.{ext}"
