"""The model bundle: the fitted logistic regression plus everything needed to use it correctly
(its labels and their descriptions, the calibrated confidence thresholds - one per predicted label, or a
single one in bundles from before - which embedding model and backend produced its training features,
and how it was trained). Saved with joblib as a plain dict.

Format 2 keeps the fitted scikit-learn objects as one pickled blob beside their numbers in plain numpy
(logclf/linear_head.py): loading for inference reads only the numbers, so scikit-learn is imported
only by training, or for a model the plain form cannot reproduce. Format 1 files still load.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import joblib

from logclf.errors import UserError
from logclf.linear_head import LinearHead

BUNDLE_FORMAT = "logclf-bundle/2"
READABLE_FORMATS = ("logclf-bundle/1", BUNDLE_FORMAT)


class ModelFileError(UserError):
    """The model bundle is missing or unreadable; the message names the file and the fix."""


@dataclass
class ModelBundle:
    classifier: Any  # a fitted scikit-learn classifier with predict_proba and classes_
    label_descriptions: dict[str, str]  # every label of the taxonomy (incl. LLM-only ones) -> description
    threshold: float = 0.5
    embedding_model: str = "sentence-transformers/all-MiniLM-L6-v2"
    embedding_backend: str = "torch"
    max_seq_length: int = 128
    # Novelty gate: the embeddings of the distinct training templates (float16, L2-normalised) and
    # the cosine similarity a line needs to its nearest one. A logistic regression is confidently
    # wrong on text unlike anything it saw ("Hey bro chill ya!" -> 0.90); nearness catches that.
    reference_embeddings: Any = None
    min_similarity: float = 0.5
    # The template's words appended to its embedding (logclf/features.py); None in bundles from before.
    word_features: Any = None
    # The confidence threshold of each predicted label, calibrated on its own (None for a label: the ML tier
    # never decides it; a label not listed, or no dict at all as in older bundles: `threshold`).
    label_thresholds: dict[str, float | None] | None = None
    # P(level | label) per label and severity (logclf/levels.py), counted on the training rows that had a
    # level; None in bundles from before, or trained without levels: the level is then ignored.
    level_table: dict[str, dict[str, float]] | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    # The classifier in plain numpy (None: use `classifier`). Set by `load`, or built from `classifier`.
    head: LinearHead | None = field(default=None, repr=False, compare=False)
    _fitted_blob: bytes | None = field(default=None, repr=False, compare=False)  # a loaded file's pickled (classifier, word_features)

    def __post_init__(self):
        if self.head is None and self.classifier is not None and self.reference_embeddings is not None:
            self.head = LinearHead.from_fitted(self.classifier, self.word_features, self.reference_embeddings.shape[1])

    @property
    def classes(self) -> list[str]:
        if self.head is not None:
            return self.head.classes
        return [str(c) for c in self.classifier.classes_]

    def predict_proba(self, vectors, templates):
        """Class probabilities (columns in `classes` order) for templates and their embeddings."""
        if self.head is not None:
            return self.head.predict_proba(vectors, templates)
        words = self.word_features
        return self.classifier.predict_proba(vectors if words is None else words.combine(vectors, templates))

    def fitted(self) -> tuple[Any, Any]:
        """(classifier, word_features) as scikit-learn fitted them; a loaded bundle unpickles them now."""
        if self.classifier is None and self._fitted_blob is not None:
            self.classifier, self.word_features = pickle.loads(self._fitted_blob)  # noqa: S301 - our own file, read by joblib anyway
        return self.classifier, self.word_features

    def threshold_for(self, label: str) -> float | None:
        """The confidence a prediction of `label` needs; None: the ML tier never decides this label."""
        if self.label_thresholds is None or label not in self.label_thresholds:
            return self.threshold
        return self.label_thresholds[label]

    @property
    def labels(self) -> list[str]:
        """The whole taxonomy: the classifier's classes plus labels only the LLM or rules give."""
        return list(dict.fromkeys([*self.classes, *self.label_descriptions]))

    def save(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("classifier", "word_features", "head", "_fitted_blob")
        }
        fitted = self._fitted_blob if self.classifier is None else pickle.dumps((self.classifier, self.word_features), protocol=5)
        head = None if self.head is None else self.head.to_dict()
        joblib.dump({"format": BUNDLE_FORMAT, **data, "head": head, "fitted": fitted}, path, compress=3)

    @classmethod
    def load(cls, path: Path) -> ModelBundle:
        path = Path(path)
        if not path.is_file():
            raise ModelFileError(f"model file {path} not found: train one with `make train` or set MODEL_PATH")
        try:
            data = joblib.load(path)
        except Exception as exc:  # joblib/pickle raise many types for a damaged file
            raise ModelFileError(f"model file {path} is unreadable ({type(exc).__name__}); retrain it with `make train`") from None
        if not isinstance(data, dict) or data.get("format") not in READABLE_FORMATS:
            raise ModelFileError(f"model file {path} is not a {BUNDLE_FORMAT} bundle; retrain it with `make train`")
        data.pop("masked_templates", None)  # written by older versions (always True), never read
        try:
            if data.pop("format") != BUNDLE_FORMAT:
                bundle = cls(**data)  # format 1: the scikit-learn objects themselves
            else:
                head, blob = data.pop("head"), data.pop("fitted")
                bundle = cls(classifier=None, **data, head=None if head is None else LinearHead.from_dict(head), _fitted_blob=blob)
                if bundle.head is None:
                    bundle.fitted()
            bundle.classes  # noqa: B018 - fails early if the classifier is not fitted
        except Exception as exc:
            raise ModelFileError(f"model file {path} is incomplete ({exc}); retrain it with `make train`") from None
        return bundle
