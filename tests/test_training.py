"""Training and evaluation on a small generated dataset, with the real embedding model."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from training.generate_dataset import TEMPLATES, generate

ROOT = Path(__file__).resolve().parent.parent


def test_generated_dataset_shape():
    rows = generate(6000, seed=1)
    assert len(rows) >= 5000
    assert {r["target_label"] for r in rows} == {
        "HTTP Status",
        "Critical Error",
        "Error",
        "Security Alert",
        "System Notification",
        "Resource Usage",
        "User Action",
        "Workflow Error",
        "Deprecation Warning",
    }
    assert {r["source"] for r in rows} == {"ModernCRM", "ModernHR", "BillingSystem", "AnalyticsEngine", "ThirdPartyAPI", "LegacyCRM"}
    assert {r["complexity"] for r in rows} == {"regex", "bert", "llm"}
    for (label, complexity), phrasings in TEMPLATES.items():
        if complexity == "bert":
            assert len(phrasings) >= 25, label
    assert generate(300, seed=5) == generate(300, seed=5)  # deterministic


def test_regex_intended_rows_are_caught_by_the_shipped_rules():
    from logclf.settings import Settings
    from processor_regex import RegexTier

    tier = RegexTier.from_file(Settings().regex_rules_path)
    rows = [r for r in generate(3000, seed=3) if r["complexity"] == "regex"]
    decisions = tier.decide([r["source"] for r in rows], [r["log_message"] for r in rows])
    assert all(d is not None and d.label == r["target_label"] for d, r in zip(decisions, rows, strict=False))


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    from training.generate_dataset import write_csv

    tmp = tmp_path_factory.mktemp("train")
    data, model = tmp / "logs.csv", tmp / "model.joblib"
    write_csv(generate(1200, seed=11), data)
    result = subprocess.run(
        [sys.executable, str(ROOT / "training" / "train.py"), "--data", str(data), "--output", str(model)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return data, model


def test_train_saves_a_usable_bundle(small_model):
    from logclf.bundle import ModelBundle

    _, model = small_model
    bundle = ModelBundle.load(model)
    assert "Workflow Error" in bundle.labels and "Workflow Error" not in bundle.classes  # LLM-only label
    assert bundle.metadata["training_rows"] > 1000 and 0.0 < bundle.threshold < 1.0
    assert bundle.reference_embeddings is not None


def test_evaluate_json(small_model):
    data, model = small_model
    result = subprocess.run(
        [sys.executable, str(ROOT / "training" / "evaluate.py"), str(data), "--model", str(model), "--json", "--no-llm"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)
    assert {"rows", "accuracy", "macro_f1", "unclassified_rate", "per_tier"} <= metrics.keys()
    assert set(metrics["per_tier"]) >= {"regex", "bert", "llm"}
    assert metrics["accuracy"] > 0.95 and metrics["template_purity"]["mixed"] == 0


def test_train_rejects_bad_data(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("source,message\nA,b\n")
    result = subprocess.run([sys.executable, str(ROOT / "training" / "train.py"), "--data", str(bad)], capture_output=True, text=True)
    assert result.returncode == 2 and "missing column" in result.stderr and "Traceback" not in result.stderr
