"""Run the whole cascade on a labelled CSV and report how good it is.

    logclf evaluate training/dataset/synthetic_logs.csv
    logclf evaluate LABELED.csv --model models/mine.joblib --json
    logclf evaluate LABELED.csv --report reports/mine     # + reports/mine/report.md and PNGs

Prints accuracy, macro-F1, per-label precision/recall/F1, per-tier coverage and accuracy and the
Unclassified rate. `--json` prints exactly one JSON object on stdout (everything else on stderr).
It also measures template purity: how many masked templates carry more than one gold label,
i.e. whether masking merges lines that should be labelled differently. Rows the LLM tier answers
(or would answer, when it is off) are counted separately: `accuracy_without_llm_routed` is the
accuracy of the regex and ML tiers on the rows they keep.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from logclf.errors import UserError
from logclf.settings import Settings
from logclf.training.data import load_labelled, load_rules_for, row_levels
from logclf.training.scoring import evaluate, format_report, template_purity  # noqa: F401 (template_purity: for callers)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="logclf evaluate", description="Evaluate the full cascade on a labelled CSV.")
    p.add_argument("data", type=Path, help="labelled CSV: source, log_message, target_label")
    p.add_argument("--model", type=Path, help="model bundle (default: MODEL_PATH)")
    p.add_argument("--rules", type=Path, help="regex rules file (default: REGEX_RULES_PATH); must use the model's labels")
    p.add_argument("--no-llm", action="store_true", help="do not call the LLM tier")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--report", type=Path, metavar="DIR", help="write DIR/report.md with a confusion matrix and a threshold plot")
    p.add_argument(
        "--leave-family-out",
        action="store_true",
        help="for every family group of DATA (its `group` column): train on the others, score it (regex + ML tiers only)",
    )
    p.add_argument("--backend", default="onnx", help="with --leave-family-out: embedding backend (torch, onnx, onnx-int8)")
    p.add_argument("--target-precision", type=float, default=0.95, help="with --leave-family-out: precision the gates are calibrated for")
    p.add_argument(
        "--groups",
        metavar="A,B",
        help="with --leave-family-out: hold out only these groups, in turn (default: every group); each round still trains on all the others",
    )
    p.add_argument(
        "--levels",
        choices=("off", "on", "both"),
        default="off",
        help="with --leave-family-out: update the ML tier's confidence with each row's level (DATA's level column); "
        "both: the two tables from one pass",
    )
    args = p.parse_args(argv)
    if args.leave_family_out:
        return run_leave_family_out(args)

    settings = Settings.from_env()
    if args.model:
        settings = settings.with_(model_path=args.model)
    if args.rules:
        settings = settings.with_(regex_rules_path=args.rules)
    if args.no_llm:
        settings = settings.with_(llm_enabled=False)
    try:
        df = load_labelled(args.data)
        from logclf.cascade import Cascade

        cascade = Cascade.from_settings(settings)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        decisions = cascade.classify(df["source"].tolist(), df["log_message"].tolist(), levels=row_levels(df))
        metrics = evaluate(cascade, df, decisions)
        if args.report:
            from logclf.training.report import write_report

            path = write_report(args.report, cascade, df, decisions, metrics, data_name=str(args.data))
            print(f"report written to {path}", file=sys.stderr)
    finally:
        cascade.close()
    if args.json:
        print(json.dumps(metrics))
    else:
        print(format_report(metrics))
    return 0


def run_leave_family_out(args) -> int:
    """Print the per-group table (or one JSON object with --json)."""
    from logclf.embedding import Embedder
    from logclf.masking import Masker
    from logclf.training.lofo import format_lofo, leave_family_out

    settings = Settings.from_env()
    if args.rules:
        settings = settings.with_(regex_rules_path=args.rules)
    try:
        df = load_labelled(args.data)
        masker = Masker.from_file(settings.masking_path)
        regex, warning = load_rules_for(settings.regex_rules_path, sorted(df["target_label"].unique()))
        if warning:
            print(f"warning: {warning}", file=sys.stderr)
        only = [g.strip() for g in args.groups.split(",") if g.strip()] if args.groups else None
        embedder = Embedder.from_settings(settings, args.backend)

        def progress(group: str, figures: dict) -> None:
            acc = "-" if figures["kept_accuracy"] is None else f"{figures['kept_accuracy']:.4f}"
            print(f"held out {group}: coverage {figures['coverage']:.2%}, kept accuracy {acc}", file=sys.stderr, flush=True)

        result = leave_family_out(
            df, embedder, masker, regex, settings.llm_sources, args.target_precision, only=only, progress=progress, levels=args.levels
        )
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result))
    elif args.levels == "both":
        print("\n\n".join(f"== {title} ==\n{format_lofo(result[key])}" for key, title in LEVEL_TABLES))
    else:
        print(format_lofo(result))
    return 0


LEVEL_TABLES = (("levels_off", "without levels (message only)"), ("levels_on", "with levels (Bayes update of the ML confidence)"))


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s", stream=sys.stderr)
    sys.exit(main())
