"""The upload path against a real `uvicorn server:app` on loopback (the `live_server` fixture).

Expected answers come from the engine in this process (`classify_csv` with the same settings and
a FakeGroq oracle of its own, which answers exactly like the server's).
"""

from __future__ import annotations

import csv
import io
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import hypothesis
import pytest
import schemathesis

from logclf.csv_io import CsvReader
from logclf.stream import classify_csv
from tests.conftest import cascade_factory
from tests.fake_groq import FakeGroq
from tests.uvicorn_server import run_uvicorn
from training.generate_dataset import generate

pytestmark = pytest.mark.slow  # runs the CLI, a server or the model

ROOT = Path(__file__).resolve().parent.parent
TEST_CSV = ROOT / "resources" / "test.csv"
OUTPUT = ROOT / "test-output"


@pytest.fixture(scope="module")
def engine(make_cascade):
    """`engine(csv_bytes) -> classified CSV text`, computed in process with an oracle LLM."""
    with FakeGroq() as groq:
        cascade = make_cascade(groq_api_key="test-key", groq_base_url=groq.base_url, llm_requests_per_minute=100_000)

        def run(data: bytes) -> str:
            out = io.StringIO()
            classify_csv(CsvReader(io.BytesIO(data)), out, cascade)
            return out.getvalue()

        yield run


@pytest.fixture(scope="module")
def make_cascade(base_settings, embedder, bundle, tmp_path_factory):
    """Module-scoped variant of conftest's `make_cascade` (the session's model, a private LLM cache)."""
    with cascade_factory(base_settings, bundle, embedder, tmp_path_factory.mktemp("llm")) as make:
        yield make


def csv_bytes(rows: list[dict[str, str]], columns: tuple[str, ...] = ("timestamp", "source", "log_message")) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([r[c] for c in columns] for r in rows)
    return out.getvalue().encode()


def test_the_readme_curl_command(live_server, engine):
    """curl -X POST "http://127.0.0.1:8000/classify/" -F "file=@path/to/your/logs.csv" -o classified_logs.csv"""
    for path in ("/classify/", "/classify"):
        with open(TEST_CSV, "rb") as f:
            r = httpx.post(f"{live_server.url}{path}", files={"file": f}, timeout=120)
        assert r.status_code == 200, r.text
        assert r.headers["content-disposition"] == 'attachment; filename="test_classified.csv"'
        assert r.headers["x-request-id"]
        assert r.text == engine(TEST_CSV.read_bytes())


def test_ten_concurrent_uploads_each_get_their_own_answer(live_server, engine):
    files = [csv_bytes(generate(rows=400, seed=100 + i)[: 30 + 5 * i]) for i in range(10)]
    expected = [engine(data) for data in files]

    def send(i: int) -> httpx.Response:
        return httpx.post(f"{live_server.url}/classify", files={"file": (f"part{i}.csv", files[i], "text/csv")}, timeout=300)

    with ThreadPoolExecutor(10) as pool:
        responses = list(pool.map(send, range(10)))
    for i, r in enumerate(responses):
        assert r.status_code == 200, r.text
        assert r.headers["content-disposition"] == f'attachment; filename="part{i}_classified.csv"'
        assert r.text == expected[i], f"upload {i} got another answer than its own file's"


def test_health_answers_while_a_100k_row_upload_is_classified(live_server, engine):
    base = generate(rows=2_000, seed=7)  # about 1,900 rows (the generator rounds per class)
    copies = -(-100_000 // len(base))
    big = (base * copies)[:100_000]  # repeated templates keep the cascade quick
    data = csv_bytes(big)
    result: dict[str, httpx.Response] = {}

    def send() -> None:
        result["r"] = httpx.post(f"{live_server.url}/classify", files={"file": ("big.csv", data, "text/csv")}, timeout=600)

    uploader = threading.Thread(target=send)
    latencies, busy = [], []
    started = time.perf_counter()
    uploader.start()
    while uploader.is_alive():
        t0 = time.perf_counter()
        h = httpx.get(f"{live_server.url}/health", timeout=60)
        latencies.append(time.perf_counter() - t0)
        assert h.status_code == 200
        busy.append(h.json()["active_jobs"] > 0)
        time.sleep(0.1)
    uploader.join()
    total = time.perf_counter() - started

    r = result["r"]
    assert r.status_code == 200, r.text
    assert any(busy), "/health never answered while the classification was running"
    rows = list(csv.reader(io.StringIO(r.text)))
    assert len(rows) == 100_001
    one_copy = list(csv.reader(io.StringIO(engine(csv_bytes(base)))))[1:]
    assert rows[1:] == (one_copy * copies)[:100_000]
    OUTPUT.mkdir(exist_ok=True)
    during = [lat for lat, b in zip(latencies, busy, strict=True) if b]
    (OUTPUT / "health_during_100k_upload.txt").write_text(
        f"100k-row upload: {total:.1f}s wall; /health polled {len(latencies)} times, {len(during)} while busy; "
        f"latency while busy: median {statistics.median(during) * 1000:.1f} ms, max {max(during) * 1000:.1f} ms\n"
    )


def test_missing_model_file_stops_startup_with_a_one_line_error(tmp_path):
    missing = tmp_path / "missing-model.joblib"
    with pytest.raises(RuntimeError) as failed, run_uvicorn(tmp_path / "uvicorn.log", startup_timeout_s=120, MODEL_PATH=str(missing)):
        pass
    log = (tmp_path / "uvicorn.log").read_text()
    assert "exited with 3" in str(failed.value)
    assert f"cannot start: model file {missing} not found" in log
    assert "Traceback" not in log


def test_bad_setting_stops_startup_with_a_one_line_error(tmp_path):
    with pytest.raises(RuntimeError) as failed, run_uvicorn(tmp_path / "uvicorn.log", startup_timeout_s=120, REQUEST_TIMEOUT_S="soon"):
        pass
    log = (tmp_path / "uvicorn.log").read_text()
    assert "exited with 2" in str(failed.value)
    assert log.strip() == "error: REQUEST_TIMEOUT_S must be a number >= 0.001, got 'soon'"


def test_openapi_fuzzing_finds_no_server_error(live_server):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/openapi.json")
    seen: list[int] = []

    @hypothesis.given(case=schema.as_strategy())
    @hypothesis.settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(hypothesis.HealthCheck))
    def never_5xx(case) -> None:
        response = case.call(timeout=120)
        seen.append(response.status_code)
        assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code} {response.text[:500]}"

    never_5xx()
    assert len(seen) >= 10
