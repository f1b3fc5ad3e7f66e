"""Choose the ML tier's two gates from held-out evidence instead of hard-coding them.

Both gates are measured on out-of-fold data: each fold's rows are scored by a classifier fitted on
the other folds, and folds are split by *template* (StratifiedGroupKFold), so a row is never scored
by a model that saw its own template. That mimics what matters in production: lines whose exact
template the model has not seen.

- `min_similarity` (novelty gate): a low percentile of the out-of-fold nearest-template cosine
  similarity, i.e. how far real, in-distribution lines can be from the nearest training template,
  clipped to a sane range (junk text measured 0.24-0.33, unseen real log lines 0.64-0.89).
- `threshold` (confidence gate): the lowest top-probability threshold whose kept rows reach the
  target precision, from a coverage/precision table over a grid of thresholds.
- `label_thresholds`: the same choice made for each predicted label on its own. One threshold for all
  labels keeps easy labels (HTTP Status, System Notification) as strict as the hardest pair (Error /
  Critical Error); per label, each is as low as its own kept rows allow at the target precision. A label
  that reaches the target at no threshold, or is predicted for too few distinct templates to measure it,
  gets None: the ML tier never decides it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

import numpy as np

THRESHOLD_GRID = np.round(np.arange(0.30, 1.0, 0.01), 2)  # below 0.3 the top class is barely ahead
SIMILARITY_PERCENTILE = 1.0
SIMILARITY_RANGE = (0.40, 0.60)  # never below junk-text level, never above unseen-real-line level
# A label's threshold needs this many distinct templates among its kept out-of-fold predictions: a precision
# measured on fewer is luck (a row-weighted precision can be carried by one frequent template).
MIN_LABEL_TEMPLATES = 10


@dataclass(frozen=True)
class OutOfFold:
    """Per row: predicted label, its probability, nearest-template similarity, gold label."""

    predicted: np.ndarray
    confidence: np.ndarray
    similarity: np.ndarray
    gold: np.ndarray
    folds: int
    # Every class's probability (columns: `classes`) and the fold that scored the row: what a level update
    # needs (logclf/levels.py). None when built by hand.
    proba: np.ndarray | None = None
    classes: np.ndarray | None = None
    fold: np.ndarray | None = None

    def take(self, index: np.ndarray) -> OutOfFold:
        """The same predictions re-indexed (e.g. expanded from distinct templates to rows)."""
        pick = lambda a: None if a is None else a[index]  # noqa: E731
        return replace(
            self,
            predicted=self.predicted[index],
            confidence=self.confidence[index],
            similarity=self.similarity[index],
            gold=self.gold[index],
            proba=pick(self.proba),
            fold=pick(self.fold),
        )


@dataclass(frozen=True)
class ThresholdRow:
    threshold: float
    coverage: float  # share of evaluated rows the ML tier keeps
    precision: float | None  # accuracy of the kept rows (None when it keeps nothing)
    kept: int


@dataclass(frozen=True)
class LabelThreshold:
    """The confidence threshold of one predicted label, and what it keeps out-of-fold."""

    label: str
    threshold: float | None  # None: the label reaches the target at no threshold; the ML tier never decides it
    predicted: int  # out-of-fold rows (past the novelty gate) predicted as this label
    kept: int  # of those, rows at or above the threshold
    precision: float | None  # accuracy of the kept rows
    templates: int  # distinct templates among the kept rows


@dataclass(frozen=True)
class Calibration:
    threshold: float
    min_similarity: float
    target_precision: float
    met_target: bool
    coverage: float
    precision: float | None
    similarity_percentile: float
    raw_similarity_percentile: float
    rows: int
    folds: int
    table: list[ThresholdRow]
    labels: list[LabelThreshold] = field(default_factory=list)
    label_coverage: float | None = None  # share of rows kept with the per-label thresholds
    label_precision: float | None = None  # accuracy of those rows

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def label_thresholds(self) -> dict[str, float | None]:
        """{label: threshold or None (never decided)}, as the bundle stores them."""
        return {t.label: t.threshold for t in self.labels}


def out_of_fold(
    x: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    fit: Callable[..., object],
    folds: int = 5,
    seed: int = 42,
    weights: np.ndarray | None = None,
    vectors: np.ndarray | None = None,
) -> OutOfFold:
    """Score every row with a classifier (and reference set) that never saw its group.

    `groups` is the row's family group when the data has one (so the gates say how the model behaves on
    software it never saw), else its template id. With `weights`, rows are distinct templates (units)
    and `fit(x, y, weights)` is called; the reference set is then the fitting fold's templates.
    Similarity is taken between `vectors` (the embeddings; default `x`) when `x` holds more than them.
    The number of folds shrinks to what the rarest label and the number of groups allow.
    """
    from sklearn.model_selection import StratifiedGroupKFold

    _, counts = np.unique(y, return_counts=True)
    n_splits = int(max(2, min(folds, counts.min(), len(np.unique(groups)))))
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    predicted = np.empty(len(y), dtype=object)
    confidence = np.zeros(len(y))
    similarity = np.zeros(len(y))
    emb = x if vectors is None else vectors
    classes = np.unique(y)
    every = np.zeros((len(y), len(classes)))
    fold = np.zeros(len(y), dtype=np.int64)
    for k, (train_idx, test_idx) in enumerate(splitter.split(x, y, groups)):
        model = fit(x[train_idx], y[train_idx]) if weights is None else fit(x[train_idx], y[train_idx], weights[train_idx])
        proba = model.predict_proba(x[test_idx])
        best = proba.argmax(axis=1)
        predicted[test_idx] = model.classes_[best]
        confidence[test_idx] = proba[np.arange(len(test_idx)), best]
        every[np.ix_(test_idx, np.searchsorted(classes, model.classes_))] = proba  # a fold may lack a class
        fold[test_idx] = k
        if weights is None:
            _, first = np.unique(groups[train_idx], return_index=True)  # one vector per training template
            reference = emb[train_idx][first]
        else:
            reference = emb[train_idx]
        similarity[test_idx] = (emb[test_idx] @ reference.T).max(axis=1)
    return OutOfFold(
        predicted=predicted,
        confidence=confidence,
        similarity=similarity,
        gold=np.asarray(y, dtype=object),
        folds=n_splits,
        proba=every,
        classes=classes,
        fold=fold,
    )


def threshold_table(oof: OutOfFold, min_similarity: float, mask: np.ndarray | None = None) -> list[ThresholdRow]:
    """Coverage and precision of the rows the ML tier keeps, for each threshold of the grid."""
    rows = np.ones(len(oof.gold), dtype=bool) if mask is None else mask
    n = int(rows.sum())
    correct = oof.predicted == oof.gold
    near = rows & (oof.similarity >= min_similarity)
    table = []
    for t in THRESHOLD_GRID:
        kept = near & (oof.confidence >= t)
        k = int(kept.sum())
        table.append(ThresholdRow(float(t), k / n if n else 0.0, float(correct[kept].mean()) if k else None, k))
    return table


def choose_min_similarity(oof: OutOfFold, mask: np.ndarray | None = None) -> tuple[float, float]:
    """(clipped, raw) low percentile of out-of-fold nearest-template similarity."""
    rows = np.ones(len(oof.gold), dtype=bool) if mask is None else mask
    values = oof.similarity[rows] if rows.any() else oof.similarity
    raw = float(np.percentile(values, SIMILARITY_PERCENTILE))
    return float(np.clip(round(raw, 2), *SIMILARITY_RANGE)), raw


def choose_threshold(table: list[ThresholdRow], target_precision: float) -> tuple[ThresholdRow, bool]:
    """The lowest threshold whose kept rows reach the target precision (else the most precise one)."""
    for row in table:
        if row.precision is not None and row.precision >= target_precision:
            return row, True
    scored = [r for r in table if r.precision is not None]
    if not scored:
        return table[-1], False
    return max(scored, key=lambda r: (r.precision, -r.threshold)), False


def choose_label_thresholds(
    oof: OutOfFold,
    min_similarity: float,
    target_precision: float,
    mask: np.ndarray | None = None,
    template: np.ndarray | None = None,
    min_templates: int = MIN_LABEL_TEMPLATES,
) -> list[LabelThreshold]:
    """Per predicted label, the lowest threshold of the grid whose kept rows reach the target precision.

    `template` (a template id per row) counts the distinct templates behind a kept set; without it every
    row counts as one. A label reaching the target on fewer than `min_templates` templates at every
    threshold, or not at all (also a label never predicted out-of-fold: nothing says it would be right), gets None.
    """
    rows = np.ones(len(oof.gold), dtype=bool) if mask is None else mask
    near = rows & (oof.similarity >= min_similarity)
    correct = oof.predicted == oof.gold
    ids = np.arange(len(oof.gold)) if template is None else template
    out = []
    for label in sorted({str(g) for g in oof.gold[rows]} | {str(p) for p in oof.predicted[near]}):
        mine = near & (oof.predicted == label)
        chosen: LabelThreshold | None = None
        for t in THRESHOLD_GRID:
            kept = mine & (oof.confidence >= t)
            k = int(kept.sum())
            if not k:
                break
            precision = float(correct[kept].mean())
            templates = len(np.unique(ids[kept]))
            if templates < min_templates:
                break  # higher thresholds keep even fewer
            if precision >= target_precision:
                chosen = LabelThreshold(label, float(t), int(mine.sum()), k, precision, templates)
                break
        out.append(chosen or LabelThreshold(label, None, int(mine.sum()), 0, None, 0))
    return out


def apply_label_thresholds(
    predicted: np.ndarray, confidence: np.ndarray, thresholds: dict[str, float | None], default: float
) -> np.ndarray:
    """Which predictions pass their label's threshold (None: never; a label not listed: `default`)."""
    limit = np.array([_limit(thresholds.get(str(p), default)) for p in predicted], dtype=float)
    return confidence >= limit


def _limit(threshold: float | None) -> float:
    return np.inf if threshold is None else threshold


def calibrate(oof: OutOfFold, target_precision: float, mask: np.ndarray | None = None, template: np.ndarray | None = None) -> Calibration:
    """Both gates from out-of-fold evidence; `mask` selects the rows the ML tier would actually see.

    `template` (template id per row) lets the per-label thresholds count distinct templates."""
    min_similarity, raw = choose_min_similarity(oof, mask)
    table = threshold_table(oof, min_similarity, mask)
    chosen, met = choose_threshold(table, target_precision)
    labels = choose_label_thresholds(oof, min_similarity, target_precision, mask, template)
    rows = np.ones(len(oof.gold), dtype=bool) if mask is None else mask
    kept = rows & (oof.similarity >= min_similarity)
    kept &= apply_label_thresholds(oof.predicted, oof.confidence, {t.label: t.threshold for t in labels}, chosen.threshold)
    n = int(rows.sum())
    return Calibration(
        threshold=chosen.threshold,
        min_similarity=min_similarity,
        target_precision=target_precision,
        met_target=met,
        coverage=chosen.coverage,
        precision=chosen.precision,
        similarity_percentile=SIMILARITY_PERCENTILE,
        raw_similarity_percentile=raw,
        rows=int(len(oof.gold) if mask is None else mask.sum()),
        folds=oof.folds,
        table=table,
        labels=labels,
        label_coverage=int(kept.sum()) / n if n else 0.0,
        label_precision=float((oof.predicted == oof.gold)[kept].mean()) if kept.any() else None,
    )


def format_table(calibration: Calibration, every: float = 0.05) -> str:
    """The coverage/precision trade-off, every `every` plus the chosen threshold."""
    lines = [f"{'threshold':>10}{'ML keeps':>10}{'precision':>11}"]
    for row in calibration.table:
        on_grid = abs(round(row.threshold / every) * every - row.threshold) < 1e-9
        chosen = row.threshold == calibration.threshold
        if on_grid or chosen:
            precision = "-" if row.precision is None else f"{row.precision:.4f}"
            mark = "  <- chosen" if chosen else ""
            lines.append(f"{row.threshold:>10.2f}{row.coverage:>10.2%}{precision:>11}{mark}")
    return "\n".join(lines)


def format_label_thresholds(calibration: Calibration) -> str:
    """The per-label thresholds: what each keeps out-of-fold, and the labels the ML tier never decides."""
    lines = [f"{'predicted label':<22}{'threshold':>10}{'predicted':>11}{'kept':>8}{'precision':>11}{'templates':>11}"]
    for t in calibration.labels:
        threshold = "never" if t.threshold is None else f"{t.threshold:.2f}"
        precision = "-" if t.precision is None else f"{t.precision:.4f}"
        lines.append(f"{t.label:<22}{threshold:>10}{t.predicted:>11}{t.kept:>8}{precision:>11}{t.templates:>11}")
    if calibration.label_coverage is not None:
        precision = "-" if calibration.label_precision is None else f"{calibration.label_precision:.4f}"
        lines.append(f"per-label thresholds: ML tier keeps {calibration.label_coverage:.2%} at precision {precision}")
    return "\n".join(lines)
