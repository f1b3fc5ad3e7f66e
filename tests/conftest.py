"""Shared fixtures. The embedding model is loaded once per test session (it takes seconds)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing may come from a model hub
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Child processes (scripts, uvicorn, Ray workers) import the project as `pip install -e .` provides it;
# this keeps the suite runnable in an environment where the checkout is not installed.
_ROOT = str(Path(__file__).resolve().parent.parent)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH", "")) if p)
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

from logclf.settings import Settings  # noqa: E402  (after the environment is cleaned)

ROOT = Path(__file__).resolve().parent.parent


# What makes a test heavy: the embedding model or classifier bundle, a server process, a browser.
# Every other test is marked `fast` here, so `make test-fast` (pytest -m fast) runs them all, and a
# new test is fast unless it asks for one of these or is marked `slow` (it starts a CLI or server process).
HEAVY_FIXTURES = {"embedder", "bundle", "live_server"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("slow") is None and not HEAVY_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.fast)


@pytest.fixture(autouse=True)
def _fast_tests_load_nothing(request, monkeypatch):
    """A test marked fast may not start a process or load the model: if it does, it fails saying how to
    fix it, so `make test-fast` stays fast as tests are added."""
    if request.node.get_closest_marker("fast") is None:
        return
    import subprocess

    from logclf.bundle import ModelBundle
    from logclf.embedding import Embedder

    def refuse(what: str):
        def refused(*args, **kwargs):
            raise AssertionError(f"{what} in a fast test: mark it `slow`, or use the session fixtures (embedder, bundle, live_server)")

        return refused

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse("a child process"))
    monkeypatch.setattr(Embedder, "__init__", refuse("loading the embedding model"))
    monkeypatch.setattr(ModelBundle, "load", refuse("loading the model bundle"))


@pytest.fixture(scope="session", autouse=True)
def _embedding_cache_in_tmp(tmp_path_factory):
    """Child processes (CLI, uvicorn, Ray) keep their embedding cache in this session's temporary directory."""
    os.environ["EMBED_CACHE_PATH"] = str(tmp_path_factory.mktemp("embed-cache") / "embeddings.sqlite3")


@pytest.fixture(scope="session")
def base_settings(tmp_path_factory) -> Settings:
    """Defaults, with the LLM cache, the corrections and the embedding cache in a per-session temporary
    directory, and no key."""
    state = tmp_path_factory.mktemp("state")
    return Settings(
        llm_cache_path=state / "cache.sqlite3",
        corrections_path=state / "corrections.sqlite3",
        embed_cache_path=state / "embeddings.sqlite3",
        groq_api_key="",
    )


@pytest.fixture(scope="session")
def bundle(base_settings):
    from logclf.bundle import ModelBundle

    return ModelBundle.load(base_settings.model_path)


@pytest.fixture(scope="session")
def embedder(base_settings, bundle):
    """The embedder the shipped bundle runs on outside tests (`runtime_backend`: its ONNX export), so
    in-process results equal the CLI's and uvicorn's. `make test` builds the export; built here if missing."""
    from logclf.embedding import Embedder, runtime_backend
    from logclf.onnx_export import ensure_export

    ensure_export()
    return Embedder.from_settings(
        base_settings, runtime_backend(bundle.embedding_backend, "", bundle.embedding_model), "", bundle.max_seq_length
    )


@contextmanager
def cascade_factory(base_settings: Settings, bundle, embedder, cache_dir: Path):
    """`make(**settings_changes) -> Cascade` sharing the loaded model; each cascade gets its own
    LLM cache file under `cache_dir`, and all are closed on exit."""
    from logclf.cascade import Cascade

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


@pytest.fixture(scope="module")
def groq():
    """One loopback Groq-compatible server (default oracle) for a test module."""
    from tests.fake_groq import FakeGroq

    with FakeGroq() as server:
        yield server


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """A real uvicorn running server:app on loopback, its LLM tier answered by a loopback FakeGroq."""
    from tests.uvicorn_server import uvicorn_with_groq

    work = tmp_path_factory.mktemp("live-server")
    with uvicorn_with_groq(work, LLM_CACHE_PATH=str(work / "llm-cache.sqlite3"), SERVER_WORKER_THREADS="2") as (server, _, _):
        yield server
