"""The ONNX export is built on first use: once, atomically, and safely when processes start together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from logclf.onnx_export import MANIFEST_FILE, is_complete

pytestmark = pytest.mark.slow

BUILD = (
    "import sys; from pathlib import Path; from logclf.onnx_export import ensure_export; ensure_export(Path(sys.argv[1]), quantize=False)"
)


def _build(target: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", BUILD, str(target)], stderr=subprocess.PIPE, text=True)


def _partials(parent: Path) -> list[Path]:
    return sorted(parent.glob(".partial-*"))


def test_killed_build_leaves_nothing_and_concurrent_builds_export_once(tmp_path):
    target = tmp_path / "onnx"
    # 1. A build killed half-way leaves no export behind (only a temporary sibling).
    victim = _build(target)
    deadline = time.monotonic() + 120
    while not _partials(tmp_path) and victim.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _partials(tmp_path), "the build never started writing"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    assert not target.exists()

    # 2. Two processes that start together: one builds, the other waits for it; both succeed.
    first, second = _build(target), _build(target)
    errors = [p.communicate(timeout=600)[1] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], errors
    assert sum("building the ONNX export" in e for e in errors) == 1, errors
    assert is_complete(target) and (target / MANIFEST_FILE).is_file()
    assert not _partials(tmp_path)  # the killed build's leftovers were cleared


def test_embedder_builds_a_missing_export_on_first_use(tmp_path, monkeypatch):
    """The Embedder asks for the export itself; here the build is replaced by a copy of a real one."""
    import shutil

    from logclf import embedding, onnx_export
    from logclf.onnx_export import default_onnx_dir, ensure_export

    real = ensure_export(default_onnx_dir())
    calls = []

    def copy_export(model: str, output: Path, quantize: bool = True) -> Path:
        calls.append(output)
        shutil.copytree(real, output, dirs_exist_ok=True)
        return output

    monkeypatch.setattr(onnx_export, "export", copy_export)
    target = tmp_path / "first-use"
    first = embedding.Embedder(backend="onnx", onnx_dir=target)
    second = embedding.Embedder(backend="onnx", onnx_dir=target)
    assert len(calls) == 1 and is_complete(target)
    assert first.encode(["disk full on /var"]).shape == second.encode(["disk full on /var"]).shape == (1, 384)
