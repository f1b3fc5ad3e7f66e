"""Plain lines, JSON Lines and gzip: header table, field fallbacks and errors, via the CLI and a real uvicorn."""

from __future__ import annotations

import csv
import gzip
import io
import json

import httpx
import pytest

from logclf.formats import parse_line, split_name
from tests.test_cli import run_cli

HEADERS = [  # (line, (timestamp, host, level, component, message)), one positive per format
    ("Nov 24 10:01:02 web01 sshd[42]: Failed password", ("Nov 24 10:01:02", "web01", "", "sshd", "Failed password")),
    ("<34>1 2026-11-24T10:01:02Z host app 12 ID47 - disk full", ("2026-11-24T10:01:02Z", "host", "CRIT", "app", "disk full")),
    ("2026-11-24T10:04:00.123Z ERROR [db] connection refused", ("2026-11-24T10:04:00.123Z", "", "ERROR", "db", "connection refused")),
    ("2026-11-24 10:05:00,001 WARN [main] com.acme.Pay: slow", ("2026-11-24 10:05:00,001", "", "WARN", "com.acme.Pay", "slow")),
    ("WARNING:root:low disk", ("", "", "WARNING", "root", "low disk")),
    ("2026-11-24 10:05:00,001 - app.db - ERROR - lost", ("2026-11-24 10:05:00,001", "", "ERROR", "app.db", "lost")),
    (
        "[Tue Nov 24 10:01:02.123456 2026] [core:error] [pid 1:tid 2] [client 1.2.3.4:5] AH00126: bad URI",
        ("Tue Nov 24 10:01:02.123456 2026", "", "error", "core", "AH00126: bad URI"),
    ),
    ("2026/11/24 10:01:02 [error] 12#0: *5 open() failed", ("2026/11/24 10:01:02", "", "error", "", "open() failed")),
    ("E1124 10:01:02.123456       1 file.go:42] boom", ("1124 10:01:02.123456", "", "ERROR", "file.go:42", "boom")),
    ("2026-11-24 ERROR payment failed", ("2026-11-24", "", "ERROR", "", "payment failed")),
]
NEAR_MISSES = [
    "Nox 24 10:01:02 web01 sshd[42]: Failed password",  # no such month
    "<34>2 2026-11-24T10:01:02Z host app 12 ID47 - disk full",  # RFC 5424 version 1 only
    "2026-11-24T10:04:00.123Z LOUD [db] connection refused",  # not a level
    "WARNING root low disk",  # python default needs the colons
    "[Tue Nov 24 10:01:02 2026 [core:error] bad",  # unclosed bracket
    "2026/11/24 10:01 [error] 12#0: open() failed",  # nginx (and Go's log) have seconds
    "X1124 10:01:02.123456 1 file.go:42] boom",  # klog levels are I W E F
    "2026-11-24ERROR payment failed",
]


@pytest.mark.parametrize(("line", "expected"), HEADERS)
def test_each_header_format(line, expected):
    assert parse_line(line) == expected


@pytest.mark.parametrize("line", NEAR_MISSES)
def test_near_misses_keep_the_whole_line(line):
    assert parse_line(line) == ("", "", "", "", line)


def test_split_name():
    assert split_name("/var/log/auth.log.gz") == ("auth", "lines")
    assert split_name("events.ndjson") == ("events", "jsonl")
    assert split_name("x.TSV") == ("x", "csv")
    assert split_name("syslog") == ("syslog", "lines")


@pytest.mark.slow
def test_cli_gzip_log_with_source(tmp_path):
    log = tmp_path / "auth.log.gz"
    log.write_bytes(gzip.compress(b"Nov 24 10:01:02 web01 sshd[1]: User 12345 logged in.\n\nplain text line\n"))
    result = run_cli(str(log), "--source", "web01", "--no-llm", "-q")
    assert result.returncode == 0, result.stderr.decode()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "auth_classified.csv").read_text())))
    assert [r["log_message"] for r in rows] == ["User 12345 logged in.", "plain text line"]
    assert rows[0]["source"] == "web01" and rows[0]["host"] == "web01" and rows[0]["target_label"] == "User Action"


@pytest.mark.slow
def test_cli_jsonl_fallbacks_rename_and_jsonl_output(tmp_path):
    src = tmp_path / "events.jsonl"
    src.write_text('{"msg": "User 12345 logged in.", "n": 1.0e5}\n{"log": "Backup completed successfully.", "target_label": "x"}\n')
    result = run_cli(str(src), "--no-llm", "-q")
    assert result.returncode == 0, result.stderr.decode()
    lines = (tmp_path / "events_classified.jsonl").read_text().splitlines()
    assert lines[0].startswith('{"msg": "User 12345 logged in.", "n": 1.0e5, ')  # the object exactly as it came
    assert json.loads(lines[0])["target_label"] == "User Action"
    assert json.loads(lines[1]) == {
        "log": "Backup completed successfully.",
        "target_label_input": "x",
        "target_label": "System Notification",
    }
    assert result.stderr.decode().count("target_label_input") == 1


@pytest.mark.parametrize(
    ("body", "args", "needle"),
    [
        ('{"msg": "a"}\n[1, 2]\n', (), "line 2: expected a JSON object"),
        ('{"msg": "a"}\n{"msg": \n', (), "line 2: not valid JSON"),
        ('{"text": "a"}\n', (), "line 1: no message field"),
        ('{"msg": "a"}\n', ("--message-field", "body"), "line 1: no message field (looked for body)"),
    ],
)
@pytest.mark.slow
def test_cli_jsonl_errors_name_the_line(tmp_path, body, args, needle):
    src = tmp_path / "bad.jsonl"
    src.write_text(body)
    result = run_cli(str(src), "--no-llm", "-q", *args)
    assert result.returncode == 2 and needle in result.stderr.decode() and "Traceback" not in result.stderr.decode()


@pytest.mark.slow
def test_cli_stdin_needs_format(tmp_path):
    result = run_cli("-", "--format", "lines", "--source", "app", "--no-llm", "-q", stdin=b"2026-11-24 ERROR disk full\n")
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().splitlines()[1].startswith("app,2026-11-24,,ERROR,,disk full,")


@pytest.mark.slow
def test_corrupt_gzip_is_exit_2(tmp_path):
    bad = tmp_path / "x.log.gz"
    bad.write_bytes(gzip.compress(b"hello\n" * 1000)[:-20])
    result = run_cli(str(bad), "--no-llm", "-q")
    assert result.returncode == 2 and "gzip" in result.stderr.decode()


def test_server_log_gz_jsonl_and_source(live_server):
    body = gzip.compress(b"Nov 24 10:01:02 web01 sshd[1]: User 12345 logged in.\n")
    r = httpx.post(f"{live_server.url}/classify", params={"source": "web01"}, files={"file": ("auth.log.gz", body)}, timeout=120)
    assert r.status_code == 200, r.text
    assert 'filename="auth_classified.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows[0]["source"] == "web01" and rows[0]["component"] == "sshd" and rows[0]["target_label"] == "User Action"
    r = httpx.post(f"{live_server.url}/classify", files={"file": ("ev.ndjson", b'{"message": "User 12345 logged in."}\n')}, timeout=120)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    assert json.loads(r.text)["target_label"] == "User Action"
    r = httpx.post(f"{live_server.url}/classify", params={"format": "jsonl"}, files={"file": ("x.txt", b"[1]\n")}, timeout=120)
    assert r.status_code == 400 and "line 1" in r.json()["detail"]


@pytest.mark.slow
def test_server_gzip_bomb_is_413(tmp_path):
    """A 10 KB upload that decodes to 10 MB stops at MAX_DECOMPRESSED_MB=1 with a clear 413 (no 10 MB line held)."""
    from tests.uvicorn_server import run_uvicorn

    bomb = gzip.compress(b"A" * (10 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 20_000
    with run_uvicorn(tmp_path / "uvicorn.log", MAX_DECOMPRESSED_MB="1", LLM_CACHE_PATH=str(tmp_path / "c.sqlite3")) as server:
        csv_bomb = gzip.compress(b"source,log_message\nweb," + b"A" * (10 * 1024 * 1024), compresslevel=9)
        for name, body in (("bomb.log.gz", bomb), ("bomb.csv.gz", csv_bomb), ("bomb.jsonl.gz", bomb)):
            r = httpx.post(f"{server.url}/classify", files={"file": (name, body)}, timeout=120)
            assert r.status_code == 413 and "MAX_DECOMPRESSED_MB" in r.json()["detail"], (name, r.text)


def test_llm_cache_follows_xdg(monkeypatch, tmp_path):
    from logclf.settings import Settings

    monkeypatch.delenv("LLM_CACHE_PATH", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert Settings.from_env(env_file=tmp_path / "none.env").llm_cache_path == tmp_path / "logclf" / "llm_cache.sqlite3"
    monkeypatch.setenv("LLM_CACHE_PATH", str(tmp_path / "x.sqlite3"))
    assert Settings.from_env(env_file=tmp_path / "none.env").llm_cache_path == tmp_path / "x.sqlite3"


@pytest.mark.slow
def test_cli_jsonl_says_a_rename_once_per_run_not_once_per_object(tmp_path):
    src = tmp_path / "checked.jsonl"
    src.write_text("".join(f'{{"msg": "User {n} logged in.", "target_label": "User Action"}}\n' for n in range(50)))
    result = run_cli(str(src), "--no-llm", "-q")
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr.decode().count("target_label_input") == 1
    assert all("target_label_input" in json.loads(line) for line in (tmp_path / "checked_classified.jsonl").read_text().splitlines())
