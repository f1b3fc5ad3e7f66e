"""Tier 2: all-MiniLM-L6-v2 sentence embeddings + a logistic-regression head.

A prediction is kept only when its top probability reaches the threshold (calibrated at training
time and stored in the bundle; `ML_CONFIDENCE_THRESHOLD` overrides it). Everything below the
threshold passes on to the LLM tier. Callers hand it distinct templates, so each is embedded once.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from logclf.bundle import ModelBundle
from logclf.decision import Decision
from logclf.embedding import Embedder


class EmbeddingClassifierTier:
    name = "bert"

    def __init__(self, bundle: ModelBundle, embedder: Embedder, threshold: float | None = None):
        self.bundle = bundle
        self.embedder = embedder
        self.threshold = bundle.threshold if threshold is None else threshold
        self._classes = bundle.classes

    def predict_proba(self, messages: Sequence[str]) -> np.ndarray:
        """Class probabilities, columns in `self.bundle.classes` order."""
        if not messages:
            return np.zeros((0, len(self._classes)))
        return self.bundle.classifier.predict_proba(self.embedder.encode(messages))

    def decide(self, sources: Sequence[str], messages: Sequence[str]) -> list[Decision | None]:
        proba = self.predict_proba(messages)
        best = proba.argmax(axis=1) if len(proba) else []
        out: list[Decision | None] = []
        for row, k in enumerate(best):
            p = float(proba[row, k])
            out.append(Decision(self._classes[k], self.name, round(p, 4)) if p >= self.threshold else None)
        return out
