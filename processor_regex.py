"""Tier 1, the regex tier: rules for rigidly templated lines.

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

from logclf.datafiles import load_yaml_list
from logclf.decision import Batch, Decision
from logclf.errors import UserError


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
                raise UserError(f"rule {rule.name!r}: invalid pattern ({exc})") from None
            if compiled.groupindex:
                raise UserError(f"rule {rule.name!r}: named groups are not allowed; use (?:...)")
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
                raise UserError(f"{path}: rule #{n + 1} needs both 'pattern' and 'label'")
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
        except UserError as exc:
            raise UserError(f"{path}: {exc}") from None

    @property
    def labels(self) -> set[str]:
        return {r.label for r in self.rules}

    def decide(self, batch: Batch) -> list[Decision | None]:
        """The decision of the first rule matching each whole (unmasked) message, else None."""
        fullmatch, decisions = self._fullmatch, self._decisions
        return [decisions[m.lastgroup] if (m := fullmatch(message)) else None for message in batch.messages]
