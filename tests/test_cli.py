"""The CLI end to end, as a user runs it (a real subprocess, the real model)."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the CLI, a server or the model

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env_extra: dict | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GROQ_API_KEY": "", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, str(ROOT / "classify.py"), *args], cwd=ROOT, env=env, input=stdin, capture_output=True, timeout=300
    )


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "out.csv"
    result = run_cli(str(ROOT / "resources" / "test.csv"), "-o", str(out), "--explain")
    return result, out


def test_sample_file_end_to_end(sample_run):
    result, out = sample_run
    assert result.returncode == 0, result.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    expected = {
        "IP 192.168.133.114 blocked due to potential attack": "Security Alert",
        "User 12345 logged in.": "User Action",
        "File data_6957.csv uploaded successfully by user User265.": "System Notification",
        "Backup completed successfully.": "System Notification",
        "Admin access escalation detected for user 9429": "Security Alert",
    }
    got = {r["log_message"]: r["target_label"] for r in rows}
    for message, label in expected.items():
        assert got[message] == label
    http = [r for r in rows if "GET /v2/" in r["log_message"] and "200" in r["log_message"]]
    assert http and all(r["target_label"] == "HTTP Status" for r in http)
    legacy = [r for r in rows if r["source"] == "LegacyCRM"]
    assert legacy and all(r["target_label"] == "Unclassified" and r["classified_by"] == "none" for r in legacy)


def test_one_warning_without_key(sample_run):
    stderr = sample_run[0].stderr.decode()
    assert stderr.count("WARNING") == 1 and "GROQ_API_KEY" in stderr
    assert "Traceback" not in stderr


def test_rows_and_cells_unchanged(sample_run):
    _, out = sample_run
    src = list(csv.reader(io.StringIO((ROOT / "resources" / "test.csv").read_text(encoding="utf-8")), skipinitialspace=True))
    got = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert got[0] == src[0] + ["target_label", "classified_by", "confidence", "reason"]
    assert [row[: len(src[0])] for row in got[1:]] == src[1:]


def test_stdin_to_stdout_keeps_extra_columns():
    data = b"id,source,log_message,note\n007,ModernCRM,User 1 logged in.,\n008,ModernCRM,,x\n"
    result = run_cli("-", "-q", stdin=data)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().splitlines() == [
        "id,source,log_message,note,target_label",
        "007,ModernCRM,User 1 logged in.,,User Action",
        "008,ModernCRM,,x,Unclassified",
    ]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"source,message\nA,b\n", "missing required column"),
        (b"", "empty"),
        ("source,log_message\nA,caf\xe9\n".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, content, message):
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    result = run_cli(str(path), "-o", str(tmp_path / "out.csv"))
    stderr = result.stderr.decode().strip()
    assert result.returncode == 2
    assert len(stderr.splitlines()) == 1 and message in stderr and "Traceback" not in stderr
    assert not (tmp_path / "out.csv").exists()


def test_missing_input_file(tmp_path):
    result = run_cli(str(tmp_path / "nope.csv"))
    assert result.returncode == 2 and "cannot read" in result.stderr.decode()


@pytest.mark.parametrize(
    "name,value,message",
    [
        ("EMBED_BATCH_SIZE", "lots", "EMBED_BATCH_SIZE must be an integer >= 1, got 'lots'"),
        ("ML_CONFIDENCE_THRESHOLD", "1.5", "ML_CONFIDENCE_THRESHOLD must be a number between 0 and 1"),
        ("LLM_TIMEOUT_S", "nan", "LLM_TIMEOUT_S must be a number"),
    ],
)
def test_bad_setting_exits_2_naming_the_variable(tmp_path, name, value, message):
    result = run_cli(str(ROOT / "resources" / "test.csv"), "-o", str(tmp_path / "out.csv"), env_extra={name: value})
    stderr = result.stderr.decode().strip()
    assert result.returncode == 2
    assert len(stderr.splitlines()) == 1 and message in stderr and "Traceback" not in stderr
    assert not (tmp_path / "out.csv").exists()


def test_missing_model_names_the_file(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(b"source,log_message\nA,b\n")
    result = run_cli(str(path), "--model", str(tmp_path / "missing.joblib"))
    assert result.returncode == 2 and "missing.joblib" in result.stderr.decode() and "Traceback" not in result.stderr.decode()


def test_output_file_gets_ordinary_permissions(tmp_path):
    import os

    out = tmp_path / "out.csv"
    result = run_cli(str(ROOT / "resources" / "test.csv"), "-o", str(out), "-q", "--no-llm")
    assert result.returncode == 0, result.stderr.decode()
    umask = os.umask(0o022)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600
