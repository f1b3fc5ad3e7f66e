"""A real `uvicorn server:app` on a free loopback port, for tests that need the real thing.

Used by the `live_server` fixture in conftest.py (shared by test_server_uvicorn.py and test_web.py,
so the models load once per session in the server process).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.fake_groq import FakeGroq, oracle

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def uvicorn_env(**settings: str) -> dict[str, str]:
    """The test process's environment with the server settings on top (no GROQ key unless given)."""
    env = {k: v for k, v in os.environ.items() if k not in {"GROQ_API_KEY", "GROQ_BASE_URL", "API_KEY", "MODEL_PATH"}}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false", PYTHONUNBUFFERED="1")
    env.update(API_KEY="")  # an empty variable also keeps a developer's .env from setting it
    env.update(settings)
    return env


@contextmanager
def run_uvicorn(
    log_path: Path,
    startup_timeout_s: float = 180.0,
    command: list[str] | None = None,
    cwd: Path = ROOT,
    **settings: str,
) -> Iterator[LiveServer]:
    """Start `python -m uvicorn server:app` (or `command` + `--port PORT`, e.g. `logclf serve`), wait until
    /health answers, stop it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings.setdefault("CORRECTIONS_PATH", str(log_path.parent / "corrections.sqlite3"))  # never the user's store
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [*(command or [sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1"]), "--port", str(port)],
            cwd=cwd,
            env=uvicorn_env(**settings),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(url, process, log_path)
    try:
        deadline = time.monotonic() + startup_timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {process.returncode}:\n{server.log()[-3000:]}")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not answer /health within {startup_timeout_s}s:\n{server.log()[-3000:]}")
            time.sleep(0.25)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def uvicorn_with_groq(
    work: Path, responder=None, *, private_tmp: bool = False, **settings: str
) -> Iterator[tuple[LiveServer, FakeGroq, Path]]:
    """A real uvicorn whose LLM tier talks to a loopback FakeGroq (answering with `responder`, default the oracle).

    Yields (server, groq, tmpdir); with `private_tmp`, the server's TMPDIR is `tmpdir`, a fresh 0700 directory.
    No rate limits by default: the loopback server has none to respect.
    """
    tmpdir = work / "tmp"
    if private_tmp:
        tmpdir.mkdir(mode=0o700)
        settings.setdefault("TMPDIR", str(tmpdir))
    settings.setdefault("GROQ_API_KEY", "test-key")
    settings.setdefault("LLM_REQUESTS_PER_MINUTE", "100000")
    settings.setdefault("LLM_TOKENS_PER_MINUTE", "100000000")
    with FakeGroq(responder or oracle) as groq, run_uvicorn(work / "uvicorn.log", GROQ_BASE_URL=groq.base_url, **settings) as server:
        yield server, groq, tmpdir
