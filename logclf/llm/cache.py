"""A persistent answer cache, so a file classified once costs nothing the second time (even in a new process)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

from logclf.sqlite_store import open_wal, select_in


class AnswerCache:
    """Key -> label answers that survive restarts (SQLite, one small table). Keys are built by the tier
    (provider, model, prompt version, taxonomy, source, template); only labels are stored, never log text."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._db = open_wal(path)
        with self._lock, self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, label TEXT NOT NULL, created REAL)")

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        with self._lock:
            return dict(select_in(self._db, "SELECT key, label FROM answers WHERE key IN ({marks})", keys))

    def put_many(self, items: dict[str, str]) -> None:
        if items:
            now = time.time()
            with self._lock, self._db:
                self._db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", [(k, v, now) for k, v in items.items()])

    def close(self) -> None:
        with self._lock:
            self._db.close()
