"""The evaluation report: `DIR/report.md` plus two pictures a person can read at a glance.

- `confusion_matrix.png`: gold label (rows) against the cascade's answer (columns), coloured by
  the share of each gold label, with counts written in the cells;
- `threshold.png`: for the rows that reach the ML tier, how many it keeps and how accurate those
  are as the confidence threshold moves, with the bundle's threshold marked. This is measured on
  the evaluated file: on the training data itself it is optimistic.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from logclf.decision import UNCLASSIFIED
from logclf.training.calibration import THRESHOLD_GRID

WORST_CONFUSIONS = 10
EXAMPLES_PER_CONFUSION = 3


def write_report(directory: Path, cascade, df, decisions: list, metrics: dict, data_name: str = "", appendix: str = "") -> Path:
    """Write report.md, confusion_matrix.png and threshold.png into `directory`; return report.md.

    `appendix` (plain text, e.g. the training calibration table) is added at the end verbatim.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    gold = df["target_label"].tolist()
    pred = [d.label for d in decisions]
    answers = [*sorted(set(gold) | set(pred) - {UNCLASSIFIED}), *([UNCLASSIFIED] if UNCLASSIFIED in set(gold) | set(pred) else [])]
    plot_confusion_matrix(gold, pred, answers, directory / "confusion_matrix.png")
    curve = ml_threshold_curve(cascade, df, decisions)
    plot_threshold_curve(curve, cascade.bert.threshold, directory / "threshold.png")
    text = render_markdown(metrics, confusions(gold, pred, df["log_message"].tolist()), curve, cascade, data_name)
    if appendix:
        text += f"\n## How the gates were chosen (training, out-of-fold)\n\n```\n{appendix}\n```\n"
    path = directory / "report.md"
    path.write_text(text, encoding="utf-8")
    return path


def confusions(gold: list[str], pred: list[str], messages: list[str]) -> list[tuple[str, str, int, list[str]]]:
    """The most frequent (gold, predicted) mistakes with a few example lines each."""
    pairs = Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p)
    out = []
    for (g, p), count in pairs.most_common(WORST_CONFUSIONS):
        examples = [m for m, gg, pp in zip(messages, gold, pred, strict=True) if gg == g and pp == p][:EXAMPLES_PER_CONFUSION]
        out.append((g, p, count, examples))
    return out


def ml_threshold_curve(cascade, df, decisions: list) -> dict:
    """Coverage and accuracy of the ML tier over the threshold grid, on the rows it would see.

    Those are the rows neither routed to the LLM by source nor caught by a regex rule; the novelty
    gate stays at the bundle's value so only the confidence threshold moves.
    """
    sources, messages, gold = df["source"].tolist(), df["log_message"].tolist(), df["target_label"].to_numpy()
    rows = [
        i
        for i, (s, m, d) in enumerate(zip(sources, messages, decisions, strict=True))
        if m.strip() and s not in cascade.llm_sources and d.tier != "regex"
    ]
    if not rows:
        return {"rows": 0, "thresholds": [], "coverage": [], "accuracy": [], "wrong": []}
    templates = [cascade.masker.template(messages[i]) for i in rows]
    unique = list(dict.fromkeys(templates))
    proba, similarity = cascade.bert.score(unique)
    index = {t: k for k, t in enumerate(unique)}
    at = np.array([index[t] for t in templates])
    classes = np.array(cascade.bert.bundle.classes, dtype=object)
    predicted, confidence, near = classes[proba.argmax(axis=1)][at], proba.max(axis=1)[at], (similarity >= cascade.bert.min_similarity)[at]
    correct = predicted == gold[rows]
    coverage, accuracy, wrong = [], [], []
    for t in THRESHOLD_GRID:
        kept = near & (confidence >= t)
        coverage.append(float(kept.mean()))
        accuracy.append(float(correct[kept].mean()) if kept.any() else float("nan"))
        wrong.append(int((kept & ~correct).sum()))
    return {"rows": len(rows), "thresholds": THRESHOLD_GRID.tolist(), "coverage": coverage, "accuracy": accuracy, "wrong": wrong}


def plot_confusion_matrix(gold: list[str], pred: list[str], answers: list[str], path: Path) -> None:
    """Rows: the gold labels present; columns: every answer (incl. Unclassified, which is never gold)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    golds = [a for a in answers if a in set(gold)]
    counts = confusion_matrix(gold, pred, labels=answers)[[answers.index(g) for g in golds]]
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.75 * len(answers) + 4.0), max(4.5, 0.6 * len(golds) + 3.0)))
    image = ax.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
    for r in range(len(golds)):
        for c in range(len(answers)):
            if counts[r, c]:
                ax.text(c, r, str(counts[r, c]), ha="center", va="center", fontsize=8, color="white" if shares[r, c] > 0.6 else "black")
    ax.set_xticks(range(len(answers)), answers, rotation=45, ha="right", fontsize=9)
    ax.set_yticks(range(len(golds)), golds, fontsize=9)
    ax.set_xlabel("cascade's answer")
    ax.set_ylabel("gold label")
    ax.set_title("Confusion matrix (colour: share of the gold label's rows)")
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_threshold_curve(curve: dict, threshold: float, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6.5), sharex=True)
    if curve["rows"]:
        top.plot(curve["thresholds"], curve["coverage"], label="share of ML-tier rows kept", color="tab:blue")
        top.plot(curve["thresholds"], curve["accuracy"], label="accuracy of kept rows", color="tab:green")
        bottom.step(curve["thresholds"], curve["wrong"], where="post", color="tab:red")
    for ax in (top, bottom):
        ax.axvline(threshold, color="grey", linestyle="--", label=f"bundle threshold {threshold:.2f}")
        ax.grid(alpha=0.3)
    top.set_ylim(0, 1.02)
    top.set_ylabel("share")
    top.set_title(f"ML tier on {curve['rows']} rows it would see (novelty gate fixed)")
    top.legend(loc="lower left", fontsize=8)
    bottom.set_ylim(bottom=0, top=max(1, max(curve["wrong"], default=0)) * 1.15)
    bottom.yaxis.get_major_locator().set_params(integer=True)
    bottom.set_ylabel("wrong answers kept (rows)")
    bottom.set_xlabel("confidence threshold")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "'").replace("\n", " ")


def _num(value: float | None, pattern: str = "{:.4f}") -> str:
    return "-" if value is None or (isinstance(value, float) and np.isnan(value)) else pattern.format(value)


def render_markdown(metrics: dict, worst: list, curve: dict, cascade, data_name: str) -> str:
    bert = cascade.bert
    lines = [
        f"# Evaluation report{f': {_cell(data_name)}' if data_name else ''}",
        "",
        f"- rows: {metrics['rows']}",
        f"- accuracy: {metrics['accuracy']:.4f}, macro-F1: {metrics['macro_f1']:.4f}, Unclassified: {metrics['unclassified_rate']:.2%}",
        f"- rows routed to the LLM tier: {metrics['llm_routed_rows']} "
        f"(LLM {'on' if cascade.llm_status().get('configured') else 'off: they are Unclassified'}); "
        f"accuracy without them: {_num(metrics['accuracy_without_llm_routed'])}",
        f"- ML tier gates: {_gates(bert)}, min_similarity {bert.min_similarity:.2f}",
        "",
        "## Per label",
        "",
        "| label | precision | recall | F1 | support |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, v in metrics["per_label"].items():
        lines.append(f"| {_cell(label)} | {v['precision']:.4f} | {v['recall']:.4f} | {v['f1']:.4f} | {v['support']} |")
    lines += [
        "",
        "## ML tier: confidence threshold per predicted label",
        "",
        "A prediction is kept when its probability reaches its label's threshold; `never`: the label did not reach the "
        "target precision out-of-fold at any threshold, so the ML tier leaves it to the LLM.",
        "",
        "| predicted label | threshold |",
        "|---|---:|",
    ]
    for label, t in bert.label_thresholds.items():
        lines.append(f"| {_cell(label)} | {'never' if t is None else f'{t:.2f}'} |")
    lines += ["", "## Per tier", "", "| tier | rows | coverage | accuracy |", "|---|---:|---:|---:|"]
    for tier, v in metrics["per_tier"].items():
        lines.append(f"| {tier} | {v['rows']} | {v['coverage']:.2%} | {_num(v['accuracy'])} |")
    lines += ["", "## Worst confusions", ""]
    if not worst:
        lines.append("None: every row got its gold label.")
    else:
        lines += ["| gold | answered | rows | example lines |", "|---|---|---:|---|"]
        for gold, pred, count, examples in worst:
            shown = "<br>".join(f"`{_cell(e)}`" for e in examples)
            lines.append(f"| {_cell(gold)} | {_cell(pred)} | {count} | {shown} |")
    lines += [
        "",
        "## Confusion matrix",
        "",
        "![confusion matrix](confusion_matrix.png)",
        "",
        "## ML tier: coverage and accuracy against one confidence threshold for all labels",
        "",
        f"On the {curve['rows']} rows that reach the ML tier (not an LLM source, no regex rule), as if one threshold "
        "(ML_CONFIDENCE_THRESHOLD) replaced the per-label ones. "
        "Measured on this file: if it is the training data, the curve is optimistic.",
        "",
        "![threshold curve](threshold.png)",
        "",
        "| threshold | kept | accuracy of kept | wrong answers kept |",
        "|---:|---:|---:|---:|",
    ]
    for t, c, a, w in zip(curve["thresholds"], curve["coverage"], curve["accuracy"], curve["wrong"], strict=True):
        if round(t * 100) % 10 == 0 or abs(t - bert.threshold) < 1e-9:
            lines.append(f"| {t:.2f}{' (bundle)' if abs(t - bert.threshold) < 1e-9 else ''} | {c:.2%} | {_num(a)} | {w} |")
    tp = metrics["template_purity"]
    lines += ["", f"Templates: {tp['templates']}; with mixed gold labels: {tp['mixed']}.", ""]
    return "\n".join(lines)


def _gates(bert) -> str:
    """The confidence gate in words: one threshold, or the per-label ones (their range and the labels never kept)."""
    values = list(bert.label_thresholds.values())
    if len(set(values)) <= 1:
        return f"threshold {bert.threshold:.2f}" if values != [None] else "no label kept"
    kept = [t for t in values if t is not None]
    never = [label for label, t in bert.label_thresholds.items() if t is None]
    text = f"per-label thresholds {min(kept):.2f}-{max(kept):.2f}" if kept else "no label kept"
    return text + (f" (never kept: {', '.join(never)})" if never else "")
