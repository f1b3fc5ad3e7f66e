"""Embeddings that survive the process: a template embedded by one run is read back by the next.

Embedding a new template is the costliest step of the cascade (tens of milliseconds on two cores; the
rules, masking and the classifier head are microseconds), and the templates of a service's logs barely
change from one day's file to the next. So the embedder keeps what it computed in a small SQLite file
(`EMBED_CACHE_PATH`, at most `EMBED_CACHE_ROWS` vectors, oldest dropped first).

- Keys are SHA-256 digests of the text: no log text is written to disk.
- Vectors are stored as the exact float32 bytes, so a cached run gives the same labels as a cold one.
- A namespace (model, backend, truncation, the weights file's identity) separates embeddings that
  differ: a re-export or another backend never reads another's vectors.
- A cache that cannot be opened or read is a warning, never a failed run: the embedder just computes.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from logclf.sqlite_store import open_wal, select_in

log = logging.getLogger("logclf.vector_cache")


class VectorCache:
    def __init__(self, path: Path, namespace: str, dimension: int, max_rows: int):
        self.path, self.namespace, self.dimension, self.max_rows = path, namespace, dimension, max_rows
        self._lock = threading.Lock()
        self._db = open_wal(path)
        with self._lock, self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (ns TEXT NOT NULL, key BLOB NOT NULL, vec BLOB NOT NULL, UNIQUE (ns, key))"
            )

    @classmethod
    def open(cls, path: Path, namespace: str, dimension: int, max_rows: int) -> VectorCache | None:
        """The cache, or None (with one warning) when it cannot be used."""
        if max_rows <= 0:
            return None
        try:
            return cls(path, namespace, dimension, max_rows)
        except (OSError, sqlite3.Error) as e:
            log.warning("embedding cache %s unusable (%s): embedding without it", path, e)
            return None

    @staticmethod
    def _key(text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:16]

    def get_many(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vector of each text that has one."""
        by_key = {self._key(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        with self._lock:
            sql = "SELECT key, vec FROM vectors WHERE ns = ? AND key IN ({marks})"
            for key, blob in select_in(self._db, sql, list(by_key), self.namespace):
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape == (self.dimension,):  # anything else is not ours: recompute it
                    found[by_key[key]] = vector
        return found

    def put_many(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        if not len(texts):
            return
        rows = [
            (self.namespace, self._key(t), np.ascontiguousarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors, strict=True)
        ]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors (ns, key, vec) VALUES (?, ?, ?)", rows)
            (count,) = self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()
            if count > self.max_rows:  # oldest first; drop a tenth more so this runs rarely
                excess = count - self.max_rows + self.max_rows // 10
                self._db.execute("DELETE FROM vectors WHERE rowid IN (SELECT rowid FROM vectors ORDER BY rowid LIMIT ?)", (excess,))

    def close(self) -> None:
        with self._lock:
            self._db.close()
