"""Run the whole cascade on a labelled CSV and report how good it is.

    python training/evaluate.py training/dataset/synthetic_logs.csv
    python training/evaluate.py LABELED.csv --model models/mine.joblib --json
    python training/evaluate.py LABELED.csv --report reports/mine     # + reports/mine/report.md and PNGs

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
from collections import defaultdict
from pathlib import Path

from logclf.decision import TIERS, UNCLASSIFIED
from logclf.errors import UserError
from logclf.settings import Settings
from training.data import load_labelled

ROOT = Path(__file__).resolve().parent.parent


def evaluate(cascade, df, decisions: list | None = None) -> dict:
    """Metrics of `cascade` on a labelled frame (source, log_message, target_label).

    Pass `decisions` when the frame was already classified (the report reuses them).
    """
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    if decisions is None:
        decisions = cascade.classify(df["source"].tolist(), df["log_message"].tolist())
    gold = df["target_label"].tolist()
    pred = [d.label for d in decisions]
    n = len(gold)
    labels = sorted(set(gold) | (set(pred) - {UNCLASSIFIED}))
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    per_tier = {}
    for tier in TIERS:
        rows = [i for i, d in enumerate(decisions) if d.tier == tier]
        correct = sum(gold[i] == pred[i] for i in rows)
        per_tier[tier] = {"rows": len(rows), "coverage": len(rows) / n if n else 0.0, "accuracy": correct / len(rows) if rows else None}
    purity = template_purity(cascade.masker, df)
    routed = llm_routed(decisions, df["log_message"].tolist())
    kept = [i for i in range(n) if i not in routed]
    local = [d.tier in LOCAL_TIERS for d in decisions]
    return {
        **kept_figures(gold, pred, local),
        "per_source": {
            source: kept_figures([gold[i] for i in rows], [pred[i] for i in rows], [local[i] for i in rows])
            for source, rows in _rows_by(df["source"].tolist()).items()
        },
        "rows": n,
        "accuracy": sum(g == q for g, q in zip(gold, pred, strict=False)) / n if n else 0.0,
        "macro_f1": float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
        "unclassified_rate": pred.count(UNCLASSIFIED) / n if n else 0.0,
        "per_label": {
            lab: {"precision": float(p[k]), "recall": float(r[k]), "f1": float(f[k]), "support": int(s[k])} for k, lab in enumerate(labels)
        },
        "per_tier": per_tier,
        "llm_routed_rows": len(routed),
        "accuracy_without_llm_routed": sum(gold[i] == pred[i] for i in kept) / len(kept) if kept else None,
        "template_purity": purity,
        "llm": cascade.llm_stats(),
    }


LOCAL_TIERS = ("regex", "bert")  # the tiers whose answers the LLM never sees


def kept_figures(gold: list[str], pred: list[str], local: list[bool]) -> dict:
    """`coverage`: share of rows the regex or ML tier decided; `kept_accuracy`: accuracy on those rows."""
    kept = [g == p for g, p, k in zip(gold, pred, local, strict=True) if k]
    return {"rows": len(gold), "coverage": len(kept) / len(gold) if gold else 0.0, "kept_accuracy": sum(kept) / len(kept) if kept else None}


def _rows_by(values: list[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(values):
        out[v].append(i)
    return dict(sorted(out.items()))


def llm_routed(decisions: list, messages: list[str]) -> set[int]:
    """Rows the LLM tier answered or would have answered (LLM sources and rows the ML tier was unsure of)."""
    return {i for i, (d, m) in enumerate(zip(decisions, messages, strict=True)) if d.tier == "llm" or (d.tier == "none" and m.strip())}


def template_purity(masker, df) -> dict:
    """Masked templates whose rows carry different gold labels (masking would merge them)."""
    labels_by_template: dict[str, set[str]] = defaultdict(set)
    for message, label in zip(df["log_message"], df["target_label"], strict=False):
        labels_by_template[masker.template(message)].add(label)
    mixed = {t: sorted(ls) for t, ls in labels_by_template.items() if len(ls) > 1}
    return {"templates": len(labels_by_template), "mixed": len(mixed), "mixed_examples": dict(list(mixed.items())[:5])}


def format_report(m: dict) -> str:
    lines = [
        f"rows: {m['rows']}  accuracy: {m['accuracy']:.4f}  macro-F1: {m['macro_f1']:.4f}  unclassified: {m['unclassified_rate']:.2%}",
        f"LLM-routed rows: {m['llm_routed_rows']}  accuracy without them: {_fmt(m['accuracy_without_llm_routed'])}",
        f"regex+ML tiers decided {m['coverage']:.2%} of rows (coverage) at kept accuracy {_fmt(m['kept_accuracy'])}",
        "",
        f"{'label':<22}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}",
    ]
    for label, v in m["per_label"].items():
        lines.append(f"{label:<22}{v['precision']:>10.4f}{v['recall']:>10.4f}{v['f1']:>10.4f}{v['support']:>9}")
    lines += ["", f"{'tier':<8}{'rows':>8}{'coverage':>10}{'accuracy':>10}"]
    for tier, v in m["per_tier"].items():
        acc = "-" if v["accuracy"] is None else f"{v['accuracy']:.4f}"
        lines.append(f"{tier:<8}{v['rows']:>8}{v['coverage']:>10.2%}{acc:>10}")
    tp = m["template_purity"]
    lines += ["", f"templates: {tp['templates']}, with mixed gold labels: {tp['mixed']}"]
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Evaluate the full cascade on a labelled CSV.")
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
        from cascade import Cascade

        cascade = Cascade.from_settings(settings)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        decisions = cascade.classify(df["source"].tolist(), df["log_message"].tolist())
        metrics = evaluate(cascade, df, decisions)
        if args.report:
            from training.report import write_report

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
    from training.lofo import format_lofo, leave_family_out
    from training.train import load_rules_for

    settings = Settings.from_env()
    if args.rules:
        settings = settings.with_(regex_rules_path=args.rules)
    try:
        df = load_labelled(args.data)
        masker = Masker.from_file(settings.masking_path)
        regex, warning = load_rules_for(settings.regex_rules_path, sorted(df["target_label"].unique()))
        if warning:
            print(f"warning: {warning}", file=sys.stderr)
        embedder = Embedder.from_settings(settings, args.backend)
        result = leave_family_out(df, embedder, masker, regex, settings.llm_sources, args.target_precision)
    except (UserError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result) if args.json else format_lofo(result))
    return 0


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s", stream=sys.stderr)
    sys.exit(main())
