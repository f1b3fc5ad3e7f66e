"""Multi-line records: a stack trace, a Python traceback or a Go panic is one record, not one row per line.

The rules are data (`resources/multiline.yaml`): named parsers (java, python, go, dotnet, node,
indented), as log shippers have them, each a list of "this line continues the record above" rules
with a small state (inside a Python traceback, inside a goroutine dump). `RecordJoiner` groups the
lines of a plain log file into records; `classifier_view` picks what the classifier reads from a
record: its first line plus the exception lines (`Caused by: ...`, the final `ValueError: ...`),
never a frame alone, cut to MAX_LINE_KB.

Memory is bounded: a record ends after `max_lines` lines or `max_bytes` characters (the next line
starts a new record), and every rule looks at the first 4 KB of a line only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from logclf.errors import UserError
from logclf.paths import RESOURCES

RULES_PATH = RESOURCES / "multiline.yaml"
MODES = ("auto", "off")
ACTIONS = ("continue", "head", "start")
HEAD_CHARS = 4096  # a rule sees this much of a line: hostile long lines cost the same as short ones


@dataclass(frozen=True)
class Rule:
    parsers: tuple[str, ...]
    when: str  # "*" or a state name
    regex: re.Pattern[str]
    action: str
    then: str | None


@dataclass(frozen=True)
class MultilineRules:
    """The rule table: rules in file order, the record limits, and what the classifier keeps of a record."""

    rules: tuple[Rule, ...]
    max_lines: int
    max_bytes: int
    exception_lines: re.Pattern[str]
    exception_max: int

    @property
    def parsers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for r in self.rules for p in r.parsers))

    def machine(self, mode: str = "auto") -> Machine | None:
        """The state machine for `mode`: auto (every parser), off (None), or parser names (`java,python`)."""
        mode = (mode or "auto").strip().lower()
        if mode == "off":
            return None
        if mode == "auto":
            wanted = set(self.parsers)
        else:
            wanted = {p.strip() for p in mode.split(",") if p.strip()}
            unknown = wanted - set(self.parsers)
            if unknown or not wanted:
                raise UserError(
                    f"unknown multi-line parser(s) {', '.join(sorted(unknown)) or mode!r}; use auto, off or some of {', '.join(self.parsers)}"
                )
        return _machine(self, frozenset(wanted))


@cache
def _machine(rules: MultilineRules, parsers: frozenset[str]) -> Machine:
    """Built once per rule table and parser set (a file's reader asks for it; the server, per request)."""
    return Machine([r for r in rules.rules if parsers.intersection(r.parsers)])


@cache
def load_rules(path: Path = RULES_PATH) -> MultilineRules:
    """Read and compile the rule table once; a bad table is a UserError naming the file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules = []
        for entry in data["rules"]:
            parsers = entry["parser"] if isinstance(entry["parser"], list) else [entry["parser"]]
            if entry["action"] not in ACTIONS:
                raise ValueError(f"action {entry['action']!r} is not one of {', '.join(ACTIONS)}")
            rules.append(
                Rule(tuple(map(str, parsers)), str(entry.get("when", "*")), re.compile(entry["match"]), entry["action"], entry.get("then"))
            )
        limits = data.get("limits", {})
        exceptions = data.get("exception_lines", {})
        return MultilineRules(
            tuple(rules),
            max(1, int(limits.get("max_lines", 1000))),
            max(1, int(limits.get("max_bytes", 1 << 20))),
            re.compile("|".join(f"(?:{p})" for p in exceptions.get("match", [])) or r"(?!)"),
            int(exceptions.get("max", 4)),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        raise UserError(f"{path}: not a valid multi-line rule table ({exc})") from None


class Machine:
    """The enabled rules, one alternation regex per state: one `match` call per line decides. Before it,
    a set look-up: most log lines start with a character no rule can start with (a timestamp's digit)."""

    def __init__(self, rules: list[Rule]):
        states = {""} | {r.when for r in rules if r.when != "*"} | {r.then for r in rules if r.then}
        self._by_state: dict[str, tuple[re.Pattern[str], dict[str, Rule], frozenset[str] | None]] = {}
        for state in states:
            applicable = [r for r in rules if r.when in ("*", state)]
            names = {f"r{i}": r for i, r in enumerate(applicable)}
            pattern = "|".join(f"(?P<{name}>{r.regex.pattern})" for name, r in names.items()) or r"(?!)"
            firsts = [first_chars(r.regex) for r in applicable]
            can_start = None if any(f is None for f in firsts) else frozenset().union(*firsts)  # type: ignore[arg-type]
            self._by_state[state] = (re.compile(pattern), names, can_start)

    def rule(self, line: str, state: str) -> Rule | None:
        regex, names, can_start = self._by_state[state]
        if can_start is not None and line[0] not in can_start and line[0] < "\x80":
            return None
        m = regex.match(line, 0, HEAD_CHARS)
        return names[m.lastgroup] if m else None  # type: ignore[index]


_ASCII = [chr(c) for c in range(128)]
_CATEGORIES = {
    "CATEGORY_DIGIT": frozenset("0123456789"),
    "CATEGORY_SPACE": frozenset(" \t\n\r\f\v"),
    "CATEGORY_WORD": frozenset(c for c in _ASCII if c.isalnum() or c == "_"),
}


def first_chars(regex: re.Pattern[str]) -> frozenset[str] | None:
    """The ASCII characters a match of `regex` can start with (a superset), or None when any may.

    Read from the parsed pattern (`re._parser`, CPython's own); anything it does not know, an empty
    match or a case-insensitive flag gives None, which only turns the shortcut off."""
    if regex.flags & re.IGNORECASE:
        return None
    try:
        from re import _parser  # type: ignore[attr-defined]

        chars, nullable = _first_of_sequence(list(_parser.parse(regex.pattern)))
    except Exception:  # noqa: BLE001 (an internal format we do not know: no shortcut, same results)
        return None
    return None if chars is None or nullable else chars


def _first_of_sequence(items: list) -> tuple[frozenset[str] | None, bool]:
    out: set[str] = set()
    for k, (op, av) in enumerate(items):
        name = str(op)
        if name == "ASSERT" and av[0] == 1:  # a lookahead: the first character must satisfy it and what follows
            ahead, _ = _first_of_sequence(list(av[1]))
            rest, nullable = _first_of_sequence(items[k + 1 :])
            both = rest if ahead is None else ahead if rest is None else ahead & rest
            return (None, False) if both is None else (frozenset(out | both), nullable)
        chars, nullable = _first_of(name, av)
        if chars is None:
            return None, False
        out |= chars
        if not nullable:
            return frozenset(out), False
    return frozenset(out), True


def _first_of(name: str, av) -> tuple[frozenset[str] | None, bool]:  # noqa: ANN001 (re._parser's operand)
    if name == "LITERAL":
        return frozenset(chr(av)), False
    if name == "IN":
        chars: set[str] = set()
        for op, value in av:
            op = str(op)
            if op == "LITERAL":
                chars.add(chr(value))
            elif op == "RANGE":
                chars.update(chr(c) for c in range(value[0], min(value[1], 127) + 1))
            elif op == "CATEGORY" and str(value) in _CATEGORIES:
                chars |= _CATEGORIES[str(value)]
            else:  # NEGATE, negated categories: any character
                return None, False
        return frozenset(chars), False
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        chars, nullable = _first_of_sequence(list(av[2]))
        return chars, nullable or av[0] == 0
    if name == "SUBPATTERN":
        if av[1] or av[2]:  # inline flags
            return None, False
        return _first_of_sequence(list(av[3]))
    if name == "ATOMIC_GROUP":
        return _first_of_sequence(list(av))
    if name == "BRANCH":
        union: set[str] = set()
        any_nullable = False
        for branch in av[1]:
            chars, nullable = _first_of_sequence(list(branch))
            if chars is None:
                return None, False
            union |= chars
            any_nullable = any_nullable or nullable
        return frozenset(union), any_nullable
    if name in ("AT", "ASSERT_NOT", "ASSERT"):  # zero-width: they constrain nothing we rely on
        return frozenset(), True
    return None, False  # ANY, NOT_LITERAL, group references ...


class RecordJoiner:
    """Groups lines into records: (first line, continuation lines). Blank lines are kept only inside a record."""

    def __init__(self, machine: Machine | None, max_lines: int = 1000, max_bytes: int = 1 << 20):
        self.machine, self.max_lines, self.max_bytes = machine, max_lines, max_bytes

    @classmethod
    def for_mode(cls, mode: str = "auto", rules: MultilineRules | None = None) -> RecordJoiner:
        rules = rules or load_rules()
        return cls(rules.machine(mode), rules.max_lines, rules.max_bytes)

    def records(self, lines: Iterable[str]) -> Iterator[tuple[str, list[str]]]:
        """The records of `lines` (newlines already stripped), in order; every non-blank line is in exactly one."""
        machine = self.machine
        if machine is None:  # off: every non-blank line is a record
            for line in lines:
                if line and not line.isspace():
                    yield line, []
            return
        first: str | None = None
        rest: list[str] = []
        size = 0
        state = ""
        blanks: list[str] = []  # blank lines since the last non-blank one
        head: tuple[str, list[str]] | None = None  # a "head" line waiting for the next line to decide
        for line in lines:
            if not line or line.isspace():
                if first is not None or head is not None:
                    blanks.append(line)
                continue
            rule = machine.rule(line, state)
            action = rule.action if rule else "start"
            if head is not None:
                head_line, head_blanks = head
                head = None
                if action == "continue" and first is not None and self._fits(rest, size, len(head_blanks) + 1, len(head_line)):
                    rest += head_blanks
                    rest.append(head_line)
                    size += len(head_line)
                else:  # the head line starts a record of its own; this line is then judged against it
                    if first is not None:
                        yield first, rest
                    first, rest, size, state = head_line, [], len(head_line), ""
                    rule = machine.rule(line, state)
                    action = rule.action if rule else "start"
            if action == "head":
                head, blanks = (line, blanks), []
                continue
            if action == "continue" and first is not None and self._fits(rest, size, len(blanks) + 1, len(line)):
                if blanks:
                    rest += blanks
                rest.append(line)
                size += len(line)
            else:
                if first is not None:
                    yield first, rest
                first, rest, size = line, [], len(line)
                if action != "continue":
                    state = ""
            blanks = []
            if rule is not None and rule.then:
                state = rule.then
        if head is not None:
            if first is not None:
                yield first, rest
            first, rest = head[0], []
        if first is not None:
            yield first, rest

    def _fits(self, rest: list[str], size: int, lines: int, chars: int) -> bool:
        return len(rest) + lines < self.max_lines and size + chars <= self.max_bytes


def joined(first_message: str, rest: list[str]) -> str:
    """The message cell of a record: its first line's message and the continuation lines, newlines kept."""
    return "\n".join([first_message, *rest]) if rest else first_message


def classifier_view(message: str, max_chars: int, rules: MultilineRules | None = None) -> str:
    """What the classifier reads of a message: a one-line message cut to `max_chars`; of a multi-line
    record, the first line plus its exception lines (never a frame alone), then cut."""
    if "\n" not in message:
        return message if len(message) <= max_chars else message[:max_chars]
    rules = rules or load_rules()
    first, _, rest = message.partition("\n")
    picked: list[str] = []
    in_traceback = False
    for line in rest.split("\n"):
        text = line.strip()
        if not text:
            continue
        if text.startswith("Traceback (most recent call last)"):
            in_traceback = True
            continue
        exception = rules.exception_lines.match(text, 0, HEAD_CHARS) is not None
        if in_traceback and not line[:1].isspace():  # Python: the first unindented line after the frames
            in_traceback, exception = False, True
        if exception and text not in picked:
            picked.append(text if len(text) <= max_chars else text[:max_chars])
            if len(picked) >= rules.exception_max:
                break
    view = "\n".join([first, *picked]) if picked else first
    return view if len(view) <= max_chars else view[:max_chars]


def classifier_messages(messages: Iterable[str], max_chars: int) -> list[str]:
    """`classifier_view` of each message; one-line messages within the limit are passed as they are."""
    rules = None
    out = []
    for m in messages:
        if "\n" in m or len(m) > max_chars:
            rules = rules or load_rules()
            m = classifier_view(m, max_chars, rules)
        out.append(m)
    return out
