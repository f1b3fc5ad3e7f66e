"""The Ray engine on a real two-node Ray cluster (`ray.cluster_utils.Cluster`: a 1-CPU and a 2-CPU node, each
its own raylet), its LLM tier against loopback Groq-compatible servers that count what they receive.

One cluster serves the module. Every job sizes its actor pool from the cluster (the defaults), and shares
one LLM budget and one answer book across its actors (`logclf.ray_shared`). The reference is the local
engine on the same files, asking its own loopback server.
"""

from __future__ import annotations

import io
import math
import threading
from pathlib import Path

import pytest
import ray

from logclf import engine_ray
from logclf.csv_io import CsvReader
from logclf.llm.shared import SharedStateLost
from logclf.ray_shared import COORDINATOR_PREFIX
from logclf.stream import classify_csv
from tests.fake_groq import FakeGroq, Reply, lines_of, oracle
from tests.test_ray import _sample_rows, _write

pytestmark = [pytest.mark.slow, pytest.mark.timeout(400)]
NAMES = ("north", "south", "east", "west", "centre")
ROWS = (400, 300, 200, 200, 100)


@pytest.fixture(scope="module")
def cluster():
    from ray.cluster_utils import Cluster

    nodes = Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
    nodes.add_node(num_cpus=2)
    nodes.wait_for_nodes()
    engine_ray.connect(nodes.address, quiet=True)
    yield nodes
    ray.shutdown()
    nodes.shutdown()


@pytest.fixture(scope="module")
def logs(tmp_path_factory) -> Path:
    """Five files sharing most of their templates (LegacyCRM rows and unsure ones go to the LLM)."""
    folder = tmp_path_factory.mktemp("cluster-logs")
    for k, (name, rows) in enumerate(zip(NAMES, ROWS, strict=True)):
        sample = _sample_rows(rows, seed=31 + k)
        _write(folder / f"{name}.csv", ["source", "log_message"], [[r["source"], r["log_message"]] for r in sample])
    return folder


@pytest.fixture(scope="module")
def llm_settings(base_settings):
    """The LLM tier on, generous limits, small LLM batches (so there are requests to count); pool sized automatically."""
    return base_settings.with_(
        groq_api_key="test-key",
        llm_requests_per_minute=100_000,
        llm_tokens_per_minute=10_000_000,
        llm_batch_size=4,
        ray_batch_size=400,  # a block per file, as the local engine reads a file of under CHUNK_ROWS rows in one chunk
        ray_num_actors=0,
        ray_cpus_per_actor=0.0,
    )


@pytest.fixture(scope="module")
def local_reference(logs, llm_settings, bundle, embedder, tmp_path_factory):
    """The local engine on each file (one answer cache for the five runs): outputs, the requests it sent and the
    template lines they carried (each (source, template) once: the answer cache serves the later files)."""
    from logclf.cascade import Cascade

    cache = tmp_path_factory.mktemp("local-llm") / "cache.sqlite3"
    outputs = {}
    with FakeGroq() as server:
        settings = llm_settings.with_(groq_base_url=server.base_url, llm_cache_path=cache)
        for name in NAMES:
            cascade = Cascade.from_settings(settings, bundle=bundle, embedder=embedder)
            try:
                with open(logs / f"{name}.csv", "rb") as stream:
                    out = io.StringIO(newline="")
                    classify_csv(CsvReader(stream), out, cascade)
                outputs[name] = out.getvalue()
            finally:
                cascade.close()
        return outputs, server.request_count, sum(len(lines_of(r)) for r in server.requests)


def assert_same_as_local(out_dir: Path, expected: dict[str, str]) -> None:
    assert sorted(p.name for p in out_dir.iterdir()) == [f"{name}_classified.csv" for name in sorted(NAMES)]
    for name in NAMES:
        got = (out_dir / f"{name}_classified.csv").read_bytes().decode("utf-8")
        assert got == expected[name], name


def test_two_node_job_equals_local_and_asks_no_more_than_local(cluster, logs, llm_settings, local_reference, tmp_path, capfd):
    expected, local_requests, _ = local_reference
    assert local_requests > 3  # the comparison means something
    settings = llm_settings.with_(llm_cache_path=tmp_path / "node-cache.sqlite3")
    with FakeGroq() as server:
        report = engine_ray.classify_with_ray(
            [str(logs / "*.csv")], tmp_path / "out", settings=settings.with_(groq_base_url=server.base_url), quiet=False
        )
        first_requests = server.request_count
        assert_same_as_local(tmp_path / "out", expected)
        assert report.plan.per_node in ((1, 2), (2, 1)) and report.plan.cpus_per_actor == 0.5 and report.actors == 3
        assert "ray plan: 2 node(s)" in capfd.readouterr().err
        assert 0 < first_requests <= local_requests
        assert report.shared["requests"] == first_requests

        # A second job on the same cluster reads the node-local cache the first one wrote: no request at all.
        again = engine_ray.classify_with_ray(
            [str(logs / "*.csv")], tmp_path / "again", settings=settings.with_(groq_base_url=server.base_url)
        )
        assert server.request_count == first_requests
        assert again.summary.by_tier["llm"] == report.summary.by_tier["llm"] > 0
        assert_same_as_local(tmp_path / "again", expected)


def test_blocks_much_smaller_than_files_merge_their_partial_llm_batches(cluster, logs, llm_settings, local_reference, tmp_path):
    """100-row blocks (12 blocks, up to four per file, on three actors): every template is asked once job-wide, and
    partial LLM batches wait while the job still has rows to hand out, so they merge across blocks instead of
    going out one per block. When a partial pool goes out depends on the actors' timing: the bound allows one
    partial batch per actor beyond the fewest possible requests, where one per block would exceed it."""
    expected, _, local_lines = local_reference
    settings = llm_settings.with_(llm_cache_path=tmp_path / "cache.sqlite3", ray_batch_size=100)
    with FakeGroq() as server:
        report = engine_ray.classify_with_ray(
            [str(logs / "*.csv")], tmp_path / "out", settings=settings.with_(groq_base_url=server.base_url)
        )
        assert sum(len(lines_of(r)) for r in server.requests) == local_lines
        assert 0 < server.request_count <= math.ceil(local_lines / llm_settings.llm_batch_size) + report.actors
    assert_same_as_local(tmp_path / "out", expected)


def test_the_requests_per_minute_limit_holds_for_the_whole_job(cluster, logs, llm_settings, local_reference, tmp_path):
    """3 requests per minute across three actors: the server never sees a fourth within any 60 s (the job takes > 1 min)."""
    expected, _, local_lines = local_reference
    # LLM batches of a fifth of the templates the local run asked: about 5 requests, so the job needs more than
    # one minute's budget whatever number of rows the model leaves to the LLM.
    batch = max(1, local_lines // 5)
    settings = llm_settings.with_(llm_cache_path=tmp_path / "cache.sqlite3", llm_requests_per_minute=3, llm_batch_size=batch)
    with FakeGroq() as server:
        engine_ray.classify_with_ray([str(logs / "*.csv")], tmp_path / "out", settings=settings.with_(groq_base_url=server.base_url))
        assert server.request_count > 3
        assert server.most_in_any_window(60.0) <= 3
    assert_same_as_local(tmp_path / "out", expected)


def test_a_429_storm_slows_every_actor_and_every_row_is_written(cluster, logs, llm_settings, local_reference, tmp_path):
    """The first six requests get 429 with Retry-After: 1; the shared pause holds every actor back, and the labels
    come out as the local engine's (nothing lost to a tripped breaker or exhausted retries)."""
    expected, _, _ = local_reference
    lock, refused = threading.Lock(), [0]

    def storm(request: dict) -> Reply:
        with lock:
            refused[0] += 1
            if refused[0] <= 6:
                return Reply(429, {"error": {"message": "rate limit reached"}}, headers={"retry-after": "1"})
        return oracle(request)

    settings = llm_settings.with_(llm_cache_path=tmp_path / "cache.sqlite3", llm_max_retries=6, llm_breaker_threshold=20)
    with FakeGroq(storm) as server:
        report = engine_ray.classify_with_ray(
            [str(logs / "*.csv")], tmp_path / "out", settings=settings.with_(groq_base_url=server.base_url)
        )
        assert server.request_count > 6
    assert report.shared["pauses"] >= 1
    assert report.summary.rows == sum(ROWS)
    assert_same_as_local(tmp_path / "out", expected)


def test_losing_the_coordinator_fails_the_job_and_writes_nothing(cluster, logs, llm_settings, tmp_path):
    """The coordinating actor is killed while the first LLM request is in flight: the job stops with SharedStateLost,
    no row is written as Unclassified in its place, and the output folder stays empty."""

    killed = threading.Event()

    def kill_coordinator(request: dict) -> Reply:
        if not killed.is_set():
            killed.set()
            [actor] = [a for a in ray.util.list_named_actors(all_namespaces=True) if a["name"].startswith(COORDINATOR_PREFIX)]
            ray.kill(ray.get_actor(actor["name"], namespace=actor["namespace"]))
        return oracle(request)

    settings = llm_settings.with_(llm_cache_path=tmp_path / "cache.sqlite3")
    with FakeGroq(kill_coordinator) as server:
        with pytest.raises(SharedStateLost, match="no output was written"):
            engine_ray.classify_with_ray([str(logs / "*.csv")], tmp_path / "out", settings=settings.with_(groq_base_url=server.base_url))
        assert killed.is_set()
    assert list((tmp_path / "out").iterdir()) == []
