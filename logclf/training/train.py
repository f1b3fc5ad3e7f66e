"""Fit the ML tier (MiniLM embeddings + logistic regression) on any taxonomy and save the bundle.

    logclf train                                   # the shipped corpus -> models/log_classifier.joblib
    logclf train --data my_logs.csv --output models/mine.joblib
    logclf train --data my_logs.csv --split 0.3 --seed 7   # + whole-cascade test on 30%

The data needs `source`, `log_message` and `target_label`; the labels are whatever the file says.
Descriptions for the LLM prompt and the web page come from `--labels`, else `labels.yaml` next to
the data, else `resources/labels.yaml`. Rows from LLM sources (LLM_SOURCES, default LegacyCRM) are
left out of fitting: the cascade never shows them to this model. Messages are masked into
templates first, exactly as the cascade does at inference time.

The two gates of the ML tier are calibrated on out-of-fold data (see training/calibration.py):
the confidence threshold is the lowest one whose kept rows reach `--target-precision`, and the
novelty gate `min_similarity` is a low percentile of in-distribution nearest-template similarity.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from logclf import embedding_probe
from logclf.bundle import ModelBundle
from logclf.decision import Batch
from logclf.errors import UserError
from logclf.features import WordFeatures
from logclf.labels import DEFAULT_LABELS_PATH, load_label_descriptions
from logclf.levels import level_table
from logclf.masking import Masker
from logclf.paths import MODELS
from logclf.settings import Settings
from logclf.tiers.regex import RegexTier
from logclf.training.calibration import MIN_LABEL_TEMPLATES, Calibration, format_label_thresholds, format_table
from logclf.training.data import check_label_counts, load_labelled, load_rules_for, ml_label_counts, row_levels
from logclf.training.fitting import embed_templates, fit_classifier, grouped_calibration, make_units

# The shipped corpus (authored in the repository's training/corpus/, packaged with the wheel).
DEFAULT_DATA = Path(__file__).resolve().parent / "dataset" / "corpus.csv"


def resolve_descriptions(labels_arg: Path | None, data_path: Path, data_labels: list[str]) -> tuple[dict[str, str], list[str]]:
    """({label: description} for the taxonomy, warnings).

    A user's labels file (`--labels` or `labels.yaml` next to the data) may add labels with no
    training rows: only the LLM (or a rule) can give those. The shipped default file only
    describes labels that occur in the data, so a custom taxonomy does not inherit ours.
    """
    beside = data_path.with_name("labels.yaml")
    path = labels_arg or (beside if beside.is_file() else None)
    described = load_label_descriptions(path or DEFAULT_LABELS_PATH)
    extra = [label for label in described if label not in data_labels] if path else []
    taxonomy = {label: described.get(label, "") for label in [*data_labels, *extra]}
    warnings = [
        f"label {label!r} has no description in {path or DEFAULT_LABELS_PATH}; the LLM sees only its name"
        for label, d in taxonomy.items()
        if not d
    ]
    warnings += [f"label {label!r} (from {path}) has no training rows: only the LLM or a rule can give it" for label in extra]
    return taxonomy, warnings


def split_holdout(df: pd.DataFrame, share: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test), stratified by label so every label is represented in both parts."""
    from sklearn.model_selection import train_test_split

    counts = df["target_label"].value_counts()
    single = counts[counts < 2]
    if len(single):
        raise UserError(f"--split needs at least 2 rows per label; {', '.join(repr(x) for x in single.index)} has only 1")
    train, test = train_test_split(df, test_size=share, random_state=seed, stratify=df["target_label"])
    return train.reset_index(drop=True), test.reset_index(drop=True)


@dataclass
class Trained:
    bundle: ModelBundle
    calibration: Calibration
    oof_report: str  # per-label precision/recall of out-of-fold predictions


def train_bundle(
    df: pd.DataFrame,
    descriptions: dict[str, str],
    embedder,
    masker: Masker,
    regex: RegexTier,
    *,
    llm_sources: tuple[str, ...] = ("LegacyCRM",),
    target_precision: float = 0.95,
    threshold: float | None = None,
    min_similarity: float | None = None,
    seed: int = 42,
    metadata: dict | None = None,
) -> Trained:
    """Fit the classifier on all ML rows of `df` and calibrate its gates out-of-fold.

    Calibration only looks at rows the regex tier does not catch: those are what the ML tier sees.
    An explicit `threshold` / `min_similarity` overrides the calibrated value (the table is still made); an
    explicit `threshold` also replaces the per-label thresholds: it is then the one gate for every label.
    """
    from sklearn.metrics import classification_report

    from logclf.embedding import DEFAULT_MODEL_ID

    ml = df[~df["source"].isin(llm_sources)].reset_index(drop=True)
    counts = ml_label_counts(ml, llm_sources)
    check_label_counts(counts)
    messages = ml["log_message"].tolist()
    _, reference, template_ids, templates = embed_templates(messages, masker, embedder)
    y = ml["target_label"].to_numpy(dtype=object)
    # Family groups when the data has them (the corpus does): the gates then describe unseen software.
    grouped_by = "group" if "group" in ml.columns and ml["group"].str.strip().ne("").all() else "template"
    groups = ml["group"].to_numpy(dtype=object) if grouped_by == "group" else template_ids.astype(object)
    words = WordFeatures().fit(templates)
    units = make_units(template_ids, reference, y, groups, words, templates)
    reaches_ml = np.array([d is None for d in regex.decide(Batch(ml["source"].tolist(), messages))])
    reaches_ml_unit = np.zeros(len(units.y), dtype=bool)
    reaches_ml_unit[units.row_unit[reaches_ml]] = True
    levels = row_levels(ml)  # None: the data has no levels; the bundle then has no level table
    calibration, oof, expand = grouped_calibration(units, reaches_ml_unit, target_precision, seed)
    rows_mask = reaches_ml_unit[expand]
    oof_rows = oof.take(expand)
    report = (
        classification_report(oof_rows.gold[rows_mask], oof_rows.predicted[rows_mask], digits=4, zero_division=0) if rows_mask.any() else ""
    )

    bundle = ModelBundle(
        classifier=fit_classifier(units.x, units.y, seed, units.weight),
        label_descriptions=descriptions,
        threshold=calibration.threshold if threshold is None else threshold,
        # An explicit --threshold is one gate for every label, as the user asked.
        label_thresholds=calibration.label_thresholds if threshold is None else None,
        embedding_model=embedder.model_id or DEFAULT_MODEL_ID,
        embedding_backend=embedder.backend,
        max_seq_length=getattr(embedder, "max_seq_length", 128),
        reference_embeddings=reference.astype(np.float16),
        word_features=words,
        min_similarity=calibration.min_similarity if min_similarity is None else min_similarity,
        level_table=None if levels is None else level_table(y.tolist(), levels, sorted({str(label) for label in y})),
        metadata={
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "training_rows": int(len(ml)),
            "left_out_llm_source_rows": int(len(df) - len(ml)),
            "label_counts": {str(k): int(v) for k, v in counts.items()},
            "calibration": {**calibration.as_dict(), "folds_grouped_by": grouped_by},
            "embedding_probe": embedding_probe.record(embedder),  # checked when the model is loaded to classify
            **(metadata or {}),
        },
    )
    return Trained(bundle, calibration, report)


def evaluate_holdout(
    bundle: ModelBundle,
    embedder,
    masker: Masker,
    regex: RegexTier,
    test: pd.DataFrame,
    settings: Settings,
    report_dir: Path | None = None,
    appendix: str = "",
) -> dict:
    """The whole cascade (regex, ML, LLM routing) on held-out rows, with the bundle just trained.

    The LLM tier is called only if GROQ_API_KEY is set; otherwise its rows come back Unclassified.
    With `report_dir`, the Markdown report and its pictures are written there too.
    """
    from logclf.cascade import Cascade
    from logclf.tiers.bert import BertTier
    from logclf.tiers.llm import LLMTier
    from logclf.training.scoring import evaluate

    cascade = Cascade(
        regex=regex,
        bert=BertTier(bundle, embedder),
        llm=LLMTier(settings, bundle.label_descriptions, masker),
        masker=masker,
        labels=bundle.labels,
        label_descriptions=bundle.label_descriptions,
        llm_sources=settings.llm_sources,
    )
    try:
        decisions = cascade.classify(test["source"].tolist(), test["log_message"].tolist(), levels=row_levels(test))
        metrics = evaluate(cascade, test, decisions)
        if report_dir is not None:
            from logclf.training.report import write_report

            name = f"held-out part of {bundle.metadata.get('data', '')}"
            path = write_report(report_dir, cascade, test, decisions, metrics, data_name=name, appendix=appendix)
            print(f"report written to {path}", file=sys.stderr)
        return metrics
    finally:
        cascade.close()


def describe_calibration(
    c: Calibration,
    threshold: float,
    min_similarity: float,
    grouped_by: str = "template",
    label_thresholds: dict[str, float | None] | None = None,
) -> str:
    """The calibration in words: the one-threshold table, then the per-label thresholds and what the bundle stores."""
    precision = "-" if c.precision is None else f"{c.precision:.4f}"
    verdict = "meets" if c.met_target else "does NOT meet (most precise threshold taken)"
    if label_thresholds:
        shown = ", ".join(f"{label} {'never' if t is None else f'{t:.2f}'}" for label, t in label_thresholds.items())
        stored = f"stored in bundle: per-label thresholds ({shown}), min_similarity {min_similarity:.2f}"
    else:
        stored = f"stored in bundle: threshold {threshold:.2f} for every label, min_similarity {min_similarity:.2f}"
    return "\n".join(
        [
            f"calibration on {c.rows} out-of-fold rows the regex tier does not catch ({c.folds} folds, grouped by {grouped_by}):",
            f"  min_similarity {c.min_similarity:.2f} (p{c.similarity_percentile:g} of nearest-template cosine = {c.raw_similarity_percentile:.3f}, clipped)",
            format_table(c),
            f"  one threshold for all labels, {c.threshold:.2f}: ML tier keeps {c.coverage:.2%} at precision {precision}; {verdict} target {c.target_precision}",
            f"per predicted label, each at target precision {c.target_precision} (at least {MIN_LABEL_TEMPLATES} distinct templates kept):",
            format_label_thresholds(c),
            stored,
        ]
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="logclf train", description="Train the ML tier on a labelled CSV and save a model bundle.")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="labelled CSV (source, log_message, target_label)")
    p.add_argument(
        "--output", type=Path, default=MODELS / "log_classifier.joblib", help="where to save the bundle (default: the shipped model's path)"
    )
    p.add_argument(
        "--labels", type=Path, help="YAML with label descriptions (default: labels.yaml next to the data, else resources/labels.yaml)"
    )
    p.add_argument("--rules", type=Path, help="regex rules used for calibration and the held-out test (default: REGEX_RULES_PATH)")
    p.add_argument("--target-precision", type=float, default=0.95, help="precision the ML tier must reach on the rows it keeps")
    p.add_argument("--threshold", type=float, help="store this confidence threshold instead of the calibrated one")
    p.add_argument("--min-similarity", type=float, help="store this novelty gate instead of the calibrated one")
    p.add_argument("--split", type=float, default=0.0, help="hold out this share (stratified) and evaluate the whole cascade on it")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--report", type=Path, metavar="DIR", help="with --split: write the held-out evaluation report to DIR/report.md")
    p.add_argument("--backend", default="torch", help="embedding backend: torch, onnx or onnx-int8")
    p.add_argument(
        "--corrections",
        type=Path,
        help="corrections exported by the server (GET /corrections/export, YAML or ?format=csv): they relabel the rows of "
        "their templates and their lines are added to the training data",
    )
    args = p.parse_args(argv)

    settings = Settings.from_env()
    try:
        if not 0.0 <= args.split < 1.0:
            raise UserError(f"--split must be in [0, 1); got {args.split}")
        if not 0.0 < args.target_precision <= 1.0:
            raise UserError(f"--target-precision must be in (0, 1]; got {args.target_precision}")
        if args.report and not args.split:
            raise UserError("--report needs --split (it reports on the held-out part); or use logclf evaluate --report")
        df = load_labelled(args.data)
        data_labels = sorted(df["target_label"].unique())
        descriptions, warnings = resolve_descriptions(args.labels, args.data, data_labels)
        regex, rules_warning = load_rules_for(args.rules or settings.regex_rules_path, list(descriptions))
        check_label_counts(ml_label_counts(df, settings.llm_sources))
        train_df, test_df = split_holdout(df, args.split, args.seed) if args.split else (df, df.iloc[0:0])
        if args.split:
            try:
                check_label_counts(ml_label_counts(train_df, settings.llm_sources))
            except UserError as exc:
                raise UserError(f"after holding out --split {args.split}: {exc}") from None
        masker = Masker.from_file(settings.masking_path)
        corrections_note = ""
        if args.corrections:
            from logclf.corrections import apply_corrections, load_corrections_for_training

            corrections = load_corrections_for_training(args.corrections, masker.template, list(descriptions))
            train_df, added, relabelled = apply_corrections(train_df, corrections, masker.template)
            corrections_note = (
                f"corrections from {args.corrections.name}: {added} corrected line(s) added, "
                f"{relabelled} training row(s) of their templates relabelled"
            )
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for warning in [*warnings, *([rules_warning] if rules_warning else [])]:
        print(f"warning: {warning}", file=sys.stderr)

    from logclf.embedding import Embedder

    try:
        embedder = Embedder.from_settings(settings, args.backend)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if corrections_note:
        print(corrections_note, file=sys.stderr)
    held_out = f", {len(test_df)} held out" if len(test_df) else ""
    print(f"training on {len(train_df)} rows{held_out}, {len(data_labels)} labels, backend {embedder.backend}", file=sys.stderr)
    trained = train_bundle(
        train_df,
        descriptions,
        embedder,
        masker,
        regex,
        llm_sources=settings.llm_sources,
        target_precision=args.target_precision,
        threshold=args.threshold,
        min_similarity=args.min_similarity,
        seed=args.seed,
        metadata={"data": args.data.name, "split": args.split, "seed": args.seed, "corrections": corrections_note},
    )
    bundle = trained.bundle
    print("out-of-fold predictions (rows reaching the ML tier, no gates):", file=sys.stderr)
    print(trained.oof_report, file=sys.stderr)
    calibration_text = describe_calibration(
        trained.calibration,
        bundle.threshold,
        bundle.min_similarity,
        bundle.metadata["calibration"]["folds_grouped_by"],
        bundle.label_thresholds,
    )
    if corrections_note:
        calibration_text += f"\n{corrections_note}"
    print(calibration_text, file=sys.stderr)
    if not trained.calibration.met_target and args.threshold is None:
        print(
            f"warning: no threshold reaches precision {args.target_precision}; more (varied) examples per label would help", file=sys.stderr
        )

    if len(test_df):
        from logclf.training.scoring import format_report

        metrics = evaluate_holdout(bundle, embedder, masker, regex, test_df, settings, args.report, calibration_text)
        print(f"\nwhole cascade on the held-out {args.split:.0%} ({len(test_df)} rows):", file=sys.stderr)
        print(format_report(metrics), file=sys.stderr)
        bundle.metadata["holdout"] = {
            k: metrics[k] for k in ("rows", "accuracy", "macro_f1", "unclassified_rate", "accuracy_without_llm_routed")
        }
    bundle.save(args.output)
    print(
        f"saved {args.output} (threshold {bundle.threshold:.2f}, min_similarity {bundle.min_similarity:.2f}, labels: {', '.join(bundle.labels)})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
