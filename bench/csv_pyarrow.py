"""pyarrow's multi-threaded CSV reader and writer against today's chunked CSV I/O (logclf/csv_io.py), issue 28.

    python -m bench.csv_pyarrow [CSV]      # default: 200k rows of the repetitive workload

Reads the file both ways (every cell as text), checks the rows come back identical and in order, then writes
them back both ways with a label column and compares bytes. Prints seconds for each, best of 3, in one process.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

from bench import workloads

ROOT = Path(__file__).resolve().parent.parent


def ours_read(path: Path) -> list[list[str]]:
    from logclf.csv_io import CsvReader

    with open(path, "rb") as f:
        reader = CsvReader(f)
        rows = [reader.header]
        for chunk in reader.chunks():
            rows.extend(chunk)
    return rows


def arrow_read(path: Path) -> list[list[str]]:
    import pyarrow as pa
    from pyarrow import csv as pacsv

    first = path.open(encoding="utf-8").readline().rstrip("\r\n").split(",")
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(use_threads=True),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(first, pa.string()), strings_can_be_null=False),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
    )
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return [table.column_names] + [list(r) for r in zip(*columns, strict=True)]


def ours_write(rows: list[list[str]]) -> bytes:
    from logclf.csv_io import CsvWriter

    out = io.StringIO()
    writer = CsvWriter(out, ",")
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def arrow_write(rows: list[list[str]]) -> bytes:
    import pyarrow as pa
    from pyarrow import csv as pacsv

    header, body = rows[0], rows[1:]
    table = pa.table({name: [r[i] for r in body] for i, name in enumerate(header)})
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(quoting_style="needed"))
    return sink.getvalue()


def best(fn, *args, passes: int = 3):
    times, result = [], None
    for _ in range(passes):
        started = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - started)
    return min(times), result


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else workloads.write_csv(ROOT / "bench" / "work" / "repetitive_200000.csv", 200_000, 2000, 7)
    t_ours, rows = best(ours_read, path)
    t_arrow, arrow_rows = best(arrow_read, path)
    labelled = [rows[0] + ["target_label"]] + [r + ["System Notification"] for r in rows[1:]]
    w_ours, out_ours = best(ours_write, labelled)
    w_arrow, out_arrow = best(arrow_write, labelled)
    print(f"{len(rows) - 1:,} rows from {path}")
    print(f"read:  csv_io {t_ours:.2f} s, pyarrow {t_arrow:.2f} s; same rows in order: {rows == arrow_rows}")
    same_body = out_ours.split(b"\n", 1)[1] == out_arrow.split(b"\n", 1)[1]
    print(
        f"write: csv_io {w_ours:.2f} s, pyarrow {w_arrow:.2f} s; same bytes: {out_ours == out_arrow}, same rows after the header: {same_body}"
    )
    if out_ours != out_arrow:
        a, b = out_ours.splitlines(), out_arrow.splitlines()
        diff = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        print(f"  first difference, line {diff + 1}:\n  csv_io : {a[diff][:160]!r}\n  pyarrow: {b[diff][:160]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
