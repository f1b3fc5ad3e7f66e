"""Tier 2, the ML tier (`classified_by` "bert"): all-MiniLM-L6-v2 sentence embeddings + a logistic-regression head.

A prediction is kept only when (a) its top probability reaches its label's threshold (calibrated per
label and stored in the bundle; a label that never reached the target precision has none and is never
kept; `ML_CONFIDENCE_THRESHOLD` sets one threshold for every label instead) and (b) the line is near something the model was trained
on: cosine similarity to the nearest training template >= `min_similarity` (bundle;
`ML_MIN_SIMILARITY` overrides it). Everything else passes on to the LLM tier. Callers hand it
distinct templates, so each is embedded once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from logclf.bundle import ModelBundle
from logclf.decision import Batch, Decision
from logclf.embedding import Embedder


class BertTier:
    name = "bert"

    def __init__(
        self,
        bundle: ModelBundle,
        embedder: Embedder,
        threshold: float | None = None,
        min_similarity: float | None = None,
    ):
        self.bundle = bundle
        self.embedder = embedder
        self.threshold = bundle.threshold if threshold is None else threshold
        # Per class column: the confidence it needs (inf: never kept). An explicit threshold overrides all labels.
        self.label_thresholds: dict[str, float | None] = {
            label: (threshold if threshold is not None else bundle.threshold_for(label)) for label in bundle.classes
        }
        self._limits = np.array([np.inf if t is None else t for t in self.label_thresholds.values()], dtype=float)
        self.min_similarity = bundle.min_similarity if min_similarity is None else min_similarity
        self._classes = bundle.classes
        ref = bundle.reference_embeddings
        self._reference = None if ref is None else np.asarray(ref, dtype=np.float32)

    def score(self, messages: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Class probabilities (columns in `bundle.classes` order) and nearest-template similarity."""
        if not messages:
            return np.zeros((0, len(self._classes))), np.zeros(0)
        vectors = self.embedder.encode(messages)
        proba = self.bundle.predict_proba(vectors, messages)
        if self._reference is None:
            return proba, np.ones(len(messages))
        return proba, (vectors @ self._reference.T).max(axis=1)

    def decide(self, batch: Batch) -> list[Decision | None]:
        """A decision per masked template (`batch.templates`), or None when unsure or far from the training data."""
        if batch.templates is None:
            raise ValueError("the ML tier reads masked templates: Batch.templates is None")
        proba, similarity = self.score(batch.templates)
        out: list[Decision | None] = []
        for row, k in enumerate(proba.argmax(axis=1) if len(proba) else []):
            p = float(proba[row, k])
            confident = p >= self._limits[k] and similarity[row] >= self.min_similarity
            out.append(Decision(self._classes[k], self.name, round(p, 4)) if confident else None)
        return out
