"""The model bundle: inference reads plain numpy (no scikit-learn import) and gives scikit-learn's answers."""

from __future__ import annotations

import subprocess
import sys

import joblib
import numpy as np
import pandas as pd
import pytest

from logclf.bundle import ModelBundle
from tests.conftest import ROOT


def _templates_and_vectors(embedder, base_settings):
    from logclf.masking import Masker

    masker = Masker.from_file(base_settings.masking_path)
    messages = pd.read_csv(ROOT / "resources" / "test.csv", keep_default_na=False).log_message.tolist()
    templates = list(dict.fromkeys(masker.template(m) for m in messages)) + ["", "Hey bro chill ya!"]
    return templates, embedder.encode(templates)


@pytest.mark.slow
def test_loading_the_shipped_bundle_does_not_import_scikit_learn(base_settings):
    code = (
        "import sys; from logclf.bundle import ModelBundle; "
        f"b = ModelBundle.load({str(base_settings.model_path)!r}); "
        "print(b.head is not None, 'sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"]


def test_the_plain_head_gives_scikit_learns_probabilities(bundle, embedder, base_settings):
    templates, vectors = _templates_and_vectors(embedder, base_settings)
    classifier, words = ModelBundle.load(base_settings.model_path).fitted()
    expected = classifier.predict_proba(words.combine(vectors, templates))
    got = bundle.predict_proba(vectors, templates)
    assert bundle.classes == [str(c) for c in classifier.classes_]
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_a_format_1_file_still_loads_and_answers_the_same(tmp_path, bundle, embedder, base_settings):
    templates, vectors = _templates_and_vectors(embedder, base_settings)
    classifier, words = ModelBundle.load(base_settings.model_path).fitted()
    old = {
        "format": "logclf-bundle/1",
        "classifier": classifier,
        "word_features": words,
        "label_descriptions": bundle.label_descriptions,
        "threshold": bundle.threshold,
        "reference_embeddings": bundle.reference_embeddings,
        "metadata": {},
    }
    joblib.dump(old, tmp_path / "old.joblib")
    loaded = ModelBundle.load(tmp_path / "old.joblib")
    assert loaded.head is not None  # built from the fitted objects
    assert loaded.label_thresholds is None and loaded.threshold_for("Error") == bundle.threshold  # one gate for all, as before
    np.testing.assert_allclose(loaded.predict_proba(vectors, templates), bundle.predict_proba(vectors, templates), atol=1e-6)
    loaded.save(tmp_path / "new.joblib")  # re-saved as format 2: the fitted objects travel along
    again = ModelBundle.load(tmp_path / "new.joblib")
    assert again.fitted()[0].classes_.tolist() == classifier.classes_.tolist()


@pytest.mark.slow
def test_a_model_the_plain_form_cannot_reproduce_keeps_scikit_learn(tmp_path):
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(1)
    x = rng.normal(size=(60, 8)).astype(np.float32)
    y = np.where(x[:, 0] > 0, "up", "down")  # two classes: scikit-learn's binary form, not the softmax
    model = ModelBundle(LogisticRegression().fit(x, y), {"up": "u", "down": "d"}, reference_embeddings=x[:5])
    assert model.head is None
    model.save(tmp_path / "two.joblib")
    loaded = ModelBundle.load(tmp_path / "two.joblib")
    assert loaded.head is None and loaded.classes == ["down", "up"]
    np.testing.assert_allclose(loaded.predict_proba(x, [""] * len(x)), model.classifier.predict_proba(x))


def test_per_label_thresholds_travel_in_the_bundle_and_gate_each_label(tmp_path, bundle, embedder, base_settings):
    """The ML tier keeps a label at its own threshold, never keeps a label without one, and one setting overrides all."""
    from dataclasses import replace

    from logclf.decision import Batch
    from logclf.tiers.bert import BertTier

    templates, _ = _templates_and_vectors(embedder, base_settings)
    templates = [t for t in templates if t.strip()]
    open_gate = BertTier(bundle, embedder, threshold=0.0, min_similarity=0.0)  # what the model predicts, ungated
    predicted = [d.label for d in open_gate.decide(Batch(["x"] * len(templates), templates, templates=templates))]
    assert len(set(predicted)) >= 3
    never = predicted[0]
    thresholds = {label: (None if label == never else 0.0) for label in bundle.classes}
    mine = replace(bundle, label_thresholds=thresholds)
    mine.save(tmp_path / "per_label.joblib")
    loaded = ModelBundle.load(tmp_path / "per_label.joblib")
    assert loaded.label_thresholds == thresholds and loaded.threshold_for(never) is None

    tier = BertTier(loaded, embedder, min_similarity=0.0)
    got = tier.decide(Batch(["x"] * len(templates), templates, templates=templates))
    assert [d is None for d in got] == [p == never for p in predicted]
    assert all(d.label == p for d, p in zip(got, predicted, strict=True) if d is not None)
    override = BertTier(loaded, embedder, threshold=0.0, min_similarity=0.0)  # ML_CONFIDENCE_THRESHOLD: one gate for every label
    assert all(d is not None for d in override.decide(Batch(["x"] * len(templates), templates, templates=templates)))
