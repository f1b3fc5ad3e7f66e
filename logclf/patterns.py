"""The patterns table: a run's rows grouped by masked template, with counts, so a person reviews a file by pattern.

A row's pattern is (source, template, label, deciding tier). The template is the masked one the
cascade already computed (`prepare`), so the table costs a `Counter` over each chunk and a few dict
updates per distinct pattern. Rows a regex rule decided have no template in the cascade, and masking
them here would cost the run about a third more masking (measured on the varied 1M-row workload):
their pattern is their rule, written `[rule <name>]` (the rule's name travels in the decision's
reason). Empty messages have the empty template. Label and tier are part of the key because a
template's rows can differ (a correction, or a rule firing on one raw line and not on another): each
line of the table has exactly one label and tier.

The table is counted per source (corrections are keyed by (source, template)), and listed merged:
a template whose rows come from several sources with the same label and tier is one line, its
`sources` (each with its count and first example) beside the joined `source` ("a;b"). The merge runs
when the table is listed, over the distinct patterns kept, never over rows.

Relabelling a pattern is one correction per source it spans (`POST /corrections` with that source and
its example): corrections are keyed on the masked template, so every row of a template pattern
follows. A rule's rows may span several templates: such a correction covers the example's template only.

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
from itertools import compress, repeat
from operator import is_
from typing import TYPE_CHECKING, TextIO

from logclf.decision import UNCLASSIFIED, Decision
from logclf.tiers.regex import RULE_REASON

if TYPE_CHECKING:
    from logclf.prepare import Prepared

PATTERN_COLUMNS = ["source", "template", "count", "target_label", "classified_by", "confidence", "example"]
SOURCES_SEP = ";"  # the CSV's `source` of a line spanning several sources: their names joined
OTHER = "(other patterns)"  # the template of the line the folded long tail is counted in
TEXT_MAX = 1000  # characters of a template or example kept (a 1 MB line must not make the table big)


def _cut(text: str) -> str:
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


def _is_cut(text: str) -> bool:
    return text.endswith("…") and len(text) == TEXT_MAX


@dataclass(slots=True, frozen=True)
class SourceCount:
    """One source's share of a listed line: its rows and its first example (what a correction of that source names)."""

    source: str
    count: int
    example: str


@dataclass(slots=True)
class Pattern:
    """A template's rows with one label and tier: of one source as counted, of every source it spans as listed."""

    source: str  # listed: the sources joined by SOURCES_SEP
    template: str
    target_label: str
    classified_by: str
    example: str  # the first row's message, as it appeared (cut at TEXT_MAX)
    count: int = 0
    confidence_rows: int = 0  # rows with a confidence (an LLM answer has none)
    confidence_sum: float = 0.0
    confidence_min: float | None = None
    first_row: int = 0  # the example's row in the run (the listed line's example is its sources' first)
    sources: tuple[SourceCount, ...] = ()  # listed lines only: each source, by name

    @property
    def confidence_mean(self) -> float | None:
        return self.confidence_sum / self.confidence_rows if self.confidence_rows else None

    @property
    def example_cut(self) -> bool:
        """An example was cut: a correction from it would name another template (relabel from a row instead)."""
        return _is_cut(self.example) or any(_is_cut(s.example) for s in self.sources)

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
        self._listed: tuple[list[Pattern], dict[tuple[str, str, str, str], int]] | None = None  # the merge, until the next add

    def add(
        self, sources: Sequence[str], messages: Sequence[str], templates: Sequence[str | None], decisions: Sequence[Decision]
    ) -> list[str]:
        """Count one chunk; `templates` are the cascade's (None where a rule decided or the message is empty).
        Returns every row's pattern template (`[rule <name>]` for a rule's rows), for callers that map rows to patterns."""
        filled = list(templates)
        if None in filled:  # the rows are found at C speed: a Python loop over every row would cost more than the rest
            rule_templates: dict[int, str] = {}  # by decision object: a rule's rows share one
            for i in compress(range(len(filled)), map(is_, filled, repeat(None))):
                decision = decisions[i]
                template = rule_templates.get(id(decision))
                if template is None:
                    template = self._template_for(messages[i], decision)
                    if decision.tier == "regex" and messages[i]:
                        rule_templates[id(decision)] = template
                filled[i] = template
        n_rows = len(filled)
        if not (len(sources) == len(messages) == len(decisions) == n_rows):
            raise ValueError("sources, messages, templates and decisions must have one entry per row")
        # One C-speed pass counts (source, template, decision object): decisions by identity, cheaper to hash
        # than the tuple (the cascade shares one object among a template's rows). zip objects, never a list of
        # per-row tuples: a list of them would wake the garbage collector over and over on a big chunk.
        decision_ids = list(map(id, decisions))
        counts = Counter(zip(sources, filled, decision_ids, strict=False))
        by_id = dict(zip(decision_ids, decisions, strict=False))
        firsts: dict[str, int] | None = None
        base = self.rows
        self.rows += n_rows
        self._listed = None
        table = self._patterns
        for (source, template, decision_id), n in counts.items():
            decision = by_id[decision_id]
            key = (source, _cut(template), decision.label, decision.tier)
            pattern = table.get(key)
            if pattern is None:
                if firsts is None:  # each template's first row, for the examples (a reversed pass: the last write wins)
                    firsts = dict(zip(reversed(filled), range(n_rows - 1, -1, -1), strict=False))
                if len(table) >= self.max_patterns:
                    self._fold()
                first = _first_row(firsts[template], source, template, decision, sources, filled, decisions)
                pattern = table[key] = Pattern(*key, example=_cut(messages[first]), first_row=base + first)
            pattern.count += n
            confidence = decision.confidence
            if confidence is not None:
                pattern.confidence_rows += n
                pattern.confidence_sum += confidence * n
                if pattern.confidence_min is None or confidence < pattern.confidence_min:
                    pattern.confidence_min = confidence
        return filled  # type: ignore[return-value]  # every slot is a str now

    def _template_for(self, message: str, decision: Decision) -> str:
        """The pattern of a row the cascade did not mask: its rule, '' when empty, else (rare) its masked line."""
        if not message or message.isspace():
            return ""
        if decision.tier == "regex" and decision.reason.startswith(RULE_REASON):
            return f"[{decision.reason}]"
        return self._template_of(message)  # a correction of a line a rule also matches

    def _fold(self) -> None:
        """The smaller half of the table into "other patterns": memory stays bounded, the sum stays right."""
        ranked = sorted(self._patterns.items(), key=lambda kv: kv[1].count)
        for key, pattern in ranked[: max(1, len(ranked) // 2)]:
            self.other_rows += pattern.count
            self.other_patterns += 1
            del self._patterns[key]

    def __len__(self) -> int:
        """Lines of the table as listed (a template spanning sources is one)."""
        return len(self.patterns())

    def patterns(self) -> list[Pattern]:
        """The listed lines, largest first (ties by source and template, so the order is stable); the "other" line is not included."""
        return self._list()[0]

    def source_patterns(self) -> list[Pattern]:
        """The patterns as counted, one per (source, template, label, tier), largest first."""
        return sorted(self._patterns.values(), key=lambda p: (-p.count, p.source, p.template, p.target_label, p.classified_by))

    def _list(self) -> tuple[list[Pattern], dict[tuple[str, str, str, str], int]]:
        """The merge across sources, over the distinct patterns kept (never the rows), cached until the next `add`:
        the listed lines, and each counted pattern's key -> its line's index."""
        if self._listed is not None:
            return self._listed
        groups: dict[tuple[str, str, str], list[tuple[tuple[str, str, str, str], Pattern]]] = {}
        for key, p in self._patterns.items():
            groups.setdefault((p.template, p.target_label, p.classified_by), []).append((key, p))
        lines: list[tuple[Pattern, list[tuple[str, str, str, str]]]] = []
        for (template, label, tier), parts in groups.items():
            parts.sort(key=lambda kp: kp[1].source)
            first = min((p for _, p in parts), key=lambda p: p.first_row)
            mins = [p.confidence_min for _, p in parts if p.confidence_min is not None]
            line = Pattern(
                SOURCES_SEP.join(p.source for _, p in parts),
                template,
                label,
                tier,
                first.example,
                count=sum(p.count for _, p in parts),
                confidence_rows=sum(p.confidence_rows for _, p in parts),
                confidence_sum=sum(p.confidence_sum for _, p in parts),
                confidence_min=min(mins) if mins else None,
                first_row=first.first_row,
                sources=tuple(SourceCount(p.source, p.count, p.example) for _, p in parts),
            )
            lines.append((line, [key for key, _ in parts]))
        lines.sort(key=lambda lk: (-lk[0].count, lk[0].source, lk[0].template, lk[0].target_label, lk[0].classified_by))
        index = {key: k for k, (_, keys) in enumerate(lines) for key in keys}
        self._listed = ([line for line, _ in lines], index)
        return self._listed

    def key_of(self, source: str, template: str, decision: Decision) -> tuple[str, str, str, str]:
        return (source, _cut(template), decision.label, decision.tier)

    def line_indices(self, sources: Sequence[str], templates: Sequence[str], decisions: Sequence[Decision]) -> list[int]:
        """Each row's index into `patterns()` (-1: folded into "other patterns"); `templates` as `add` returned them."""
        index = self._list()[1]
        return [index.get(self.key_of(s, t, d), -1) for s, t, d in zip(sources, templates, decisions, strict=True)]

    def largest(self, label: str, n: int = 5) -> list[Pattern]:
        return [p for p in self.patterns() if p.target_label == label][:n]

    def write_csv(self, out: TextIO) -> None:
        """PATTERN_COLUMNS, largest first, then the "other patterns" line when anything was folded.
        A line spanning several sources has their names joined by SOURCES_SEP in `source`."""
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


def _first_row(
    i: int, source: str, template: str, decision: Decision, sources: Sequence[str], filled: list[str], decisions: Sequence[Decision]
) -> int:
    """The first row of (source, template, decision) from the template's first row `i`: usually row i itself;
    when a template spans sources or decisions, the next rows of the template are scanned (`list.index`, C speed)."""
    while sources[i] != source or decisions[i] != decision:
        i = filled.index(template, i + 1)
    return i


def _cut_line(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class CollectPatterns:
    """A cascade that also fills a `PatternTable`, in the same pass: what `classify_any` is given instead
    of the cascade when a caller wants the table (the CLI's --patterns, the server's ?patterns=true)."""

    def __init__(self, cascade, table: PatternTable):
        self._cascade, self.table = cascade, table

    def classify(
        self, sources: Sequence[str], messages: Sequence[str], prepared: Prepared | None = None, levels: Sequence[object] | None = None
    ) -> list[Decision]:
        prepared = prepared or self._cascade.prepare(sources, messages)
        decisions = (
            self._cascade.classify(sources, messages, prepared)
            if levels is None
            else self._cascade.classify(sources, messages, prepared, levels=levels)
        )
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
