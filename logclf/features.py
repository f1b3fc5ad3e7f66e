"""What the ML tier's classifier reads: a template's sentence embedding, plus the words it contains.

The embedding of a whole line leans on how one program phrases things, so on software the model never
saw it can miss what a single word says plainly: "failed", "GET", "logged in", "denied" mean the same in
every family. TF-IDF of the template's words (and word pairs) appended to the embedding carries that:
on the leave-family-out evaluation (README) it raised kept accuracy at the same coverage by about two
points. Placeholder names count as words (a line with an <IP> is a different kind of line); digits do not.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

WORD_PATTERN = r"[A-Za-z][A-Za-z_]+"  # runs of letters (and underscores); numbers never survive masking anyway


class WordFeatures:
    """Fitted on the training templates; `combine` gives the classifier's input for (embeddings, templates)."""

    def __init__(self, weight: float = 1.0, min_df: int = 2):
        self.weight = weight  # the words' share against the embedding (both rows have unit length)
        self.min_df = min_df
        self.vectorizer = None

    def fit(self, templates: Sequence[str]) -> WordFeatures:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(
            token_pattern=WORD_PATTERN, lowercase=True, ngram_range=(1, 2), min_df=self.min_df, sublinear_tf=True, dtype=np.float32
        )
        self.vectorizer.fit(list(templates))
        return self

    def combine(self, vectors: np.ndarray, templates: Sequence[str]):
        """A sparse row per template: [embedding | weight x TF-IDF of its words]."""
        from scipy import sparse

        if self.vectorizer is None:
            raise ValueError("WordFeatures.combine before fit")
        words = self.vectorizer.transform(list(templates)) * self.weight
        return sparse.hstack([sparse.csr_matrix(np.asarray(vectors, dtype=np.float32)), words], format="csr")
