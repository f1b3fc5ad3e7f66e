"""The cascade's first step, which needs no model: route each row, run the regex rules, mask the rest.

`prepare` is a pure function of the rules, the masks and the rows, so it can run anywhere. The CLI
runs it for the next chunk in a second process (`PrepareAhead`) while the main process classifies
and writes the current one: on a 2-core machine that takes masking, the costliest Python step of a
big file, off the critical path. Everyone else (the server, Ray actors) lets `Cascade.classify`
call it in-process.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Collection, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from logclf.decision import Batch, Decision
from logclf.masking import Masker
from logclf.tiers.regex import RegexTier

log = logging.getLogger("logclf.prepare")


@dataclass(frozen=True)
class Prepared:
    """Per row: the regex tier's decision, or the masked template of a row that goes on past the rules.

    Both are None for an empty message; `templates[i]` is None exactly where `ruled[i]` is set. Rows of
    LLM sources skip the rules and get a template (the LLM reads templates).
    """

    ruled: list[Decision | None]
    templates: list[str | None]


def prepare(regex: RegexTier, masker: Masker, llm_sources: Collection[str], sources: Sequence[str], messages: Sequence[str]) -> Prepared:
    n = len(messages)
    ruled: list[Decision | None] = [None] * n
    templates: list[str | None] = [None] * n
    non_empty = [i for i, m in enumerate(messages) if m and not m.isspace()]  # == m.strip(), without a copy
    candidates = [i for i in non_empty if sources[i] not in llm_sources]
    for i, decision in zip(
        candidates, regex.decide(Batch([sources[i] for i in candidates], [messages[i] for i in candidates])), strict=True
    ):
        ruled[i] = decision
    template = masker.template
    for i in non_empty:
        if ruled[i] is None:
            templates[i] = template(messages[i])
    return Prepared(ruled, templates)


class PrepareAhead:
    """`prepare` in one worker process: `submit` a chunk, classify the previous one, then take the result.

    The worker loads the same rule and mask files as the cascade (paths, not objects: a Masker holds
    compiled closures). It is spawned, not forked: the parent may already run ONNX and torch threads.
    """

    def __init__(self, regex_rules_path: Path, masking_path: Path, llm_sources: Collection[str]):
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_load_worker,
            initargs=(str(regex_rules_path), str(masking_path), tuple(llm_sources)),
        )

    def submit(self, sources: list[str], messages: list[str]) -> Future[Prepared]:
        return self._pool.submit(_prepare_in_worker, sources, messages)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


_worker: tuple[RegexTier, Masker, frozenset[str]] | None = None


def _load_worker(regex_rules_path: str, masking_path: str, llm_sources: tuple[str, ...]) -> None:
    global _worker
    _worker = (RegexTier.from_file(Path(regex_rules_path)), Masker.from_file(Path(masking_path)), frozenset(llm_sources))


def _prepare_in_worker(sources: list[str], messages: list[str]) -> Prepared:
    assert _worker is not None, "the worker's initializer did not run"
    return prepare(*_worker, sources, messages)
