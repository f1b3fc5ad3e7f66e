"""Multi-line records (stack traces, tracebacks, panics): one row per record, the classifier reads the event.

Fixtures in tests/fixtures/multiline/ are written from knowledge of each runtime's output format.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path

import httpx
import pytest

from logclf.errors import UserError
from logclf.formats import LinesReader, classify_any, open_input
from logclf.headers import parser_for
from logclf.multiline import RecordJoiner, classifier_messages, classifier_view, joined, load_rules
from tests.test_cli import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "multiline"
# fixture -> (records, the first line of each record that carries a trace)
EXPECTED = {
    "java": (6, ["Request processing failed", "Failed to process message at offset 88121", 'Exception in thread "pool-4-thread-1"']),
    "python": (5, ["Invoice export failed for account 4411", "Failed to send notification email"]),
    "go": (5, ["http: panic serving 10.0.4.17:52810", "panic: runtime error: invalid memory address"]),
    "dotnet": (5, ["An unhandled exception has occurred", "Failed to refresh exchange rates"]),
    "node": (5, ["Unhandled error while handling GET /api/users/42", "Database connection lost"]),
}
FRAME_STARTS = (
    "at ",
    "File ",
    "... ",
    "--- End",
    "goroutine ",
    "Caused by",
    "Suppressed",
    "/",
    "main.",
    "net/http",
    "panic(",
    "created by",
)


def lines_of(name: str) -> list[str]:
    return (FIXTURES / f"{name}.log").read_text().split("\n")


def records_of(name: str, mode: str = "auto") -> list[tuple[str, list[str]]]:
    return list(RecordJoiner.for_mode(mode).records(lines_of(name)))


@pytest.mark.parametrize("name", EXPECTED)
def test_one_record_per_event_and_no_frame_alone(name):
    records = records_of(name)
    count, traced = EXPECTED[name]
    assert len(records) == count
    for first, _ in records:
        assert not first.strip().startswith(FRAME_STARTS), first
    with_trace = [first for first, rest in records if rest]
    assert len(with_trace) == len(traced) and all(t in f for t, f in zip(traced, with_trace, strict=True)), with_trace
    # every non-blank line is in exactly one record, in order; blank lines only inside records
    flat = [line for first, rest in records for line in (first, *rest) if line.strip()]
    assert flat == [line for line in lines_of(name) if line.strip()]


def test_off_is_one_row_per_line_and_parsers_can_be_named():
    assert len(records_of("java", "off")) == sum(1 for line in lines_of("java") if line.strip())
    assert len(records_of("python", "python")) == 5
    assert len(records_of("go", "java,dotnet")) > 5  # go's rules off: its unindented frames are rows
    with pytest.raises(UserError, match="unknown multi-line parser"):
        RecordJoiner.for_mode("cobol")


def test_python_chain_keeps_its_blank_lines_and_drops_others():
    first, rest = records_of("python")[1]
    assert rest.count("") == 2 and rest[-1] == "app.billing.errors.ExportError: bad amount in row 17"
    joiner = RecordJoiner.for_mode()
    assert list(joiner.records(["a", "", "", "b", "   "])) == [("a", []), ("b", [])]


def test_a_head_line_without_frames_is_its_own_record():
    lines = ["2024-03-01 ERROR upload failed", "TypeError: x is undefined", "2024-03-01 INFO next", "ValueError: alone"]
    assert [first for first, _ in RecordJoiner.for_mode().records(lines)] == lines


def test_record_limits_cut_long_records():
    rules = load_rules()
    frames = ["\tat a.B.c(B.java:1)"] * (rules.max_lines * 3)
    records = list(RecordJoiner.for_mode().records(["ERROR boom", *frames]))
    assert all(len(rest) + 1 <= rules.max_lines for _, rest in records)
    assert sum(len(rest) + 1 for _, rest in records) == len(frames) + 1
    wide = ["\t" + "y" * 400_000] * 5
    records = list(RecordJoiner.for_mode().records(["ERROR wide", *wide]))
    assert len(records) == 3 and all(sum(map(len, [f, *r])) <= rules.max_bytes for f, r in records)


def test_classifier_view_is_first_line_plus_exception_lines():
    first, rest = records_of("java")[1]
    view = classifier_view("\n".join([first, *rest]), 65536)
    assert view.split("\n") == [
        first,
        "org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection",
        "Caused by: org.hibernate.exception.JDBCConnectionException: Unable to acquire JDBC Connection",
        "Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.",
    ]
    first, rest = records_of("python")[3]
    assert classifier_view("\n".join([first, *rest]), 65536).split("\n")[1:] == [
        "ConnectionRefusedError: [Errno 111] Connection refused",
        "queue.Full",
    ]
    assert classifier_messages(["a" * 70_000, "short"], 65536) == ["a" * 65536, "short"]


HOSTILE = {  # about 1 MB each, shaped against the rules' unbounded parts (identifiers, dotted names, brackets)
    "dotted": "a." * 500_000 + "!",
    "ident": "a" * 1_000_000 + "!",
    "parens": "x" + "(" * 1_000_000,
    "at": "\tat " + "a" * 1_000_000,
    "goroutine": "goroutine 1 [" + "r" * 1_000_000,
    "caused": "Caused by: " + "a." * 500_000,
}


@pytest.mark.timeout(20)  # a hang guard, not a speed check: each rule looks at 4 KB of a line
def test_hostile_lines_are_linear():
    joiner = RecordJoiner.for_mode()
    for name, line in HOSTILE.items():
        lines = ["ERROR start", line, "Traceback (most recent call last):", line, "panic: x", line]
        assert sum(1 + len(r) for _, r in joiner.records(lines)) == len(lines), name
        assert len(classifier_view("ERROR x\n" + "\n".join([line] * 3), 65536)) <= 65536
    for rule in load_rules().rules:  # each rule alone, on each shape, at full length (without the 4 KB guard)
        for line in HOSTILE.values():
            rule.regex.match(line)
    for line in HOSTILE.values():
        load_rules().exception_lines.match(line)


def classify_fixture(cascade, name: str, mode: str = "auto") -> list[dict[str, str]]:
    reader = open_input(io.BytesIO((FIXTURES / f"{name}.log").read_bytes()), f"{name}.log", multiline=mode)
    assert isinstance(reader, LinesReader)
    out = io.StringIO()
    classify_any(reader, out, cascade, jsonl=False, explain=True)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize("name", EXPECTED)
def test_each_record_is_one_row_labelled_as_its_event(cascade, name):
    rows = classify_fixture(cascade, name)
    count, traced = EXPECTED[name]
    assert len(rows) == count
    for row in rows:
        if "\n" in row["log_message"]:  # a record with its trace: a failure, or left to the LLM; never a routine notification
            assert row["target_label"] in {"Error", "Critical Error", "Unclassified"}, row
    # the whole text of every record is in its message cell (the first line's header in its columns), newlines included
    parser, replay = parser_for(iter(lines_of(name)))  # the file's header format, detected as the reader does
    expected = [joined(parser.parse(first)[-1], rest) for first, rest in RecordJoiner.for_mode().records(replay)]
    assert [r["log_message"] for r in rows] == expected


def test_request_processing_failed_with_its_trace_is_an_error(cascade):
    rows = classify_fixture(cascade, "java")
    failed = next(r for r in rows if "Request processing failed" in r["log_message"])
    assert failed["target_label"] == "Error" and failed["log_message"].count("\n") == 12
    assert not any(r["log_message"].lstrip().startswith("at ") for r in rows)


@pytest.mark.slow
def test_cli_multiline_auto_and_off(tmp_path):
    src = tmp_path / "svc.log"
    src.write_bytes((FIXTURES / "java.log").read_bytes())
    auto = run_cli(str(src), "-o", str(tmp_path / "auto.csv"), "--no-llm", "-q")
    off = run_cli(str(src), "-o", str(tmp_path / "off.csv"), "--no-llm", "-q", "--multiline", "off")
    assert auto.returncode == 0 and off.returncode == 0, (auto.stderr, off.stderr)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "auto.csv").read_text())))
    assert len(rows) == 6 and rows[1]["log_message"].endswith("\t... 61 common frames omitted")
    assert len(list(csv.DictReader(io.StringIO((tmp_path / "off.csv").read_text())))) == 25
    bad = run_cli(str(src), "--no-llm", "-q", "--multiline", "cobol")
    assert bad.returncode == 2 and len(bad.stderr.decode().strip().splitlines()) == 1
    bad = run_cli(str(src), "--no-llm", "-q", env_extra={"MULTILINE": "cobol"})
    assert bad.returncode == 2 and bad.stderr.decode().startswith("error: MULTILINE: unknown multi-line parser")


# ---------------------------------------------------------------- HTTP: raw bodies, as log shippers send them


def post(server, body: bytes, content_type: str | None, params: dict | None = None, **headers: str) -> httpx.Response:
    if content_type:
        headers["Content-Type"] = content_type
    return httpx.post(f"{server.url}/classify", content=body, params={"explain": "true", **(params or {})}, headers=headers, timeout=300)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_raw_bodies_agree_with_the_upload_and_the_local_engine(live_server, cascade):
    java = (FIXTURES / "java.log").read_bytes()
    plain = post(live_server, java, "text/plain; charset=utf-8")
    assert plain.status_code == 200, plain.text
    assert plain.headers["content-type"].startswith("text/csv") and 'filename="logs_classified.csv"' in plain.headers["content-disposition"]
    gz = post(live_server, gzip.compress(java), "text/plain", **{"Content-Encoding": "gzip"})
    upload = httpx.post(
        f"{live_server.url}/classify", params={"explain": "true", "source": "http"}, files={"file": ("x.log", java)}, timeout=300
    )
    assert plain.text == gz.text == upload.text
    rows = csv_rows(plain.text)
    local = classify_fixture(cascade, "java")
    assert [r["log_message"] for r in rows] == [r["log_message"] for r in local] and len(rows) == 6
    assert {r["source"] for r in rows} == {"http"}
    for got, expected in zip(rows, local, strict=True):  # the server's LLM tier answers what the local one leaves Unclassified
        if expected["classified_by"] in ("bert", "regex"):
            assert (got["target_label"], got["classified_by"]) == (expected["target_label"], expected["classified_by"])
    off = post(live_server, java, "text/plain", {"multiline": "off"})
    assert off.status_code == 200 and len(csv_rows(off.text)) == 25


def test_raw_ndjson_and_csv_bodies(live_server):
    vector = (
        b'{"message": "User 12345 logged in.", "host": "web01", "source_type": "file"}\n{"message": "Backup completed successfully."}\n'
    )
    for media in ("application/x-ndjson", "application/jsonl"):
        r = post(live_server, vector, media)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson"), r.text
        assert [json.loads(line)["target_label"] for line in r.text.splitlines()] == ["User Action", "System Notification"]
    r = post(
        live_server, gzip.compress(b"source,log_message\nModernCRM,User 12345 logged in.\n"), "text/csv", **{"Content-Encoding": "gzip"}
    )
    assert r.status_code == 200 and csv_rows(r.text)[0]["target_label"] == "User Action"


@pytest.mark.parametrize(
    ("body", "content_type", "headers", "status", "needle"),
    [
        (b"a=1", "application/x-www-form-urlencoded", {}, 422, "Content-Type: text/plain"),
        (b"<log/>", "application/xml", {}, 415, "application/xml is not read here"),
        (b"plain text", "text/plain", {"Content-Encoding": "gzip"}, 400, "not gzip data"),
        (b"plain text", "text/plain", {"Content-Encoding": "br"}, 415, "Content-Encoding br"),
        (b"x", "text/plain", {"X-Query": "multiline=cobol"}, 400, "unknown multi-line parser"),
    ],
)
def test_raw_body_errors_are_one_clear_line(live_server, body, content_type, headers, status, needle):
    params = {"multiline": "cobol"} if headers.pop("X-Query", None) else None
    r = post(live_server, body, content_type, params, **headers)
    assert r.status_code == status and needle in r.json()["detail"], r.text


@pytest.mark.slow
def test_deep_json_nesting_is_400_naming_the_line(live_server, tmp_path):
    deep = b'{"message": "ok"}\n{"message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"
    r = post(live_server, deep, "application/x-ndjson")
    assert r.status_code == 400 and "line 2" in r.json()["detail"] and "nested" in r.json()["detail"], r.text
    r = httpx.post(f"{live_server.url}/classify", files={"file": ("deep.jsonl", deep)}, timeout=120)
    assert r.status_code == 400 and "line 2" in r.json()["detail"]
    src = tmp_path / "deep.jsonl"
    src.write_bytes(deep)
    result = run_cli(str(src), "--no-llm", "-q")
    err = result.stderr.decode().strip()
    assert result.returncode == 2 and len(err.splitlines()) == 1 and "line 2" in err and "Traceback" not in err


def test_a_60_mb_line_is_classified_on_its_start_and_written_whole(live_server):
    line = "Payload dump follows: " + "ab12 " * 12_000_000
    r = httpx.post(f"{live_server.url}/classify", files={"file": ("big.log", (line + "\nUser 12345 logged in.\n").encode())}, timeout=600)
    assert r.status_code == 200, r.text[:500]
    rows = csv_rows(r.text)
    assert len(rows) == 2 and rows[0]["log_message"] == line and rows[1]["target_label"] == "User Action"


@pytest.mark.slow
def test_raw_body_limits(tmp_path):
    """MAX_UPLOAD_MB and MAX_DECOMPRESSED_MB hold for a raw body as for an upload, streamed without Content-Length."""
    from tests.uvicorn_server import run_uvicorn

    with run_uvicorn(
        tmp_path / "uvicorn.log", MAX_UPLOAD_MB="1", MAX_DECOMPRESSED_MB="2", LLM_CACHE_PATH=str(tmp_path / "c.sqlite3")
    ) as server:

        def chunks():
            for _ in range(40):
                yield b"User 12345 logged in.\n" * 5000  # 110 KB each, 4.4 MB in all

        r = httpx.post(f"{server.url}/classify", content=chunks(), headers={"Content-Type": "text/plain"}, timeout=120)
        assert r.status_code == 413 and "MAX_UPLOAD_MB" in r.json()["detail"]
        bomb = gzip.compress(b"A" * (10 * 1024 * 1024), compresslevel=9)
        r = post(server, bomb, "text/plain", **{"Content-Encoding": "gzip"})
        assert r.status_code == 413 and "MAX_DECOMPRESSED_MB" in r.json()["detail"]


def test_openapi_documents_the_raw_bodies(live_server):
    post_op = httpx.get(f"{live_server.url}/openapi.json", timeout=30).json()["paths"]["/classify"]["post"]
    content = post_op["requestBody"]["content"]
    assert {"multipart/form-data", "text/plain", "application/x-ndjson", "text/csv"} <= set(content)
    assert "Fluent Bit" in post_op["requestBody"]["description"] and content["text/plain"]["example"]
    assert any(p["name"] == "multiline" for p in post_op["parameters"])


def test_the_first_character_shortcut_never_skips_a_match():
    """`first_chars` is a superset: every line a rule matches starts with one of its characters."""
    from logclf.multiline import first_chars

    lines = [line for name in EXPECTED for line in lines_of(name) if line] + [
        "Error: x",
        "$Foo.BarError: y",
        "\tat x(Y.java:1)",
        "... 3 more",
    ]
    for rule in load_rules().rules:
        chars = first_chars(rule.regex)
        for line in lines:
            if chars is not None and rule.regex.match(line):
                assert line[0] in chars, (rule.regex.pattern, line)
    assert first_chars(re.compile("(?i)abc")) is None and first_chars(re.compile("x?")) is None
    assert first_chars(re.compile("[ \t]*at ")) == frozenset(" \ta")


@pytest.mark.slow
def test_bench_raw_log_workload_has_traces_and_its_csv_has_the_same_records(tmp_path):
    from bench.workloads import write_raw_logs

    log_path, csv_path, lines, records = write_raw_logs(tmp_path, 3000, 7)
    assert lines >= 3000 and records < lines * 0.9  # frames are a good share of the lines
    with open(csv_path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == records and sum("\n" in r["log_message"] for r in rows) > 50
    assert not any(r["log_message"].startswith(("\tat ", "    at ", '  File "', "Caused by: ")) for r in rows)  # no frame alone
