"""The one way this project opens its small SQLite stores (LLM answers, corrections, embeddings) and
looks up many keys in them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

_MAX_VARIABLES = 500  # keys per query: well under SQLite's limit on bound variables


def open_wal(path: Path, **options) -> sqlite3.Connection:
    """A connection shared by threads (callers hold their own lock), in WAL mode so readers never block
    the writer, waiting up to 30 s for another process's write; the directory is created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), check_same_thread=False, timeout=30, **options)
    db.execute("PRAGMA journal_mode=WAL")
    return db


def select_in(db: sqlite3.Connection, sql: str, keys: Sequence, *params) -> Iterator[tuple]:
    """The rows of `sql` for every key: `sql` says `IN ({marks})` where the keys go, and `params` bind
    the placeholders before it. Keys are sent in batches SQLite accepts."""
    for start in range(0, len(keys), _MAX_VARIABLES):
        part = list(keys[start : start + _MAX_VARIABLES])
        yield from db.execute(sql.format(marks=",".join("?" * len(part))), [*params, *part])
