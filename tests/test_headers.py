"""The header-format library: every format's example and fixture, per-file detection, LogPAI notation, hang guards."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import httpx
import pytest

from logclf.errors import UserError
from logclf.formats import LinesReader
from logclf.headers import FIELDS, SAMPLE_LINES, _combined, compile_logpai, detect, header_formats, parser_for

FIXTURES = Path(__file__).parent / "fixtures" / "headers"
FORMATS = {f.name: f for f in header_formats()}
NAMES = sorted(FORMATS)
SEPARATORS = (" ", "\t", ":", "|", "]", "-")


def fixture_lines(name: str) -> list[str]:
    return [line for line in (FIXTURES / f"{name}.log").read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_library_covers_at_least_40_formats_each_with_a_fixture():
    assert len(FORMATS) >= 40
    assert sorted(p.stem for p in FIXTURES.glob("*.log")) == NAMES
    assert all(f.example and f.expect and f.description for f in FORMATS.values())


@pytest.mark.parametrize("name", NAMES)
def test_example_parses_into_the_expected_fields(name):
    fmt = FORMATS[name]
    assert fmt.parse(fmt.example, {}) == tuple(fmt.expect.get(k, "") for k in FIELDS)


@pytest.mark.parametrize("name", NAMES)
def test_fixture_headers_found_and_message_is_the_rest(name):
    """At least 99% of the fixture's lines parse; the message is exactly what follows the header."""
    fmt, state = FORMATS[name], {}
    lines = fixture_lines(name)
    assert 20 <= len(lines) <= 60
    found = 0
    for line in lines:
        parsed = fmt.parse(line, state)
        if fmt.kind == "w3c" and line.startswith("#"):
            assert parsed == ("", "", "", "", line)  # a directive: kept, nothing to parse off
            continue
        if parsed is None:
            continue
        header, message = dict(zip(FIELDS, parsed, strict=True)), parsed[-1]
        assert any(header[k] for k in FIELDS[:-1]), line  # header fields found
        if fmt.kind != "json":
            assert line.endswith(message) and len(message) < len(line), line
            assert not message or line[: len(line) - len(message)][-1:] in SEPARATORS, line  # the header ends at a separator
        found += 1
    data_lines = sum(1 for line in lines if not (fmt.kind == "w3c" and line.startswith("#")))
    assert found >= 0.99 * data_lines, f"{name}: {found} of {data_lines} lines parsed"


@pytest.mark.parametrize("name", NAMES)
def test_detection_picks_the_fixture_format(name):
    chosen, counts = detect(fixture_lines(name)[:SAMPLE_LINES], header_formats())
    assert chosen is FORMATS[name], counts


def test_reader_detects_once_and_still_parses_lines_of_other_formats():
    """A log4j file with a few syslog lines: log4j is chosen, and the syslog lines lose their header too."""
    log4j, syslog = fixture_lines("log4j"), fixture_lines("syslog")[:3]
    text = "\n".join(log4j[:10] + syslog + log4j[10:] + ["a line in no format at all"]) + "\n"
    reader = LinesReader(io.BytesIO(text.encode()), "hadoop")
    rows = [row for chunk in reader.chunks() for row in chunk]
    assert len(rows) == len(log4j) + len(syslog) + 1
    report = reader.header_report()
    assert (report.name, report.lines, report.parsed, report.other) == ("log4j", len(rows), len(log4j), len(syslog))
    assert rows[10][2:5] == ["web01", "", "sshd"] and rows[10][5].startswith("Failed password")
    assert rows[-1][1:] == ["", "", "", "", "a line in no format at all"]
    assert report.header_value() == f"log4j; parsed={len(log4j) / len(rows):.3f}"


def test_detection_sample_is_replayed_and_bounded():
    lines = iter(f"2026-11-24 10:01:02 INFO line {n}" for n in range(SAMPLE_LINES + 500))
    parser, replay = parser_for(lines)
    assert parser.chosen.name == "iso-date-level"
    assert [parser.parse(line)[-1] for line in replay] == [f"line {n}" for n in range(SAMPLE_LINES + 500)]


# -- LogPAI notation -------------------------------------------------------------------------------

LOGPAI = {  # Loghub's format strings (as logparser's benchmark settings write them) for some fixtures
    "hdfs": "<Date> <Time> <Pid> <Level> <Component>: <Content>",
    "zookeeper": r"<Date> <Time> - <Level>  \[<Node>:<Component>@<Id>\] - <Content>",
    "healthapp": r"<Time>\|<Component>\|<Pid>\|<Content>",
    "spark": "<Date> <Time> <Level> <Component>: <Content>",
    "bgl": "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>",
    "windows-cbs": "<Date> <Time>, <Level>                  <Component>    <Content>",
}


@pytest.mark.parametrize("name", sorted(LOGPAI))
def test_logpai_format_parses_like_the_library(name):
    """Level, component and message as the library finds them. A LogPAI field holds no whitespace (that
    keeps it linear), so the two ZooKeeper lines of thread `ProcessThread(sid:1 cport:-1)` are missed."""
    custom, fmt = compile_logpai(LOGPAI[name]), FORMATS[name]
    lines = fixture_lines(name)
    parsed = [(custom.parse(line), fmt.parse(line)) for line in lines]
    assert sum(mine is not None for mine, _ in parsed) >= len(lines) - 2 * (name == "zookeeper")
    for mine, theirs in parsed:
        if mine is not None:
            assert mine[2:] == theirs[2:] or name == "zookeeper" and (mine[2], mine[4]) == (theirs[2], theirs[4])


def test_logpai_fields_map_to_columns():
    fmt = compile_logpai("<Date> <Time> <Host> <Level> [<Thread>] <Logger> - <Content>")
    line = "2026-11-24 10:01:02,001 web01 WARN [main] com.acme.Pay - slow: 2 s"
    assert fmt.parse(line) == ("2026-11-24 10:01:02,001", "web01", "WARN", "com.acme.Pay", "slow: 2 s")
    assert fmt.parse("2026-11-24 10:01:02,001 web01 WARN main com.acme.Pay - slow") is None


@pytest.mark.parametrize(
    ("spec", "needle"),
    [
        ("", "empty"),
        ("<Date> <Time> <Level>", "<Content> must come last"),
        ("<Content> <Level>", "<Content> must come last"),
        ("<Date><Time> <Content>", "need text between them"),
        ("<Da te> <Content>", "not a field name"),
        ("<Level> <level> <Content>", "appears twice"),
        ("<Date <Content>", "unbalanced"),
        ("just text", "no fields"),
    ],
)
def test_malformed_logpai_format_is_a_user_error(spec, needle):
    with pytest.raises(UserError, match=re.escape(needle)):
        compile_logpai(spec)


# -- linear time on hostile input --------------------------------------------------------------------


def hostile_lines(example: str, size: int, header_length: int = 160) -> list[str]:
    """Lines shaped against a header pattern: the example cut at each change of character class within
    its header, then `size` characters of one filler: the character found there, a space, a letter or a
    digit. A pattern with two unbounded parts that can trade characters backtracks on some of them."""
    end = min(len(example), header_length + 1)
    cuts = sorted({0, *(i for i in range(1, end) if example[i - 1].isalnum() != example[i].isalnum())})
    return [example[:k] + c * size for k in cuts for c in {example[k : k + 1] or " ", " ", "a", "0"}]


# A hang guard, not a speed check: a linear pattern takes a few seconds at most here on a loaded 2-core
# machine; the quadratic forms this test caught (Spring Boot's padded thread, PostgreSQL's user@db) ~40 s.
@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", [*(n for n in NAMES if FORMATS[n].kind == "regex"), *(f"logpai:{n}" for n in sorted(LOGPAI))])
def test_header_pattern_is_linear_on_hostile_lines(name):
    fmt = compile_logpai(LOGPAI[name[7:]]) if name.startswith("logpai:") else FORMATS[name]
    library = FORMATS[name.removeprefix("logpai:")]
    header_length = len(library.example) - len(library.expect.get("message", ""))
    for line in hostile_lines(library.example, 40_000, header_length):
        fmt.regex.match(line)


@pytest.mark.timeout(60)
def test_1mb_lines_against_every_header_pattern():
    """The 1 MB hang guard of the regex rules, extended to the header patterns: each format's header
    repeated to 1 MB, through the alternation of the whole library (which tries every pattern on it)."""
    combined = _combined(header_formats())
    for fmt in header_formats():
        head = fmt.example[: len(fmt.example) - len(fmt.expect.get("message", ""))] or fmt.example[:40]
        combined.match(head * (1_000_000 // len(head)))


# -- the CLI, the server and the web page ----------------------------------------------------------


def test_cli_reports_the_detected_format_and_takes_a_logpai_format(tmp_path):
    from tests.test_cli import run_cli

    log = tmp_path / "executor.log"
    log.write_text((FIXTURES / "spark.log").read_text())
    result = run_cli(str(log), "--no-llm")
    assert result.returncode == 0, result.stderr.decode()
    assert "format: spark (parsed 100.0% of 25 lines)" in result.stderr.decode()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "executor_classified.csv").read_text())))
    assert (rows[0]["timestamp"], rows[0]["level"], rows[0]["component"]) == (
        "26/11/24 10:01:00",
        "INFO",
        "executor.CoarseGrainedExecutorBackend",
    )
    assert rows[0]["log_message"] == "Registered signal handlers for [TERM, HUP, INT]"

    result = run_cli("-", "--log-format", "<Date> <Time> <Level> <Component>: <Content>", "--no-llm", stdin=log.read_bytes())
    assert result.returncode == 0, result.stderr.decode()
    assert "format: custom (parsed 100.0% of 25 lines)" in result.stderr.decode()
    assert result.stdout.decode().splitlines()[1].startswith("stdin,26/11/24 10:01:00,,INFO,executor.CoarseGrainedExecutorBackend,")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--log-format", "<Date> <Time> <Level>"), "log format: <Content> must come last"),
        (("--log-format", "<Content>", "--format", "csv"), "a log format applies to plain log lines"),
    ],
)
def test_cli_bad_log_format_is_exit_2(tmp_path, args, needle):
    from tests.test_cli import run_cli

    log = tmp_path / "x.log"
    log.write_text("26/11/24 10:01:00 INFO a.B: c\n")
    result = run_cli(str(log), "--no-llm", *args)
    assert result.returncode == 2 and needle in result.stderr.decode() and "Traceback" not in result.stderr.decode()


def test_server_x_log_format_custom_format_and_preview(live_server):
    body = (FIXTURES / "zookeeper.log").read_bytes()
    r = httpx.post(f"{live_server.url}/classify", files={"file": ("zk.log", body)}, timeout=120)
    assert r.status_code == 200, r.text
    assert r.headers["x-log-format"] == "zookeeper; parsed=1.000"
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 23 and rows[0]["component"] == "FastLeaderElection" and rows[0]["log_message"] == "Notification time out: 3200"

    spec = r"<Date> <Time> - <Level>  \[<Node>:<Component>@<Id>\] - <Content>"
    r = httpx.post(f"{live_server.url}/classify", params={"log_format": spec}, files={"file": ("zk.log", body)}, timeout=120)
    assert r.status_code == 200 and r.headers["x-log-format"] == f"custom; parsed={21 / 23:.3f}"
    r = httpx.post(f"{live_server.url}/classify", params={"log_format": "<Level>"}, files={"file": ("zk.log", body)}, timeout=120)
    assert r.status_code == 400 and r.json()["detail"].startswith("log format: <Content> must come last")
    r = httpx.post(f"{live_server.url}/classify", files={"file": ("x.csv", b"source,log_message\na,b\n")}, timeout=120)
    assert r.status_code == 200 and "x-log-format" not in r.headers

    text = "\n".join(fixture_lines("postgresql")[:6]) + "\nnot a header\n"
    r = httpx.post(f"{live_server.url}/formats/detect", json={"text": text}, timeout=60)
    assert r.status_code == 200, r.text
    found = r.json()
    assert (found["format"], found["lines"], found["parsed"]) == ("postgresql", 7, round(6 / 7, 4))
    assert found["rows"][5] == {
        "timestamp": "2026-11-24 10:01:02.123 UTC",
        "host": "",
        "level": "ERROR",
        "component": "",
        "log_message": 'duplicate key value violates unique constraint "users_email_key"',
    }
    assert found["rows"][6]["log_message"] == "not a header"
    spec = httpx.get(f"{live_server.url}/openapi.json", timeout=30).json()
    assert "X-Log-Format" in spec["paths"]["/classify"]["post"]["responses"]["200"]["headers"]
    assert any(p["name"] == "log_format" for p in spec["paths"]["/classify"]["post"]["parameters"])


def test_every_format_is_documented():
    doc = (Path(__file__).parent.parent / "docs" / "formats.md").read_text(encoding="utf-8")
    assert [name for name in NAMES if f"| `{name}`" not in doc] == []


def test_first_character_prefilter_changes_no_match():
    """The fallback alternation keeps only the formats a line's first character can start: the same
    format must win as with all of them, on every fixture line and on lines that start oddly."""
    formats = header_formats()
    lines = [line for name in NAMES for line in fixture_lines(name)]
    lines += ["", " indented", "\tat x", "Üser logged in", "٣ digits", "{}", "[x] y", "- 1 2 3"]
    for line in lines:
        full, filtered = _combined(formats).match(line), _combined(formats, line[:1]).match(line)
        assert (full and full.lastgroup) == (filtered and filtered.lastgroup), line
