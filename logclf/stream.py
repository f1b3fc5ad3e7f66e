"""Bytes -> CSV chunks -> cascade -> CSV writer: the one path the CLI and the server share."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Protocol, TextIO

from logclf.csv_io import CsvReader, make_writer
from logclf.decision import Decision
from logclf.formats import renamed_input_columns


class Classifies(Protocol):
    """What `classify_csv` needs of a cascade (the server's per-request wrapper has the same two)."""

    def classify(self, sources: Sequence[str], messages: Sequence[str]) -> list[Decision]: ...

    def llm_stats(self) -> dict[str, int]: ...


EXPLAIN_COLUMNS = ["classified_by", "confidence", "reason"]
_label_of, _tier_of = attrgetter("label"), attrgetter("tier")


def explain_cells(decision: Decision) -> list[str]:
    """The `--explain` cells of one row (EXPLAIN_COLUMNS), as every engine writes them."""
    confidence = "" if decision.confidence is None else f"{decision.confidence:.4f}"
    return [decision.tier, confidence, decision.reason]


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
) -> RunSummary:
    """Classify a CSV stream chunk by chunk; memory is bounded by `chunk_rows`, not file size.

    `reader` is built first (`CsvReader(stream)`), so a bad header fails before any model work.
    Raises `UserError` for input a person must fix (possibly after some output was written:
    callers that need all-or-nothing write to a temporary file first).
    """
    started = time.perf_counter()
    llm_before = cascade.llm_stats()
    layout = reader.layout
    writer = make_writer(out, layout)
    added = ["target_label"] + (EXPLAIN_COLUMNS if explain else [])
    writer.writerow(renamed_input_columns(layout.header, added) + added)  # formats: never two columns of one name
    summary = RunSummary()
    source_of, message_of = itemgetter(layout.source_idx), itemgetter(layout.message_idx)
    for rows in reader.chunks():
        decisions = cascade.classify(list(map(source_of, rows)), list(map(message_of, rows)))
        labels = list(map(_label_of, decisions))
        if explain:
            writer.writerows(r + [d.label, *explain_cells(d)] for r, d in zip(rows, decisions, strict=False))
        else:
            for r, label in zip(rows, labels, strict=False):
                r.append(label)  # the chunk's rows are ours: extend them rather than copy each one
            writer.writerows(rows)
        summary.rows += len(rows)
        summary.by_label.update(labels)
        summary.by_tier.update(map(_tier_of, decisions))
        if on_chunk:
            on_chunk(len(rows))
    after = cascade.llm_stats()
    summary.llm = {k: after[k] - llm_before.get(k, 0) for k in after}
    summary.seconds = time.perf_counter() - started
    return summary
