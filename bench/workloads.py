"""Deterministic benchmark workloads, written as CSV files the CLI reads.

Repetitive logs are built the way real logs are: a fixed set of *template instances* (a phrasing
of `training/generate_dataset.py` with its words chosen: user names, services, paths, hosts)
whose variable parts (ids, numbers, IPs, UUIDs, timestamps, sizes) change on every row. So rows
are almost all distinct as text, while masking folds them into at most `instances` templates.
"""

from __future__ import annotations

import csv
import random
import re
from bisect import bisect_left
from collections.abc import Iterator
from pathlib import Path

from training.generate_dataset import LLM_SOURCE, MODERN_SOURCES, SLOTS, TEMPLATES

ROOT = Path(__file__).resolve().parent.parent

# Slots whose values the masking table turns into placeholders: they vary per row.
VARIABLE_SLOTS = {
    "uid",
    "ip",
    "n",
    "big",
    "id",
    "ver",
    "ms",
    "sec",
    "bytes",
    "pct",
    "lowpct",
    "mb",
    "gb",
    "cpu",
    "used",
    "uuid",
    "hex",
    "req",
    "ts",
    "status",
}
SLOT = re.compile(r"\{(\w+)\}")
POOL_SIZE = 4096  # pre-drawn values per variable slot; a row combines several, so rows rarely repeat


class TemplateInstance:
    """A phrasing with its fixed words filled in; `render` fills the variable slots per row."""

    def __init__(self, source: str, label: str, complexity: str, phrasing: str, rng: random.Random):
        self.source, self.label, self.complexity = source, label, complexity
        literals, slots, current, pos = [], [], "", 0
        text = phrasing.replace("{{", "\x00").replace("}}", "\x01")
        for m in SLOT.finditer(text):
            current += text[pos : m.start()]
            if m.group(1) in VARIABLE_SLOTS:
                literals.append(current)
                slots.append(m.group(1))
                current = ""
            else:
                current += SLOTS[m.group(1)](rng)
            pos = m.end()
        literals.append(current + text[pos:])
        self.literals = [_unescape(p) for p in literals]
        self.slots = slots

    def render(self, pools: dict[str, list[str]], rng: random.Random) -> str:
        literals, slots = self.literals, self.slots
        out = [literals[0]]
        for k, slot in enumerate(slots):
            out.append(pools[slot][rng.randrange(POOL_SIZE)])
            out.append(literals[k + 1])
        return "".join(out)


def _unescape(text: str) -> str:
    return text.replace("\x00", "{").replace("\x01", "}")


def instances(count: int, seed: int, llm_share: float = 0.0) -> list[TemplateInstance]:
    """`count` template instances; a share `llm_share` of them from the LLM-routed source."""
    rng = random.Random(seed)
    ml_keys = [k for k in TEMPLATES if k[1] != "llm"]
    llm_keys = [k for k in TEMPLATES if k[1] == "llm"]
    out = []
    n_llm = round(count * llm_share)
    for i in range(count):
        label, complexity = rng.choice(llm_keys if i < n_llm else ml_keys)
        source = LLM_SOURCE if complexity == "llm" else rng.choice(MODERN_SOURCES)
        out.append(TemplateInstance(source, label, complexity, rng.choice(TEMPLATES[(label, complexity)]), rng))
    return out


def pools(seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    return {slot: [SLOTS[slot](rng) for _ in range(POOL_SIZE)] for slot in sorted(VARIABLE_SLOTS)}


def rows(n: int, templates: int, seed: int, llm_row_share: float = 0.0) -> Iterator[tuple[str, str, str]]:
    """(source, log_message, gold label) rows; LLM-source instances get `llm_row_share` of rows.

    Instance popularity is skewed (Zipf-like), as in real logs where a few templates dominate.
    """
    rng = random.Random(seed)
    value_pools = pools(seed + 1)
    if llm_row_share:
        llm = instances(max(1, templates // 20), seed + 2, llm_share=1.0)
        ml = instances(templates - len(llm), seed + 3)
    else:
        llm, ml = [], instances(templates, seed + 3)
    ml_weights = [1.0 / (k + 1) ** 0.8 for k in range(len(ml))]
    cum = _cumulative(ml_weights)
    for _ in range(n):
        inst = llm[rng.randrange(len(llm))] if llm and rng.random() < llm_row_share else ml[bisect_left(cum, rng.random())]
        yield inst.source, inst.render(value_pools, rng), inst.label


def _cumulative(weights: list[float]) -> list[float]:
    total, acc, out = sum(weights), 0.0, []
    for w in weights:
        acc += w / total
        out.append(acc)
    out[-1] = 1.0
    return out


def write_csv(path: Path, n: int, templates: int, seed: int, llm_row_share: float = 0.0) -> Path:
    """Write the workload once; later runs reuse the file (same arguments -> same bytes)."""
    path = Path(path)
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["source", "log_message"])
        writer.writerows((s, m) for s, m, _ in rows(n, templates, seed, llm_row_share))
    tmp.replace(path)
    return path
