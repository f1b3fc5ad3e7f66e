"""Tier 1, the regex tier: rules for rigidly templated lines.

Rules are data (`resources/regex_rules.yaml`). A rule must match the *whole* message
(`re.fullmatch`), so a line that merely contains a familiar phrase ("User 7 logged in; token
stolen") does not fire it. Rules are compiled into one alternation tried in file order, so the
first rule listed wins and a line is tested in a single pass. Python's engine tries every branch
of an alternation in turn, so the alternation is built per first character of the message from
only the rules that can start with it (most rules start with a literal word): the cost of a line
grows with the rules that could match it, not with the length of the file.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # (the parser behind re.compile; read only, to find a rule's first characters)
from collections.abc import Callable, Sequence
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


_CATEGORY_CLASS = {
    sre_parse.CATEGORY_DIGIT: r"\d",
    sre_parse.CATEGORY_NOT_DIGIT: r"\D",
    sre_parse.CATEGORY_SPACE: r"\s",
    sre_parse.CATEGORY_NOT_SPACE: r"\S",
    sre_parse.CATEGORY_WORD: r"\w",
    sre_parse.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", sre_parse.MAX_REPEAT)}


class _AnyFirst(Exception):
    """The pattern's first character could be anything (or we cannot tell): keep the rule for every line."""


def _class_of(items: list) -> str:
    """A one-character regex class for the items of an IN node."""
    negate, body = False, []
    for op, av in items:
        if op is sre_parse.NEGATE:
            negate = True
        elif op is sre_parse.LITERAL:
            body.append(re.escape(chr(av)))
        elif op is sre_parse.RANGE:
            body.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is sre_parse.CATEGORY and av in _CATEGORY_CLASS:
            body.append(_CATEGORY_CLASS[av])
        else:
            raise _AnyFirst
    return f"[{'^' if negate else ''}{''.join(body)}]"


def _first(sequence) -> tuple[list[str], bool]:
    """(one-character classes a match of `sequence` can start with, whether it can match empty)."""
    classes: list[str] = []
    for op, av in sequence:
        if op is sre_parse.LITERAL:
            return [*classes, re.escape(chr(av))], False
        if op is sre_parse.NOT_LITERAL:
            return [*classes, f"[^{re.escape(chr(av))}]"], False
        if op is sre_parse.IN:
            return [*classes, _class_of(av)], False
        if op is sre_parse.AT:  # an anchor matches no character
            continue
        if op is sre_parse.SUBPATTERN:
            _, add_flags, _, inner = av
            if add_flags & re.IGNORECASE:
                raise _AnyFirst
            found, empty = _first(inner)
        elif op is sre_parse.BRANCH:
            found, empty = [], False
            for branch in av[1]:
                more, branch_empty = _first(branch)
                found, empty = found + more, empty or branch_empty
        elif op in _REPEATS:
            found, empty = _first(av[2])
            empty = empty or av[0] == 0
        else:  # ANY, back-references, lookarounds ...
            raise _AnyFirst
        classes += found
        if not empty:
            return classes, False
    return classes, True


def first_char_test(pattern: str, ignore_case: bool = False) -> Callable[[str], object] | None:
    """A test that a character can begin a match of `pattern`, or None when any character can."""
    if ignore_case:
        return None
    try:
        parsed = sre_parse.parse(pattern)
        if parsed.state.flags & re.IGNORECASE:
            return None
        classes, empty = _first(parsed)
    except _AnyFirst:
        return None
    if empty:
        return None
    return re.compile("|".join(classes)).fullmatch


class RegexTier:
    name = "regex"

    def __init__(self, rules: Sequence[Rule]):
        self.rules = list(rules)
        parts, self._starts = [], []
        for i, rule in enumerate(self.rules):
            try:
                compiled = re.compile(rule.pattern)
            except re.error as exc:
                raise UserError(f"rule {rule.name!r}: invalid pattern ({exc})") from None
            if compiled.groupindex:
                raise UserError(f"rule {rule.name!r}: named groups are not allowed; use (?:...)")
            flags = "(?i:" if rule.ignore_case else "(?:"
            parts.append(f"(?P<r{i}>{flags}{rule.pattern}))")
            self._starts.append(first_char_test(rule.pattern, rule.ignore_case))
        self._parts = parts
        self._decisions = {f"r{i}": Decision(rule.label, self.name, 1.0) for i, rule in enumerate(self.rules)}
        self._by_first: dict[str, Callable[[str], re.Match[str] | None]] = {}
        self._fullmatch_any = self._alternation(range(len(parts)))  # empty lines, and when the cache is full

    def _alternation(self, indices) -> Callable[[str], re.Match[str] | None]:
        chosen = [self._parts[i] for i in indices]
        return re.compile("|".join(chosen)).fullmatch if chosen else _no_match

    def _fullmatch_for(self, first: str) -> Callable[[str], re.Match[str] | None]:
        """The alternation of the rules, in file order, that can match a line starting with `first`."""
        if len(self._by_first) >= 4096:  # (distinct first characters are few; do not grow without bound)
            return self._fullmatch_any
        chosen = [i for i, start in enumerate(self._starts) if start is None or start(first)]
        self._by_first[first] = fullmatch = self._alternation(chosen)
        return fullmatch

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
        by_first, decisions, out = self._by_first, self._decisions, []
        for message in batch.messages:
            first = message[:1]
            fullmatch = by_first.get(first) or (self._fullmatch_for(first) if first else self._fullmatch_any)
            out.append(decisions[m.lastgroup] if (m := fullmatch(message)) else None)
        return out
