"""What the evaluation measures: accuracy, coverage and kept accuracy per tier, label and source, and
template purity. Shared by `logclf evaluate` and the held-out report of `logclf train`."""

from __future__ import annotations

from collections import defaultdict

from logclf.decision import TIERS, UNCLASSIFIED


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
