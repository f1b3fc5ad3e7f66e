"""Bytes -> CSV chunks -> cascade -> CSV writer: the one path the CLI and the server share."""

from __future__ import annotations

import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Protocol, TextIO

from logclf.csv_io import CsvReader, make_writer
from logclf.decision import Decision
from logclf.levels import LEVEL_COLUMNS
from logclf.multiline import classifier_messages
from logclf.prepare import PrepareAhead, Prepared


class Classifies(Protocol):
    """What `classify_csv` needs of a cascade (the server's per-request wrapper has the same two)."""

    def classify(self, sources: Sequence[str], messages: Sequence[str]) -> list[Decision]: ...  # Cascade's also takes `prepared`, `levels`

    def llm_stats(self) -> dict[str, int]: ...


log = logging.getLogger("logclf.stream")
EXPLAIN_COLUMNS = ["classified_by", "confidence", "reason"]
MAX_LINE_CHARS = 64 * 1024  # MAX_LINE_KB's default: the classifier reads this much of a message; the output keeps it whole
_label_of, _tier_of = attrgetter("label"), attrgetter("tier")


def explain_cells(decision: Decision) -> list[str]:
    """The `--explain` cells of one row (EXPLAIN_COLUMNS), as every engine writes them."""
    confidence = "" if decision.confidence is None else f"{decision.confidence:.4f}"
    return [decision.tier, confidence, decision.reason]


def renamed_input_columns(header: list[str], added: list[str], warned: set[str] | None = None) -> list[str]:
    """The input's header with any name the output adds renamed `<name>_input`: never two columns of one name.
    Each rename is logged (stderr in the CLI, the server's log); with `warned` (JSON Lines: one set per run,
    objects renamed one by one) only the first time a name is renamed, and the name is added to it."""
    taken = set(header) | set(added)
    out = []
    for name in header:
        if name in added:
            new = f"{name}_input"
            while new in taken:
                new += "_"
            taken.add(new)
            if warned is None or name not in warned:
                log.warning("the input already has a %s column: it is written as %s", name, new)
            if warned is not None:
                warned.add(name)
            name = new
        out.append(name)
    return out


@dataclass
class RunSummary:
    rows: int = 0
    seconds: float = 0.0
    by_label: Counter = field(default_factory=Counter)
    by_tier: Counter = field(default_factory=Counter)
    llm: dict[str, int] = field(default_factory=dict)

    def text(self) -> str:
        rate = self.rows / self.seconds if self.seconds else 0.0
        lines = [f"{self.rows} rows in {self.seconds:.2f}s ({rate:,.0f} rows/s)"]
        lines += [f"  {label:<22}{n:>10}" for label, n in self.by_label.most_common()]
        lines.append("  by tier: " + ", ".join(f"{t}={n}" for t, n in self.by_tier.most_common()))
        if self.llm:
            lines.append("  llm: " + ", ".join(f"{k}={v}" for k, v in self.llm.items()))
        return "\n".join(lines)


def classify_csv(
    reader: CsvReader,
    out: TextIO,
    cascade: Classifies,
    *,
    explain: bool = False,
    on_chunk: Callable[[int], None] | None = None,
    ahead: PrepareAhead | None = None,
    max_line_chars: int = MAX_LINE_CHARS,
) -> RunSummary:
    """Classify a CSV stream chunk by chunk; memory is bounded by `chunk_rows`, not file size.

    `reader` is built first (`CsvReader(stream)`), so a bad header fails before any model work.
    Raises `UserError` for input a person must fix (possibly after some output was written:
    callers that need all-or-nothing write to a temporary file first).
    """
    layout = reader.layout
    writer = make_writer(out, layout)
    added = ["target_label"] + (EXPLAIN_COLUMNS if explain else [])
    writer.writerow(renamed_input_columns(layout.header, added) + added)  # never two columns of one name
    source_of, message_of = itemgetter(layout.source_idx), itemgetter(layout.message_idx)
    level_at = level_column(layout.header)
    batches = (
        (rows, list(map(source_of, rows)), list(map(message_of, rows)), None if level_at is None else [r[level_at] for r in rows])
        for rows in reader.chunks()
    )

    def write(rows: list[list[str]], decisions: list[Decision]) -> None:
        if explain:
            writer.writerows(r + [d.label, *explain_cells(d)] for r, d in zip(rows, decisions, strict=False))
            return
        for r, d in zip(rows, decisions, strict=False):
            r.append(d.label)  # the chunk's rows are ours: extend them rather than copy each one
        writer.writerows(rows)

    return classify_batches(batches, cascade, write, on_chunk, ahead, max_line_chars)


def level_column(header: Sequence[str]) -> int | None:
    """The index of the column holding each row's level (level, severity, levelname, loglevel; any case), if any."""
    return next((i for i, name in enumerate(header) if name.strip().lower() in LEVEL_COLUMNS), None)


def classify_batches(
    batches: Iterable[tuple[list, list[str], list[str], list | None]],
    cascade: Classifies,
    write: Callable[[list, list[Decision]], None],
    on_chunk: Callable[[int], None] | None = None,
    ahead: PrepareAhead | None = None,
    max_line_chars: int = MAX_LINE_CHARS,
) -> RunSummary:
    """The loop every output format shares: (records, sources, messages, levels or None) in, `write(records, decisions)`
    out, and the run's summary (rows per label and tier, the LLM's share of the work, time).

    With `ahead` (a second process), chunk k+1 is read and prepared (rules, masking) while chunk k is
    classified and written: the two halves of the work overlap on two cores.

    The cascade reads `classifier_messages` of the messages (a multi-line record's first line and
    exception lines, cut to `max_line_chars`); `write` gets the records whole."""
    started = time.perf_counter()
    batches = ((records, sources, classifier_messages(messages, max_line_chars), levels) for records, sources, messages, levels in batches)
    llm_before = cascade.llm_stats()
    summary = RunSummary()
    for records, sources, messages, levels, prepared in _prepared_ahead(batches, ahead):
        if levels is not None:  # only then: a cascade wrapper without `levels` still fits inputs without levels
            decisions = cascade.classify(sources, messages, prepared, levels=levels)  # type: ignore[call-arg]
        else:
            decisions = cascade.classify(sources, messages, prepared) if prepared else cascade.classify(sources, messages)
        write(records, decisions)
        summary.rows += len(records)
        summary.by_label.update(map(_label_of, decisions))
        summary.by_tier.update(map(_tier_of, decisions))
        if on_chunk:
            on_chunk(len(records))
    after = cascade.llm_stats()
    summary.llm = {k: after[k] - llm_before.get(k, 0) for k in after}
    summary.seconds = time.perf_counter() - started
    return summary


def _prepared_ahead(batches: Iterable[tuple], ahead: PrepareAhead | None) -> Iterator[tuple]:
    """The batches with their `Prepared` appended (None without `ahead`): the next batch is read and submitted
    before the current one's result is taken, so the worker always has the next chunk in hand."""
    if ahead is None:
        for batch in batches:
            yield *batch, None
        return
    queue: deque[tuple] = deque()
    for batch in batches:
        queue.append((batch, ahead.submit(batch[1], batch[2])))
        if len(queue) > 1:
            yield _taken(*queue.popleft())
    while queue:
        yield _taken(*queue.popleft())


def _taken(batch: tuple, future: Future[Prepared]) -> tuple:
    return *batch, future.result()
