"""Shared fixtures. The embedding model is loaded once per test session (it takes seconds)."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing may come from a model hub
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
for var in (
    "GROQ_API_KEY",
    "GROQ_BASE_URL",
    "LLM_PROVIDER",
    "LLM_BASE_URL",
    "LLM_MODEL",
    "LLM_API_KEY",
    "LLM_SEND",
    "API_KEY",
    "MODEL_PATH",
    "LLM_SOURCES",
    "ML_CONFIDENCE_THRESHOLD",
):
    os.environ.pop(var, None)  # tests start from documented defaults, whatever the shell has

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from logclf.settings import Settings  # noqa: E402


@pytest.fixture(scope="session")
def base_settings(tmp_path_factory) -> Settings:
    """Defaults, with the LLM cache in a per-session temporary directory and no key."""
    cache = tmp_path_factory.mktemp("llm-cache") / "cache.sqlite3"
    return Settings(llm_cache_path=cache, groq_api_key="")


@pytest.fixture(scope="session")
def embedder(base_settings):
    from logclf.embedding import Embedder

    return Embedder(max_seq_length=base_settings.max_seq_length)


@pytest.fixture(scope="session")
def bundle(base_settings):
    from logclf.bundle import ModelBundle

    return ModelBundle.load(base_settings.model_path)


@contextmanager
def cascade_factory(base_settings: Settings, bundle, embedder, cache_dir: Path):
    """`make(**settings_changes) -> Cascade` sharing the loaded model; each cascade gets its own
    LLM cache file under `cache_dir`, and all are closed on exit."""
    from cascade import Cascade

    built = []

    def make(**changes):
        changes.setdefault("llm_cache_path", cache_dir / f"cache-{len(built)}.sqlite3")
        c = Cascade.from_settings(base_settings.with_(**changes), bundle=bundle, embedder=embedder)
        built.append(c)
        return c

    try:
        yield make
    finally:
        for c in built:
            c.close()


@pytest.fixture()
def make_cascade(base_settings, embedder, bundle, tmp_path):
    """Build a Cascade sharing the session's model; `make_cascade(**settings_changes)`."""
    with cascade_factory(base_settings, bundle, embedder, tmp_path) as make:
        yield make


@pytest.fixture()
def cascade(make_cascade):
    """A cascade with no LLM key (the LLM tier answers Unclassified)."""
    return make_cascade()


@pytest.fixture()
def fake_groq():
    from tests.fake_groq import FakeGroq

    with FakeGroq() as server:
        yield server


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """A real uvicorn running server:app on loopback, its LLM tier answered by a loopback FakeGroq."""
    from tests.fake_groq import FakeGroq
    from tests.uvicorn_server import run_uvicorn

    work = tmp_path_factory.mktemp("live-server")
    with (
        FakeGroq() as groq,
        run_uvicorn(
            work / "uvicorn.log",
            GROQ_API_KEY="test-key",
            GROQ_BASE_URL=groq.base_url,
            LLM_CACHE_PATH=str(work / "llm-cache.sqlite3"),
            SERVER_WORKER_THREADS="2",
            LLM_REQUESTS_PER_MINUTE="100000",  # the loopback server has no rate limit to respect
            LLM_TOKENS_PER_MINUTE="100000000",
        ) as server,
    ):
        yield server
