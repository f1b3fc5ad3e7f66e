"""Template masking: ids, numbers, IPs, UUIDs and hex become placeholders, so repetitive logs
collapse into a few templates that the ML and LLM tiers classify once each.

The masking table is data (`resources/masking.yaml`); all instructions are compiled into one
alternation so a line is scanned once, in C, whatever the table's length.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml


class ConfigError(ValueError):
    """A data file (rules, masks, labels) is missing or malformed; the message names the file."""


def load_yaml_list(path: Path, key: str) -> list[dict]:
    """Read `key:` from a YAML file as a list of mappings, with errors that name the file."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    items = (data or {}).get(key) if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ConfigError(f"{path}: expected a top-level '{key}:' list of mappings")
    return items


class Masker:
    def __init__(self, masks: list[tuple[str, str, str]]):
        """`masks` holds (name, pattern, placeholder) triples, most specific first."""
        self.masks = masks
        parts = []
        for i, (name, pattern, _) in enumerate(masks):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"mask {name!r}: invalid pattern ({exc})") from None
            parts.append(f"(?P<m{i}>{pattern})")
        self._placeholders = {f"m{i}": placeholder for i, (_, _, placeholder) in enumerate(masks)}
        self._combined = re.compile("|".join(parts)) if parts else None
        self._replace = lambda m: self._placeholders[m.lastgroup]

    @classmethod
    def from_file(cls, path: Path) -> Masker:
        items = load_yaml_list(path, "masks")
        try:
            masks = [(str(i.get("name", f"#{n}")), str(i["pattern"]), str(i["mask"])) for n, i in enumerate(items)]
        except KeyError as exc:
            raise ConfigError(f"{path}: every mask needs {exc.args[0]!r}") from None
        try:
            return cls(masks)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None

    def template(self, message: str) -> str:
        """The message with every variable part replaced by its placeholder."""
        if self._combined is None:
            return message
        return self._combined.sub(self._replace, message)
