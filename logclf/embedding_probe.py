"""Is this machine's embedder the one the model was fitted on? A probe recorded at training, compared at load.

The classifier reads vectors, not text, so it is only as right as its vectors are the same ones it was fitted
on. The int8 ONNX export is built on each machine from the installed torch, transformers, onnx and
onnxruntime: another version of any of them can give other vectors, and the labels of lines near a decision
boundary then change without any error (seen: a line the shipped model called Critical Error on the machine
that trained it came out Error, 0.38 against 0.41, on a freshly built export). So training stores the vectors
of a few fixed lines (`metadata["embedding_probe"]`), and loading a model for classification embeds the same
lines and warns when they differ. requirements.txt pins that stack.
"""

from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger("logclf.embedding_probe")

PROBE_TEXTS = (
    "Replication lag exceeded, data inconsistency detected",
    "GET /api/v1/orders/<NUM> HTTP/1.1 200 512",
    "User <USER> logged in from <IP>",
)
# One line at a time on the same export gives the same float32 vectors; torch may differ in the last bits.
MIN_COSINE = 0.9999


def record(embedder) -> dict:
    """What training stores in the bundle's metadata."""
    vectors = np.asarray(embedder.encode(list(PROBE_TEXTS)), dtype=np.float32)
    return {"texts": list(PROBE_TEXTS), "vectors": vectors.round(7).tolist()}


def mismatch(metadata: dict, embedder) -> str | None:
    """A message when this embedder's probe vectors differ from the bundle's; None when they agree or the
    bundle has no probe (trained before it was recorded)."""
    probe = (metadata or {}).get("embedding_probe")
    if not probe:
        return None
    stored = np.asarray(probe["vectors"], dtype=np.float32)
    now = np.asarray(embedder.encode(list(probe["texts"])), dtype=np.float32)
    if now.shape != stored.shape:
        return f"the embedder gives {now.shape[1]}-wide vectors where the model was fitted on {stored.shape[1]}-wide ones"
    cosine = float(np.min(np.sum(now * stored, axis=1) / (np.linalg.norm(now, axis=1) * np.linalg.norm(stored, axis=1))))
    if cosine >= MIN_COSINE:
        return None
    return (
        f"this machine's embeddings differ from those the model was fitted on (probe cosine {cosine:.4f} < {MIN_COSINE}): "
        "labels near a decision boundary can differ from the measured figures. Install the pinned requirements.txt, "
        "rebuild the ONNX export (delete ONNX_DIR, then `make onnx`), or retrain the model on this machine (`make train`)"
    )


def warn_on_mismatch(metadata: dict, embedder) -> str | None:
    """Log the mismatch as a warning (the run goes on: the labels are still the model's best); returns it."""
    message = mismatch(metadata, embedder)
    if message:
        log.warning(message)
    return message
