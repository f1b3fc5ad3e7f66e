"""Load test of the HTTP service on loopback: concurrent CSV uploads of mixed sizes for a fixed time.

    python -m bench.load                          # starts its own uvicorn, 60 s, 8 concurrent clients
    python -m bench.load --duration 10 --concurrency 4
    python -m bench.load --url http://127.0.0.1:8000 --api-key KEY --json

Reports requests served, error rate (goal: 0), upload latency p50/p99 (overall and per size) and
the latency of `/health` probed while the uploads run. Every upload carries an `upload_id` column
and a unique marker row; an answer counts as an error unless it holds exactly its own rows, cells
unchanged and in order, each with a label: results must never mix between requests.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent

SIZES = (1, 10, 100, 1000, 5000)  # rows per upload
WEIGHTS = (30, 30, 25, 12, 3)
MESSAGES = [
    ("ModernCRM", "IP 192.168.{a}.{b} blocked due to potential attack"),
    ("BillingSystem", "User {n} logged in."),
    ("AnalyticsEngine", "File data_{n}.csv uploaded successfully by user User{a}."),
    ("ModernHR", "Backup completed successfully."),
    ("ThirdPartyAPI", "Email service experiencing issues with sending"),
    ("ModernCRM", "Admin access escalation detected for user {n}"),
    ("BillingSystem", "Multiple bad login attempts detected on user {n} account"),
    ("AnalyticsEngine", "System crashed due to disk I/O failure on node-{a}"),
    ("ModernHR", "Memory usage at {a}% on host srv-{b}"),
    (
        "ModernCRM",
        'nova.osapi_compute.wsgi.server [req-{u}] 10.0.{a}.{b} "GET /v2/servers/detail HTTP/1.1" status: 200 len: {n} time: 0.{a}',
    ),
    ("LegacyCRM", "Lead conversion failed for prospect ID {n} due to missing contact information."),
    ("ModernCRM", "Hey bro, chill ya! {n}"),
]


@dataclass
class Upload:
    upload_id: str
    rows: list[list[str]]  # header first
    body: bytes


def make_upload(n_rows: int, rng: random.Random) -> Upload:
    """A CSV of `n_rows` rows: a marker row first, then realistic lines, each tagged with the upload id."""
    upload_id = uuid.uuid4().hex
    rows = [["upload_id", "source", "log_message"], [upload_id, "ModernCRM", f"load-test marker {upload_id}"]]
    for _ in range(n_rows - 1):
        source, template = rng.choice(MESSAGES)
        fields = {"a": rng.randrange(256), "b": rng.randrange(256), "n": rng.randrange(10**6), "u": uuid.UUID(int=rng.getrandbits(128))}
        rows.append([upload_id, source, template.format(**fields)])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return Upload(upload_id, rows, buf.getvalue().encode())


def check_answer(upload: Upload, text: str) -> str | None:
    """None when the answer is exactly this upload's rows with a label appended; else what is wrong."""
    got = list(csv.reader(io.StringIO(text, newline="")))
    if not got or got[0] != upload.rows[0] + ["target_label"]:
        return "wrong header"
    if len(got) != len(upload.rows):
        return f"{len(upload.rows) - 1} rows sent, {len(got) - 1} returned"
    foreign = {row[0] for row in got[1:]} - {upload.upload_id}
    if foreign:
        return f"rows of {len(foreign)} other upload(s) in the answer"
    if [row[:-1] for row in got[1:]] != upload.rows[1:]:
        return "cells changed or rows reordered"
    if any(not row[-1] for row in got[1:]):
        return "a row without a label"
    return None


@dataclass
class Results:
    duration_s: float = 0.0
    concurrency: int = 0
    requests: int = 0
    rows: int = 0
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)
    latencies: dict[int, list[float]] = field(default_factory=dict)  # rows per upload -> seconds
    health: list[float] = field(default_factory=list)
    health_errors: int = 0

    def record_error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_examples) < 10:
            self.error_examples.append(what)

    def summary(self) -> dict:
        every = [s for values in self.latencies.values() for s in values]
        return {
            "duration_s": round(self.duration_s, 1),
            "concurrency": self.concurrency,
            "requests_served": self.requests,
            "rows_classified": self.rows,
            "errors": self.errors,
            "error_rate": round(self.errors / self.requests, 4) if self.requests else 0.0,
            "error_examples": self.error_examples,
            "requests_per_s": round(self.requests / self.duration_s, 2) if self.duration_s else 0.0,
            "rows_per_s": round(self.rows / self.duration_s, 1) if self.duration_s else 0.0,
            "latency_ms": _percentiles(every),
            "latency_ms_by_rows": {str(n): _percentiles(v) | {"count": len(v)} for n, v in sorted(self.latencies.items())},
            "health_ms": _percentiles(self.health) | {"count": len(self.health), "errors": self.health_errors},
        }


def _percentiles(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {"p50": 0.0, "p99": 0.0, "max": 0.0}
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return {"p50": round(statistics.median(ordered) * 1000, 1), "p99": round(p99 * 1000, 1), "max": round(ordered[-1] * 1000, 1)}


async def run_load(
    url: str, duration_s: float, concurrency: int, max_requests: int, api_key: str = "", seed: int = 1, sizes: tuple[int, ...] = SIZES
) -> Results:
    """`concurrency` clients upload back to back until `duration_s` or `max_requests`; a prober hits /health."""
    rng = random.Random(seed)
    weights = [WEIGHTS[SIZES.index(s)] if s in SIZES else 1 for s in sizes]
    results = Results(concurrency=concurrency)
    headers = {"X-API-Key": api_key} if api_key else {}
    started = time.perf_counter()
    deadline = started + duration_s
    issued = 0
    limits = httpx.Limits(max_connections=concurrency + 2)

    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=httpx.Timeout(600.0), limits=limits) as client:

        async def uploader() -> None:
            nonlocal issued
            while time.perf_counter() < deadline and issued < max_requests:
                issued += 1
                n_rows = rng.choices(sizes, weights)[0]
                upload = make_upload(n_rows, rng)
                t0 = time.perf_counter()
                try:
                    r = await client.post("/classify", files={"file": (f"load-{upload.upload_id}.csv", upload.body, "text/csv")})
                except httpx.HTTPError as exc:
                    results.requests += 1
                    results.record_error(f"{n_rows} rows: {type(exc).__name__}: {exc}")
                    continue
                elapsed = time.perf_counter() - t0
                results.requests += 1
                problem = f"HTTP {r.status_code}: {r.text[:200]}" if r.status_code != 200 else check_answer(upload, r.text)
                if problem:
                    results.record_error(f"{n_rows} rows: {problem}")
                else:
                    results.rows += n_rows
                    results.latencies.setdefault(n_rows, []).append(elapsed)

        async def prober() -> None:
            while time.perf_counter() < deadline and issued < max_requests:
                t0 = time.perf_counter()
                try:
                    r = await client.get("/health")
                    if r.status_code == 200:
                        results.health.append(time.perf_counter() - t0)
                    else:
                        results.health_errors += 1
                except httpx.HTTPError:
                    results.health_errors += 1
                await asyncio.sleep(0.5)

        probe = asyncio.create_task(prober())
        await asyncio.gather(*(uploader() for _ in range(concurrency)))
        await probe
    results.duration_s = time.perf_counter() - started
    return results


def format_report(summary: dict) -> str:
    lines = [
        f"{summary['requests_served']} uploads in {summary['duration_s']}s with {summary['concurrency']} concurrent clients "
        f"({summary['requests_per_s']} req/s, {summary['rows_per_s']} rows/s)",
        f"errors: {summary['errors']} (rate {summary['error_rate']:.2%})",
        f"latency ms: p50 {summary['latency_ms']['p50']}, p99 {summary['latency_ms']['p99']}, max {summary['latency_ms']['max']}",
    ]
    for n, p in summary["latency_ms_by_rows"].items():
        lines.append(f"  {n:>5} rows x {p['count']:<4} p50 {p['p50']:>8} ms   p99 {p['p99']:>8} ms")
    h = summary["health_ms"]
    lines.append(f"/health under load ({h['count']} probes, {h['errors']} errors): p50 {h['p50']} ms, p99 {h['p99']} ms, max {h['max']} ms")
    lines += [f"  error: {e}" for e in summary["error_examples"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", help="a running server (default: start uvicorn server:app on a free loopback port)")
    p.add_argument("--api-key", default="", help="sent as X-API-Key")
    p.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    p.add_argument("--concurrency", type=int, default=8, help="uploads in flight at once (default 8)")
    p.add_argument("--max-requests", type=int, default=5000, help="stop after this many uploads (default 5000)")
    p.add_argument("--sizes", default=",".join(map(str, SIZES)), help="rows per upload to draw from (default %(default)s)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = p.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))

    with ExitStack() as stack:
        url = args.url
        if not url:
            from tests.uvicorn_server import run_uvicorn

            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="logclf-load-")))
            print("starting uvicorn server:app (loads the models)...", file=sys.stderr)
            server = stack.enter_context(run_uvicorn(work / "uvicorn.log", LLM_CACHE_PATH=str(work / "cache.sqlite3")))
            url = server.url
        results = asyncio.run(run_load(url.rstrip("/"), args.duration, args.concurrency, args.max_requests, args.api_key, args.seed, sizes))
    summary = results.summary()
    print(json.dumps(summary, indent=2) if args.json else format_report(summary))
    return 0 if summary["errors"] == 0 and summary["requests_served"] > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
