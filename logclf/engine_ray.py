"""Classify many log files on a Ray cluster (or a local Ray instance) with the local engine's cascade.

    from engine_ray import classify_with_ray
    report = classify_with_ray(["logs/a.csv", "logs/auth.log.gz"], "out/")   # -> out/a_classified.csv, ...

Every format the local engine reads is read here, by the same readers (`logclf.formats.open_input`):
CSV/TSV, plain log lines (header parsed off), JSON Lines, each optionally gzipped. Output is CSV
(`<stem>_classified.csv`), except JSON Lines in, JSON Lines out (`<stem>_classified.jsonl`).

The pipeline is read -> map_batches -> write, all Ray Data:

- read: one read task per file parses it with the local engine's own reader, so cells are exactly
  the local engine's (text, never type-inferred: `007` stays `007`, empty stays empty, same dialect
  detection; a JSON object's text as it came). Each row carries its file number and row number;
- map: a pool of `_CascadeActor`s, each loading the models once (`Cascade.from_settings`), adds
  `target_label` (and the `--explain` columns) with the same cascade as the local engine;
- write: write tasks put each contiguous run of rows in a part file; when every task is done, the
  driver stitches the parts of each input, in row order, into `<out_dir>/<stem>_classified.csv`.

Order guarantee: output rows are in input order. Ray Data does not promise block order between
operators, so we do not rely on it: the stitcher sorts runs by row number and checks that they
tile the file exactly (first row 0, no gap, no overlap, ending on the file's last row); if not, it
raises instead of writing a wrong file. Outputs are all-or-nothing: nothing is written to
`out_dir` unless every file was classified.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import ray
from ray.data import Datasink, Datasource, ReadTask
from ray.data.block import Block, BlockAccessor, BlockMetadata

from logclf.csv_io import CsvLayout, CsvWriter, create_partial_output, make_writer
from logclf.errors import UserError
from logclf.formats import JsonlReader, jsonl_body, jsonl_with, open_input, split_name
from logclf.llm.shared import SharedStateLost
from logclf.multiline import classifier_messages
from logclf.ray_shared import Participant, start_coordinator
from logclf.settings import Settings
from logclf.stream import EXPLAIN_COLUMNS, RunSummary, explain_cells, level_column, renamed_input_columns

# Read and write tasks are light (CSV parsing, file appends); a quarter CPU each means they are
# always schedulable next to the actors. A pool that takes every CPU starves them and hangs.
IO_TASK_CPUS = 0.25
IO_RESERVE_CPUS = 2 * IO_TASK_CPUS  # the automatic plan leaves one read and one write task room on every node
ACTOR_MEMORY_BYTES = 1_000_000_000  # one actor's models and caches, resident (~0.9 GB): the plan never overfills a node
_CPU_STEP = 0.05  # automatic CPU shares are rounded down to this
log = logging.getLogger("logclf.ray")
_FORWARDED_ENV = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "TOKENIZERS_PARALLELISM", "HF_HOME")


@dataclass(frozen=True)
class ReadOptions:
    """How every input is read: the CLI's --format, --encoding, --source, --message-field, --source-field, --log-format."""

    fmt: str | None = None  # None: by each file's extension
    encoding: str | None = None
    source: str | None = None  # None: each file's stem
    message_field: str | None = None
    source_field: str | None = None
    log_format: str | None = None  # LogPAI notation, for the plain-lines files among the inputs
    multiline: str = "auto"  # plain lines: stack traces are one record, so one row of one block

    def open(self, stream, path: str, chunk_rows: int):
        return open_input(
            stream,
            path,
            fmt=self.fmt,
            encoding=self.encoding,
            chunk_rows=chunk_rows,
            source=self.source,
            message_field=self.message_field,
            source_field=self.source_field,
            log_format=self.log_format if (self.fmt or split_name(path)[1]) == "lines" else None,
            multiline=self.multiline,
        )


@dataclass(frozen=True)
class InputFile:
    """One input file, checked on the driver before any Ray work starts."""

    index: int
    path: str
    layout: CsvLayout | None  # tabular input (CSV, plain lines): header and dialect; None for JSON Lines
    has_rows: bool
    output_name: str

    @property
    def jsonl(self) -> bool:
        return self.layout is None


@dataclass(frozen=True)
class ActorPlan:
    """How many cascade actors each node gets, and the CPU share each actor reserves (one share for all: Ray Data's pool)."""

    node_cpus: tuple[float, ...]
    per_node: tuple[int, ...]
    cpus_per_actor: float
    auto: bool

    @property
    def actors(self) -> int:
        return sum(self.per_node)

    def text(self) -> str:
        nodes = ", ".join(f"{c:g}" for c in self.node_cpus)
        split = " + ".join(map(str, self.per_node))
        how = "sized from the cluster" if self.auto else "from RAY_NUM_ACTORS / RAY_CPUS_PER_ACTOR"
        return f"{len(self.node_cpus)} node(s) ({nodes} CPUs): {self.actors} actor(s) ({split}) x {self.cpus_per_actor:g} CPU, {how}"


@dataclass
class RayReport:
    """What `classify_with_ray` wrote, plus the same counts the local engine reports."""

    outputs: list[Path]
    summary: RunSummary
    actors: int
    plan: ActorPlan | None = None
    shared: dict[str, int] = field(default_factory=dict)  # the coordinator's counts (requests granted, pauses, answers)


@dataclass(frozen=True)
class _Run:
    """A contiguous range of rows [start, stop) of one input file, written to one part file."""

    file: int
    start: int
    stop: int
    ends_file: bool
    part: str
    by_label: Counter = field(default_factory=Counter)
    by_tier: Counter = field(default_factory=Counter)


def expand_inputs(patterns: Sequence[str]) -> list[str]:
    """File paths from paths and glob patterns (quoted `'logs/*.csv'` works like the shell's)."""
    paths: list[str] = []
    for pattern in patterns:
        if glob.has_magic(pattern):
            matches = sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
            if not matches:
                raise UserError(f"no file matches {pattern}")
            paths.extend(matches)
        else:
            paths.append(pattern)
    if not paths:
        raise UserError("no input files")
    return list(dict.fromkeys(paths))


def inspect_inputs(paths: Sequence[str], options: ReadOptions | None = None) -> list[InputFile]:
    """Check every header (and output name) on the driver: bad input fails before Ray starts."""
    options = options or ReadOptions()
    files: list[InputFile] = []
    names: dict[str, str] = {}
    for index, path in enumerate(paths):
        if path == "-":
            raise UserError("the ray engine reads files, not stdin; use --engine local for -")
        try:
            with open(path, "rb") as stream:
                reader = options.open(stream, path, chunk_rows=1)
                has_rows = next(reader.chunks(), None) is not None
        except OSError as exc:
            raise UserError(f"cannot read {path}: {exc.strerror}") from None
        except UserError as exc:
            raise UserError(f"{path}: {exc}", http_status=exc.http_status) from None
        layout = None if isinstance(reader, JsonlReader) else reader.layout
        name = f"{split_name(path)[0]}_classified.{'jsonl' if layout is None else 'csv'}"
        if name in names:
            raise UserError(f"{names[name]} and {path} would both be written to {name}; rename one of them")
        names[name] = path
        files.append(InputFile(index, path, layout, has_rows, name))
    return files


def connect(address: str | None = None, *, num_cpus: int | None = None, quiet: bool = False) -> None:
    """Join the cluster at `address` (or `RAY_ADDRESS`), or start a local Ray; no-op if connected.

    Workers import the project like the driver does, from the installed package (`pip install -e .`):
    on a cluster, every node must have the repository (with models/) and the virtualenv at the same path.
    """
    if ray.is_initialized():
        return
    env = {name: os.environ[name] for name in _FORWARDED_ENV if name in os.environ}
    ray.init(
        address=address or None,
        num_cpus=num_cpus,
        include_dashboard=False,
        runtime_env={"env_vars": env},
        log_to_driver=not quiet,
        logging_level="ERROR" if quiet else "WARNING",
    )


def classify_with_ray(
    inputs: Sequence[str],
    out_dir: str | Path,
    *,
    settings: Settings | None = None,
    explain: bool = False,
    options: ReadOptions | None = None,
    address: str | None = None,
    num_actors: int | None = None,
    quiet: bool = True,
) -> RayReport:
    """Classify every input into `out_dir/<stem>_classified.csv` (`.jsonl` for JSON Lines), in input row order.

    `inputs` are paths or glob patterns; `options` say how to read them (default: by extension). Settings default to `Settings.from_env()`;
    `num_actors` (actors per node) overrides `settings.ray_num_actors`; 0 for both sizes the pool from the
    cluster (`plan_actors`). Connects with `connect` unless Ray is already initialised (then the caller's
    session is used and left running). With the LLM tier on, one coordinator actor holds the job's LLM
    budget and answers (`logclf.ray_shared`); if it dies, the job raises `SharedStateLost` and writes nothing.
    """
    started = time.perf_counter()
    settings = settings or Settings.from_env()
    actors_per_node = num_actors or settings.ray_num_actors
    options = options or ReadOptions()
    files = inspect_inputs(expand_inputs(inputs), options)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    connect(address, quiet=quiet)
    plan = plan_actors(_cluster_nodes(), actors_per_node, settings.ray_cpus_per_actor)
    log.info("ray plan: %s", plan.text())
    if not quiet:
        print(f"ray plan: {plan.text()}", file=sys.stderr, flush=True)

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = not quiet
    logging.getLogger("ray.data").setLevel(logging.ERROR if quiet else logging.INFO)  # quiet: not even "bars disabled"
    staging = out / f".parts-{uuid.uuid4().hex}"
    staging.mkdir()
    output_columns = ["target_label"] + (EXPLAIN_COLUMNS if explain else [])
    sink = _PartsDatasink(files, str(staging), output_columns)
    coordinator = start_coordinator(settings, plan.actors, reads=len(files)) if settings.llm_configured else None
    shared: dict[str, int] = {}
    try:
        data = ray.data.read_datasource(
            _FilesDatasource(files, options, settings.ray_batch_size, output_columns, coordinator),
            num_cpus=IO_TASK_CPUS,
            override_num_blocks=len(files),
        )
        classified = data.map_batches(
            _CascadeActor,
            fn_constructor_kwargs={"settings": settings, "explain": explain, "coordinator": coordinator},
            batch_size=settings.ray_batch_size,
            batch_format="pyarrow",
            # fixed size: every actor loads the model once. One block in flight per actor: a block never queues
            # behind an actor waiting on the job's LLM batch while another actor is idle (ray_shared.py).
            compute=ray.data.ActorPoolStrategy(size=plan.actors, max_tasks_in_flight_per_actor=1),
            num_cpus=plan.cpus_per_actor,  # Ray Data spreads actors over nodes by default
        )
        classified.write_datasink(sink, ray_remote_args={"num_cpus": IO_TASK_CPUS})
        if coordinator is not None:
            shared = ray.get(coordinator.counts.remote())
        outputs = _stitch(files, sink.runs, out, output_columns)
    except Exception as exc:
        input_error = _find_cause(exc, UserError)
        if input_error is not None:
            raise UserError(str(input_error), http_status=input_error.http_status) from None
        if coordinator is not None and (_find_cause(exc, SharedStateLost) is not None or not _alive(coordinator)):
            raise SharedStateLost(
                "the Ray job failed: its LLM coordinator (shared budget and answers) or a node running it was lost; no output was written"
            ) from None
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if coordinator is not None:
            ray.kill(coordinator)

    summary = RunSummary(seconds=time.perf_counter() - started)
    for run in sink.runs:
        summary.rows += run.stop - run.start
        summary.by_label.update(run.by_label)
        summary.by_tier.update(run.by_tier)
    return RayReport(outputs=outputs, summary=summary, actors=plan.actors, plan=plan, shared=shared)


def _cluster_nodes() -> list[tuple[float, float]]:
    """(CPUs, memory bytes) of every live node with CPUs."""
    nodes = [(n["Resources"].get("CPU", 0.0), n["Resources"].get("memory", 0.0)) for n in ray.nodes() if n.get("Alive")]
    return [(cpus, memory) for cpus, memory in nodes if cpus > 0]


def plan_actors(nodes: Sequence[tuple[float, float]], actors_per_node: int = 0, cpus_per_actor: float = 0.0) -> ActorPlan:
    """The actor pool for nodes of (CPUs, memory bytes). 0 means automatic, for either setting; a set value wins.

    Automatic: one actor per whole CPU of a node (at least one, at most what its memory holds), each with
    the largest share that leaves `IO_RESERVE_CPUS` free on every node: 1 CPU -> 1 x 0.5; 2 -> 2 x 0.75;
    a 1- and a 2-CPU node -> 3 x 0.5 (Ray Data gives every actor of a pool the same share).
    Both set: the old rule (actors x share + one I/O task must fit the smallest node), else refused.
    """
    if actors_per_node < 0 or cpus_per_actor < 0:
        raise UserError("RAY_NUM_ACTORS and RAY_CPUS_PER_ACTOR must be 0 (automatic) or above")
    if not nodes:
        raise UserError("the Ray cluster has no node with CPUs")
    cpus = tuple(c for c, _ in nodes)
    if actors_per_node and cpus_per_actor:
        needed = actors_per_node * cpus_per_actor + IO_TASK_CPUS
        if needed > min(cpus):
            raise UserError(
                f"RAY_NUM_ACTORS={actors_per_node} x RAY_CPUS_PER_ACTOR={cpus_per_actor:g} leaves no CPU for read and write "
                f"tasks on a {min(cpus):g}-CPU node; lower one of them, or set both to 0 to size the pool from the cluster"
            )
        return ActorPlan(cpus, (actors_per_node,) * len(cpus), cpus_per_actor, auto=False)

    room = [c - IO_RESERVE_CPUS for c in cpus]
    if cpus_per_actor:  # the share is given: as many actors per node as fit, up to one per CPU and the memory
        per_node = [
            max(0, min(int(r / cpus_per_actor + 1e-9), max(1, int(c)), _memory_fits(m))) for r, (c, m) in zip(room, nodes, strict=True)
        ]
        share = cpus_per_actor
    else:
        if actors_per_node:
            per_node = [actors_per_node if r >= _CPU_STEP * actors_per_node else 0 for r in room]
        else:
            per_node = [min(max(1, int(c)), _memory_fits(m)) if r >= _CPU_STEP else 0 for r, (c, m) in zip(room, nodes, strict=True)]
        shares = [r / n for r, n in zip(room, per_node, strict=True) if n]
        share = int(min(shares) / _CPU_STEP + 1e-9) * _CPU_STEP if shares else 0.0
        share = round(min(share, 1.0), 2)
    if not sum(per_node) or share <= 0:
        raise UserError(
            f"no node of this cluster ({', '.join(f'{c:g}' for c in cpus)} CPUs) has room for an actor next to the "
            f"read and write tasks ({IO_RESERVE_CPUS:g} CPU); lower RAY_CPUS_PER_ACTOR or add a node"
        )
    return ActorPlan(cpus, tuple(per_node), share, auto=True)


def _memory_fits(memory: float) -> int:
    """Actors a node's memory holds; a node that reports none (some Ray set-ups) is not limited by it."""
    return int(memory // ACTOR_MEMORY_BYTES) if memory > 0 else 1_000_000


def _alive(actor) -> bool:
    """Whether an actor still answers (Ray does not always keep a remote error's cause, so we ask it)."""
    try:
        ray.get(actor.__ray_ready__.remote(), timeout=30)
    except (ray.exceptions.RayActorError, ray.exceptions.ActorUnavailableError):
        return False
    except ray.exceptions.GetTimeoutError:
        return True
    return True


def _find_cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """The first `kind` in an exception chain (Ray wraps task errors, sometimes twice)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        # Ray's task errors keep the remote exception in `.cause` (a UDF's error sits one level further down)
        current = current.__cause__ or getattr(current, "cause", None) or current.__context__
    return None


# ---------------------------------------------------------------------------- read


def _read_file(file: InputFile, options: ReadOptions, block_rows: int, added: list[str], coordinator=None) -> Iterator[pa.Table]:
    """Blocks of one file, in order, each row tagged with (file, row); the last block is marked. The job's
    coordinator, if any, hears of every block before it leaves, and of the end of the file (fire and forget)."""
    try:
        with open(file.path, "rb") as stream:
            reader = options.open(stream, file.path, chunk_rows=block_rows)
            start, pending = 0, None
            warned: set[str] = set()  # input keys renamed so far (JSON Lines): each is said once per file
            for records in reader.chunks():  # one chunk of look-ahead, to know which block is last
                if pending is not None:
                    yield _reported(_rows_block(file, start, pending, added, warned, last=False), file, start, coordinator)
                    start += len(pending)
                pending = records
            if pending is not None:
                yield _reported(_rows_block(file, start, pending, added, warned, last=True), file, start, coordinator)
        if coordinator is not None:
            coordinator.file_read.remote(file.index)
    except UserError as exc:
        raise UserError(f"{file.path}: {exc}", http_status=exc.http_status) from None


def _reported(block: pa.Table, file: InputFile, start: int, coordinator) -> pa.Table:
    if coordinator is not None:
        coordinator.rows_read.remote(file.index, start, block.num_rows)
    return block


def _rows_block(file: InputFile, start: int, records: list, added: list[str], warned: set[str], *, last: bool) -> pa.Table:
    """Rows of a tabular file keep their cells; a JSON object keeps its text (one cell, see `jsonl_body`)."""
    n = len(records)
    if file.jsonl:
        sources, messages = [r.source for r in records], [r.message for r in records]
        levels = [r.level for r in records]
        cells = [[jsonl_body(r, added, warned)] for r in records]
    else:
        layout = file.layout
        sources, messages = [r[layout.source_idx] for r in records], [r[layout.message_idx] for r in records]
        at = level_column(layout.header)
        levels = [None if at is None else r[at] for r in records]
        cells = records
    return pa.table(
        {
            "file": pa.array([file.index] * n, pa.int32()),
            "row": pa.array(range(start, start + n), pa.int64()),
            "ends_file": pa.array([False] * (n - 1) + [last], pa.bool_()),
            "source": pa.array(sources, pa.string()),
            "log_message": pa.array(messages, pa.string()),
            "level": pa.array(levels, pa.string()),  # evidence for the ML tier (logclf/levels.py); not written out
            "cells": pa.array(cells, pa.list_(pa.string())),
        }
    )


class _FilesDatasource(Datasource):
    """One read task per file: a CSV (or a gzip stream) cannot be split without reading it, and the task streams."""

    def __init__(self, files: list[InputFile], options: ReadOptions, block_rows: int, added: list[str], coordinator=None):
        super().__init__()
        self._files, self._options, self._block_rows, self._added = files, options, block_rows, added
        self._coordinator = coordinator

    def estimate_inmemory_data_size(self) -> int | None:
        return sum(os.path.getsize(f.path) for f in self._files) * 2  # cells + source/message copies

    def get_read_tasks(self, parallelism: int, per_task_row_limit: int | None = None, data_context=None) -> list[ReadTask]:
        options, block_rows, added, coordinator = self._options, self._block_rows, self._added, self._coordinator
        return [
            ReadTask(
                lambda file=file: _read_file(file, options, block_rows, added, coordinator),
                BlockMetadata(num_rows=None, size_bytes=os.path.getsize(file.path), input_files=[file.path], exec_stats=None),
            )
            for file in self._files
        ]


# ---------------------------------------------------------------------------- classify


class _CascadeActor:
    """Holds one Cascade (models loaded once per actor); classifies a batch of rows."""

    def __init__(self, settings: Settings, explain: bool, coordinator=None):
        from logclf.cascade import Cascade  # torch + sentence-transformers: loaded in the actor, not the driver

        # With a coordinator, the LLM tier's budget and answers are the job's, not this actor's.
        self.shared = Participant(coordinator) if coordinator is not None else None
        self.cascade = Cascade.from_settings(settings, **(self.shared.collaborators() if self.shared else {}))
        self.explain, self.max_line_chars = explain, settings.max_line_chars

    def __call__(self, batch: pa.Table) -> pa.Table:
        messages = classifier_messages(batch.column("log_message").to_pylist(), self.max_line_chars)  # as the local engine reads them
        levels = batch.column("level").to_pylist()
        levels = levels if any(levels) else None
        if self.shared is None:
            decisions = self.cascade.classify(batch.column("source").to_pylist(), messages, levels=levels)
        else:
            self.shared.begin(batch.num_rows)  # this actor may add templates to the job's partial LLM batch until `end`
            try:
                decisions = self.cascade.classify(batch.column("source").to_pylist(), messages, levels=levels)
            finally:
                self.shared.end()
        batch = batch.drop_columns(["source", "log_message", "level"])
        batch = batch.append_column("target_label", pa.array([d.label for d in decisions], pa.string()))
        # classified_by is always kept (the summary counts it); confidence and reason only with --explain
        columns = zip(*map(explain_cells, decisions), strict=True) if decisions else [[], [], []]
        for name, cells in zip(EXPLAIN_COLUMNS if self.explain else EXPLAIN_COLUMNS[:1], columns, strict=False):
            batch = batch.append_column(name, pa.array(list(cells), pa.string()))
        return batch

    def __del__(self) -> None:
        cascade = getattr(self, "cascade", None)
        if cascade is not None:
            cascade.close()


# ---------------------------------------------------------------------------- write


class _PartsDatasink(Datasink):
    """Write tasks write runs of consecutive rows to part files; the driver keeps their list."""

    def __init__(self, files: list[InputFile], staging: str, output_columns: list[str]):
        self._delimiters = {f.index: None if f.jsonl else f.layout.delimiter for f in files}
        self._staging = staging
        self._output_columns = output_columns
        self.runs: list[_Run] = []

    def write(self, blocks: Iterable[Block], ctx) -> list[_Run]:
        runs: list[_Run] = []
        for block in blocks:
            table = BlockAccessor.for_block(block).to_arrow()
            if table.num_rows:
                runs.extend(self._write_runs(table.sort_by([("file", "ascending"), ("row", "ascending")])))
        return runs

    def _write_runs(self, table: pa.Table) -> Iterator[_Run]:
        file_ids, row_ids = table.column("file").to_pylist(), table.column("row").to_pylist()
        ends, tiers = table.column("ends_file").to_pylist(), table.column("classified_by").to_pylist()
        cells = table.column("cells").to_pylist()
        extra = [table.column(name).to_pylist() for name in self._output_columns]
        begin = 0
        for i in range(1, len(row_ids) + 1):
            if i < len(row_ids) and file_ids[i] == file_ids[begin] and row_ids[i] == row_ids[i - 1] + 1:
                continue
            file, start = file_ids[begin], row_ids[begin]
            # Deterministic name: a retried task overwrites its own parts instead of adding some.
            part = os.path.join(self._staging, f"{file:06d}-{start:012d}.part")
            with open(part + ".tmp", "w", encoding="utf-8", newline="") as out:
                if self._delimiters[file] is None:  # JSON Lines: the object with the new fields appended
                    out.writelines(jsonl_with(cells[k][0], self._json_fields(extra, k)) + "\n" for k in range(begin, i))
                else:
                    writer = CsvWriter(out, self._delimiters[file])  # the local engine's writer: same quoting
                    writer.writerows(cells[k] + [column[k] for column in extra] for k in range(begin, i))
            os.replace(part + ".tmp", part)
            yield _Run(
                file=file,
                start=start,
                stop=row_ids[i - 1] + 1,
                ends_file=ends[i - 1],
                part=part,
                by_label=Counter(extra[0][begin:i]),
                by_tier=Counter(tiers[begin:i]),
            )
            begin = i

    def _json_fields(self, extra: list[list[str]], k: int) -> dict:
        """The added fields of row k as the local JSON Lines writer has them (confidence a number or null)."""
        fields = {name: column[k] for name, column in zip(self._output_columns, extra, strict=True)}
        if "confidence" in fields:
            fields["confidence"] = float(fields["confidence"]) if fields["confidence"] else None
        return fields

    def on_write_complete(self, write_result) -> None:
        self.runs = [run for runs in write_result.write_returns for run in runs]


def _stitch(files: list[InputFile], runs: list[_Run], out_dir: Path, output_columns: list[str]) -> list[Path]:
    """Check that each file's runs tile it in order, then concatenate them behind its header."""
    by_file: dict[int, list[_Run]] = {f.index: [] for f in files}
    for run in runs:
        by_file[run.file].append(run)
    for file in files:
        ordered = sorted(by_file[file.index], key=lambda r: r.start)
        expected = 0
        for run in ordered:
            if run.start != expected:
                raise RuntimeError(f"{file.path}: rows {expected}..{run.start - 1} are missing or duplicated in the Ray output")
            expected = run.stop
        if file.has_rows != bool(ordered) or (ordered and not ordered[-1].ends_file):
            raise RuntimeError(f"{file.path}: the Ray output stops at row {expected}, before the end of the file")
        by_file[file.index] = ordered

    written: list[tuple[str, Path]] = []
    try:
        for file in files:
            target = out_dir / file.output_name
            fd, tmp = create_partial_output(target)
            written.append((tmp, target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                if not file.jsonl:  # never two columns of one name: the input's own are renamed, as locally
                    make_writer(out, file.layout).writerow(renamed_input_columns(file.layout.header, output_columns) + output_columns)
                for run in by_file[file.index]:
                    with open(run.part, encoding="utf-8", newline="") as part:
                        shutil.copyfileobj(part, out)
        for tmp, target in written:  # rename only once every file is complete
            os.replace(tmp, target)
    finally:
        for tmp, _ in written:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return [target for _, target in written]
