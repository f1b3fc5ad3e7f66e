"""Reading the YAML data files (rules, masks, labels) in one place, with errors that name the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from logclf.errors import UserError


def load_yaml(path: Path) -> Any:
    """The parsed document; a missing or unparsable file is a `UserError` naming it."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: not valid YAML ({exc})") from None


def load_yaml_list(path: Path, key: str) -> list[dict]:
    """`key:` as a list of mappings (rules, masks)."""
    data = load_yaml(path)
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise UserError(f"{path}: expected a top-level '{key}:' list of mappings")
    return items


def load_yaml_mapping(path: Path, key: str, what: str) -> dict:
    """`key:` as a non-empty mapping (labels); `what` says what it maps, for the error message."""
    data = load_yaml(path)
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, dict) or not items:
        raise UserError(f"{path}: expected a '{key}:' mapping of {what}")
    return items
