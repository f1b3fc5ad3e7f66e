"""Corrections over HTTP against a real uvicorn: store, apply, list, undo, export, restart, API key,
and the exports round-tripping into the CLI (`--overrides`)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.uvicorn_server import run_uvicorn, uvicorn_env

pytestmark = pytest.mark.slow  # runs the CLI, a server or the model

ROOT = Path(__file__).resolve().parent.parent
KEY = "corrections-test-key"
AUTH = {"X-API-Key": KEY}
LINE = "Export job 4411 failed: timeout writing to bucket"
SAME_TEMPLATE = "Export job 97 failed: timeout writing to bucket"


@pytest.fixture(scope="module")
def state_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("corrections-server")


def serve(state_dir: Path):
    return run_uvicorn(
        state_dir / "uvicorn.log",
        API_KEY=KEY,
        CORRECTIONS_PATH=str(state_dir / "corrections.sqlite3"),
        LLM_CACHE_PATH=str(state_dir / "llm-cache.sqlite3"),
        LLM_ENABLED="false",
    )


@pytest.fixture(scope="module")
def server(state_dir):
    with serve(state_dir) as s:
        yield s


def classify(server, rows: list[tuple[str, str]]) -> list[dict[str, str]]:
    body = io.StringIO()
    writer = csv.writer(body, lineterminator="\n")
    writer.writerow(["source", "log_message"])
    writer.writerows(rows)
    r = httpx.post(
        f"{server.url}/classify", params={"explain": "true"}, files={"file": ("logs.csv", body.getvalue())}, headers=AUTH, timeout=120
    )
    assert r.status_code == 200, r.text
    return list(csv.DictReader(io.StringIO(r.text)))


def test_every_corrections_route_needs_the_api_key(server):
    for method, path in [("GET", "/corrections"), ("POST", "/corrections"), ("DELETE", "/corrections/1"), ("GET", "/corrections/export")]:
        r = httpx.request(method, f"{server.url}{path}", json={"source": "a", "log_message": "b", "target_label": "Error"}, timeout=30)
        assert r.status_code == 401, (method, path, r.status_code)


def test_a_correction_changes_every_later_line_of_its_template(server):
    before = classify(server, [("ModernCRM", SAME_TEMPLATE)])[0]
    r = httpx.post(
        f"{server.url}/corrections", json={"source": "ModernCRM", "log_message": LINE, "target_label": "Critical Error"}, headers=AUTH
    )
    assert r.status_code == 201, r.text
    stored = r.json()
    assert stored["id"] >= 1 and stored["template"].startswith("Export job <") and stored["target_label"] == "Critical Error"
    assert before["target_label"] != "Critical Error" or before["classified_by"] != "override"

    after = classify(server, [("ModernCRM", SAME_TEMPLATE), ("BillingSystem", SAME_TEMPLATE), ("ModernCRM", LINE)])
    assert [(r["target_label"], r["classified_by"]) for r in after[::2]] == [("Critical Error", "override")] * 2
    assert after[1]["classified_by"] != "override"  # another source is not covered by a per-source correction

    r = httpx.post(f"{server.url}/classify/json", json={"logs": [{"source": "ModernCRM", "log_message": SAME_TEMPLATE}]}, headers=AUTH)
    assert r.json()["results"][0]["classified_by"] == "override"

    listed = httpx.get(f"{server.url}/corrections", headers=AUTH).json()
    assert listed["count"] == 1 and listed["corrections"][0]["id"] == stored["id"]
    assert httpx.get(f"{server.url}/health").json()["corrections"] == 1
    metrics = httpx.get(f"{server.url}/metrics", headers=AUTH).text
    assert 'logclf_rows_classified_total{label="Critical Error",tier="override"}' in metrics


def test_unknown_label_is_refused_with_the_allowed_list(server):
    r = httpx.post(f"{server.url}/corrections", json={"source": "A", "log_message": "x 1", "target_label": "Bogus"}, headers=AUTH)
    assert r.status_code == 422
    assert "unknown label 'Bogus'; allowed:" in r.json()["detail"] and "Critical Error" in r.json()["detail"]


def test_delete_undoes_a_correction(server):
    r = httpx.post(
        f"{server.url}/corrections", json={"source": None, "log_message": "Queue 12 drained", "target_label": "Error"}, headers=AUTH
    )
    cid = r.json()["id"]
    assert r.json()["source"] == "*"
    assert classify(server, [("Anything", "Queue 99 drained")])[0]["classified_by"] == "override"
    assert httpx.delete(f"{server.url}/corrections/{cid}", headers=AUTH).status_code == 204
    assert httpx.delete(f"{server.url}/corrections/{cid}", headers=AUTH).status_code == 404
    assert classify(server, [("Anything", "Queue 99 drained")])[0]["classified_by"] != "override"
    metrics = httpx.get(f"{server.url}/metrics", headers=AUTH).text  # each route by its template, never "other"
    assert 'logclf_http_requests_total{route="/corrections/{correction_id}",status="204"}' in metrics
    assert 'logclf_http_requests_total{route="/corrections",status="201"}' in metrics


def test_exports_round_trip_into_the_cli(server, tmp_path):
    yaml_export = httpx.get(f"{server.url}/corrections/export", headers=AUTH)
    assert yaml_export.status_code == 200 and "overrides:" in yaml_export.text
    csv_export = httpx.get(f"{server.url}/corrections/export", params={"format": "csv"}, headers=AUTH)
    assert csv_export.headers["content-type"].startswith("text/csv")
    assert list(csv.DictReader(io.StringIO(csv_export.text))) == [
        {"source": "ModernCRM", "log_message": LINE, "target_label": "Critical Error"}
    ]

    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(yaml_export.text, encoding="utf-8")
    logs = tmp_path / "logs.csv"
    logs.write_text(f"source,log_message\nModernCRM,{SAME_TEMPLATE}\nModernCRM,Backup completed successfully.\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    run = subprocess.run(
        [sys.executable, "classify.py", str(logs), "-o", str(out), "--explain", "--no-llm", "--overrides", str(overrides), "-q"],
        cwd=ROOT,
        env=uvicorn_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["target_label"], r["classified_by"]) for r in rows] == [("Critical Error", "override"), ("System Notification", "regex")]


def test_cli_refuses_an_overrides_file_with_an_unknown_label(tmp_path):
    overrides = tmp_path / "o.yaml"
    overrides.write_text("overrides:\n  - log_message: x\n    target_label: Nope\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "classify.py", str(ROOT / "resources" / "test.csv"), "-o", str(tmp_path / "o.csv"), "--overrides", str(overrides)],
        cwd=ROOT,
        env=uvicorn_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 2
    assert run.stderr.strip().splitlines()[-1].startswith(f"error: {overrides}: override #1: unknown label 'Nope'; allowed:")
    assert not (tmp_path / "o.csv").exists()


def test_corrections_survive_a_restart(server, state_dir):
    server.process.terminate()
    server.process.wait(timeout=30)
    with serve(state_dir) as again:
        listed = httpx.get(f"{again.url}/corrections", headers=AUTH).json()
        assert [c["target_label"] for c in listed["corrections"]] == ["Critical Error"]
        assert classify(again, [("ModernCRM", SAME_TEMPLATE)])[0]["classified_by"] == "override"
