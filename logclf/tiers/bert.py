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
from logclf.levels import bucket, likelihoods, updated_confidence


class BertTier:
    name = "bert"

    def __init__(
        self,
        bundle: ModelBundle,
        embedder: Embedder,
        threshold: float | None = None,
        min_similarity: float | None = None,
        use_levels: bool = True,
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
        # P(level | label) as a matrix in class order; None: levels are not used (no table, or ML_USE_LEVELS=0)
        table = bundle.level_table if use_levels else None
        self._levels = None if not table else likelihoods(table, self._classes)

    @property
    def uses_levels(self) -> bool:
        """Whether a line's level can move this tier's confidence (a bundle with a level table, ML_USE_LEVELS on)."""
        return self._levels is not None

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
        """A decision per masked template (`batch.templates`), or None when unsure or far from the training data.

        With `batch.levels` (and a bundle with a level table) the confidence is the label's probability
        updated by the line's level (logclf/levels.py); the label is always the message's own best. A
        template repeated with several levels is embedded once."""
        if batch.templates is None:
            raise ValueError("the ML tier reads masked templates: Batch.templates is None")
        distinct = list(dict.fromkeys(batch.templates))
        proba, similarity = self.score(distinct)
        position = {t: i for i, t in enumerate(distinct)}
        at = [position[t] for t in batch.templates]
        best = proba.argmax(axis=1) if len(proba) else np.zeros(0, dtype=np.int64)
        levels = batch.levels if self._levels is not None else None
        out: list[Decision | None] = []
        for row, u in enumerate(at):
            k = int(best[u])
            p = before = float(proba[u, k])
            level = bucket(levels[row]) if levels is not None else None  # any spelling; a bucket stays itself
            if level is not None:
                p = float(updated_confidence(proba[u : u + 1], best[u : u + 1], [level], self._levels)[0])
            confident = p >= self._limits[k] and similarity[u] >= self.min_similarity
            out.append(Decision(self._classes[k], self.name, round(p, 4), level_note(level, before, p)) if confident else None)
        return out


def level_note(level: str | None, before: float, after: float) -> str:
    """What `--explain` says when the level moved the confidence ("" when it did not)."""
    if level is None or round(before, 2) == round(after, 2):
        return ""
    verb = "raised" if after > before else "lowered"
    return f"level {level} {verb} {before:.2f} -> {after:.2f}"
