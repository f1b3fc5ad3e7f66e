"""Fit the ML tier (MiniLM embeddings + logistic regression) and save the model bundle.

    python training/train.py                                   # generated dataset -> models/log_classifier.joblib
    python training/train.py --data my_logs.csv --output models/mine.joblib

The data needs `source`, `log_message` and `target_label`. Rows from LLM sources (LLM_SOURCES,
default LegacyCRM) are left out: the cascade never shows them to this model. Messages are masked
into templates first, exactly as the cascade does at inference time.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from logclf.bundle import ModelBundle  # noqa: E402
from logclf.labels import DEFAULT_LABELS_PATH, load_label_descriptions  # noqa: E402
from logclf.masking import ConfigError, Masker  # noqa: E402
from logclf.settings import Settings  # noqa: E402

DEFAULT_DATA = ROOT / "training" / "dataset" / "synthetic_logs.csv"
REQUIRED = ("source", "log_message", "target_label")


class DataError(ValueError):
    pass


def load_labelled(path: Path) -> pd.DataFrame:
    """A labelled CSV as text cells, with clear errors for what a person must fix."""
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path}: not a readable UTF-8 CSV ({exc})") from None
    df.columns = [c.strip() for c in df.columns]
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}; found: {', '.join(df.columns)}")
    df = df[df["log_message"].str.strip() != ""]
    df = df[df["target_label"].str.strip() != ""]
    if df.empty:
        raise DataError(f"{path}: no rows with both a log_message and a target_label")
    return df.reset_index(drop=True)


def embed_templates(messages: list[str], masker: Masker, embedder) -> tuple[np.ndarray, np.ndarray]:
    """(row embeddings, distinct-template embeddings); each distinct template is encoded once."""
    templates = [masker.template(m) for m in messages]
    unique = list(dict.fromkeys(templates))
    index = {t: i for i, t in enumerate(unique)}
    vectors = embedder.encode(unique)
    return vectors[[index[t] for t in templates]], vectors


def fit_classifier(x: np.ndarray, y: np.ndarray, seed: int = 42):
    from sklearn.linear_model import LogisticRegression

    # class_weight="balanced": rare labels are not drowned by the bulk of HTTP lines.
    return LogisticRegression(max_iter=2000, class_weight="balanced", C=10.0, random_state=seed).fit(x, y)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Train the ML tier and save a model bundle.")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="labelled CSV (source, log_message, target_label)")
    p.add_argument("--output", type=Path, default=ROOT / "models" / "log_classifier.joblib")
    p.add_argument(
        "--labels", type=Path, help="YAML with label descriptions (default: LABELS.yaml next to the data, else resources/labels.yaml)"
    )
    p.add_argument("--threshold", type=float, default=0.5, help="confidence threshold stored in the bundle")
    p.add_argument("--min-similarity", type=float, default=0.5, help="novelty gate: cosine to the nearest training template")
    p.add_argument("--test-size", type=float, default=0.2, help="held-out share for the printed report")
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args(argv)

    from sklearn.metrics import classification_report
    from sklearn.model_selection import train_test_split

    from logclf.embedding import DEFAULT_MODEL_ID, Embedder

    settings = Settings.from_env()
    try:
        df = load_labelled(args.data)
        labels_path = args.labels or next((c for c in [args.data.with_name("labels.yaml")] if c.is_file()), DEFAULT_LABELS_PATH)
        descriptions = load_label_descriptions(labels_path)
    except (DataError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    ml = df[~df["source"].isin(settings.llm_sources)].reset_index(drop=True)
    counts = ml["target_label"].value_counts()
    if len(counts) < 2:
        print(f"error: need at least 2 labels outside LLM sources; found {dict(counts)}", file=sys.stderr)
        return 2
    print(f"training on {len(ml)} rows ({len(df) - len(ml)} rows from LLM sources left out), {len(counts)} labels", file=sys.stderr)

    masker = Masker.from_file(settings.masking_path)
    embedder = Embedder(settings.embedding_model, max_seq_length=settings.max_seq_length, batch_size=settings.embed_batch_size)
    x, reference = embed_templates(ml["log_message"].tolist(), masker, embedder)
    y = ml["target_label"].to_numpy()

    stratify = y if counts.min() >= 2 else None
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=args.test_size, random_state=args.seed, stratify=stratify)
    predicted = fit_classifier(x_tr, y_tr, args.seed).predict(x_te)
    report = classification_report(y_te, predicted, digits=4, output_dict=True, zero_division=0)
    print(classification_report(y_te, predicted, digits=4, zero_division=0), file=sys.stderr)

    classifier = fit_classifier(x, y, args.seed)
    all_labels = list(dict.fromkeys([*sorted(counts.index), *sorted(df["target_label"].unique())]))
    bundle = ModelBundle(
        classifier=classifier,
        label_descriptions={label: descriptions.get(label, "") for label in all_labels},
        threshold=args.threshold,
        embedding_model=embedder.model_id or DEFAULT_MODEL_ID,
        embedding_backend=embedder.backend,
        max_seq_length=settings.max_seq_length,
        masked_templates=True,
        reference_embeddings=reference.astype(np.float16),
        min_similarity=args.min_similarity,
        metadata={
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "data": str(args.data.name),
            "training_rows": int(len(ml)),
            "label_counts": {str(k): int(v) for k, v in counts.items()},
            "holdout": {"test_size": args.test_size, "accuracy": report["accuracy"], "macro_f1": report["macro avg"]["f1-score"]},
        },
    )
    bundle.save(args.output)
    print(f"saved {args.output} (threshold {bundle.threshold}, labels: {', '.join(bundle.labels)})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
