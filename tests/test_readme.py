"""The README's shell examples run as written, so they cannot rot.

Every command in a ```bash block is either run here (in a scratch directory holding the files the
examples name, against `logclf serve` on a loopback port and a loopback OpenAI-compatible LLM) or
named in SKIPPED with the reason. A new example that is neither fails the test.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fake_groq import FakeGroq
from tests.uvicorn_server import free_port, run_uvicorn

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SKIPPED = {  # command prefix -> why it is not run here
    "make ": "the Makefile targets are what CI itself runs (make test) or long jobs (bench, train)",
    "pip install": "installs packages; tests/test_package.py installs the wheel into a new venv",
    "ollama ": "needs Ollama; the LLM line after it runs against a loopback OpenAI-compatible server",
    "logclf serve": "started by this test on a free port, for the curl examples",
    "logclf 'logs/*.log.gz' --engine ray": "Ray: tests/test_ray.py runs the engine",
}


def readme_commands() -> list[str]:
    """Every command of the README's bash blocks, continuation lines joined, comments dropped."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S):
        for command in block.replace("\\\n", " ").splitlines():
            command = re.sub(r"\s+#\s.*$", "", command).strip()  # a trailing comment
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


def scratch_files(work: Path) -> None:
    shutil.copy(ROOT / "resources" / "test.csv", work / "logs.csv")
    (work / "auth.log").write_text(
        "Dec  3 10:00:01 web-01 sshd[811]: Failed password for root from 203.0.113.9 port 52144 ssh2\n"
        "Dec  3 10:00:02 web-01 sshd[812]: Accepted publickey for deploy from 198.51.100.7 port 40022 ssh2\n",
        encoding="utf-8",
    )
    (work / "events.jsonl").write_text(
        json.dumps({"service": "billing", "message": "Invoice 4411 export failed: timeout writing to bucket"}) + "\n", encoding="utf-8"
    )
    from training.generate_dataset import generate, write_csv

    write_csv(generate(400, seed=11), work / "my_labelled.csv")
    (work / "models").mkdir()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A scratch directory with the example files, a loopback LLM, and `logclf serve` on a free port."""
    work = tmp_path_factory.mktemp("readme")
    scratch_files(work)
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "EMBED_CACHE_PATH": str(work / "embeddings.sqlite3"),
        "LLM_CACHE_PATH": str(work / "llm.sqlite3"),
        "CORRECTIONS_PATH": str(work / "corrections.sqlite3"),
    }
    with FakeGroq() as llm:
        port = free_port()
        serve = [str(Path(bin_dir) / "logclf"), "serve", "--host", "127.0.0.1"]
        with run_uvicorn(
            work / "serve.log", command=serve, cwd=work, **{k: env[k] for k in ("EMBED_CACHE_PATH", "CORRECTIONS_PATH")}
        ) as server:
            yield work, env, server.url, llm, port


def run(command: str, work: Path, env: dict[str, str], server_url: str, llm: FakeGroq) -> subprocess.CompletedProcess:
    command = command.replace("http://127.0.0.1:8000", server_url).replace("http://localhost:11434/v1", llm.openai_base_url)
    return subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.timeout(1800)  # a dozen CLI runs and a small training run, each loading the model
def test_every_readme_command_runs(scratch):
    work, env, url, llm, _ = scratch
    commands = readme_commands()
    assert len(commands) >= 15
    ran = []
    for command in commands:
        if any(command.startswith(prefix) for prefix in SKIPPED):
            continue
        assert re.match(r"(logclf|curl|cat|python classify\.py|[A-Z_]+=\S+ )", command), (
            f"README command neither run nor skipped: {command}"
        )
        result = run(command, work, env, url, llm)
        assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        ran.append((command, result))
    assert len(ran) >= 12

    def rows(name: str) -> list[dict[str, str]]:
        return list(csv.DictReader((work / name).open(encoding="utf-8")))

    assert all(r["target_label"] for r in rows("classified.csv"))
    assert "classified_by" in rows("explained.csv")[0]
    assert len(rows("out.csv")) == len(rows("out_llm.csv")) == len(rows("classified_mine.csv")) == len(rows("classified.csv"))
    assert len(rows("auth_classified.csv")) == 2
    assert json.loads((work / "events_classified.jsonl").read_text().splitlines()[0])["target_label"]
    assert rows("classified_logs.csv") and (work / "models" / "mine.joblib").is_file()
    outputs = {command: result.stdout for command, result in ran}
    assert next(v for k, v in outputs.items() if k.startswith("logclf --help")).startswith("usage: logclf")
    assert json.loads(next(v for k, v in outputs.items() if "/classify/json" in k))["rows"] == 1
    assert llm.request_count >= 1  # the local-LLM example reached the OpenAI-compatible server


def test_the_readme_stays_short():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 250
