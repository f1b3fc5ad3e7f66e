"""The HTTP API in process (fastapi TestClient, lifespan included): endpoints, errors, limits, auth.

Two apps per module: `client` (defaults, LLM tier answered by a loopback FakeGroq) and `strict`
(API key, tiny limits, a short timeout and a slow LLM). Both share the session's embedding model.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from logclf.csv_io import CsvReader
from logclf.stream import classify_csv
from tests.fake_groq import FakeGroq, Reply, oracle

ROOT = Path(__file__).resolve().parent.parent
TEST_CSV = ROOT / "resources" / "test.csv"
KEY = "s3cret-key"
REGEX_ONLY_CSV = b"source,log_message\nBillingSystem,User 12345 logged in.\nModernCRM,Backup completed successfully.\n"


def _loader(bundle, embedder):
    from logclf.cascade import Cascade

    return lambda settings: Cascade.from_settings(settings, bundle=bundle, embedder=embedder)


@pytest.fixture(scope="module")
def app_settings(base_settings, groq, tmp_path_factory):
    cache = tmp_path_factory.mktemp("server-llm") / "cache.sqlite3"
    return base_settings.with_(groq_api_key="test-key", groq_base_url=groq.base_url, llm_cache_path=cache)


@pytest.fixture(scope="module")
def client(app_settings, bundle, embedder):
    from logclf.server import create_app

    with TestClient(create_app(app_settings, _loader(bundle, embedder))) as c:
        yield c


@pytest.fixture(scope="module")
def strict(base_settings, bundle, embedder, tmp_path_factory):
    """API key on, 0.05 MB uploads, 3 JSON lines, 1 s timeout, an LLM that takes 3 s per call."""
    from logclf.server import create_app

    slow = FakeGroq(lambda request: Reply(**{**oracle(request).__dict__, "delay_s": 3.0}))
    settings = base_settings.with_(
        api_key=KEY,
        max_upload_mb=0.05,
        max_json_lines=3,
        request_timeout_s=1.0,
        groq_api_key="test-key",
        groq_base_url="",
        llm_cache_path=tmp_path_factory.mktemp("strict-llm") / "cache.sqlite3",
    )
    with slow:
        settings = settings.with_(groq_base_url=slow.base_url)
        with TestClient(create_app(settings, _loader(bundle, embedder)), raise_server_exceptions=False) as c:
            yield c


@pytest.fixture(scope="module")
def expected_test_csv(app_settings, bundle, embedder, tmp_path_factory) -> str:
    """What the engine itself writes for resources/test.csv (same settings, its own LLM cache)."""
    from logclf.cascade import Cascade

    settings = app_settings.with_(llm_cache_path=tmp_path_factory.mktemp("expected-llm") / "cache.sqlite3")
    cascade = Cascade.from_settings(settings, bundle=bundle, embedder=embedder)
    try:
        out = io.StringIO()
        with open(TEST_CSV, "rb") as f:
            classify_csv(CsvReader(f), out, cascade)
        return out.getvalue()
    finally:
        cascade.close()


def upload(client: TestClient, data: bytes, name: str = "logs.csv", path: str = "/classify", **kwargs):
    return client.post(path, files={"file": (name, data, "text/csv")}, **kwargs)


# ----------------------------------------------------------------------------- the happy path


@pytest.mark.parametrize("path", ["/classify", "/classify/"])
def test_upload_returns_the_engines_csv_as_an_attachment(client, expected_test_csv, path):
    r = upload(client, TEST_CSV.read_bytes(), "test.csv", path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="test_classified.csv"'
    assert r.text == expected_test_csv
    assert "Workflow Error" in r.text  # LegacyCRM rows went through the (fake) LLM


def test_attachment_name_is_sanitised(client):
    r = upload(client, REGEX_ONLY_CSV, "../../etc/pass wd;x.CSV")
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="pass_wd_x_classified.csv"'
    r = upload(client, REGEX_ONLY_CSV, "C:\\Users\\me\\app logs.v2.csv")
    assert r.headers["content-disposition"] == 'attachment; filename="app_logs.v2_classified.csv"'
    assert upload(client, REGEX_ONLY_CSV, "").status_code in (200, 422)  # no name: a default one, or no file at all


def test_explain_adds_the_explanation_columns(client):
    r = upload(client, TEST_CSV.read_bytes(), params={"explain": "true"})
    assert r.status_code == 200
    header, first = r.text.splitlines()[:2]
    assert header == "source,log_message,target_label,classified_by,confidence,reason"
    assert first.split(",")[-3] in {"regex", "bert", "llm", "none"}


def test_encoding_parameter_reads_latin1(client):
    data = "source,log_message\nModernCRM,Usuário 12345 logged in.\n".encode("latin-1")
    assert upload(client, data).status_code == 415
    r = upload(client, data, params={"encoding": "latin-1"})
    assert r.status_code == 200
    assert "Usuário" in r.text


def test_json_endpoint_matches_the_cascade(client, expected_test_csv):
    rows = [line.split(",", 1) for line in TEST_CSV.read_text().splitlines()[1:]]
    import csv

    parsed = list(csv.reader(io.StringIO(TEST_CSV.read_text()), skipinitialspace=True))[1:]
    logs = [{"source": s, "log_message": m} for s, m in parsed]
    r = client.post("/classify/json", json={"logs": logs})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["rows"] == len(rows)
    expected = [row[-1] for row in csv.reader(io.StringIO(expected_test_csv))][1:]
    assert [x["target_label"] for x in body["results"]] == expected
    assert {x["classified_by"] for x in body["results"]} <= {"regex", "bert", "llm", "none"}


def test_health_labels_and_pages(client):
    h = client.get("/health").json()
    assert h["status"] == "ok" and h["models_loaded"] and h["llm_configured"] and not h["auth_required"]
    assert (h["llm_provider"], h["llm_model"], h["llm_send"]) == ("groq", "openai/gpt-oss-120b", "templates")  # never the key
    assert not any("key" in k for k in h)
    assert "Security Alert" in h["labels"] and re.fullmatch(r"\d+\.\d+\.\d+", h["version"])
    labels = client.get("/labels").json()["labels"]
    assert {x["label"] for x in labels} == set(h["labels"])
    assert all(x["description"] for x in labels)
    page = client.get("/")
    assert page.status_code == 200 and 'id="drop"' in page.text
    assert client.get("/static/app.js").status_code == 200
    assert "swagger" in client.get("/docs").text.lower()
    assert client.get("/redoc").status_code == 200


def test_metrics_count_rows_by_tier_and_label_and_llm_calls(client):
    upload(client, TEST_CSV.read_bytes())
    text = client.get("/metrics").text
    rows = {
        (m["tier"], m["label"]): float(m["n"])
        for m in re.finditer(r'logclf_rows_classified_total\{label="(?P<label>[^"]+)",tier="(?P<tier>[^"]+)"\} (?P<n>\S+)', text)
    }
    assert rows[("regex", "User Action")] >= 1
    assert rows[("llm", "Workflow Error")] >= 1
    assert float(re.search(r"^logclf_llm_requests_total (\S+)", text, re.M).group(1)) >= 1
    assert 'logclf_http_request_duration_seconds_count{route="/classify"}' in text
    assert re.search(r'^logclf_llm_tokens_total\{kind="prompt"\} [1-9]', text, re.M)


def test_request_id_is_echoed_or_generated(client):
    assert client.get("/health", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    generated = client.get("/health", headers={"X-Request-ID": "bad id\twith spaces"}).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("data", "status", "words"),
    [
        (b"", 400, "empty"),
        (b"\n\n", 400, "empty"),
        (bytes(range(256)) * 8, 415, "not valid UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 415, ""),
        (b"this is just a sentence, not a table\n", 422, "missing required column"),
        (b"src,msg\nModernCRM,hello\n", 422, "'src', 'msg'"),
        (b"source,log_message\nA,b,c,d\n", 400, "line 2"),
    ],
    ids=["empty", "blank-lines", "random-bytes", "png", "prose", "wrong-columns", "too-many-fields"],
)
def test_bad_files_get_a_4xx_with_a_plain_message(client, data, status, words):
    r = upload(client, data)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    assert words in r.json()["detail"]


def test_missing_file_field_and_bad_json(client):
    r = client.post("/classify", data={"other": "x"})
    assert r.status_code == 422
    assert "file" in r.json()["detail"]
    assert client.post("/classify/json", json={"lines": []}).status_code == 422
    assert client.post("/classify/json", content=b"{not json", headers={"content-type": "application/json"}).status_code == 422
    assert upload(client, REGEX_ONLY_CSV, params={"encoding": "klingon"}).status_code == 400


# ----------------------------------------------------------------------------- limits, auth, failures


def test_api_key_is_required_when_configured(strict):
    assert strict.get("/health").json()["auth_required"] is True
    assert strict.get("/health").status_code == 200 and strict.get("/").status_code == 200
    assert strict.get("/openapi.json").status_code == 200
    for headers in ({}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer wrong"}):
        r = upload(strict, REGEX_ONLY_CSV, headers=headers)
        assert r.status_code == 401 and "API key" in r.json()["detail"]
        assert strict.get("/metrics", headers=headers).status_code == 401
        assert strict.post("/classify/json", json={"logs": []}, headers=headers).status_code == 401
    assert upload(strict, REGEX_ONLY_CSV, headers={"X-API-Key": KEY}).status_code == 200
    assert upload(strict, REGEX_ONLY_CSV, headers={"Authorization": f"Bearer {KEY}"}).status_code == 200


def test_oversize_uploads_get_413_with_or_without_content_length(strict):
    big = b"source,log_message\n" + b"ModernCRM,User 1 logged in.\n" * 5000  # ~140 KB > 0.05 MB + slack
    r = upload(strict, big, headers={"X-API-Key": KEY})
    assert r.status_code == 413 and "MAX_UPLOAD_MB" in r.json()["detail"]

    def chunked():  # no Content-Length: the server counts bytes as they arrive
        boundary = b"--b0undary"
        yield boundary + b'\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\n'
        for _ in range(10):
            yield big[:20_000]
        yield b"\r\n" + boundary + b"--\r\n"

    r = strict.post("/classify", content=chunked(), headers={"X-API-Key": KEY, "content-type": "multipart/form-data; boundary=b0undary"})
    assert r.status_code == 413, r.text


def test_json_line_limit(strict):
    logs = [{"source": "ModernCRM", "log_message": "User 1 logged in."}] * 4
    r = strict.post("/classify/json", json={"logs": logs}, headers={"X-API-Key": KEY})
    assert r.status_code == 413 and "MAX_JSON_LINES" in r.json()["detail"]
    assert strict.post("/classify/json", json={"logs": logs[:3]}, headers={"X-API-Key": KEY}).status_code == 200


def test_slow_classification_gets_504(strict):
    data = b"source,log_message\nLegacyCRM,Lead conversion failed for prospect 7842 due to missing contact information.\n"
    r = upload(strict, data, headers={"X-API-Key": KEY})
    assert r.status_code == 504 and "REQUEST_TIMEOUT_S" in r.json()["detail"]


def test_unexpected_errors_are_a_generic_500_without_internals(strict, monkeypatch, caplog):
    cascade = strict.app.state.classifier.cascade

    def boom(sources, messages):
        raise RuntimeError("secret internals at /srv/x")

    monkeypatch.setattr(cascade, "classify", boom)
    r = upload(strict, REGEX_ONLY_CSV, headers={"X-API-Key": KEY, "X-Request-ID": "req-500"})
    assert r.status_code == 500
    assert "secret" not in r.text and "req-500" in r.json()["detail"]
    assert r.headers["x-request-id"] == "req-500"
    assert "secret internals" in caplog.text  # logged server-side


@pytest.mark.slow
def test_missing_model_file_fails_startup_with_one_line(base_settings, tmp_path, caplog):
    from logclf.server import StartupError, create_app

    missing = tmp_path / "nope.joblib"
    with pytest.raises(StartupError, match="nope.joblib"), TestClient(create_app(base_settings.with_(model_path=missing))):
        pass
    assert "nope.joblib" in caplog.text


# ----------------------------------------------------------------------------- OpenAPI


def test_openapi_documents_examples_and_errors(client):
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/classify"]["post"]
    assert {"400", "401", "413", "415", "422"} <= set(post["responses"])
    assert "text/csv" in post["responses"]["200"]["content"]
    assert spec["paths"]["/classify/json"]["post"]["responses"]["413"]["content"]["application/json"]["schema"]
    request = spec["components"]["schemas"]["ClassifyJsonRequest"]
    assert request["examples"][0]["logs"]
    assert {"/health", "/metrics", "/labels", "/classify/json"} <= set(spec["paths"])


def test_cors_is_off_unless_origins_are_configured(client, base_settings, bundle, embedder):
    from logclf.server import create_app

    preflight = {"Origin": "https://ops.example", "Access-Control-Request-Method": "POST"}
    assert "access-control-allow-origin" not in client.options("/classify", headers=preflight).headers
    settings = base_settings.with_(cors_origins=("https://ops.example",))
    with TestClient(create_app(settings, _loader(bundle, embedder))) as cors:
        r = cors.options("/classify", headers=preflight)
        assert r.headers["access-control-allow-origin"] == "https://ops.example"
        other = cors.options("/classify", headers={**preflight, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_load_their_assets_from_this_server(client, path):
    import re

    html = client.get(path).text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/docs-assets/") for a in assets), assets  # no CDN: works offline
    for asset in assets:
        assert client.get(asset).status_code == 200
