"""Corrections: a person marks a line's label once, and every line of that shape follows.

A correction is keyed by (source, template): the masked template of the corrected line, so one
correction covers every line that differs only in ids, numbers or addresses. `ANY_SOURCE` ("*")
applies it to every source. The override tier (`OverrideTier`) consults them before every other tier.

Two homes, one table:
- the server keeps them in SQLite (`CorrectionStore`, beside the LLM answer cache): safe for
  concurrent writers, survives restarts, and another process's writes are seen on the next batch;
- the CLI reads an overrides file (`--overrides FILE`, YAML, `load_overrides_file`), which the server
  exports (`GET /corrections/export`) so a team can review corrections like code.

Only the corrected line itself is stored; its template is computed with the current masking table
whenever the table is loaded, so a change of `masking.yaml` never leaves stale keys behind.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from logclf.decision import Batch, Decision
from logclf.errors import UserError
from logclf.sqlite_store import open_wal

ANY_SOURCE = "*"
TIER_NAME = "override"

Key = tuple[str, str]  # (source or ANY_SOURCE, template)


@dataclass(frozen=True)
class Correction:
    id: int
    source: str  # a source name, or ANY_SOURCE
    log_message: str  # the line a person corrected (kept as it was)
    template: str  # its masked template: what the correction matches
    target_label: str
    created: float


def check_label(label: str, labels: Sequence[str]) -> str:
    """The label, stripped, when it is in the taxonomy; otherwise a UserError listing the allowed ones."""
    label = (label or "").strip()
    if label not in labels:
        raise UserError(f"unknown label {label!r}; allowed: {', '.join(labels)}", http_status=422)
    return label


def normalise_source(source: str | None) -> str:
    source = (source or "").strip()
    return source or ANY_SOURCE


def lookup_table(corrections: Sequence[Correction]) -> dict[Key, str]:
    """(source, template) -> label; a later correction of the same key wins."""
    return {(c.source, c.template): c.target_label for c in corrections}


class OverrideTier:
    """Tier 0: labels a person set for a (source, template); `classified_by=override`.

    `table` returns the current lookup (it may change between batches: the server's store is edited
    while the service runs), so the tier reads it once per batch.
    """

    name = TIER_NAME

    def __init__(self, table: Callable[[], Mapping[Key, str]]):
        self._table = table
        self._decisions: dict[str, Decision] = {}

    def __len__(self) -> int:
        return len(self._table())

    def decide(self, batch: Batch) -> list[Decision | None]:
        table = self._table()
        if not table or batch.templates is None:
            return [None] * len(batch.messages)
        out: list[Decision | None] = []
        for source, template in zip(batch.sources, batch.templates, strict=True):
            label = table.get((source, template)) or table.get((ANY_SOURCE, template))
            out.append(None if label is None else self._decision(label))
        return out

    def _decision(self, label: str) -> Decision:
        decision = self._decisions.get(label)
        if decision is None:
            decision = self._decisions[label] = Decision(label, self.name, 1.0, "corrected by a person")
        return decision


# ----------------------------------------------------------------------------- the overrides file (CLI)


def load_overrides_file(path: Path, template_of: Callable[[str], str], labels: Sequence[str]) -> list[Correction]:
    """Corrections from a YAML overrides file (the format `export_yaml` writes).

    Each entry needs `log_message` (or, hand-written, a `template`) and `target_label`; `source` is
    optional (`*` or absent = any source). Errors name the file and the entry.
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UserError(f"{path}: not a readable YAML overrides file ({exc})") from None
    items = data.get("overrides") if isinstance(data, dict) else None
    if items is None and isinstance(data, dict) and not data:
        items = []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise UserError(f"{path}: expected a top-level 'overrides:' list of mappings")
    out = []
    for n, item in enumerate(items, start=1):
        label = item.get("target_label", item.get("label"))
        message = item.get("log_message")
        if label is None or (message is None and item.get("template") is None):
            raise UserError(f"{path}: override #{n} needs 'target_label' and 'log_message' (or 'template')")
        try:
            label = check_label(str(label), labels)
        except UserError as exc:
            raise UserError(f"{path}: override #{n}: {exc}") from None
        template = template_of(str(message)) if message is not None else str(item["template"])
        out.append(Correction(n, normalise_source(item.get("source")), str(message or template), template, label, 0.0))
    return out


def export_yaml(corrections: Sequence[Correction]) -> str:
    """The overrides file for `classify.py --overrides` (and for review in version control)."""
    entries = [
        {"source": c.source, "log_message": c.log_message, "template": c.template, "target_label": c.target_label} for c in corrections
    ]
    header = (
        "# Corrections for logclf: classify.py --overrides FILE applies them before every other tier.\n"
        "# Each matches lines of the same masked template (source '*' = any source); 'template' is informational:\n"
        "# it is recomputed from log_message with the masking table in use.\n"
    )
    return header + yaml.safe_dump({"overrides": entries}, sort_keys=False, allow_unicode=True, width=1000)


def export_csv(corrections: Sequence[Correction]) -> str:
    """A labelled CSV (`source, log_message, target_label`) for `logclf train --corrections`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "log_message", "target_label"])
    writer.writerows([c.source, c.log_message, c.target_label] for c in corrections)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- the store (server)


class CorrectionStore:
    """Corrections in SQLite: one row per (source, template); re-correcting a template replaces its label.

    Several processes may write (WAL, busy timeout); `table()` notices another connection's commit
    through `PRAGMA data_version` and reloads, so every worker applies a correction on its next batch.
    """

    def __init__(self, path: Path, template_of: Callable[[str], str], labels: Sequence[str]):
        self.path = Path(path)
        self._template_of, self._labels = template_of, list(labels)
        self._lock = threading.Lock()
        try:
            self._db = open_wal(self.path, isolation_level=None)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS corrections (id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, "
                "template TEXT NOT NULL, log_message TEXT NOT NULL, target_label TEXT NOT NULL, created REAL NOT NULL, "
                "UNIQUE (source, template))"
            )
        except (OSError, sqlite3.Error) as exc:
            raise UserError(f"corrections store {self.path}: cannot open it ({exc}); set CORRECTIONS_PATH to a writable file") from None
        self._version: tuple[int, int] | None = None
        self._table: dict[Key, str] = {}

    def add(self, source: str | None, log_message: str, target_label: str) -> Correction:
        """Store a correction (or replace the label of the same source and template); the stored row."""
        if not log_message or not log_message.strip():
            raise UserError("log_message is empty: give the line whose label you are correcting", http_status=422)
        label = check_label(target_label, self._labels)
        source = normalise_source(source)
        template = self._template_of(log_message)
        with self._lock:
            row = self._db.execute(
                "INSERT INTO corrections (source, template, log_message, target_label, created) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (source, template) DO UPDATE SET log_message = excluded.log_message, "
                "target_label = excluded.target_label, created = excluded.created RETURNING id, created",
                (source, template, log_message, label, time.time()),
            ).fetchone()
        return Correction(row[0], source, log_message, template, label, row[1])

    def list(self) -> list[Correction]:
        with self._lock:
            rows = self._db.execute("SELECT id, source, log_message, target_label, created FROM corrections ORDER BY id").fetchall()
        # the template is recomputed with today's masking table (see the module docstring)
        return [Correction(i, s, m, self._template_of(m), label, created) for i, s, m, label, created in rows]

    def delete(self, correction_id: int) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM corrections WHERE id = ?", (correction_id,)).rowcount > 0

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM corrections").fetchone()[0])

    def table(self) -> dict[Key, str]:
        """The lookup for the override tier, reloaded only when the database changed."""
        with self._lock:
            version = self._db.execute("PRAGMA data_version").fetchone()[0]
            total_changes = self._db.total_changes
            stamp = (version, total_changes)  # data_version: other connections; total_changes: ours
            if stamp == self._version:
                return self._table
        self._table = lookup_table(self.list())
        self._version = stamp
        return self._table

    def close(self) -> None:
        with self._lock:
            self._db.close()


# ----------------------------------------------------------------------------- training (train.py --corrections)


def load_corrections_for_training(path: Path, template_of: Callable[[str], str], labels: Sequence[str]) -> list[Correction]:
    """Corrections from an export: the overrides YAML, or the labelled CSV (`source, log_message, target_label`)."""
    if Path(path).suffix.lower() not in (".csv", ".tsv"):
        return load_overrides_file(path, template_of, labels)
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t" if str(path).lower().endswith(".tsv") else ","))
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UserError(f"{path}: not a readable UTF-8 CSV ({exc})") from None
    out = []
    for n, row in enumerate(rows, start=2):
        if not row.get("log_message") or not row.get("target_label"):
            raise UserError(f"{path}: line {n}: needs log_message and target_label (columns source, log_message, target_label)")
        try:
            label = check_label(row["target_label"], labels)
        except UserError as exc:
            raise UserError(f"{path}: line {n}: {exc}") from None
        message = row["log_message"]
        out.append(Correction(n, normalise_source(row.get("source")), message, template_of(message), label, 0.0))
    return out


def apply_corrections(df, corrections: Sequence[Correction], template_of: Callable[[str], str]):
    """Training rows with the corrections in: (frame, rows added, rows relabelled).

    A correction outweighs generated lines of its template: rows of the same template (and source,
    unless the correction is for any source) take the corrected label, and the corrected line is added.
    """
    import pandas as pd

    table = lookup_table(corrections)
    if not table:
        return df, 0, 0
    templates = df["log_message"].map(template_of)
    corrected = [
        table.get((source, template)) or table.get((ANY_SOURCE, template)) for source, template in zip(df["source"], templates, strict=True)
    ]
    new_labels = pd.Series(corrected, index=df.index)
    changed = new_labels.notna() & (new_labels != df["target_label"])
    out = df.copy()
    out.loc[changed, "target_label"] = new_labels[changed]
    added = pd.DataFrame(
        {
            "source": [c.source for c in corrections],
            "log_message": [c.log_message for c in corrections],
            "target_label": [c.target_label for c in corrections],
        }
    )
    for column in out.columns.difference(added.columns):
        # family groups (the corpus's calibration folds): corrections are a group of their own
        added[column] = "corrections" if column in ("family", "group") else ""
    return pd.concat([out, added[out.columns]], ignore_index=True), len(added), int(changed.sum())
