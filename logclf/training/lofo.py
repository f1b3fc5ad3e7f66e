"""Leave-family-out evaluation: how the regex and ML tiers do on software they were never trained on.

For every family group of a corpus (the `group` column), the ML tier is fitted on all other groups, its gates
are calibrated with grouped folds on those groups only (as train.py does, with 3 folds instead of 5), and the held-out group is
scored: `coverage` is the share of its rows the regex or ML tier decides, `kept_accuracy` the accuracy of those
decisions (rows of LLM sources count as not kept). Templates are embedded once and reused by every round.
Run it with `logclf evaluate --leave-family-out CORPUS.csv`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np
import pandas as pd

from logclf.decision import Batch
from logclf.errors import UserError
from logclf.features import WordFeatures
from logclf.levels import level_table, likelihoods, updated_confidence
from logclf.training.calibration import apply_label_thresholds
from logclf.training.data import MIN_ROWS_PER_LABEL, check_label_counts
from logclf.training.data import row_levels as row_levels_of
from logclf.training.fitting import calibrate_units, embed_templates, fit_classifier, make_units, unit_out_of_fold

LEVEL_MODES = ("off", "on", "both")


def leave_family_out(
    df: pd.DataFrame,
    embedder,
    masker,
    regex,
    llm_sources: tuple[str, ...],
    target_precision: float = 0.95,
    seed: int = 42,
    only: Collection[str] | None = None,
    progress: Callable[[str, dict], None] | None = None,
    levels: str = "off",
) -> dict:
    """{"groups": {group: figures}, "overall": figures, "per_label": ...}; figures = rows, coverage, kept_accuracy, threshold,
    label_thresholds, min_similarity and per-label figures (see per_label_figures). `only` holds out just these
    groups (each round still trains on every other group); `progress(group, figures)` is called after each round.

    `levels`: "off" (message only), "on" (the ML tier's confidence updated by each row's level; the gates are
    the same message-only ones), or "both": {"levels_off": result, "levels_on": result} from one pass, the
    embeddings and out-of-fold fits shared."""
    if levels not in LEVEL_MODES:
        raise UserError(f"levels must be one of {', '.join(LEVEL_MODES)}; got {levels!r}")
    modes = ("off", "on") if levels == "both" else (levels,)
    if "group" not in df.columns or df["group"].str.strip().eq("").any():
        raise UserError("--leave-family-out needs a `group` column on every row (e.g. training/dataset/corpus.csv)")
    groups_all = df["group"].to_numpy(dtype=object)
    if len(set(groups_all)) < 3:
        raise UserError(f"--leave-family-out needs at least 3 groups; found {len(set(groups_all))}")
    unknown = sorted(set(only or ()) - set(groups_all))
    if unknown:
        raise UserError(f"--groups: no such group in the data: {', '.join(unknown)} (groups: {', '.join(sorted(set(groups_all)))})")
    messages, sources = df["log_message"].tolist(), df["source"].tolist()
    gold = df["target_label"].to_numpy(dtype=object)
    row_levels = np.array(row_levels_of(df) or [None] * len(df), dtype=object)
    _, vectors, template_ids, templates = embed_templates(messages, masker, embedder)
    from_llm = df["source"].isin(llm_sources).to_numpy()
    regex_label = np.array([None if d is None else d.label for d in regex.decide(Batch(sources, messages))], dtype=object)
    regex_label[from_llm] = None
    tallies = {mode: _Tally(len(df)) for mode in modes}
    for group in sorted(set(groups_all) if only is None else set(only)):
        held = groups_all == group
        train = ~held & ~from_llm
        counts = pd.Series(gold[train]).value_counts()
        train &= np.isin(gold, counts[counts >= MIN_ROWS_PER_LABEL].index.to_numpy())  # too rare to fold: left to the LLM
        check_label_counts(pd.Series(gold[train]).value_counts())
        words = WordFeatures().fit([templates[t] for t in np.unique(template_ids[train])])  # this round's training words only
        units = make_units(template_ids[train], vectors, gold[train], groups_all[train], words, templates)
        reaches = np.zeros(len(units.y), dtype=bool)
        reaches[units.row_unit[regex_label[train] == None]] = True  # noqa: E711 - elementwise on an object array
        oof = unit_out_of_fold(units, seed, folds=3)  # 3 folds: 12 rounds stay affordable
        # The gates are set on message-only confidences in both modes: the level only moves rows across them.
        calibration, _ = calibrate_units(units, oof, reaches, target_precision)
        model = fit_classifier(units.x, units.y, seed, units.weight)
        reference = vectors[np.unique(units.template)]
        classes = [str(c) for c in model.classes_]
        matrix = likelihoods(level_table(gold[train].tolist(), row_levels[train].tolist(), classes), classes)

        idx = np.flatnonzero(held)
        by_regex = regex_label[idx] != None  # noqa: E711
        to_ml = idx[~by_regex & ~from_llm[idx]]
        tids = np.unique(template_ids[to_ml])
        proba = similarity = best = None
        if len(to_ml):
            proba = model.predict_proba(words.combine(vectors[tids], [templates[t] for t in tids]))
            similarity = (vectors[tids] @ reference.T).max(axis=1)
            best = proba.argmax(axis=1)
        for mode in modes:
            with_levels = mode == "on"
            kept_label = {int(i): regex_label[i] for i in idx[by_regex]}
            if len(to_ml):
                at = np.searchsorted(tids, template_ids[to_ml])  # each ML row's template among `tids`
                row_best = best[at]
                if with_levels:
                    confidence = updated_confidence(proba[at], row_best, row_levels[to_ml].tolist(), matrix)
                else:
                    confidence = proba[at, row_best]
                passes = apply_label_thresholds(model.classes_[row_best], confidence, calibration.label_thresholds, calibration.threshold)
                confident = passes & (similarity[at] >= calibration.min_similarity)
                for i, b, c in zip(to_ml, row_best, confident, strict=True):
                    if c:
                        kept_label[int(i)] = model.classes_[b]
            figures = tallies[mode].add(group, held, idx, gold, kept_label, calibration, df)
            if progress is not None:
                progress(group if len(modes) == 1 else f"{group} (levels {mode})", figures)
    results = {mode: tally.result(groups_all, gold) for mode, tally in tallies.items()}
    return results[modes[0]] if len(modes) == 1 else {"levels_" + mode: r for mode, r in results.items()}


class _Tally:
    """One evaluation's figures, accumulated round by round (one per mode: with and without levels)."""

    def __init__(self, rows: int):
        self.groups: dict[str, dict] = {}
        self.correct = self.kept = 0
        self.decided: list = [None] * rows

    def add(self, group: str, held: np.ndarray, idx: np.ndarray, gold: np.ndarray, kept_label: dict, calibration, df) -> dict:
        correct = sum(gold[i] == label for i, label in kept_label.items())
        self.groups[group] = {
            "rows": int(held.sum()),
            "coverage": len(kept_label) / int(held.sum()),
            "kept_accuracy": correct / len(kept_label) if kept_label else None,
            "threshold": calibration.threshold,
            "label_thresholds": calibration.label_thresholds,
            "min_similarity": calibration.min_similarity,
            "families": sorted(set(df.loc[held, "family"])) if "family" in df.columns else [],
            "per_label": per_label_figures(gold[idx], [kept_label.get(int(i)) for i in idx]),
        }
        self.correct += correct
        self.kept += len(kept_label)
        for i in idx:
            self.decided[i] = kept_label.get(int(i))
        return self.groups[group]

    def result(self, groups_all: np.ndarray, gold: np.ndarray) -> dict:
        scored = np.isin(groups_all, list(self.groups))
        rows = int(scored.sum())
        return {
            "groups": self.groups,
            "overall": {"rows": rows, "coverage": self.kept / rows, "kept_accuracy": self.correct / self.kept if self.kept else None},
            "worst_group_kept_accuracy": min(
                (g["kept_accuracy"] for g in self.groups.values() if g["kept_accuracy"] is not None), default=None
            ),
            "per_label": per_label_figures(gold[scored], [d for d, s in zip(self.decided, scored, strict=True) if s]),
        }


def per_label_figures(gold: np.ndarray, decided: list) -> dict[str, dict]:
    """Per label: its gold rows, the share of them decided locally (`coverage`), how many rows were decided as
    it (`kept`) and the precision of those decisions (`kept_precision`). `decided` is None where no local tier
    kept the row."""
    out = {}
    for label in sorted({str(g) for g in gold} | {str(d) for d in decided if d is not None}):
        is_gold = gold == label
        as_label = np.array([d == label for d in decided], dtype=bool)
        local = np.array([d is not None for d in decided], dtype=bool)
        kept = int(as_label.sum())
        out[label] = {
            "rows": int(is_gold.sum()),
            "coverage": float((is_gold & local).sum() / is_gold.sum()) if is_gold.any() else None,
            "kept": kept,
            "kept_precision": float((as_label & is_gold).sum() / kept) if kept else None,
        }
    return out


def format_lofo(result: dict) -> str:
    lines = [f"{'held-out group':<16}{'rows':>7}{'coverage':>10}{'kept acc.':>11}{'threshold':>11}{'min_sim':>9}"]
    for group, g in result["groups"].items():
        acc = "-" if g["kept_accuracy"] is None else f"{g['kept_accuracy']:.4f}"
        lines.append(f"{group:<16}{g['rows']:>7}{g['coverage']:>10.2%}{acc:>11}{g['threshold']:>11.2f}{g['min_similarity']:>9.2f}")
    o = result["overall"]
    acc = "-" if o["kept_accuracy"] is None else f"{o['kept_accuracy']:.4f}"
    lines.append(f"{'overall':<16}{o['rows']:>7}{o['coverage']:>10.2%}{acc:>11}")
    if result.get("per_label"):
        lines += [
            "",
            "per label, over all held-out groups (coverage: share of its rows decided locally; kept precision: of the rows decided as it)",
        ]
        lines.append(f"{'label':<22}{'rows':>7}{'coverage':>10}{'kept':>7}{'kept prec.':>12}")
        for label, v in result["per_label"].items():
            cov = "-" if v["coverage"] is None else f"{v['coverage']:.2%}"
            prec = "-" if v["kept_precision"] is None else f"{v['kept_precision']:.4f}"
            lines.append(f"{label:<22}{v['rows']:>7}{cov:>10}{v['kept']:>7}{prec:>12}")
    return "\n".join(lines)
