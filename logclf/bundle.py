"""The model bundle: the fitted logistic regression plus everything needed to use it correctly
(its labels and their descriptions, the calibrated threshold, which embedding model and backend
produced its training features, and how it was trained). Saved with joblib as a plain dict.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import joblib

from logclf.errors import UserError

BUNDLE_FORMAT = "logclf-bundle/1"


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
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.classifier.classes_]

    def predict_proba(self, vectors, templates):
        """Class probabilities (columns in `classes` order) for templates and their embeddings."""
        words = self.word_features
        return self.classifier.predict_proba(vectors if words is None else words.combine(vectors, templates))

    @property
    def labels(self) -> list[str]:
        """The whole taxonomy: the classifier's classes plus labels only the LLM or rules give."""
        return list(dict.fromkeys([*self.classes, *self.label_descriptions]))

    def save(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"format": BUNDLE_FORMAT, **asdict(self)}, path, compress=3)

    @classmethod
    def load(cls, path: Path) -> ModelBundle:
        path = Path(path)
        if not path.is_file():
            raise ModelFileError(f"model file {path} not found: train one with `make train` or set MODEL_PATH")
        try:
            data = joblib.load(path)
        except Exception as exc:  # joblib/pickle raise many types for a damaged file
            raise ModelFileError(f"model file {path} is unreadable ({type(exc).__name__}); retrain it with `make train`") from None
        if not isinstance(data, dict) or data.get("format") != BUNDLE_FORMAT:
            raise ModelFileError(f"model file {path} is not a {BUNDLE_FORMAT} bundle; retrain it with `make train`")
        data.pop("format")
        data.pop("masked_templates", None)  # written by older versions (always True), never read
        try:
            bundle = cls(**data)
            bundle.classes  # noqa: B018 - fails early if the classifier is not fitted
        except Exception as exc:
            raise ModelFileError(f"model file {path} is incomplete ({exc}); retrain it with `make train`") from None
        return bundle
