"""A log line's level as evidence for the ML tier (issue 27).

Any spelling (`FATAL`, `E`, `<3>`, `SEVERE`, `warn` ...) is normalised onto the syslog severities of
`logclf.headers.SEVERITIES` by `bucket`. The ML tier then updates its message-only probabilities with Bayes:
P(label | message, level) ∝ P(label | message) · P(level | label), where P(level | label) is an add-one
smoothed table counted on the training rows that carry a level (`level_table`).

The update only ever moves the confidence of the label the message predicts; it never changes the label, so
a level alone never decides one. It may raise the confidence only when the message already gives that label
at least LEVEL_FLOOR (FATAL says "severe", not "which severe thing"); it may lower it at any time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from logclf.headers import SEVERITIES

LEVEL_FLOOR = 0.5  # below this message-only probability the level cannot raise the confidence
LEVEL_COLUMNS = ("level", "severity", "levelname", "loglevel")  # CSV headers / JSON fields read as the level (any case)

_SPELLINGS = {
    "EMERG": ("EMERG", "EMERGENCY"),
    "ALERT": ("ALERT",),
    "CRIT": ("CRIT", "CRITICAL", "FATAL", "PANIC", "F", "C"),
    "ERROR": ("ERROR", "ERR", "E", "SEVERE"),
    "WARNING": ("WARNING", "WARN", "W"),
    "NOTICE": ("NOTICE", "N"),
    "INFO": ("INFO", "I", "INFORMATION"),
    "DEBUG": ("DEBUG", "TRACE", "D", "V", "VERBOSE", "FINE", "FINER", "FINEST"),
}
_BUCKET_OF = {spelling: bucket for bucket, spellings in _SPELLINGS.items() for spelling in spellings}
_INDEX = {s: i for i, s in enumerate(SEVERITIES)}


def bucket(raw: object) -> str | None:
    """The severity (one of SEVERITIES) a level cell means, or None for an empty or unknown one."""
    if not isinstance(raw, str):
        return None
    text = raw.strip().upper()
    if text.startswith("<") and text.endswith(">"):  # syslog's <N>
        text = text[1:-1].strip()
    if len(text) == 1 and "0" <= text <= "7":
        return SEVERITIES[int(text)]
    return _BUCKET_OF.get(text)


def buckets(raw: Sequence[object] | None) -> list[str | None] | None:
    """`bucket` of every cell; None (no levels at all) stays None."""
    return None if raw is None else [bucket(r) for r in raw]


def level_table(labels: Sequence[str], levels: Sequence[str | None], classes: Sequence[str]) -> dict[str, dict[str, float]]:
    """P(level | label) per class and severity, add-one smoothed, from the rows that carry a level."""
    counts = {label: dict.fromkeys(SEVERITIES, 1.0) for label in classes}
    for label, level in zip(labels, levels, strict=True):
        if level is not None and label in counts:
            counts[label][level] += 1.0
    return {label: {s: n / sum(row.values()) for s, n in row.items()} for label, row in counts.items()}


def likelihoods(table: Mapping[str, Mapping[str, float]], classes: Sequence[str]) -> np.ndarray:
    """The table as a (classes x SEVERITIES) matrix; a class the table lacks is uniform (the level says nothing)."""
    uniform = 1.0 / len(SEVERITIES)
    return np.array([[table.get(c, {}).get(s, uniform) for s in SEVERITIES] for c in classes], dtype=float)


def updated_confidence(proba: np.ndarray, best: np.ndarray, levels: Sequence[str | None], matrix: np.ndarray) -> np.ndarray:
    """The confidence of each row's message-only label `best` once its level is taken into account.

    `proba` (rows x classes) are the message-only probabilities; `matrix` is `likelihoods(...)`. A row
    without a level keeps its probability; a raise is refused below LEVEL_FLOOR."""
    rows = np.arange(len(best))
    before = proba[rows, best] if len(best) else np.zeros(0)
    after = before.copy()
    for i, level in enumerate(levels):
        if level is None:
            continue
        posterior = proba[i] * matrix[:, _INDEX[level]]
        total = posterior.sum()
        if total <= 0:
            continue
        p = posterior[best[i]] / total
        after[i] = p if (p <= before[i] or before[i] >= LEVEL_FLOOR) else before[i]
    return after
