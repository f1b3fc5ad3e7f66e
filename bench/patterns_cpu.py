"""The patterns table's share of a CLI run's CPU, measured inside one run (issue 30's 5% budget).

`python -m bench.patterns_cpu FILE` classifies FILE with the real CLI (`--no-llm --patterns`, cold
embeddings) and times, in CPU seconds of the calling thread, every call into the table (counting each
chunk, the merge across sources, the CSV, the summary), against the CPU of the whole run (this process
and its prepare-ahead worker). A/B runs of the CLI with and without the table (`bench.run
--patterns-only`) measure the same thing, but on a shared 2-core host two identical runs differ by
more than the budget; thread CPU is not charged for what other processes do.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import logclf.patterns as patterns

TIMED = ("add", "_list", "write_csv", "summary_text")  # every PatternTable method a CLI run calls


def _timed(fn, spent: list[float]):
    def wrap(*args, **kwargs):
        started = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[0] += time.thread_time() - started

    return wrap


def measure(path: Path) -> dict:
    from logclf.cli import classify_main

    spent = [0.0]
    originals = {name: getattr(patterns.PatternTable, name) for name in TIMED}
    for name, fn in originals.items():
        setattr(patterns.PatternTable, name, _timed(fn, spent))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            argv = [str(path), "-o", f"{tmp}/out.csv", "--no-llm", "-q", "--patterns", f"{tmp}/patterns.csv"]
            own, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
            code = classify_main(argv)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            run_cpu = time.process_time() - own + (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
            with open(f"{tmp}/patterns.csv", encoding="utf-8") as f:
                lines = sum(1 for _ in f) - 1
    finally:
        for name, fn in originals.items():
            setattr(patterns.PatternTable, name, fn)
    return {
        "exit_status": code,
        "table_cpu_seconds": round(spent[0], 6),  # a small file spends well under a millisecond in the table
        "run_cpu_seconds": round(run_cpu, 2),
        "table_share": round(spent[0] / run_cpu, 4),
        "patterns_written": lines,
    }


if __name__ == "__main__":  # the prepare-ahead worker re-imports this module: run only in the parent
    if len(sys.argv) != 2:
        print("usage: python -m bench.patterns_cpu FILE", file=sys.stderr)
        sys.exit(2)
    print(json.dumps(measure(Path(sys.argv[1])), indent=2))
