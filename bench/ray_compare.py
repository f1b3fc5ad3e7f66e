"""Requests and wall time of the local engine against a two-node Ray cluster, on the same files.

    .venv/bin/python -m bench.ray_compare                        # 40,000 rows in 4 files, 500 templates, 5% LLM rows
    .venv/bin/python -m bench.ray_compare --rows 10000 --node-cpus 1,2

Both engines run the whole cascade, LLM tier included, each against its own loopback Groq-compatible
server (`tests/fake_groq.py`) that counts the requests it receives; each starts with an empty LLM answer
cache. The local engine classifies the files one after another in one process (one cascade, one cache),
as `logclf FILE` run per file would. The cluster is `ray.cluster_utils.Cluster` on this machine: one raylet
per node (`--node-cpus`, default a 1-CPU and a 2-CPU node), the actor pool sized from it (the defaults),
one LLM budget and one answer book for the job. Wall time is for the whole job, model loading included;
starting the cluster is reported apart. Each Ray output is compared byte for byte with the local engine's.
The 1-minute load average is printed before and after each run: on a shared machine it matters.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from bench.workloads import rows as workload_rows
from logclf.csv_io import CsvReader
from logclf.settings import Settings
from logclf.stream import classify_csv
from tests.fake_groq import FakeGroq

ROOT = Path(__file__).resolve().parent.parent


def write_inputs(directory: Path, rows: int, files: int, templates: int, seed: int, llm_share: float) -> list[Path]:
    """`rows` rows of one workload (`llm_share` of them from the LLM-routed source), dealt into `files` CSVs."""
    per_file = -(-rows // files)
    generated = workload_rows(rows, templates, seed, llm_row_share=llm_share)
    paths = []
    for k in range(files):
        path = directory / f"logs-{k:02d}.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(["source", "log_message"])
            writer.writerows((source, message) for _, (source, message, _) in zip(range(per_file), generated, strict=False))
        paths.append(path)
    return paths


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def run_local(paths: list[Path], settings: Settings) -> tuple[float, dict[str, str]]:
    from logclf.cascade import Cascade

    started = time.perf_counter()
    cascade = Cascade.from_settings(settings)
    outputs = {}
    for path in paths:
        with open(path, "rb") as stream:
            out = io.StringIO(newline="")
            classify_csv(CsvReader(stream, chunk_rows=settings.chunk_rows), out, cascade)
            outputs[path.stem] = out.getvalue()
    cascade.close()
    return time.perf_counter() - started, outputs


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=40_000)
    p.add_argument("--files", type=int, default=4)
    p.add_argument("--templates", type=int, default=500)
    p.add_argument("--llm-share", type=float, default=0.05, help="share of rows from the LLM-routed source (LegacyCRM)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--node-cpus", default="1,2", help="CPUs of each node of the local cluster, comma-separated")
    p.add_argument("--batch-size", type=int, default=None, help="RAY_BATCH_SIZE (default: the setting)")
    args = p.parse_args(argv)

    import ray
    from ray.cluster_utils import Cluster

    from logclf import engine_ray

    work = Path(tempfile.mkdtemp(prefix="ray-compare-"))
    paths = write_inputs(work, args.rows, args.files, args.templates, args.seed, args.llm_share)
    settings = Settings.from_env().with_(groq_api_key="bench-key", llm_requests_per_minute=100_000, llm_tokens_per_minute=100_000_000)
    if args.batch_size:
        settings = settings.with_(ray_batch_size=args.batch_size)
    node_cpus = [float(c) for c in args.node_cpus.split(",")]
    print(f"{args.rows:,} rows in {args.files} files, {args.templates} templates, {args.llm_share:.0%} LLM rows; {os.cpu_count()} CPUs")
    results = []

    with FakeGroq() as server:
        before = load()
        seconds, expected = run_local(paths, settings.with_(groq_base_url=server.base_url, llm_cache_path=work / "local.sqlite3"))
        results.append(("local engine (1 process)", seconds, server.request_count, before, load()))

    started = time.perf_counter()
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": node_cpus[0]})
    for cpus in node_cpus[1:]:
        cluster.add_node(num_cpus=cpus)
    cluster.wait_for_nodes()
    engine_ray.connect(cluster.address, quiet=True)
    print(f"cluster start ({len(node_cpus)} nodes) + ray.init: {time.perf_counter() - started:.1f}s", flush=True)
    try:
        with FakeGroq() as server:
            before = load()
            started = time.perf_counter()
            out_dir = work / "ray"
            report = engine_ray.classify_with_ray(
                [str(p) for p in paths],
                out_dir,
                settings=settings.with_(groq_base_url=server.base_url, llm_cache_path=work / "ray.sqlite3"),
            )
            seconds = time.perf_counter() - started
            results.append((f"ray, {report.plan.text()}", seconds, server.request_count, before, load()))
        for path in paths:
            if (out_dir / f"{path.stem}_classified.csv").read_bytes().decode("utf-8") != expected[path.stem]:
                print(f"MISMATCH: {path.stem} differs from the local engine's output", file=sys.stderr)
                return 1
    finally:
        ray.shutdown()
        cluster.shutdown()

    print("\n| engine | seconds | LLM requests | rows/s | load before / after |\n|---|---:|---:|---:|---|")
    for name, seconds, requests, load_before, load_after in results:
        print(f"| {name} | {seconds:.1f} | {requests} | {args.rows / seconds:,.0f} | {load_before} / {load_after} |")
    print("\nthe Ray outputs equal the local engine's, byte for byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
