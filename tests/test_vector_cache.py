"""The embedding cache (logclf/vector_cache.py): exact vectors back, namespaces apart, bounded, never fatal,
and a cached run labels every row as a cold one does."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from logclf.vector_cache import VectorCache

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = [
    "Accepted password for <ID> from <IP> port <NUM> ssh2",
    "Disk usage on /var reached <NUM>%",
    "User <NUM> updated billing address",
    "nova.compute.manager [instance: <UUID>] Terminating instance",
    "naïve ünïcode line ✓",
]


def vectors(n: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)


def test_vectors_come_back_bit_for_bit_and_only_in_their_namespace(tmp_path):
    path = tmp_path / "e.sqlite3"
    a = VectorCache(path, "model|onnx-int8|128|x", 8, 100)
    v = vectors(len(TEMPLATES))
    a.put_many(TEMPLATES, v)
    got = a.get_many(TEMPLATES + ["never stored"])
    assert set(got) == set(TEMPLATES)
    assert all(np.array_equal(got[t], v[i]) for i, t in enumerate(TEMPLATES))
    other = VectorCache(path, "model|onnx|128|x", 8, 100)  # another backend: the same texts are not its vectors
    assert other.get_many(TEMPLATES) == {}
    wrong_shape = VectorCache(path, "model|onnx-int8|128|x", 16, 100)  # a vector of another size is never returned
    assert wrong_shape.get_many(TEMPLATES) == {}


def test_no_log_text_is_written_to_disk(tmp_path):
    path = tmp_path / "e.sqlite3"
    cache = VectorCache(path, "ns", 8, 100)
    cache.put_many(["secret-host-name-4242 rejected"], vectors(1))
    cache.close()
    assert b"secret-host-name-4242" not in path.read_bytes()


def test_the_cache_is_bounded_and_drops_the_oldest_first(tmp_path):
    cache = VectorCache(tmp_path / "e.sqlite3", "ns", 8, max_rows=50)
    texts = [f"template {i}" for i in range(200)]
    for start in range(0, 200, 20):
        cache.put_many(texts[start : start + 20], vectors(20, seed=start))
    (count,) = sqlite3.connect(tmp_path / "e.sqlite3").execute("SELECT COUNT(*) FROM vectors").fetchone()
    assert count <= 50
    kept = cache.get_many(texts)
    assert "template 199" in kept and "template 0" not in kept


def test_an_unusable_cache_is_a_warning_not_a_failure(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert VectorCache.open(blocker / "e.sqlite3", "ns", 8, 100) is None  # its directory cannot be created
    assert "unusable" in caplog.text
    assert VectorCache.open(tmp_path / "e.sqlite3", "ns", 8, 0) is None  # 0 rows = off


def test_the_embedder_computes_each_text_once_across_instances(embedder, tmp_path):
    """A second embedder (a new process, in effect) reads the first one's vectors instead of computing them."""
    from logclf.embedding import Embedder

    first = Embedder(backend=embedder.backend, max_seq_length=embedder.max_seq_length)
    first.cache = VectorCache(tmp_path / "e.sqlite3", first.cache_namespace, first.dimension, 1000)
    cold = first.encode(TEMPLATES + TEMPLATES[:2])  # duplicates are computed once
    second = Embedder(backend=embedder.backend, max_seq_length=embedder.max_seq_length)
    second.cache = VectorCache(tmp_path / "e.sqlite3", second.cache_namespace, second.dimension, 1000)
    computed: list[str] = []
    compute = second._compute
    second._compute = lambda texts: computed.extend(texts) or compute(texts)  # type: ignore[method-assign]
    warm = second.encode(TEMPLATES[::-1] + ["a line nobody embedded yet"])
    assert computed == ["a line nobody embedded yet"]
    assert np.array_equal(warm[: len(TEMPLATES)][::-1], cold[: len(TEMPLATES)])
    assert np.array_equal(warm[-1], embedder.encode(["a line nobody embedded yet"])[0])


def test_a_broken_cache_file_falls_back_to_computing(embedder, tmp_path, caplog):
    from logclf.embedding import Embedder

    e = Embedder(backend=embedder.backend, max_seq_length=embedder.max_seq_length)
    e.cache = VectorCache(tmp_path / "e.sqlite3", e.cache_namespace, e.dimension, 1000)
    e.cache._db.execute("DROP TABLE vectors")  # what a damaged or foreign file looks like to a query
    out = e.encode(TEMPLATES)
    assert np.array_equal(out, embedder.encode(TEMPLATES))
    assert e.cache is None and "embedding without it" in caplog.text


@pytest.mark.slow
def test_a_cached_cli_run_labels_every_row_as_the_cold_run_does(tmp_path):
    """The real CLI twice on the same file with one cache: identical output, and the second run reads the
    vectors back (its cache file does not grow)."""
    src = ROOT / "resources" / "test.csv"
    env = {**os.environ, "EMBED_CACHE_PATH": str(tmp_path / "e.sqlite3"), "GROQ_API_KEY": ""}
    outputs, sizes = [], []
    for run in ("cold", "warm"):
        out = tmp_path / f"{run}.csv"
        done = subprocess.run(
            [sys.executable, "classify.py", str(src), "-o", str(out), "--no-llm", "-q", "--explain"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        with open(out, encoding="utf-8", newline="") as f:
            outputs.append(list(csv.reader(f)))
        (count,) = sqlite3.connect(tmp_path / "e.sqlite3").execute("SELECT COUNT(*) FROM vectors").fetchone()
        sizes.append(count)
    assert outputs[0] == outputs[1]
    assert sizes[0] > 0 and sizes[1] == sizes[0]
