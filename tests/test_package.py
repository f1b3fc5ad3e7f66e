"""The wheel is the product: built from this checkout, installed into a new virtual environment
outside the repository, it classifies a file and serves the API from a directory with no clone."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.uvicorn_server import run_uvicorn

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DATA_FILES = ["resources/regex_rules.yaml", "resources/masking.yaml", "resources/labels.yaml", "resources/log_headers.yaml"]
DATA_FILES += ["models/log_classifier.joblib", "web/index.html", "web/app.js", "training/dataset/corpus.csv"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        cwd=out,
    )
    [built] = out.glob("logclf-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> tuple[Path, set[str]]:
    """A new venv outside the repo; the dependencies come from this test environment's site-packages (a
    path entry, so its editable `logclf` is not active), the project from the wheel alone.
    Returns (venv, the names the wheel added to its site-packages)."""
    home = tmp_path_factory.mktemp("venv")
    venv = home / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(
        subprocess.check_output(
            [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    before = {p.name for p in site.iterdir()}
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        cwd=home,
        env=clean_env(),  # no PYTHONPATH: the checkout's metadata would read as "already installed"
    )
    added = {p.name for p in site.iterdir()} - before
    # After the install (pip would otherwise see the test environment's editable logclf as installed).
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv, added


def clean_env(**extra: str) -> dict[str, str]:
    """No PYTHONPATH (the repo must not be importable), offline, caches in the test's temporary dirs."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false", **extra)
    return env


def test_the_wheel_holds_the_package_its_data_and_nothing_else(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"logclf", wheel.name.split("-py3")[0] + ".dist-info"}
    for data in DATA_FILES:
        assert f"logclf/{data}" in names
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "logclf = logclf.cli:main" in entry_points


def test_only_logclf_is_installed(venv):
    _, added = venv
    assert {name.split("-")[0] for name in added} == {"logclf"}
    assert len(added) == 2  # the package and its dist-info


def test_installed_command_classifies_and_serves_from_anywhere(venv, tmp_path):
    env_dir, _ = venv
    logclf = str(env_dir / "bin" / "logclf")
    where = tmp_path / "elsewhere"
    where.mkdir()
    env = clean_env(EMBED_CACHE_PATH=str(tmp_path / "embeddings.sqlite3"), LLM_CACHE_PATH=str(tmp_path / "llm.sqlite3"))
    origin = subprocess.run(
        [env_dir / "bin" / "python", "-c", "import logclf; print(logclf.__file__)"], cwd=where, env=env, capture_output=True, text=True
    )
    assert origin.stdout.startswith(str(env_dir)), origin.stdout + origin.stderr

    help_text = subprocess.run([logclf, "--help"], cwd=where, env=env, capture_output=True, text=True).stdout
    assert help_text.startswith("usage: logclf") and "serve" in help_text and "train" in help_text

    (where / "app.log").write_text(
        "Dec  3 10:00:01 web-01 sshd[811]: Failed password for root from 203.0.113.9 port 52144 ssh2\n"
        "Dec  3 10:00:02 web-01 sshd[812]: Accepted publickey for deploy from 198.51.100.7 port 40022 ssh2\n",
        encoding="utf-8",
    )
    run = subprocess.run([logclf, "app.log", "-o", "out.csv", "--no-llm"], cwd=where, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader((where / "out.csv").open(encoding="utf-8")))
    assert len(rows) == 2 and all(r["target_label"] for r in rows)

    command = [logclf, "serve", "--host", "127.0.0.1"]
    state = {k: env[k] for k in ("EMBED_CACHE_PATH", "LLM_CACHE_PATH")}
    with run_uvicorn(tmp_path / "serve.log", command=command, cwd=where, PYTHONPATH="", **state) as server:
        assert httpx.get(f"{server.url}/health").json()["models_loaded"] is True
        r = httpx.post(f"{server.url}/classify/", files={"file": ("app.log", (where / "app.log").read_bytes())}, timeout=120)
        assert r.status_code == 200, r.text
        assert r.text.splitlines()[0].endswith("target_label") and len(r.text.splitlines()) == 3
