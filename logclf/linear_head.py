"""The ML tier's classifier at inference time, in numpy alone: a multinomial logistic regression over
[embedding | weight x TF-IDF of the template's words] (logclf/features.py).

Training fits scikit-learn objects; the bundle also stores their numbers in this plain form, so a CLI run
or a server start never imports scikit-learn (2.4 s of a 16 s run on 1M rows here). `from_fitted`
refuses a model it cannot reproduce: the probabilities must match scikit-learn's on a probe, else the
bundle keeps using scikit-learn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class WordsHead:
    """A fitted TfidfVectorizer's transform: word n-grams of the lowercased template, sublinear tf, idf, l2."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    token_pattern: str
    ngram_max: int
    weight: float

    def rows(self, templates: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per template, (column indices, values): its non-zero TF-IDF features, already weighted."""
        find, vocabulary, out = re.compile(self.token_pattern).findall, self.vocabulary, []
        for template in templates:
            tokens = find(template.lower())
            counts: dict[int, int] = {}
            for n in range(1, self.ngram_max + 1):
                for i in range(len(tokens) - n + 1):
                    j = vocabulary.get(tokens[i] if n == 1 else " ".join(tokens[i : i + n]))
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
            cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
            values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[cols]
            norm = np.sqrt(values @ values)
            out.append((cols, values * (self.weight / norm) if norm else values))
        return out


@dataclass(frozen=True)
class LinearHead:
    classes: list[str]
    coef: np.ndarray  # (classes, embedding dims + vocabulary)
    intercept: np.ndarray
    words: WordsHead | None

    def predict_proba(self, vectors: np.ndarray, templates: Sequence[str]) -> np.ndarray:
        vectors = np.asarray(vectors, dtype=np.float64)
        dims = vectors.shape[1]
        logits = vectors @ self.coef[:, :dims].T + self.intercept
        if self.words is not None:
            word_coef = self.coef[:, dims:]
            for row, (cols, values) in enumerate(self.words.rows(templates)):
                logits[row] += word_coef[:, cols] @ values
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        return logits / logits.sum(axis=1, keepdims=True)

    def to_dict(self) -> dict[str, Any]:
        words = self.words
        return {
            "classes": self.classes,
            "coef": self.coef,
            "intercept": self.intercept,
            "words": None
            if words is None
            else {k: getattr(words, k) for k in ("vocabulary", "idf", "token_pattern", "ngram_max", "weight")},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinearHead:
        words = data["words"]
        return cls(list(data["classes"]), data["coef"], data["intercept"], None if words is None else WordsHead(**words))

    @classmethod
    def from_fitted(cls, classifier: Any, word_features: Any, dims: int) -> LinearHead | None:
        """The plain form of a fitted multinomial LogisticRegression (and WordFeatures), or None when this
        model is something else: checked by comparing probabilities on a probe of `dims`-wide vectors."""
        coef, classes = getattr(classifier, "coef_", None), getattr(classifier, "classes_", None)
        if coef is None or classes is None or len(classes) < 3 or coef.shape[0] != len(classes):
            return None
        words = None
        if word_features is not None:
            v = word_features.vectorizer
            plain = {"analyzer": "word", "lowercase": True, "norm": "l2", "sublinear_tf": True, "use_idf": True, "binary": False}
            custom = v.preprocessor or v.tokenizer or v.stop_words or v.strip_accents or v.ngram_range[0] != 1
            if custom or any(getattr(v, name) != value for name, value in plain.items()):
                return None
            vocabulary = {str(k): int(j) for k, j in v.vocabulary_.items()}
            words = WordsHead(
                vocabulary, np.asarray(v.idf_, dtype=np.float64), v.token_pattern, int(v.ngram_range[1]), float(word_features.weight)
            )
        head = cls(
            [str(c) for c in classes], np.asarray(coef, dtype=np.float64), np.asarray(classifier.intercept_, dtype=np.float64), words
        )
        rng = np.random.default_rng(0)
        probe = rng.normal(size=(32, dims)).astype(np.float32)
        probe /= np.linalg.norm(probe, axis=1, keepdims=True)
        vocab = sorted(words.vocabulary) if words else []
        templates = [" ".join(rng.choice(vocab, size=min(len(vocab), 6))) + " <NUM> failed" if vocab else "x" for _ in range(32)]
        expected = classifier.predict_proba(probe if word_features is None else word_features.combine(probe, templates))
        return head if np.allclose(head.predict_proba(probe, templates), expected, atol=1e-5) else None
