"""The benchmark harness runs end to end (tiny sizes) and writes a valid report.

Speed itself is measured by `make bench`, never asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def onnx_export():
    """The smoke run classifies with the onnx backend, which needs `make onnx`'s export."""
    from logclf.onnx_export import default_onnx_dir, ensure_export

    return ensure_export(default_onnx_dir())


def test_bench_missing_corpus_is_one_line_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--smoke", "--corpus", str(tmp_path / "nope.csv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and proc.stderr.strip() == f"error: {tmp_path / 'nope.csv'}: corpus file not found"


def test_bench_smoke_writes_json_and_markdown(tmp_path):
    out = tmp_path / "results"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--smoke", "--output-dir", str(out), "--work-dir", str(tmp_path / "work")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=420,  # the patterns measure adds two CLI runs
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert result["machine"]["cores"] >= 1 and result["machine"]["cpu"]
    by_workload: dict[str, list[dict]] = {}
    for m in result["measures"]:
        by_workload.setdefault(m["workload"], []).append(m)
        assert m["rows"] > 0 and m["seconds"] > 0 and m["peak_mb"] > 0
    assert set(by_workload) == {"repetitive", "mostly-unique", "mixed-llm", "varied", "real-variety"}
    real = result["notes"]["real_variety"]
    assert real["templates"] > 0 and real["token_rule_templates"] > 0 and real["templates_vs_token_rule"] > 0
    assert {m["variant"] for m in by_workload["repetitive"]} >= {"classify.py, onnx"}
    assert any(m["variant"].startswith("reference") for m in by_workload["repetitive"])
    for m in by_workload["mostly-unique"]:
        assert m["extra"]["gflops"] > 0 and m["extra"]["gemm_gflops"] > 0 and m["extra"]["tokens_mean"] > 2
        assert 0.0 < m["extra"]["macro_f1"] <= 1.0
    cli_runs = [m for m in by_workload["repetitive"] if m["variant"].startswith("classify.py")]
    for m in cli_runs:  # the CLI classified every row: the label counts add up
        assert sum(m["extra"]["labels"].values()) == m["rows"]
    llm_run = next(m for m in by_workload["mixed-llm"] if m["variant"].startswith("classify.py"))
    assert llm_run["extra"]["llm_requests"] >= 1  # the LLM-routed rows reached the loopback server
    varied = {m["variant"]: m for m in by_workload["varied"]}
    assert any(v.startswith("reference") for v in varied)
    assert varied["classify.py + LLM, warm cache"]["extra"]["llm_requests"] == 0  # every answer came from the cache
    assert varied["classify.py + LLM, cold cache"]["extra"]["llm_requests"] >= 1
    # the embedding cache changes no label: a run that reads every vector back labels the rows as a cold run
    assert varied["classify.py, embedding cache warm"]["extra"]["labels"] == varied["classify.py, default settings"]["extra"]["labels"]
    assert varied["classify.py, embedding cache cold"]["extra"]["labels"] == varied["classify.py, default settings"]["extra"]["labels"]
    headline = result["headline"]
    assert headline["templates_per_million_rows"] > 0 and headline["llm_requests_per_million_rows_warm"] == 0
    assert headline["varied_seconds_embedding_cache_warm"] > 0
    assert result["notes"]["varied"]["corpus"]  # which corpus the varied rows came from
    patterns = result["notes"]["varied"]["patterns"]  # issue 30: the table's cost, off against on
    assert patterns["patterns_written"] > 0 and len(patterns["seconds_off"]) == len(patterns["seconds_on"]) == 1
    assert (
        varied["classify.py --patterns FILE"]["extra"]["labels"]
        == varied["classify.py, patterns table off (PATTERNS_MAX=0)"]["extra"]["labels"]
    )
    assert all(t["met"] is None for t in result["targets"])  # a smoke run judges no target
    assert "| workload |" in (out / "latest.md").read_text(encoding="utf-8")


def test_patterns_cpu_share_is_measured_in_one_run(tmp_path):
    """bench.patterns_cpu runs the real CLI once and reports the table's CPU against the run's (issue 30)."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.patterns_cpu", str(ROOT / "resources" / "test.csv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["exit_status"] == 0 and result["patterns_written"] > 0
    assert 0 < result["table_cpu_seconds"] < result["run_cpu_seconds"]
    assert 0 <= result["table_share"] < 1
