"""Training and evaluation on a small generated dataset, with the real embedding model."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from logclf.decision import Batch
from logclf.labels import load_label_descriptions
from logclf.training.calibration import OutOfFold, calibrate
from training.generate_dataset import TEMPLATES, generate

ROOT = Path(__file__).resolve().parent.parent


def test_generated_dataset_shape():
    rows = generate(6000, seed=1)
    assert len(rows) >= 5000
    assert {r["target_label"] for r in rows} == set(load_label_descriptions())  # every label of the taxonomy
    assert {r["source"] for r in rows} == {"ModernCRM", "ModernHR", "BillingSystem", "AnalyticsEngine", "ThirdPartyAPI", "LegacyCRM"}
    assert {r["complexity"] for r in rows} == {"regex", "bert", "llm"}
    for (label, complexity), phrasings in TEMPLATES.items():
        if complexity == "bert":
            assert len(phrasings) >= 25, label
    assert generate(300, seed=5) == generate(300, seed=5)  # deterministic


def test_regex_intended_rows_are_caught_by_the_shipped_rules():
    from logclf.settings import Settings
    from logclf.tiers.regex import RegexTier

    tier = RegexTier.from_file(Settings().regex_rules_path)
    rows = [r for r in generate(3000, seed=3) if r["complexity"] == "regex"]
    decisions = tier.decide(Batch([r["source"] for r in rows], [r["log_message"] for r in rows]))
    assert all(d is not None and d.label == r["target_label"] for d, r in zip(decisions, rows, strict=False))


def assert_png(path: Path) -> None:
    from matplotlib.image import imread

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width = imread(path).shape[:2]
    assert height > 200 and width > 200


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    from training.generate_dataset import write_csv

    tmp = tmp_path_factory.mktemp("train")
    data, model, report = tmp / "logs.csv", tmp / "model.joblib", tmp / "report"
    write_csv(generate(1200, seed=11), data)
    result = subprocess.run(
        [sys.executable, "-m", "logclf", "train", "--data", str(data), "--output", str(model), "--split", "0.3", "--seed", "5"]
        + ["--report", str(report)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return data, model, report, result.stderr


@pytest.mark.slow
def test_train_saves_a_usable_bundle(small_model):
    from logclf.bundle import ModelBundle

    _, model, _, _ = small_model
    bundle = ModelBundle.load(model)
    assert "Workflow Error" in bundle.labels and "Workflow Error" not in bundle.classes  # LLM-only label
    assert bundle.metadata["training_rows"] > 700 and 0.3 <= bundle.threshold < 1.0
    assert bundle.reference_embeddings is not None
    calibration = bundle.metadata["calibration"]
    assert bundle.threshold == calibration["threshold"] and bundle.min_similarity == calibration["min_similarity"]


@pytest.mark.slow
def test_split_evaluates_the_whole_cascade_on_the_held_out_part(small_model):
    from logclf.bundle import ModelBundle

    data, model, report, stderr = small_model
    holdout = ModelBundle.load(model).metadata["holdout"]
    assert holdout["rows"] == int(np.ceil(0.3 * len(pd.read_csv(data))))
    assert holdout["accuracy"] > 0.95 and holdout["accuracy_without_llm_routed"] > 0.97
    assert "whole cascade on the held-out 30%" in stderr and "threshold" in stderr and "<- chosen" in stderr
    text = (report / "report.md").read_text()
    assert "## Per label" in text and "## Per tier" in text and "## Worst confusions" in text
    assert "## How the gates were chosen" in text and "<- chosen" in text  # the calibration table travels with it
    for name in ("confusion_matrix.png", "threshold.png"):
        assert f"({name})" in text
        assert_png(report / name)


@pytest.mark.slow
def test_evaluate_json_and_report(small_model, tmp_path):
    data, model, _, _ = small_model
    report = tmp_path / "report"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "logclf",
            "evaluate",
            str(data),
            "--model",
            str(model),
            "--json",
            "--no-llm",
            "--report",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert_png(report / "confusion_matrix.png")
    assert_png(report / "threshold.png")
    assert "| Workflow Error | Unclassified |" in (report / "report.md").read_text()  # LLM rows with the LLM off
    metrics = json.loads(result.stdout)  # exactly one JSON object on stdout
    assert {"rows", "accuracy", "macro_f1", "unclassified_rate", "per_tier"} <= metrics.keys()
    assert set(metrics["per_tier"]) >= {"regex", "bert", "llm"}
    assert metrics["accuracy"] > 0.95 and metrics["template_purity"]["mixed"] == 0
    assert 0.9 < metrics["coverage"] < 1.0 and metrics["kept_accuracy"] > 0.97  # LegacyCRM rows are not kept
    assert metrics["per_source"]["LegacyCRM"]["coverage"] == 0.0 and metrics["per_source"]["ModernCRM"]["kept_accuracy"] > 0.97


@pytest.mark.slow
def test_train_rejects_bad_data_in_a_subprocess(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("source,message\nA,b\n")
    result = subprocess.run([sys.executable, "-m", "logclf", "train", "--data", str(bad)], capture_output=True, text=True)
    assert result.returncode == 2 and "missing column" in result.stderr and "Traceback" not in result.stderr


SCARCE = "source,log_message,target_label\n" + "A,disk full on node 1,Error\n" * 9 + "A,user bob logged in,User Action\n" * 3


@pytest.mark.parametrize(
    "content,expected",
    [
        ("", "the file is empty"),
        ("source,message,label\nA,b,c\n", "missing column(s) log_message, target_label; found: source, message, label"),
        ("source,log_message,target_label\n", "no rows with both a log_message and a target_label"),
        (SCARCE, "too few rows for label(s): 'User Action' has 3;"),
        ("source,log_message,target_label\n" + "A,disk full,Error\n" * 9, "need at least 2 labels"),
    ],
)
def test_train_validation_errors_are_one_line_with_exit_2(tmp_path, capsys, content, expected):
    from logclf.training.train import main

    data = tmp_path / "data.csv"
    data.write_text(content)
    assert main(["--data", str(data), "--output", str(tmp_path / "m.joblib")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and expected in err and err.count("\n") == 1
    assert not (tmp_path / "m.joblib").exists()


def test_split_that_leaves_a_label_too_few_training_rows_is_refused(tmp_path, capsys):
    from logclf.training.train import main

    data = tmp_path / "data.csv"
    data.write_text("source,log_message,target_label\n" + "A,disk full on node 1,Error\n" * 12 + "A,user bob logged in,User Action\n" * 6)
    assert main(["--data", str(data), "--split", "0.5", "--output", str(tmp_path / "m.joblib")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: after holding out --split 0.5: too few rows for label(s): 'User Action' has 3;")


def synthetic_oof(n: int = 2000, seed: int = 0) -> OutOfFold:
    """Confidence uniform in [0.3, 1); a row is right with probability equal to its confidence."""
    rng = np.random.default_rng(seed)
    confidence = rng.uniform(0.3, 1.0, n)
    correct = rng.uniform(0, 1, n) < confidence
    gold = np.array(["a"] * n, dtype=object)
    predicted = np.where(correct, "a", "b").astype(object)
    return OutOfFold(predicted, confidence, rng.uniform(0.5, 0.95, n), gold, folds=5)


@pytest.mark.parametrize("target", [0.9, 0.95])
def test_calibration_picks_the_lowest_threshold_meeting_the_target(target):
    oof = synthetic_oof()
    c = calibrate(oof, target)
    near = oof.similarity >= c.min_similarity

    def precision(t: float) -> float:
        kept = near & (oof.confidence >= t)
        return float((oof.predicted[kept] == oof.gold[kept]).mean())

    assert c.met_target and 0.5 < c.threshold < 1.0
    assert precision(c.threshold) >= target and c.precision == pytest.approx(precision(c.threshold))
    assert precision(c.threshold - 0.01) < target  # the one just below does not make it
    assert c.coverage == pytest.approx((near & (oof.confidence >= c.threshold)).mean())


def test_calibration_says_when_the_target_is_out_of_reach():
    oof = synthetic_oof()
    hopeless = OutOfFold(np.where(oof.predicted == "a", "b", "a").astype(object), oof.confidence, oof.similarity, oof.gold, 5)
    c = calibrate(hopeless, 0.95)
    assert not c.met_target and c.precision < 0.95


def test_each_label_gets_the_lowest_threshold_that_meets_the_target_on_its_own():
    """An easy label is kept from the bottom of the grid, a hard one only when confident, a hopeless one never."""
    rng = np.random.default_rng(3)
    n = 3000
    confidence = rng.uniform(0.3, 1.0, n)
    kind = np.array(["easy", "hard", "hopeless"], dtype=object)[rng.integers(0, 3, n)]
    right = np.where(kind == "easy", True, np.where(kind == "hard", rng.uniform(0, 1, n) < confidence, False))
    predicted = kind.copy()
    predicted[kind == "hopeless"] = "easy-looking"  # always wrong, and "hopeless" itself is never predicted
    gold = np.where(right, kind, "hopeless").astype(object)  # a hard prediction is right with probability = confidence
    oof = OutOfFold(predicted, confidence, np.full(n, 0.9), gold, folds=5)
    c = calibrate(oof, 0.95, template=np.arange(n))
    thresholds = c.label_thresholds
    assert thresholds["easy"] == pytest.approx(0.30)  # 100% right at any confidence
    assert thresholds["easy-looking"] is None and thresholds["hopeless"] is None  # never right / never predicted
    assert thresholds["hard"] is not None and thresholds["hard"] > 0.85
    hard = predicted == "hard"
    kept = hard & (confidence >= thresholds["hard"])
    below = hard & (confidence >= thresholds["hard"] - 0.01)
    assert (gold[kept] == "hard").mean() >= 0.95 > (gold[below] == "hard").mean()  # the lowest that makes it
    # one threshold for all would keep fewer rows than the per-label ones, at the same target
    assert c.label_coverage > c.coverage and c.label_precision >= 0.95


def test_a_label_measured_on_too_few_templates_is_never_decided():
    n = 400
    predicted = np.array(["rare"] * n, dtype=object)
    oof = OutOfFold(predicted, np.full(n, 0.99), np.full(n, 0.9), predicted.copy(), folds=5)
    few = calibrate(oof, 0.95, template=np.arange(n) % 3)  # 400 right rows, but only 3 distinct templates
    many = calibrate(oof, 0.95, template=np.arange(n))
    assert few.label_thresholds == {"rare": None} and many.label_thresholds == {"rare": pytest.approx(0.30)}


@pytest.mark.parametrize("similarity,expected", [(0.95, 0.60), (0.10, 0.40), (0.52, 0.52)])
def test_novelty_gate_is_a_low_percentile_clipped_to_a_sane_range(similarity, expected):
    oof = synthetic_oof()
    c = calibrate(OutOfFold(oof.predicted, oof.confidence, np.full(len(oof.gold), similarity), oof.gold, 5), 0.9)
    assert c.min_similarity == pytest.approx(expected)


def test_any_taxonomy_flows_into_the_bundle_and_the_llm_prompt(tmp_path, embedder, base_settings):
    from logclf.llm.prompt import build_messages
    from logclf.masking import Masker
    from logclf.training.data import load_labelled, load_rules_for
    from logclf.training.train import evaluate_holdout, resolve_descriptions, train_bundle

    rename = {"HTTP Status": "web", "Security Alert": "intrusion", "Resource Usage": "capacity"}

    def mine(rows: int, seed: int) -> pd.DataFrame:
        kept = [{**r, "target_label": rename[r["target_label"]]} for r in generate(rows, seed) if r["target_label"] in rename]
        return pd.DataFrame(kept)

    data = tmp_path / "mine.csv"
    mine(700, seed=8).to_csv(data, index=False)
    (tmp_path / "labels.yaml").write_text(
        "labels:\n  web: an HTTP access record\n  intrusion: someone trying to get in\n  capacity:\n  paging: wake someone up\n"
    )
    df = load_labelled(data)
    descriptions, warnings = resolve_descriptions(None, data, sorted(df["target_label"].unique()))
    assert list(descriptions) == ["capacity", "intrusion", "web", "paging"]
    assert any("'capacity' has no description" in w for w in warnings)
    assert any("'paging'" in w and "no training rows" in w for w in warnings)
    regex, warning = load_rules_for(base_settings.regex_rules_path, list(descriptions))
    assert regex.rules == [] and "outside this taxonomy" in warning  # the shipped rules speak another taxonomy

    masker = Masker.from_file(base_settings.masking_path)
    trained = train_bundle(df, descriptions, embedder, masker, regex, seed=3)
    bundle = trained.bundle
    assert set(bundle.classes) == {"web", "intrusion", "capacity"} and set(bundle.labels) == set(descriptions)
    prompt = build_messages("ModernCRM", ["a line"], bundle.label_descriptions)[0]["content"]
    assert "- intrusion: someone trying to get in" in prompt and "- paging: wake someone up" in prompt and "HTTP Status" not in prompt
    assert trained.calibration.met_target and bundle.threshold == trained.calibration.threshold

    metrics = evaluate_holdout(bundle, embedder, masker, regex, mine(400, seed=9), base_settings)
    assert metrics["accuracy"] > 0.9 and set(metrics["per_label"]) <= set(descriptions)


def test_json_style_lines_are_valid_json():
    import json

    rows = [r for r in generate(3000, seed=2) if r["log_message"].startswith("{")]
    assert rows and all(isinstance(json.loads(r["log_message"]), dict) for r in rows)


def test_corpus_is_large_varied_and_deterministic():
    from logclf.masking import Masker
    from logclf.settings import Settings
    from training.corpus import COLUMNS, FAMILIES
    from training.corpus import generate as corpus

    rows = corpus()
    assert len(rows) >= 20000 and set(rows[0]) == set(COLUMNS)
    assert len(FAMILIES) >= 40 and len({r["family"] for r in rows}) == len(FAMILIES)
    masker = Masker.from_file(Settings().masking_path)
    templates: dict[str, set[str]] = {}
    for r in rows:
        templates.setdefault(masker.template(r["log_message"]), set()).add(r["target_label"])
    assert len(templates) >= 1000
    assert all(len(labels) == 1 for labels in templates.values())  # one label per template: the boundaries are applied consistently
    routine = sum(r["target_label"] in ("System Notification", "HTTP Status") for r in rows) / len(rows)
    assert routine > 0.5  # most real lines are routine
    assert {r["source"] for r in rows if r["group"] == "business"} >= {"ModernCRM", "LegacyCRM"}
    assert corpus(3000, seed=4) == corpus(3000, seed=4)


def test_corpus_regex_rows_get_their_label():
    """Every corpus line a shipped rule catches is caught with the corpus's label (rules are exact)."""
    from logclf.settings import Settings
    from logclf.tiers.regex import RegexTier
    from training.corpus import generate as corpus

    tier = RegexTier.from_file(Settings().regex_rules_path)
    rows = corpus(6000, seed=9)
    decisions = tier.decide(Batch([r["source"] for r in rows], [r["log_message"] for r in rows]))
    caught = [(d.label, r["target_label"]) for d, r in zip(decisions, rows, strict=True) if d is not None]
    assert len(caught) > 300 and all(a == b for a, b in caught)


def test_leave_family_out_scores_every_group(embedder, base_settings):
    from logclf.masking import Masker
    from logclf.tiers.regex import RegexTier
    from logclf.training.lofo import format_lofo, leave_family_out
    from training.corpus import generate as corpus

    keep = {"web", "linux-auth", "databases", "business", "runtimes"}
    df = pd.DataFrame([r for r in corpus(2500, seed=6) if r["group"] in keep])
    result = leave_family_out(
        df, embedder, Masker.from_file(base_settings.masking_path), RegexTier.from_file(base_settings.regex_rules_path), ("LegacyCRM",)
    )
    assert set(result["groups"]) == keep
    assert 0 < result["overall"]["coverage"] <= 1 and result["overall"]["kept_accuracy"] > 0.8
    assert "overall" in format_lofo(result) and "kept prec." in format_lofo(result)
    per_label = result["per_label"]
    assert sum(v["rows"] for v in per_label.values()) == len(df)
    kept = sum(v["kept"] for v in per_label.values())
    assert kept == round(result["overall"]["coverage"] * len(df))
    correct = sum(v["kept"] * v["kept_precision"] for v in per_label.values() if v["kept"])
    assert correct / kept == pytest.approx(result["overall"]["kept_accuracy"])
    assert all(set(g["label_thresholds"]) >= {"Error", "Critical Error"} for g in result["groups"].values())


@pytest.mark.slow
def test_leave_family_out_needs_groups(tmp_path):
    data = tmp_path / "plain.csv"
    data.write_text("source,log_message,target_label\nA,disk full,Error\n")
    result = subprocess.run([sys.executable, "-m", "logclf", "evaluate", "--leave-family-out", str(data)], capture_output=True, text=True)
    assert result.returncode == 2 and "needs a `group` column" in result.stderr and "Traceback" not in result.stderr


def test_leave_family_out_refuses_a_group_the_data_does_not_have():
    from logclf.errors import UserError
    from logclf.training.lofo import leave_family_out

    df = pd.DataFrame(
        {
            "source": ["a"] * 3,
            "log_message": ["x", "y", "z"],
            "target_label": ["Error"] * 3,
            "family": ["f"] * 3,
            "group": ["g1", "g2", "g3"],
        }
    )
    with pytest.raises(UserError, match="--groups: no such group in the data: nope"):
        leave_family_out(df, None, None, None, ("LegacyCRM",), only=["g1", "nope"])
