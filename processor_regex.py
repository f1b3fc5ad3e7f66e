"""Tier 1: regex rules for rigidly templated lines.

Rules are data (`resources/regex_rules.yaml`). A rule must match the *whole* message
(`re.fullmatch`), so a line that merely contains a familiar phrase ("User 7 logged in; token
stolen") does not fire it. All rules are compiled into one alternation tried in file order, so
the first rule listed wins and a line is tested in a single pass whatever the number of rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from logclf.decision import Decision
from logclf.masking import ConfigError, load_yaml_list


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: str
    label: str
    note: str = ""
    ignore_case: bool = False


def _no_match(message: str) -> None:
    return None


class RegexTier:
    name = "regex"

    def __init__(self, rules: Sequence[Rule]):
        self.rules = list(rules)
        parts = []
        for i, rule in enumerate(self.rules):
            try:
                compiled = re.compile(rule.pattern)
            except re.error as exc:
                raise ConfigError(f"rule {rule.name!r}: invalid pattern ({exc})") from None
            if compiled.groupindex:
                raise ConfigError(f"rule {rule.name!r}: named groups are not allowed; use (?:...)")
            flags = "(?i:" if rule.ignore_case else "(?:"
            parts.append(f"(?P<r{i}>{flags}{rule.pattern}))")
        self._combined = re.compile("|".join(parts)) if parts else None
        self._decisions = {f"r{i}": Decision(rule.label, self.name, 1.0) for i, rule in enumerate(self.rules)}
        self._fullmatch = self._combined.fullmatch if self._combined else _no_match

    @classmethod
    def from_file(cls, path: Path) -> RegexTier:
        rules = []
        for n, item in enumerate(load_yaml_list(path, "rules")):
            if "pattern" not in item or "label" not in item:
                raise ConfigError(f"{path}: rule #{n + 1} needs both 'pattern' and 'label'")
            rules.append(
                Rule(
                    name=str(item.get("name", f"rule-{n + 1}")),
                    pattern=str(item["pattern"]),
                    label=str(item["label"]),
                    note=str(item.get("note", "")),
                    ignore_case=bool(item.get("ignore_case", False)),
                )
            )
        try:
            return cls(rules)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None

    @property
    def labels(self) -> set[str]:
        return {r.label for r in self.rules}

    def match(self, message: str) -> Rule | None:
        """The first rule whose pattern matches the whole message, if any."""
        m = self._combined.fullmatch(message) if self._combined else None
        return self.rules[int(m.lastgroup[1:])] if m else None

    def decision_for(self, message: str) -> Decision | None:
        """The decision of the first rule matching the whole message (the per-row fast path)."""
        m = self._fullmatch(message)
        return self._decisions[m.lastgroup] if m else None

    def decide(self, sources: Sequence[str], messages: Sequence[str]) -> list[Decision | None]:
        return [self.decision_for(message) for message in messages]
