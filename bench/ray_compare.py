"""Rows/s of the local engine vs the Ray engine (1 and 2 actors) on the same repetitive logs.

    .venv/bin/python -m bench.ray_compare                 # 200,000 rows in 4 files, 500 templates
    .venv/bin/python -m bench.ray_compare --rows 50000 --files 2

Every figure is wall time for the whole job, model loading included: the local engine loads one
Cascade and classifies the files one after another; the Ray engine starts its actors (each loads
the model) and runs read -> classify -> write. Ray's own start-up (once per process, `ray.init`)
is reported apart. The LLM tier is off (no key), so the figures are regex + ML work. The machine
load (1-minute load average) is printed before and after each run: on a shared machine it matters.
Each Ray output is compared byte for byte with the local engine's.
"""

from __future__ import annotations

import argparse
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

ROOT = Path(__file__).resolve().parent.parent


def write_inputs(directory: Path, rows: int, files: int, templates: int, seed: int) -> list[Path]:
    """`rows` rows of one workload, dealt into `files` CSVs of consecutive rows."""
    import csv

    per_file = -(-rows // files)
    generated = workload_rows(rows, templates, seed)
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
    p.add_argument("--rows", type=int, default=200_000)
    p.add_argument("--files", type=int, default=4)
    p.add_argument("--templates", type=int, default=500)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--batch-size", type=int, default=None, help="RAY_BATCH_SIZE (default: the setting)")
    args = p.parse_args(argv)

    from logclf import engine_ray

    work = Path(tempfile.mkdtemp(prefix="ray-compare-"))
    paths = write_inputs(work, args.rows, args.files, args.templates, args.seed)
    settings = Settings.from_env().with_(groq_api_key="", llm_cache_path=work / "llm.sqlite3")
    if args.batch_size:
        settings = settings.with_(ray_batch_size=args.batch_size)
    print(f"{args.rows:,} rows in {args.files} files, {args.templates} templates; {os.cpu_count()} CPUs", flush=True)
    results = []

    before = load()
    seconds, expected = run_local(paths, settings)
    results.append(("local engine (1 process)", seconds, before, load()))

    before = load()
    started = time.perf_counter()
    engine_ray.connect(quiet=True)
    print(f"ray.init: {time.perf_counter() - started:.1f}s", flush=True)
    for actors, cpus in ((1, 1.0), (2, 0.75)):
        before = load()
        started = time.perf_counter()
        out_dir = work / f"ray-{actors}"
        engine_ray.classify_with_ray([str(p) for p in paths], out_dir, settings=settings.with_(ray_cpus_per_actor=cpus), num_actors=actors)
        seconds = time.perf_counter() - started
        for path in paths:
            same = (out_dir / f"{path.stem}_classified.csv").read_bytes().decode("utf-8") == expected[path.stem]
            if not same:
                print(f"MISMATCH: {path.stem} differs from the local engine's output", file=sys.stderr)
                return 1
        results.append((f"ray, {actors} actor(s) x {cpus:g} CPU", seconds, before, load()))

    print("\n| engine | seconds | rows/s | load before / after |\n|---|---:|---:|---|")
    for name, seconds, load_before, load_after in results:
        print(f"| {name} | {seconds:.1f} | {args.rows / seconds:,.0f} | {load_before} / {load_after} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
