"""The patterns table: a run's rows grouped by masked template, with counts, so a person reviews a file by pattern.

A row's pattern is (source, masked template, label, deciding tier). The masked template is the one
the cascade already computes (`prepare`), so the table costs a `Counter` over each chunk and a few
dict updates per distinct pattern. Rows a regex rule decided have no template in the cascade: their
pattern is their masked line too (masked here), because that is what a correction is keyed on: the
patterns view relabels a pattern with one correction (`POST /corrections`), and every row of it follows.
Label and tier are part of the key because a template's rows can differ (a rule fires on one line's
raw text and not on another's): each line of the table then has exactly one label and tier.

Memory is bounded by `max_patterns` (PATTERNS_MAX): when a new pattern arrives at the cap, the
smaller half of the table folds into one "other patterns" line that keeps their rows' count, so the
counts always sum to the rows seen. Below the cap every count is exact; past it a pattern folded
while small and seen again starts a new count. Templates and examples are kept to TEXT_MAX characters.
"""

from __future__ import annotations

import csv
import secrets
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from logclf.decision import UNCLASSIFIED, Decision

if TYPE_CHECKING:
    from logclf.prepare import Prepared

PATTERN_COLUMNS = ["source", "template", "count", "target_label", "classified_by", "confidence", "example"]
OTHER = "(other patterns)"  # the template of the line the folded long tail is counted in
TEXT_MAX = 1000  # characters of a template or example kept (a 1 MB line must not make the table big)


def _cut(text: str) -> str:
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


@dataclass(slots=True)
class Pattern:
    """One line of the table: a template's rows with one label and tier."""

    source: str
    template: str
    target_label: str
    classified_by: str
    example: str  # the first row's message, as it appeared (cut at TEXT_MAX)
    count: int = 0
    confidence_rows: int = 0  # rows with a confidence (an LLM answer has none)
    confidence_sum: float = 0.0
    confidence_min: float | None = None

    @property
    def confidence_mean(self) -> float | None:
        return self.confidence_sum / self.confidence_rows if self.confidence_rows else None

    @property
    def example_cut(self) -> bool:
        return self.example.endswith("…") and len(self.example) == TEXT_MAX

    def confidence_text(self) -> str:
        """One figure when the rows agree, else `min/mean`."""
        low, mean = self.confidence_min, self.confidence_mean
        if low is None or mean is None:
            return ""
        return f"{low:.4f}" if abs(mean - low) < 5e-5 else f"{low:.4f}/{mean:.4f}"


class PatternTable:
    """Rows per pattern for one run, fed chunk by chunk (`add`), bounded by `max_patterns`."""

    def __init__(self, template_of: Callable[[str], str], max_patterns: int = 10_000):
        if max_patterns < 1:
            raise ValueError("max_patterns must be at least 1")
        self._template_of = template_of
        self.max_patterns = max_patterns
        self._patterns: dict[tuple[str, str, str, str], Pattern] = {}
        self.rows = 0
        self.other_rows = 0  # rows of the patterns folded into "other patterns"
        self.other_patterns = 0  # how many patterns were folded (a pattern folded twice counts twice)

    def add(
        self, sources: Sequence[str], messages: Sequence[str], templates: Sequence[str | None], decisions: Sequence[Decision]
    ) -> list[str]:
        """Count one chunk; `templates` are the cascade's (None where a rule decided or the message is empty).
        Returns every row's template (rules' rows masked here), for callers that map rows to patterns."""
        filled = list(templates)
        if None in filled:
            template_of = self._template_of
            for i, t in enumerate(filled):
                if t is None:
                    m = messages[i]
                    filled[i] = template_of(m) if m and not m.isspace() else ""
        keys = list(zip(sources, filled, decisions, strict=True))
        counts = Counter(keys)
        self.rows += len(keys)
        table = self._patterns
        firsts: dict | None = None
        for row_key, n in counts.items():
            source, template, decision = row_key
            key = (source, _cut(template), decision.label, decision.tier)
            pattern = table.get(key)
            if pattern is None:
                if firsts is None:  # each key's first row: the last write of a reversed pass wins
                    firsts = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
                if len(table) >= self.max_patterns:
                    self._fold()
                pattern = table[key] = Pattern(*key, example=_cut(messages[firsts[row_key]]))
            pattern.count += n
            confidence = decision.confidence
            if confidence is not None:
                pattern.confidence_rows += n
                pattern.confidence_sum += confidence * n
                if pattern.confidence_min is None or confidence < pattern.confidence_min:
                    pattern.confidence_min = confidence
        return filled  # type: ignore[return-value]  # every slot is a str now

    def _fold(self) -> None:
        """The smaller half of the table into "other patterns": memory stays bounded, the sum stays right."""
        ranked = sorted(self._patterns.items(), key=lambda kv: kv[1].count)
        for key, pattern in ranked[: max(1, len(ranked) // 2)]:
            self.other_rows += pattern.count
            self.other_patterns += 1
            del self._patterns[key]

    def __len__(self) -> int:
        return len(self._patterns)

    def patterns(self) -> list[Pattern]:
        """Largest first (ties by source and template, so the order is stable); the "other" line is not included."""
        return sorted(self._patterns.values(), key=lambda p: (-p.count, p.source, p.template, p.target_label, p.classified_by))

    def key_of(self, source: str, template: str, decision: Decision) -> tuple[str, str, str, str]:
        return (source, _cut(template), decision.label, decision.tier)

    def largest(self, label: str, n: int = 5) -> list[Pattern]:
        return [p for p in self.patterns() if p.target_label == label][:n]

    def write_csv(self, out: TextIO) -> None:
        """PATTERN_COLUMNS, largest first, then the "other patterns" line when anything was folded."""
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(PATTERN_COLUMNS)
        for p in self.patterns():
            writer.writerow([p.source, p.template, p.count, p.target_label, p.classified_by, p.confidence_text(), p.example])
        if self.other_rows:
            writer.writerow(["*", f"{OTHER}: {self.other_patterns} folded", self.other_rows, "", "", "", ""])

    def summary_text(self, n: int = 5) -> str:
        """The stderr summary's lines on the largest Unclassified patterns ('' when there are none)."""
        top = self.largest(UNCLASSIFIED, n)
        if not top:
            return ""
        lines = [f"  largest {UNCLASSIFIED} patterns ({len(self)} patterns in all):"]
        lines += [f"  {p.count:>10}  {p.source}: {_cut_line(p.template)}" for p in top]
        return "\n".join(lines)


def _cut_line(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class CollectPatterns:
    """A cascade that also fills a `PatternTable`, in the same pass: what `classify_any` is given instead
    of the cascade when a caller wants the table (the CLI's --patterns, the server's ?patterns=true)."""

    def __init__(self, cascade, table: PatternTable):
        self._cascade, self.table = cascade, table

    def classify(self, sources: Sequence[str], messages: Sequence[str], prepared: Prepared | None = None) -> list[Decision]:
        prepared = prepared or self._cascade.prepare(sources, messages)
        decisions = self._cascade.classify(sources, messages, prepared)
        self.table.add(sources, messages, prepared.templates, decisions)
        return decisions

    def prepare(self, sources: Sequence[str], messages: Sequence[str]) -> Prepared:
        return self._cascade.prepare(sources, messages)

    def llm_stats(self) -> dict[str, int]:
        return self._cascade.llm_stats()


class RecentPatterns:
    """The server's last `keep` patterns tables, by an unguessable token (`GET /patterns/{token}`).

    An upload's table is only useful right after it (the web page asks for it at once), so the store is
    a small LRU: memory is at most `keep` tables of PATTERNS_MAX lines each.
    """

    def __init__(self, keep: int = 16):
        self.keep = keep
        self._tables: OrderedDict[str, PatternTable] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, table: PatternTable) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._tables[token] = table
            while len(self._tables) > self.keep:
                self._tables.popitem(last=False)
        return token

    def get(self, token: str) -> PatternTable | None:
        with self._lock:
            table = self._tables.get(token)
            if table is not None:
                self._tables.move_to_end(token)
            return table
