"""The embedding probe: training records a few lines' vectors, loading for classification compares them."""

from __future__ import annotations

import logging

import numpy as np

from logclf import embedding_probe


class FixedEmbedder:
    """Deterministic vectors from the text (a stand-in for a real embedder in the unit cases)."""

    def __init__(self, shift: float = 0.0, dims: int = 8):
        self.shift, self.dims = shift, dims

    def encode(self, texts):
        rows = []
        for text in texts:
            v = np.random.default_rng(sum(map(ord, text))).normal(size=self.dims).astype(np.float32)
            v[0] += self.shift
            rows.append(v / np.linalg.norm(v))
        return np.array(rows, dtype=np.float32)


def test_the_same_embedder_matches_its_probe():
    probe = embedding_probe.record(FixedEmbedder())
    assert probe["texts"] == list(embedding_probe.PROBE_TEXTS)
    assert embedding_probe.mismatch({"embedding_probe": probe}, FixedEmbedder()) is None


def test_other_vectors_are_named_with_what_to_do(caplog):
    metadata = {"embedding_probe": embedding_probe.record(FixedEmbedder())}
    with caplog.at_level(logging.WARNING, logger="logclf.embedding_probe"):
        message = embedding_probe.warn_on_mismatch(metadata, FixedEmbedder(shift=0.3))
    assert message and "probe cosine" in message and "requirements.txt" in message and "make train" in message
    assert message in caplog.text
    other_width = embedding_probe.mismatch(metadata, FixedEmbedder(dims=4))
    assert other_width and "4-wide" in other_width and "8-wide" in other_width


def test_a_bundle_without_a_probe_is_not_checked():
    assert embedding_probe.mismatch({}, FixedEmbedder()) is None
    assert embedding_probe.mismatch(None, FixedEmbedder()) is None


def test_the_shipped_model_was_fitted_on_this_machines_vectors(bundle, embedder):
    """The installed embedding stack (requirements.txt's pins, the ONNX export built here) gives the vectors the
    shipped model was fitted on: a drift fails here, by name, instead of as labels that quietly change."""
    assert "embedding_probe" in bundle.metadata, "the shipped model has no embedding probe: retrain it (make train)"
    assert embedding_probe.mismatch(bundle.metadata, embedder) is None


def test_loading_a_model_fitted_on_other_vectors_warns(base_settings, bundle, tmp_path, caplog):
    """Cascade.from_settings builds the embedder the bundle asks for and compares its probe: a bundle whose probe
    vectors differ (as if fitted on another machine's export) is loaded, classifies, and says so once."""
    import dataclasses

    from logclf.cascade import Cascade

    probe = bundle.metadata["embedding_probe"]
    shifted = np.roll(np.asarray(probe["vectors"], dtype=np.float32), 1, axis=1)
    other = dataclasses.replace(bundle, metadata={**bundle.metadata, "embedding_probe": {**probe, "vectors": shifted.tolist()}})
    other.save(tmp_path / "other.joblib")
    with caplog.at_level(logging.WARNING, logger="logclf.embedding_probe"):
        cascade = Cascade.from_settings(base_settings.with_(model_path=tmp_path / "other.joblib"))
    try:
        assert [r.getMessage() for r in caplog.records if r.name == "logclf.embedding_probe"] == [
            embedding_probe.mismatch(other.metadata, cascade.bert.embedder)
        ]
        assert "probe cosine" in caplog.text
        assert cascade.classify(["ModernCRM"], ["Backup completed successfully."])[0].label == "System Notification"
    finally:
        cascade.close()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="logclf.embedding_probe"):
        Cascade.from_settings(base_settings).close()  # the shipped bundle on this machine: no warning
    assert not [r for r in caplog.records if r.name == "logclf.embedding_probe"]
