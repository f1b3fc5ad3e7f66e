"""Faults: the LLM endpoint down, slow or rate-limiting; a missing or damaged model; clients that
vanish mid-upload; SIGTERM during a request. The file always completes with every row, or the
failure is one clear line; the server stays healthy and leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from logclf.csv_io import CsvReader
from logclf.stream import classify_csv
from tests.fake_groq import FakeGroq, Reply, completion, lines_of, oracle
from tests.nasty import HEADER, write_csv
from tests.test_cli import run_cli
from tests.test_fuzz import LABELS, assert_faithful, parse_output
from tests.uvicorn_server import LiveServer, free_port, uvicorn_with_groq

ROOT = Path(__file__).resolve().parent.parent
REQUEST_TIMEOUT_S = 6

# LegacyCRM rows go to the LLM; the others are decided by the regex and ML tiers.
MIXED = [HEADER] + [
    ["LegacyCRM", "Invoice generation aborted for order ID 5521."],
    ["ModernCRM", "User 12345 logged in."],
    ["LegacyCRM", "The Report Builder is deprecated and will be removed in version 4.0"],
    ["BillingSystem", "Backup completed successfully."],
    ["LegacyCRM", "Lead conversion failed for prospect ID 77 due to a locked record."],
    ["ModernHR", ""],
] * 5


def closed_port_url() -> str:
    """A loopback URL nothing listens on: connections are refused at once."""
    return f"http://127.0.0.1:{free_port()}"


def classify_rows(cascade, rows: list[list[str]], explain: bool = True) -> list[list[str]]:
    out = io.StringIO(newline="")
    classify_csv(CsvReader(io.BytesIO(write_csv(rows).encode())), out, cascade, explain=explain)
    return parse_output(out.getvalue(), ",")


def llm_rows(output: list[list[str]]) -> list[list[str]]:
    return [row for row in output[1:] if row[0] == "LegacyCRM"]


# ----------------------------------------------------------------------------- the LLM endpoint misbehaves


def fast_llm(base_url: str, **kw) -> dict:
    return {"groq_api_key": "test-key", "groq_base_url": base_url, "llm_cache_enabled": False, "llm_backoff_base_s": 0.01, **kw}


def test_llm_endpoint_down_every_row_still_comes_back(make_cascade):
    cascade = make_cascade(**fast_llm(closed_port_url(), llm_max_retries=1))
    output = classify_rows(cascade, MIXED)
    assert_faithful([row[:-3] for row in output], MIXED)  # explain adds classified_by, confidence, reason
    assert all(row[2] == "Unclassified" and "could not connect" in row[5] for row in llm_rows(output))
    assert {row[2] for row in output[1:] if row[0] == "ModernCRM"} == {"User Action"}  # the other tiers still work


def test_llm_endpoint_slow_requests_time_out_and_every_row_comes_back(make_cascade):
    with FakeGroq(lambda req: Reply(body=completion("{}"), delay_s=1.5)) as groq:
        cascade = make_cascade(**fast_llm(groq.base_url, llm_timeout_s=0.2, llm_max_retries=1))
        output = classify_rows(cascade, MIXED)
    assert_faithful([row[:-3] for row in output], MIXED)
    assert all(row[2] == "Unclassified" and "timed out" in row[5] for row in llm_rows(output))


def test_llm_rate_limiting_is_waited_out_and_answers_arrive(make_cascade):
    seen: list[float] = []

    def limited(req: dict) -> Reply:
        seen.append(time.monotonic())
        if len(seen) <= 2:
            return Reply(429, {"error": {"message": "Rate limit reached"}}, headers={"retry-after": "0.2"})
        return oracle(req)

    with FakeGroq(limited) as groq:
        cascade = make_cascade(**fast_llm(groq.base_url, llm_max_retries=3, llm_max_concurrency=1, llm_backoff_max_s=5))
        output = classify_rows(cascade, MIXED)
    assert_faithful([row[:-3] for row in output], MIXED)
    labels = {row[1]: row[2] for row in llm_rows(output)}
    assert labels["Invoice generation aborted for order ID 5521."] == "Workflow Error"
    assert labels["The Report Builder is deprecated and will be removed in version 4.0"] == "Deprecation Warning"
    assert seen[1] - seen[0] >= 0.2 and seen[2] - seen[1] >= 0.2  # Retry-After honoured


# ----------------------------------------------------------------------------- a missing or damaged model


@pytest.fixture(scope="module")
def damaged_models(tmp_path_factory) -> dict[str, Path]:
    from logclf.settings import Settings

    d = tmp_path_factory.mktemp("models")
    real = Settings().model_path.read_bytes()
    files = {
        "truncated": real[: len(real) // 2],
        "garbage": os.urandom(4096),
        "empty": b"",
        "not_a_bundle": b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00]\x94.",  # a pickled empty list
    }
    paths = {}
    for name, data in files.items():
        paths[name] = d / f"{name}.joblib"
        paths[name].write_bytes(data)
    return paths


@pytest.mark.parametrize("kind", ["truncated", "garbage", "empty", "not_a_bundle"])
@pytest.mark.slow
def test_damaged_model_file_is_a_clear_error_naming_it(damaged_models, kind):
    from logclf.bundle import ModelBundle, ModelFileError

    with pytest.raises(ModelFileError, match=f"model file {damaged_models[kind]}.*make train"):
        ModelBundle.load(damaged_models[kind])


@pytest.mark.slow
def test_cli_with_a_truncated_model_exits_2_with_one_line(damaged_models, tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(b"source,log_message\nModernCRM,User 1 logged in.\n")
    result = run_cli(str(src), "-o", str(tmp_path / "out.csv"), "--model", str(damaged_models["truncated"]))
    stderr = result.stderr.decode().strip()
    assert result.returncode == 2
    assert len(stderr.splitlines()) == 1 and "truncated.joblib" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.slow
def test_uvicorn_with_a_corrupt_model_refuses_to_start_with_a_clear_message(damaged_models, tmp_path):
    from tests.uvicorn_server import uvicorn_env

    bad = damaged_models["garbage"]
    proc = subprocess.run(
        [sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1", "--port", str(free_port())],
        cwd=ROOT,
        env=uvicorn_env(MODEL_PATH=str(bad)),
        capture_output=True,
        timeout=180,
    )
    output = (proc.stdout + proc.stderr).decode(errors="replace")
    assert proc.returncode != 0
    assert str(bad) in output and "unreadable" in output
    assert "Traceback" not in output


# ----------------------------------------------------------------------------- the server under faults


def server_llm(req: dict) -> Reply:
    """Oracle answers; a line containing `WAIT-<s>` delays the reply by that many seconds."""
    delays = [float(line.split("WAIT-")[1].split()[0]) for line in lines_of(req) if "WAIT-" in line]
    reply = oracle(req)
    reply.delay_s = max(delays, default=0.0)
    return reply


@pytest.fixture(scope="module")
def fault_server(tmp_path_factory) -> Iterator[tuple[LiveServer, Path, FakeGroq]]:
    """A real uvicorn with a private TMPDIR and a short REQUEST_TIMEOUT_S. SIGTERM ends it (last test)."""
    with uvicorn_with_groq(
        tmp_path_factory.mktemp("fault-server"),
        server_llm,
        private_tmp=True,
        REQUEST_TIMEOUT_S=str(REQUEST_TIMEOUT_S),
        LLM_TIMEOUT_S=str(REQUEST_TIMEOUT_S + 1),
        LLM_MAX_RETRIES="0",
        LLM_CACHE_ENABLED="0",
        LLM_SEND="raw",  # the delay is written in the line (WAIT-<s>); templates would mask its number
    ) as (server, groq, tmpdir):
        yield server, tmpdir, groq


def open_temp_files(pid: int, tmpdir: Path) -> list[str]:
    """Files under `tmpdir` the server process holds open; spooled uploads are nameless
    (O_TMPFILE / unlinked at once), so a leaked one shows only here, as `tmp/#123 (deleted)`."""
    held = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            if target.startswith(str(tmpdir)):
                held.append(target)
    return held


def temp_files(tmpdir: Path) -> set[str]:
    """Regular files directly in TMPDIR: where the server's upload and output files go. (Libraries
    create directories of their own there at any time, e.g. torch's `torchinductor_<user>`.)"""
    return {p.name for p in tmpdir.iterdir() if p.is_file()}


def settled(tmpdir: Path, baseline: set[str], timeout_s: float = 20.0, pid: int | None = None) -> bool:
    """No temporary file beyond `baseline` and (given `pid`) none held open by the server. (A file of
    the baseline may go meanwhile, e.g. an earlier request's output being removed: that is fine.)"""
    deadline = time.monotonic() + timeout_s
    while temp_files(tmpdir) - baseline or (pid is not None and open_temp_files(pid, tmpdir)):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def post(server: LiveServer, rows: list[list[str]], timeout: float = 120) -> httpx.Response:
    return httpx.post(f"{server.url}/classify", files={"file": ("f.csv", write_csv(rows).encode(), "text/csv")}, timeout=timeout)


def multipart_request(server: LiveServer, body: bytes, declared_length: int | None = None) -> bytes:
    """A raw POST /classify with `body` as the file part; `declared_length` may lie (promise more)."""
    boundary = "cut"
    part_head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.csv"\r\nContent-Type: text/csv\r\n\r\n'.encode()
    )
    payload = part_head + body + f"\r\n--{boundary}--\r\n".encode()
    length = len(payload) if declared_length is None else declared_length
    head = (
        f"POST /classify HTTP/1.1\r\nHost: {server.url.removeprefix('http://')}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()
    return head + (payload if declared_length is None else part_head + body)


def send_raw(server: LiveServer, data: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), timeout=10)
    sock.sendall(data)
    return sock


def test_clients_vanishing_mid_upload_leave_the_server_healthy_and_clean(fault_server):
    server, tmpdir, _ = fault_server
    baseline = temp_files(tmpdir)
    part = b"source,log_message\n" + b"ModernCRM,User 1 logged in.\n" * 80_000  # 2.2 MB: past the 1 MB spool, on disk
    spooled_seen = False
    for _ in range(3):
        sock = send_raw(server, multipart_request(server, part, declared_length=50 * 1024 * 1024))
        deadline = time.monotonic() + 10
        while not spooled_seen and time.monotonic() < deadline:  # the partial upload is on disk in TMPDIR
            spooled_seen = bool(open_temp_files(server.process.pid, tmpdir))
            time.sleep(0.02)
        sock.close()  # mid-body: the server is still waiting for 48 MB
    assert spooled_seen, "the check below could not see a spooled upload"
    health = httpx.get(f"{server.url}/health", timeout=10)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert settled(tmpdir, baseline, pid=server.process.pid), (
        temp_files(tmpdir) - baseline,
        open_temp_files(server.process.pid, tmpdir),
    )
    r = post(server, [HEADER, ["ModernCRM", "User 2 logged in."]])
    assert r.status_code == 200 and r.text.strip().endswith("User Action")


def test_a_client_that_leaves_while_its_file_is_classified_leaves_no_file(fault_server):
    """The whole upload arrives, the client hangs up before the answer: the output file is still deleted."""
    server, tmpdir, groq = fault_server
    baseline = temp_files(tmpdir)
    before = groq.request_count
    body = write_csv([HEADER] + [["LegacyCRM", f"Invoice generation aborted WAIT-2 for order {i}"] for i in range(20)]).encode()
    sock = send_raw(server, multipart_request(server, body))
    deadline = time.monotonic() + 30
    while groq.request_count == before and time.monotonic() < deadline:  # the job reached the LLM tier
        time.sleep(0.05)
    sock.close()
    assert groq.request_count > before
    assert settled(tmpdir, baseline, pid=server.process.pid), (
        temp_files(tmpdir) - baseline,
        open_temp_files(server.process.pid, tmpdir),
    )
    assert httpx.get(f"{server.url}/health", timeout=10).json()["status"] == "ok"


def test_request_timeout_is_a_504_and_the_abandoned_job_cleans_up(fault_server):
    server, tmpdir, _ = fault_server
    baseline = temp_files(tmpdir)
    r = post(server, [HEADER, ["LegacyCRM", f"Task assignment failed WAIT-{REQUEST_TIMEOUT_S + 3} for case 1"]])
    assert r.status_code == 504 and "REQUEST_TIMEOUT_S" in r.json()["detail"]
    assert settled(tmpdir, baseline, timeout_s=30), temp_files(tmpdir) - baseline
    assert post(server, [HEADER, ["ModernCRM", "User 3 logged in."]]).status_code == 200


@pytest.mark.slow
def test_load_script_smoke_run_has_no_errors_and_no_mixing(fault_server):
    """bench/load.py against the live server for a few seconds: every answer holds exactly its own rows."""
    server = fault_server[0]
    cmd = [sys.executable, str(ROOT / "bench" / "load.py"), "--url", server.url, "--duration", "4", "--concurrency", "3"]
    result = subprocess.run([*cmd, "--max-requests", "24", "--sizes", "1,10,100", "--json"], capture_output=True, timeout=180, cwd=ROOT)
    assert result.returncode == 0, result.stdout.decode()[-2000:] + result.stderr.decode()[-2000:]
    summary = json.loads(result.stdout)
    assert summary["errors"] == 0 and summary["requests_served"] >= 3
    assert summary["health_ms"]["count"] >= 1 and summary["health_ms"]["errors"] == 0


def test_load_check_detects_mixed_results():
    """The load script's own checker must catch an answer holding another upload's rows."""
    import random

    from bench.load import check_answer, make_upload

    rng = random.Random(3)
    a, b = make_upload(5, rng), make_upload(5, rng)
    answer = write_csv([a.rows[0] + ["target_label"]] + [r + ["Error"] for r in a.rows[1:]])
    assert check_answer(a, answer) is None
    mixed = write_csv([a.rows[0] + ["target_label"]] + [r + ["Error"] for r in a.rows[1:-1] + b.rows[1:2]])
    assert "other upload" in check_answer(a, mixed)
    assert "rows" in check_answer(a, write_csv([a.rows[0] + ["target_label"]] + [r + ["Error"] for r in a.rows[1:3]]))


def test_sigterm_during_a_request_finishes_it_or_refuses_it_cleanly(fault_server):
    """Runs last: it stops the module's server. uvicorn's graceful shutdown lets the request finish."""
    server, tmpdir, groq = fault_server
    baseline = temp_files(tmpdir)
    rows = [HEADER] + [["LegacyCRM", f"Lead conversion failed WAIT-2 for prospect {i}"] for i in range(30)]
    rows += [["ModernCRM", f"User {i} logged in."] for i in range(30)]
    outcome: dict[str, object] = {}

    def client() -> None:
        try:
            outcome["response"] = post(server, rows, timeout=60)
        except httpx.HTTPError as exc:  # connection closed without an answer: acceptable
            outcome["error"] = exc

    before = groq.request_count
    worker = threading.Thread(target=client)
    worker.start()
    deadline = time.monotonic() + 60
    while groq.request_count == before and time.monotonic() < deadline:  # in flight: waiting on the LLM
        time.sleep(0.05)
    assert groq.request_count > before, "the request never reached the LLM tier"
    server.process.send_signal(signal.SIGTERM)
    worker.join(timeout=90)
    assert not worker.is_alive()
    # A clean exit: uvicorn (>= 0.29) finishes its graceful shutdown, then re-raises the signal it
    # caught so a supervisor sees why it stopped, hence -SIGTERM rather than 0 from `python -m uvicorn`.
    assert server.process.wait(timeout=60) in (0, -signal.SIGTERM)
    if "response" in outcome:
        r = outcome["response"]
        assert isinstance(r, httpx.Response) and r.status_code == 200, r
        output = parse_output(r.text, ",")
        assert_faithful(output, rows)  # complete and correct, not partial
        assert {row[-1] for row in output[1:]} <= LABELS
    else:
        assert isinstance(outcome["error"], httpx.HTTPError)
    log = server.log()
    assert "Traceback" not in log and "Application shutdown complete" in log and "Finished server process" in log
    assert not temp_files(tmpdir) - baseline, temp_files(tmpdir) - baseline
