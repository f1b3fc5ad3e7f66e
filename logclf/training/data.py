"""Loading labelled CSVs and checking they can be trained on; shared by train.py and evaluate.py."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from logclf.errors import UserError
from logclf.levels import LEVEL_COLUMNS, buckets
from logclf.tiers.regex import RegexTier

REQUIRED = ("source", "log_message", "target_label")
MIN_ROWS_PER_LABEL = 5  # fewer cannot be split into folds for calibration; let the LLM handle such labels


def load_labelled(path: Path) -> pd.DataFrame:
    """A labelled CSV as text cells, with clear errors for what a person must fix."""
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    except pd.errors.EmptyDataError:
        raise UserError(f"{path}: the file is empty; expected a header with {', '.join(REQUIRED)} and labelled rows") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: not a readable UTF-8 CSV ({exc})") from None
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise UserError(f"{path}: missing column(s) {', '.join(missing)}; found: {', '.join(df.columns)}")
    for column in REQUIRED:
        df[column] = df[column].str.strip() if column != "log_message" else df[column]
    df = df[(df["log_message"].str.strip() != "") & (df["target_label"] != "")]
    if df.empty:
        raise UserError(f"{path}: no rows with both a log_message and a target_label")
    return df.reset_index(drop=True)


def row_levels(df: pd.DataFrame) -> list[str | None] | None:
    """Each row's level bucket (logclf/levels.py) from a level/severity/levelname/loglevel column (any case);
    None when the frame has no such column or no row has a level."""
    column = next((c for c in df.columns if str(c).strip().lower() in LEVEL_COLUMNS), None)
    if column is None:
        return None
    levels = buckets(df[column].tolist())
    return levels if any(level is not None for level in levels) else None


def check_label_counts(counts: pd.Series, minimum: int = MIN_ROWS_PER_LABEL) -> None:
    """Every label the model learns needs enough rows to be split into folds."""
    if len(counts) < 2:
        found = ", ".join(f"{k!r} ({v})" for k, v in counts.items()) or "none"
        raise UserError(f"need at least 2 labels outside LLM sources to train; found {found}")
    scarce = counts[counts < minimum]
    if len(scarce):
        listed = ", ".join(f"{label!r} has {n}" for label, n in scarce.items())
        raise UserError(
            f"too few rows for label(s): {listed}; each label needs at least {minimum} rows outside LLM sources "
            "(add examples, or leave such rows to the LLM via LLM_SOURCES)"
        )


def ml_label_counts(df: pd.DataFrame, llm_sources: tuple[str, ...]) -> pd.Series:
    """Rows per label among those the ML tier learns from (LLM sources left out)."""
    return df[~df["source"].isin(llm_sources)]["target_label"].value_counts()


def load_rules_for(rules_path: Path, labels: list[str]) -> tuple[RegexTier, str | None]:
    """The regex tier to train and evaluate with; empty (with a warning) if it uses other labels."""
    tier = RegexTier.from_file(rules_path)
    foreign = sorted(tier.labels - set(labels))
    if not foreign:
        return tier, None
    return RegexTier([]), (
        f"{rules_path} uses labels outside this taxonomy ({', '.join(foreign)}); the regex tier is left out. "
        "Pass --rules with rules for your labels (`logclf discover` proposes some)"
    )
