"""A persistent answer cache, so a file classified once costs nothing the second time (even in a new process)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path


class AnswerCache:
    """Key -> label answers that survive restarts (SQLite, one small table). Keys are built by the tier
    (provider, model, prompt version, taxonomy, source, template); only labels are stored, never log text."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, label TEXT NOT NULL, created REAL)")

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                part = list(keys[i : i + 500])
                marks = ",".join("?" * len(part))
                found.update(self._db.execute(f"SELECT key, label FROM answers WHERE key IN ({marks})", part).fetchall())
        return found

    def put_many(self, items: dict[str, str]) -> None:
        if items:
            now = time.time()
            with self._lock, self._db:
                self._db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", [(k, v, now) for k, v in items.items()])

    def close(self) -> None:
        with self._lock:
            self._db.close()
