"""Label descriptions (the taxonomy) as data."""

from __future__ import annotations

from pathlib import Path

from logclf.datafiles import load_yaml_mapping
from logclf.paths import RESOURCES

DEFAULT_LABELS_PATH = RESOURCES / "labels.yaml"


def load_label_descriptions(path: Path = DEFAULT_LABELS_PATH) -> dict[str, str]:
    """`{label: one-line description}` from a YAML file with a `labels:` mapping."""
    labels = load_yaml_mapping(path, "labels", "label -> description")
    return {str(k).strip(): str(v or "").strip() for k, v in labels.items()}
