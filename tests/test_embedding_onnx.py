"""The ONNX backends of Embedder compute what the torch reference computes, without torch.

They run on the export `make onnx` builds in models/onnx/ (built here once if missing).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from logclf.embedding import DEFAULT_MAX_SEQ_LENGTH, MANIFEST_FILE, Embedder, OnnxExportMissingError
from logclf.errors import UserError
from logclf.onnx_export import default_onnx_dir
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # runs the CLI, a server or the model

LINES = [
    "User User42 logged in.",
    "Kernel panic on node db-07: unable to mount root fs",
    'nova.osapi_compute.wsgi.server [req-<UUID> <ID> <ID> - - -] <IP> "GET /v2/servers/detail HTTP/1.1" status: <NUM>',
    "Hey bro chill ya!",
    "Failed to send notification email: SMTP connection refused " * 20,  # longer than max_seq_length
    "x",
]


@pytest.fixture(scope="session")
def onnx_export():
    from logclf.onnx_export import ensure_export

    return ensure_export(default_onnx_dir())


@pytest.fixture(scope="module")
def torch_embedder():
    """The reference every ONNX backend is held to: sentence-transformers on torch."""
    return Embedder(backend="torch", max_seq_length=DEFAULT_MAX_SEQ_LENGTH)


@pytest.fixture(scope="session")
def onnx_fp32(onnx_export):
    return Embedder(backend="onnx", max_seq_length=DEFAULT_MAX_SEQ_LENGTH, onnx_dir=onnx_export)


def test_token_counts_agree_between_backends_and_truncate(onnx_fp32, torch_embedder):
    """What the benchmark's FLOP count reads: both tokenizers count alike, [CLS] and [SEP] included, and stop at the cap."""
    lines = [*LINES, "word " * 400]
    counts = onnx_fp32.token_counts(lines)
    assert counts == torch_embedder.token_counts(lines)
    assert counts[-1] == DEFAULT_MAX_SEQ_LENGTH and min(counts) >= 3


def test_onnx_fp32_matches_torch(onnx_fp32, torch_embedder):
    reference, vectors = torch_embedder.encode(LINES), onnx_fp32.encode(LINES)
    assert vectors.shape == reference.shape and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert (vectors * reference).sum(axis=1).min() >= 0.99


def test_onnx_int8_stays_close_to_torch(onnx_export, torch_embedder):
    int8 = Embedder(backend="onnx-int8", onnx_dir=onnx_export)
    cosine = (int8.encode(LINES) * torch_embedder.encode(LINES)).sum(axis=1)
    assert cosine.min() >= 0.8 and cosine.mean() >= 0.9


def test_padding_and_order_do_not_change_a_vector(onnx_fp32):
    """Each line alone equals the same line inside a padded, length-sorted batch, in input order."""
    batch = onnx_fp32.encode(LINES)
    alone = np.vstack([onnx_fp32.encode([line]) for line in LINES])
    assert (batch * alone).sum(axis=1).min() >= 0.9999
    assert onnx_fp32.encode([]).shape == (0, onnx_fp32.dimension)


def test_parallel_batches_give_the_same_vectors_in_input_order(onnx_export):
    """Several small batches run at once on the shared session: same vectors as one at a time."""
    lines = LINES * 3 + [f"Disk usage on node-{i} at {i}%" for i in range(10)]
    serial = Embedder(backend="onnx", batch_size=2, threads=1, onnx_dir=onnx_export).encode(lines)
    parallel = Embedder(backend="onnx", batch_size=2, threads=3, onnx_dir=onnx_export).encode(lines)
    assert (serial * parallel).sum(axis=1).min() >= 0.9999


def test_missing_export_names_the_command(tmp_path):
    with pytest.raises(OnnxExportMissingError, match="logclf export-onnx") as info:
        Embedder(backend="onnx", onnx_dir=tmp_path / "nowhere", build_missing=False)
    assert isinstance(info.value, UserError)  # the CLI and server turn it into a one-line message


def test_export_of_another_model_is_refused(onnx_export, tmp_path):
    copy = tmp_path / "onnx"
    shutil.copytree(onnx_export, copy)
    manifest = json.loads((copy / MANIFEST_FILE).read_text())
    (copy / MANIFEST_FILE).write_text(json.dumps({**manifest, "model_id": "someone/other-model"}))
    with pytest.raises(OnnxExportMissingError, match="re-export"):
        Embedder(backend="onnx", onnx_dir=copy)


def test_unknown_backend_is_refused():
    with pytest.raises(UserError, match="onnx-int8"):
        Embedder(backend="tensorflow")


@pytest.mark.parametrize("backend", ["", "onnx"])  # "": the shipped bundle's own (runtime_backend)
def test_onnx_cascade_never_imports_torch(onnx_export, backend):
    """The point of the ONNX path at run time: no torch / sentence-transformers import (seconds)."""
    code = (
        "import sys\n"
        "from logclf.cascade import Cascade\n"
        "from logclf.settings import Settings\n"
        f"c = Cascade.from_settings(Settings(embedding_backend={backend!r}, llm_enabled=False))\n"
        "print(c.classify(['ModernCRM'], ['Kernel panic on node db-07: unable to mount root fs'])[0].label)\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    label, imported = proc.stdout.strip().splitlines()[-2:]
    assert label == "Critical Error"
    assert imported == "[]"


def test_runtime_backend_serves_fp32_bundles_on_onnx_only_when_the_export_exists(tmp_path, onnx_export):
    from logclf.embedding import runtime_backend

    assert runtime_backend("torch", onnx_dir=tmp_path) == "torch"  # no export: same vectors via torch
    assert runtime_backend("onnx", onnx_dir=tmp_path) == "torch"
    assert runtime_backend("onnx-int8", onnx_dir=tmp_path) == "onnx-int8"  # int8 vectors differ: no fallback
    assert runtime_backend("torch", requested="onnx-int8", onnx_dir=tmp_path) == "onnx-int8"  # explicit wins
    assert runtime_backend("torch", onnx_dir=onnx_export) == "onnx"
    assert runtime_backend("torch", model="/some/other/model", onnx_dir=onnx_export) == "torch"  # export is of another model


def test_an_int8_vector_does_not_depend_on_its_batch(onnx_export):
    """Dynamic quantisation scales activations per run: int8 runs one line at a time, so a template's
    vector (and so its label) is the same alone, in any batch and in any order."""
    int8 = Embedder(backend="onnx-int8", batch_size=32, onnx_dir=onnx_export)
    assert int8.batch_size == 1
    alone = np.vstack([int8.encode([line]) for line in LINES])
    assert np.array_equal(int8.encode(LINES), alone)
    assert np.array_equal(int8.encode(LINES[::-1])[::-1], alone)


def test_a_bundle_is_served_with_the_truncation_it_was_fitted_with(onnx_export):
    """MAX_SEQ_LENGTH unset: the bundle's length (long lines embed differently at other lengths); set: it wins."""
    from logclf.settings import Settings

    fitted_64 = Embedder.from_settings(Settings(max_seq_length=0, embed_cache_rows=0), "onnx-int8", "", 64)
    assert fitted_64.max_seq_length == 64
    assert Embedder.from_settings(Settings(max_seq_length=0, embed_cache_rows=0), "onnx-int8").max_seq_length == DEFAULT_MAX_SEQ_LENGTH
    assert Embedder.from_settings(Settings(max_seq_length=96, embed_cache_rows=0), "onnx-int8", "", 64).max_seq_length == 96
    long_line = LINES[-2]
    assert float(fitted_64.encode([long_line])[0] @ Embedder(backend="onnx-int8").encode([long_line])[0]) < 0.999
