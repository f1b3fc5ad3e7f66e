"""Label descriptions (the taxonomy) as data."""

from __future__ import annotations

from pathlib import Path

import yaml

from logclf.masking import ConfigError
from logclf.settings import RESOURCES

DEFAULT_LABELS_PATH = RESOURCES / "labels.yaml"


def load_label_descriptions(path: Path = DEFAULT_LABELS_PATH) -> dict[str, str]:
    """`{label: one-line description}` from a YAML file with a `labels:` mapping."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    labels = data.get("labels") if isinstance(data, dict) else None
    if not isinstance(labels, dict) or not labels:
        raise ConfigError(f"{path}: expected a 'labels:' mapping of label -> description")
    return {str(k).strip(): str(v or "").strip() for k, v in labels.items()}
