"""Header formats of plain log lines: the library (`resources/log_headers.yaml`), per-file detection,
and custom formats in LogPAI's notation (`<Date> <Time> <Level> <Component>: <Content>`).

A header format turns one line into (timestamp, host, level, component, message). The library is data:
each entry is a regex with named groups (kind `regex`, the default), a JSON record with field paths
(kind `json`: pino, bunyan, MongoDB, Docker's json-file), or W3C extended log lines whose `#Fields:`
directive names the columns (kind `w3c`: IIS).

Detection is per file, not per line: `detect` tries every format on a sample of the file's first lines
(about 1,000) and keeps the one that parses the most; `LineParser` then tries that format first on every
line and falls back to the rest of the library (one combined regex) for a line it does not parse, so a
file that mixes formats still has every header parsed off. Every pattern runs in linear time on hostile
input (tests/test_headers.py feeds each one 1 MB lines): no two unbounded parts can trade characters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

import yaml

from logclf.errors import UserError
from logclf.paths import RESOURCES

FIELDS = ("timestamp", "host", "level", "component", "message")
SEVERITIES = ("EMERG", "ALERT", "CRIT", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG")  # syslog PRI % 8
SAMPLE_LINES = 1000
SAMPLE_CHARS = 4 * 1024 * 1024  # the sample stops early on very long lines: detection needs headers, not bodies
DETECT_CHARS = 4096  # a sample line is matched on its first 4 KB (a header is never longer)
Parsed = tuple[str, str, str, str, str]
KINDS = ("regex", "json", "w3c")
# IIS's default columns, used until a #Fields: directive names them
W3C_DEFAULT_FIELDS = [
    "date",
    "time",
    "s-ip",
    "cs-method",
    "cs-uri-stem",
    "cs-uri-query",
    "s-port",
    "cs-username",
    "c-ip",
    "cs(User-Agent)",
    "cs(Referer)",
    "sc-status",
    "sc-substatus",
    "sc-win32-status",
    "time-taken",
]
W3C_HEADER_FIELDS = {"date", "time", "s-sitename", "s-computername", "s-ip", "c-ip", "s-port", "cs-username"}
_W3C_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S")


def unparsed(line: str) -> Parsed:
    return "", "", "", "", line


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: the library is cached, formats are keys
class HeaderFormat:
    """One header format. `parse` returns None for a line it does not parse."""

    name: str
    kind: str = "regex"
    regex: re.Pattern[str] | None = None
    levels: dict[str, str] = field(default_factory=dict)
    pri_level: bool = False
    nil: str | None = None
    json_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    require: tuple[str, ...] = ()
    append: tuple[str, ...] = ()  # JSON: fields whose compact JSON follows the message (MongoDB's attr)
    description: str = ""
    example: str = ""
    expect: dict[str, str] = field(default_factory=dict)
    timestamp_parts: tuple[str, ...] = ()  # LogPAI formats: groups joined (with a space) into the timestamp

    def parse(self, line: str, state: dict[str, Any] | None = None) -> Parsed | None:
        if self.kind == "json":
            return self._parse_json(line)
        if self.kind == "w3c":
            return self._parse_w3c(line, state if state is not None else {})
        m = self.regex.match(line)  # type: ignore[union-attr]
        if not m:
            return None
        g = m.groupdict()  # straight-line from here: this runs once per line of a file
        if self.timestamp_parts:
            g["timestamp"] = " ".join(g[k] for k in self.timestamp_parts if g.get(k))
        ts, host, level, component = g.get("timestamp") or "", g.get("host") or "", g.get("level") or "", g.get("component") or ""
        message = g.get("message") or ""
        if self.nil:
            nil = self.nil
            ts, host, level, component, message = ("" if v == nil else v for v in (ts, host, level, component, message))
        if self.pri_level and g.get("pri"):
            level = SEVERITIES[int(g["pri"]) % 8]
        if self.levels:
            level = self.levels.get(level, level)
        return ts, host, level, component, message

    def _parse_json(self, line: str) -> Parsed | None:
        text = line.strip()
        if not (text.startswith("{") and text.endswith("}")):
            return None
        try:
            obj = json.loads(text)
        except (ValueError, RecursionError):
            return None
        return self.from_object(obj)

    def from_object(self, obj: Any) -> Parsed | None:
        """The fields of an already decoded JSON record (detection decodes each sample line once)."""
        if not isinstance(obj, dict) or any(k not in obj for k in self.require):
            return None
        values = {k: _as_text(_first_path(obj, self.json_fields.get(k, ()))) for k in FIELDS}
        if "message" not in self.json_fields:
            return None
        values["message"] = values["message"].rstrip("\n")
        extra = [json.dumps(obj[k], ensure_ascii=False, separators=(",", ":")) for k in self.append if obj.get(k) not in (None, {}, [])]
        if extra:
            values["message"] = " ".join([values["message"], *extra])
        values["level"] = self.levels.get(values["level"], values["level"])
        return values["timestamp"], values["host"], values["level"], values["component"], values["message"]

    def _parse_w3c(self, line: str, state: dict[str, Any]) -> Parsed | None:
        if line.startswith("#"):
            if line.startswith("#Fields:"):
                state["w3c_fields"] = line[len("#Fields:") :].split()
            # a directive (#Software, #Version, #Date, #Fields): kept as a row, nothing to parse off
            return ("", "", "", "", line) if re.match(r"#(?:Software|Version|Date|Fields|Remark|Start-Date|End-Date):", line) else None
        if not _W3C_LINE.match(line):
            return None
        names = state.get("w3c_fields") or W3C_DEFAULT_FIELDS
        cells = line.split(" ")
        if len(cells) != len(names):
            return None
        at, start = 0, None
        for name, cell in zip(names, cells, strict=True):
            if name not in W3C_HEADER_FIELDS and start is None:
                start = at
            at += len(cell) + 1
        row = dict(zip(names, cells, strict=True))
        timestamp = " ".join(row[k] for k in ("date", "time") if k in row)
        host = row.get("c-ip", "")
        return timestamp, "" if host == "-" else host, "", "", line[start:] if start is not None else ""


def _first_path(obj: dict[str, Any], paths: tuple[str, ...]) -> Any:
    """The value at the first dotted path present (`t.$date`: MongoDB's timestamp)."""
    for path in paths:
        if path in obj:  # a key with dots in it (`node.name`, `log.level`) before a nested path
            if obj[path] is not None:
                return obj[path]
            continue
        value: Any = obj
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                break
            value = value[part]
        else:
            if value is not None:
                return value
    return ""


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# -- the library -----------------------------------------------------------------------------------


def _entry(entry: dict[str, Any], shared: dict[str, str]) -> HeaderFormat:
    kind = entry.get("kind", "regex")
    if kind not in KINDS:
        raise ValueError(f"format {entry.get('name')!r}: unknown kind {kind!r}")
    regex = None
    if kind == "regex":
        pattern = entry["regex"]
        for key, value in shared.items():
            pattern = pattern.replace(f"<<{key}>>", value)
        regex = re.compile(pattern)
        unknown = set(regex.groupindex) - set(FIELDS) - {"pri"} - set(entry.get("ignore", []))
        if unknown:
            raise ValueError(f"format {entry['name']!r}: unknown group(s) {', '.join(sorted(unknown))}")
    fields = {k: tuple(v if isinstance(v, list) else [v]) for k, v in (entry.get("fields") or {}).items()}
    return HeaderFormat(
        name=entry["name"],
        kind=kind,
        regex=regex,
        levels={str(k): str(v) for k, v in (entry.get("levels") or {}).items()},
        pri_level=bool(entry.get("pri_level")),
        nil=entry.get("nil"),
        json_fields=fields,
        require=tuple(entry.get("require", ())),
        append=tuple(entry.get("append", ())),
        description=entry.get("description", ""),
        example=entry.get("example", ""),
        expect={k: str(v) for k, v in (entry.get("expect") or {}).items()},
    )


@cache
def header_formats(path: Path = RESOURCES / "log_headers.yaml") -> tuple[HeaderFormat, ...]:
    """The library, in the file's order (ties in detection go to the earlier, more specific format)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        shared = data.get("shared", {})
        formats = tuple(_entry(entry, shared) for entry in data["formats"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError, re.error) as exc:
        raise UserError(f"{path}: not a valid header table ({exc})") from None
    names = [f.name for f in formats]
    if len(set(names)) != len(names):
        raise UserError(f"{path}: format names must be unique")
    return formats


def _combined(formats: tuple[HeaderFormat, ...], first: str = "") -> re.Pattern[str]:
    """One alternation of the regex formats, in order: a line the chosen format missed costs one match,
    not one per format. Each alternative is wrapped in a group `_N` (N = index in `formats`), whose name
    `lastgroup` gives back; the inner named groups are dropped (the format's own regex re-parses the line).
    With `first` (an ASCII character), only the formats whose line can start with it are in it."""
    return _combined_for(formats, first if first.isascii() else "")


@cache
def _combined_for(formats: tuple[HeaderFormat, ...], first: str) -> re.Pattern[str]:
    parts = []
    for i, fmt in enumerate(formats):
        if fmt.kind == "regex" and (not first or _may_start_with(fmt.regex, first)):  # type: ignore[arg-type]
            inner = re.sub(r"\(\?P<\w+>", "(?:", fmt.regex.pattern)  # type: ignore[union-attr]
            parts.append(f"(?P<_{i}>{inner})")
    return re.compile("|".join(parts) or "(?!)")


@cache
def _first_chars(regex: re.Pattern[str]) -> frozenset[str] | None:
    """The ASCII characters a match of `regex` can start with, or None when it cannot say (any character,
    a category such as \\S, flags). A prefilter only: None keeps the format in every alternation."""
    from re import _constants as c
    from re import _parser

    def seq(items) -> tuple[set[str] | None, bool]:
        acc: set[str] = set()
        for op, av in items:
            chars, nullable = item(op, av)
            if chars is None:
                return None, False
            acc |= chars
            if not nullable:
                return acc, False
        return acc, True

    def item(op, av) -> tuple[set[str] | None, bool]:
        if op is c.AT or op in (c.ASSERT, c.ASSERT_NOT):
            return set(), True
        if op is c.LITERAL:
            return {chr(av)}, False
        if op is c.IN:
            chars: set[str] = set()
            for kind, value in av:
                if kind is c.LITERAL:
                    chars.add(chr(value))
                elif kind is c.RANGE:
                    chars |= {chr(x) for x in range(value[0], value[1] + 1)}
                elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
                    chars |= set("0123456789")
                else:
                    return None, False
            return chars, False
        if op is c.SUBPATTERN:
            return (None, False) if av[1] or av[2] else seq(av[3])
        if op is c.BRANCH:
            found = [seq(branch) for branch in av[1]]
            if any(chars is None for chars, _ in found):
                return None, False
            return set().union(*(chars for chars, _ in found)), any(n for _, n in found)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            chars, nullable = seq(av[2])
            return chars, nullable or av[0] == 0
        return None, False

    if regex.flags & re.IGNORECASE:
        return None
    chars, nullable = seq(_parser.parse(regex.pattern, regex.flags))
    return None if chars is None or nullable or not all(ch.isascii() for ch in chars) else frozenset(chars)


def _may_start_with(regex: re.Pattern[str], char: str) -> bool:
    chars = _first_chars(regex)
    return chars is None or char in chars


def library_parse(line: str, formats: tuple[HeaderFormat, ...], state: dict[str, Any], skip: int = -1) -> tuple[int, Parsed] | None:
    """(index, fields) of the first format of `formats` that parses `line`. `skip` (the file's chosen
    format, which already failed on the line) is not tried again; a regex format that failed cannot
    match in the combined alternation either."""
    m = _combined(formats, line[:1]).match(line)
    if m:
        i = int(m.lastgroup[1:])  # type: ignore[index]
        parsed = formats[i].parse(line)
        if parsed is not None:
            return i, parsed
    if line.startswith(("{", "#")) or _W3C_LINE.match(line):
        for i, fmt in enumerate(formats):
            if fmt.kind != "regex" and i != skip and (parsed := fmt.parse(line, state)) is not None:
                return i, parsed
    return None


# -- detection and per-file parsing ----------------------------------------------------------------


@dataclass
class FormatReport:
    """What the reader found: the format chosen for the file and the share of lines each part parsed."""

    name: str  # "none" when no format parsed a sample line
    lines: int = 0
    parsed: int = 0  # by the chosen format
    other: int = 0  # by another format of the library

    @property
    def share(self) -> float:
        return self.parsed / self.lines if self.lines else 0.0

    def header_value(self) -> str:
        """The `X-Log-Format` response header: `log4j; parsed=0.993`."""
        return f"{self.name}; parsed={self.share:.3f}"

    def text(self) -> str:
        extra = f", {self.other / self.lines:.1%} by other formats" if self.other and self.lines else ""
        return f"format: {self.name} (parsed {self.share:.1%} of {self.lines:,} lines{extra})"


class LineParser:
    """Parses the lines of one file: the chosen format first, then the rest of the library."""

    def __init__(self, chosen: HeaderFormat | None, formats: tuple[HeaderFormat, ...]):
        self.chosen, self.formats = chosen, formats
        self._skip = formats.index(chosen) if chosen in formats else -1
        self._state: dict[str, Any] = {}
        self.report = FormatReport(chosen.name if chosen else "none")

    def parse(self, line: str) -> Parsed:
        self.report.lines += 1
        if self.chosen is not None:
            parsed = self.chosen.parse(line, self._state)
            if parsed is not None:
                self.report.parsed += 1
                return parsed
        found = library_parse(line, self.formats, self._state, self._skip)
        if found is None:
            return unparsed(line)
        self.report.other += 1
        return found[1]


def detect(sample: Iterable[str], formats: tuple[HeaderFormat, ...]) -> tuple[HeaderFormat | None, dict[str, int]]:
    """The format that parses the most sample lines (ties: the earlier in `formats`), and every count."""
    counts = [0] * len(formats)
    states: list[dict[str, Any]] = [{} for _ in formats]
    for line in sample:
        head = line[:DETECT_CHARS]
        obj: Any = None
        if head.startswith("{"):
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError):
                obj = None
        for i, fmt in enumerate(formats):
            if fmt.kind == "json":
                ok = obj is not None and fmt.from_object(obj) is not None
            elif fmt.kind == "w3c":
                ok = fmt.parse(head, states[i]) is not None
            else:
                ok = fmt.regex.match(head) is not None  # type: ignore[union-attr]
            counts[i] += ok
    best = max(range(len(formats)), key=lambda i: (counts[i], -i), default=None)
    chosen = formats[best] if best is not None and counts[best] else None
    return chosen, {f.name: n for f, n in zip(formats, counts, strict=True) if n}


def parser_for(lines: Iterator[str], custom: HeaderFormat | None = None, path: Path | None = None) -> tuple[LineParser, Iterator[str]]:
    """A `LineParser` for the file whose lines `lines` yields (read lazily; newline-stripped, blanks
    skipped by the caller), and an iterator over the same lines from the first: the sample read for
    detection is replayed. With `custom` (from `compile_logpai`), that format is chosen, nothing sampled."""
    formats = header_formats(path) if path else header_formats()
    if custom is not None:
        return LineParser(custom, formats), lines
    sample: list[str] = []
    size = 0
    for line in lines:
        sample.append(line)
        size += len(line)
        if len(sample) >= SAMPLE_LINES or size >= SAMPLE_CHARS:
            break
    chosen, _ = detect((s for s in sample if s.strip()), formats)
    return LineParser(chosen, formats), chain(sample, lines)


def parse_line(line: str) -> Parsed:
    """(timestamp, host, level, component, message) of one line on its own: the first format of the
    library that parses it, or the whole line as the message."""
    found = library_parse(line, header_formats(), {})
    return found[1] if found else unparsed(line)


# -- LogPAI notation -------------------------------------------------------------------------------

# LogPAI field names -> our columns; other fields are matched and dropped (as a header's pid or thread is)
LOGPAI_FIELDS = {
    "content": "message",
    "level": "level",
    "severity": "level",
    "component": "component",
    "logger": "component",
    "program": "component",
    "tag": "component",
    "host": "host",
    "hostname": "host",
    "node": "host",
}
LOGPAI_TIME = ("timestamp", "datetime", "month", "date", "day", "time")
_TOKEN = re.compile(r"<([^<>]*)>")


def compile_logpai(spec: str, name: str = "custom") -> HeaderFormat:
    """A header format from LogPAI's notation: `<Date> <Time> <Pid> <Level> <Component>: <Content>`.

    Text between fields is literal (a backslash escapes the next character, so `\\[` and `\\|` work as
    in logparser's settings; a run of spaces matches one or more spaces or tabs). `<Content>` must come
    last. A field holds no whitespace and not the first character of the text after it: that keeps the
    pattern linear, where logparser's `.*?` per field backtracks without bound on a hostile line.
    Raises UserError, naming the problem, for a malformed string."""
    if not isinstance(spec, str) or not spec.strip():
        raise UserError("log format: empty; write it like '<Date> <Time> <Level> <Component>: <Content>'")
    if len(spec) > 1000:
        raise UserError("log format: longer than 1000 characters")
    pieces = _TOKEN.split(spec)  # literal, field, literal, field, ..., literal
    literals, names = pieces[0::2], pieces[1::2]
    for lit in literals:
        if "<" in lit.replace("\\<", "") or ">" in lit.replace("\\>", ""):
            raise UserError(f"log format: unbalanced '<' or '>' in {spec!r}")
    if not names:
        raise UserError(f"log format: no fields in {spec!r}; it needs at least <Content>")
    bad = [n for n in names if not re.fullmatch(r"[A-Za-z_]\w*", n)]
    if bad:
        raise UserError(f"log format: {bad[0]!r} is not a field name (letters, digits and _)")
    lowered = [n.lower() for n in names]
    if len(set(lowered)) != len(lowered):
        raise UserError(f"log format: a field appears twice in {spec!r}")
    if lowered[-1] != "content" or literals[-1].strip():
        raise UserError(f"log format: <Content> must come last in {spec!r}")
    texts = [_unescape(lit) for lit in literals]
    pattern, time_groups = ["^", _literal(texts[0])], []
    mapped: set[str] = set()
    for i, (raw, low) in enumerate(zip(names, lowered, strict=True)):
        group = f"f{i}"
        target = LOGPAI_FIELDS.get(low)
        if low in LOGPAI_TIME:
            time_groups.append(group)
        elif target and target not in mapped:
            group = target
            mapped.add(target)
        if low == "content":
            pattern.append("(?P<message>.*)$")
            break
        after = texts[i + 1]
        if not after:
            raise UserError(f"log format: <{raw}> and <{names[i + 1]}> need text between them")
        stop = after[0]
        pattern.append(rf"(?P<{group}>\S+)" if stop.isspace() else rf"(?P<{group}>[^\s{re.escape(stop)}]+)")
        pattern.append(_literal(after))
    try:
        regex = re.compile("".join(pattern))
    except re.error as exc:  # not expected: every literal is escaped
        raise UserError(f"log format: cannot compile {spec!r} ({exc})") from None
    return HeaderFormat(name=name, regex=regex, timestamp_parts=tuple(time_groups), description=spec)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _literal(text: str) -> str:
    return "".join(r"[ \t]+" if part.isspace() else re.escape(part) for part in re.split(r"(\s+)", text) if part)
