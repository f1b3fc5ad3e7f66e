"""The Ray engine against the local engine: same cells, same labels, same order, file by file.

One local Ray instance (2 CPUs, no dashboard) serves the whole module; the actors load the real
model and call a real loopback Groq-compatible server, like the local engine does.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import ray

from logclf import engine_ray
from logclf.csv_io import CsvReader
from logclf.errors import UserError
from logclf.formats import classify_any, open_input
from logclf.stream import classify_csv
from training.generate_dataset import generate

pytestmark = pytest.mark.slow  # runs the CLI, a server or the model

ROOT = Path(__file__).resolve().parent.parent

# Cells the local engine keeps exactly as written; each must survive the Ray round trip.
TRICKY_MESSAGES = [
    "",
    "   ",
    'Disk usage at 91%, threshold "90%", node db-07',
    "Backup completed successfully.\nsecond line of the same cell",
    "=SUM(A1:A9) looks like a formula",
    "café crème: naïve ünïcödé line ✓",
    "007",
    "before\rafter: a bare carriage return inside a cell",
]


@pytest.fixture(scope="module")
def ray_session():
    engine_ray.connect(num_cpus=2, quiet=True)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def ray_settings(base_settings, groq, tmp_path_factory):
    """The LLM tier on (loopback server), two actors sharing 2 CPUs, small blocks so rows interleave."""
    return base_settings.with_(
        groq_api_key="test-key",
        groq_base_url=groq.base_url,
        llm_requests_per_minute=100_000,
        llm_tokens_per_minute=10_000_000,
        llm_cache_path=tmp_path_factory.mktemp("ray-llm") / "cache.sqlite3",
        ray_num_actors=2,
        ray_cpus_per_actor=0.5,
        ray_batch_size=150,
    )


def _sample_rows(n: int, seed: int) -> list[dict[str, str]]:
    """`n` rows drawn from a pool of 300 generated ones (few templates: the model work stays small)."""
    pool = generate(300, seed)
    rng = random.Random(seed)
    rows = [dict(rng.choice(pool)) for _ in range(n)]
    for i, message in enumerate(TRICKY_MESSAGES):
        rows[(i * 97 + 13) % n]["log_message"] = message
    return rows


def _write(path: Path, header: list[str], rows: list[list[str]], *, delimiter: str = ",", newline: str = "\n", bom: bool = False) -> None:
    buffer = io.StringIO()
    # Rows with a bare \r are quoted whole: Python's writer quotes only its own line terminator.
    minimal = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    quoted = csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_ALL)
    for row in [header, *rows]:
        (quoted if any("\r" in cell for cell in row) else minimal).writerow(row)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Four files in different dialects: 1,800 + 1,200 + 600 + 0 rows."""
    logs = tmp_path_factory.mktemp("logs")
    a = _sample_rows(1800, seed=11)
    _write(
        logs / "app-a.csv",
        ["id", "source", "log_message", "note"],
        [[f"{i:03d}", r["source"], r["log_message"], "" if i % 3 else "x,y"] for i, r in enumerate(a)],
    )
    b = _sample_rows(1200, seed=12)
    _write(logs / "app-b.csv", ["log_message", "source"], [[r["log_message"], r["source"]] for r in b], delimiter=";")
    c = _sample_rows(600, seed=13)
    _write(
        logs / "app-c.csv",
        ["source", "log_message", "when"],
        [[r["source"], r["log_message"], r["timestamp"]] for r in c],
        newline="\r\n",
        bom=True,
    )
    _write(logs / "app-d.csv", ["source", "log_message"], [])
    return logs


def _local_output(path: Path, settings, bundle, embedder, explain: bool) -> str:
    from logclf.cascade import Cascade

    cascade = Cascade.from_settings(settings, bundle=bundle, embedder=embedder)
    try:
        with open(path, "rb") as stream:
            out = io.StringIO(newline="")
            classify_csv(CsvReader(stream), out, cascade, explain=explain)
    finally:
        cascade.close()
    return out.getvalue()


@pytest.fixture(scope="module")
def ray_run(ray_session, archive, ray_settings, tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("ray-out") / "classified"
    report = engine_ray.classify_with_ray([str(archive / "app-*.csv")], out_dir, settings=ray_settings, explain=True)
    return report, out_dir


def same_but_last_digit_of_confidence(got: str, expected: str) -> bool:
    """Byte-equal, except a confidence may differ by 0.0001: ONNX batches lines by token count, and an
    actor's chunk makes other batches than the local run's, which moves float32 sums in the last place."""
    if got == expected:
        return True
    got_rows, expected_rows = list(csv.reader(io.StringIO(got))), list(csv.reader(io.StringIO(expected)))
    if len(got_rows) != len(expected_rows) or got.count("\n") != expected.count("\n"):
        return False
    column = expected_rows[0].index("confidence")
    for g, e in zip(got_rows, expected_rows, strict=True):
        if g[:column] + g[column + 1 :] != e[:column] + e[column + 1 :]:
            return False
        if g[column] != e[column] and abs(float(g[column] or 0) - float(e[column] or 0)) > 0.00011:
            return False
    return True


@pytest.mark.slow
def test_ray_output_equals_local_engine(ray_run, archive, ray_settings, bundle, embedder, groq, tmp_path):
    report, out_dir = ray_run
    assert report.actors == 2
    assert sorted(p.name for p in out_dir.iterdir()) == [f"app-{k}_classified.csv" for k in "abcd"]  # no parts left behind
    local_settings = ray_settings.with_(llm_cache_path=tmp_path / "local-cache.sqlite3")  # the local run asks the LLM itself
    for name in "abcd":
        expected = _local_output(archive / f"app-{name}.csv", local_settings, bundle, embedder, explain=True)
        got = (out_dir / f"app-{name}_classified.csv").read_bytes().decode("utf-8")  # no newline translation
        assert same_but_last_digit_of_confidence(got, expected), f"app-{name}"
    assert report.summary.by_tier["llm"] > 0 and report.summary.by_tier["bert"] > 0 and report.summary.by_tier["regex"] > 0


@pytest.mark.slow
def test_every_row_lands_in_its_file_in_input_order(ray_run, archive):
    """Independent of the local engine: the output is the input's rows, in order, plus labels."""
    report, out_dir = ray_run
    expected_rows = {"a": 1800, "b": 1200, "c": 600, "d": 0}
    for name, count in expected_rows.items():
        with open(archive / f"app-{name}.csv", "rb") as stream:
            reader = CsvReader(stream)
            source_rows = [row for chunk in reader.chunks() for row in chunk]
        text = (out_dir / f"app-{name}_classified.csv").read_bytes().decode("utf-8")
        delimiter = ";" if name == "b" else ","
        got = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        assert got[0] == reader.header + ["target_label", "classified_by", "confidence", "reason"]
        assert len(got) - 1 == len(source_rows) == count
        assert [row[: len(reader.header)] for row in got[1:]] == source_rows
    assert report.summary.rows == sum(expected_rows.values())
    first = (out_dir / "app-a_classified.csv").read_text(encoding="utf-8").splitlines()[1]
    assert first.startswith("000,")  # `007`-style cells are text, not numbers


@pytest.fixture(scope="module")
def other_formats(tmp_path_factory) -> Path:
    """A gzipped syslog file (headers to parse off) and JSON Lines with field fallbacks and an input target_label."""
    logs = tmp_path_factory.mktemp("formats")
    rows = _sample_rows(700, seed=21)
    lines = [f"Nov 24 10:{i // 60 % 60:02d}:{i % 60:02d} web01 app[{1000 + i}]: {r['log_message']}" for i, r in enumerate(rows)]
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    lines.insert(5, "a line with no header at all")
    (logs / "auth.log.gz").write_bytes(gzip.compress(("\n".join(lines) + "\n\n").encode()))
    objects = []
    for i, r in enumerate(_sample_rows(500, seed=22)):
        o = (
            {"msg": r["log_message"], "n": i}
            if i % 2
            else {"service": r["source"], "message": r["log_message"], "tags": ["a", {"b": None}]}
        )
        if i % 50 == 7:
            o["target_label"] = "checked by hand"
        objects.append(json.dumps(o, ensure_ascii=i % 3 == 0))
    (logs / "events.jsonl").write_text("\n".join(objects) + "\n", encoding="utf-8")
    return logs


def _same_json_but_last_digit_of_confidence(got: str, expected: str) -> bool:
    got_objs, expected_objs = [json.loads(x) for x in got.splitlines()], [json.loads(x) for x in expected.splitlines()]
    if len(got_objs) != len(expected_objs):
        return False
    for g, e in zip(got_objs, expected_objs, strict=True):
        gc, ec = g.pop("confidence"), e.pop("confidence")
        if g != e or list(g) != list(e) or ((gc is None) != (ec is None)) or (gc is not None and abs(gc - ec) > 0.00011):
            return False
    return True


@pytest.mark.slow
def test_ray_reads_plain_lines_gzip_and_json_lines_like_the_local_engine(
    ray_session, other_formats, ray_settings, bundle, embedder, tmp_path
):
    from logclf.cascade import Cascade

    out_dir = tmp_path / "out"
    report = engine_ray.classify_with_ray([str(other_formats / "*")], out_dir, settings=ray_settings, explain=True)
    assert sorted(p.name for p in out_dir.iterdir()) == ["auth_classified.csv", "events_classified.jsonl"]
    assert report.summary.rows == 701 + 500
    cascade = Cascade.from_settings(ray_settings.with_(llm_cache_path=tmp_path / "local.sqlite3"), bundle=bundle, embedder=embedder)
    try:
        for name, output in [("auth.log.gz", "auth_classified.csv"), ("events.jsonl", "events_classified.jsonl")]:
            with open(other_formats / name, "rb") as stream:
                expected = io.StringIO(newline="")
                classify_any(open_input(stream, name), expected, cascade, jsonl=False, explain=True)
            got = (out_dir / output).read_bytes().decode("utf-8")
            same = _same_json_but_last_digit_of_confidence if output.endswith(".jsonl") else same_but_last_digit_of_confidence
            assert same(got, expected.getvalue()), name
    finally:
        cascade.close()
    jsonl = (out_dir / "events_classified.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(jsonl[7])["target_label_input"] == "checked by hand"
    assert jsonl[1].startswith('{"msg": ') and '"n": 1, "target_label": ' in jsonl[1]  # the object's own text, fields appended
    header = (out_dir / "auth_classified.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "source,timestamp,host,level,component,log_message,target_label,classified_by,confidence,reason"


def test_stitch_refuses_a_gap_and_orders_runs(tmp_path):
    with open(ROOT / "resources" / "test.csv", "rb") as stream:
        layout = CsvReader(stream).layout
    file = engine_ray.InputFile(0, "x.csv", layout, has_rows=True, output_name="x_classified.csv")
    parts = []
    for start, stop, text in [(2, 4, "c\nd\n"), (0, 2, "a\nb\n")]:
        part = tmp_path / f"part-{start}.csv"
        part.write_text(text)
        parts.append(engine_ray._Run(file=0, start=start, stop=stop, ends_file=stop == 4, part=str(part)))
    (out := tmp_path / "out").mkdir()
    [written] = engine_ray._stitch([file], parts, out, ["target_label"])
    assert written.read_text().splitlines()[1:] == ["a", "b", "c", "d"]

    with pytest.raises(RuntimeError, match="missing"):
        engine_ray._stitch([file], parts[:1], out, ["target_label"])  # rows 0..1 lost
    with pytest.raises(RuntimeError, match="before the end"):
        engine_ray._stitch([file], parts[1:], out, ["target_label"])  # rows 2..3 lost


def test_bad_row_in_a_file_fails_the_run_and_writes_nothing(ray_session, base_settings, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    _write(good, ["source", "log_message"], [["ModernCRM", "User 1 logged in."]] * 5)
    _write(bad, ["source", "log_message"], [["ModernCRM", "User 1 logged in."]] * 400 + [["a", "b", "extra"]])
    out_dir = tmp_path / "out"
    settings = base_settings.with_(ray_batch_size=100, llm_cache_path=tmp_path / "cache.sqlite3")
    with pytest.raises(UserError, match=r"bad\.csv: line 402: 3 fields"):
        engine_ray.classify_with_ray([str(good), str(bad)], out_dir, settings=settings)
    assert list(out_dir.iterdir()) == []


def test_too_many_actors_for_the_cpus_is_refused(ray_session, base_settings, tmp_path):
    _write(tmp_path / "in.csv", ["source", "log_message"], [["ModernCRM", "User 1 logged in."]])
    settings = base_settings.with_(ray_num_actors=2, ray_cpus_per_actor=1.0)
    with pytest.raises(UserError, match="leaves no CPU for read and write"):
        engine_ray.classify_with_ray([str(tmp_path / "in.csv")], tmp_path / "out", settings=settings)


def run_cli(*args: str, pre: str = "pass") -> subprocess.CompletedProcess:
    """classify.py in a fresh process; `pre` runs first (e.g. to hide an installed package)."""
    code = f"import sys; {pre}; from logclf.cli import classify_main; sys.exit(classify_main(sys.argv[1:], 'classify.py'))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, timeout=300)


def test_cli_without_ray_installed_says_how_to_install(tmp_path):
    result = run_cli(str(ROOT / "resources" / "test.csv"), "--engine", "ray", "-o", str(tmp_path), pre="sys.modules['ray'] = None")
    assert result.returncode == 2
    assert result.stderr.decode().strip() == "error: the ray engine needs `pip install -r requirements-ray.txt`"


@pytest.mark.parametrize(
    "args,message",
    [
        (["--engine", "ray", "resources/test.csv"], "needs input files (paths or globs) and --output DIR"),
        (["--engine", "ray", "no/such/*.csv", "-o", "OUT"], "no file matches no/such/*.csv"),
        (["resources/test.csv", "resources/test.csv"], "the local engine classifies one file; use --engine ray for several"),
    ],
)
def test_cli_user_errors_exit_2_with_one_line(args, message, tmp_path):
    result = run_cli(*[str(tmp_path / "out") if a == "OUT" else a for a in args])
    stderr = result.stderr.decode().strip()
    assert result.returncode == 2, stderr
    assert stderr.startswith("error: ") and message in stderr and "\n" not in stderr
    assert not (tmp_path / "out").exists()


def test_two_inputs_with_one_output_name_are_refused(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "test.csv").write_bytes((ROOT / "resources" / "test.csv").read_bytes())
    result = run_cli("--engine", "ray", "resources/test.csv", str(tmp_path / "sub" / "test.csv"), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "would both be written to test_classified.csv; rename one of them" in result.stderr.decode()


@pytest.mark.slow
def test_cli_ray_engine_end_to_end(ray_session, tmp_path):
    """The documented command joining a running Ray (--ray-address): a quoted glob in, one file per input out."""
    logs = tmp_path / "logs"
    logs.mkdir()
    sample = (ROOT / "resources" / "test.csv").read_bytes()
    for name in ("monday", "tuesday"):
        (logs / f"{name}.csv").write_bytes(sample)
    address = ray.get_runtime_context().gcs_address
    result = run_cli(str(logs / "*.csv"), "--engine", "ray", "--output", str(tmp_path / "out"), "--no-llm", "--ray-address", address)
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert "wrote 2 files to" in stderr and "Traceback" not in stderr
    local = subprocess.run(
        [sys.executable, "classify.py", str(logs / "monday.csv"), "-o", str(tmp_path / "local.csv"), "--no-llm", "-q"],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert local.returncode == 0, local.stderr.decode()
    for name in ("monday", "tuesday"):
        assert (tmp_path / "out" / f"{name}_classified.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()


@pytest.mark.slow
def test_ray_keeps_multi_line_records_whole_like_the_local_engine(ray_session, ray_settings, bundle, embedder, tmp_path):
    """Stack traces are one row each on Ray too: blocks (150 rows here) end between records, never inside one."""
    from logclf.cascade import Cascade
    from logclf.multiline import RecordJoiner

    fixtures = Path(__file__).parent / "fixtures" / "multiline"
    text = "".join((fixtures / f"{name}.log").read_text() for name in ("java", "python", "go", "dotnet", "node")) * 12
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "services.log").write_text(text)
    records = list(RecordJoiner.for_mode().records(text.split("\n")))
    report = engine_ray.classify_with_ray([str(tmp_path / "in" / "services.log")], tmp_path / "out", settings=ray_settings, explain=True)
    assert report.summary.rows == len(records) == 26 * 12
    cascade = Cascade.from_settings(ray_settings.with_(llm_cache_path=tmp_path / "local.sqlite3"), bundle=bundle, embedder=embedder)
    try:
        with open(tmp_path / "in" / "services.log", "rb") as stream:
            expected = io.StringIO(newline="")
            classify_any(open_input(stream, "services.log"), expected, cascade, jsonl=False, explain=True)
    finally:
        cascade.close()
    got = (tmp_path / "out" / "services_classified.csv").read_bytes().decode("utf-8")
    assert same_but_last_digit_of_confidence(got, expected.getvalue())
    assert sum("\n" in row[5] for row in csv.reader(io.StringIO(got, newline=""))) == 11 * 12  # the traced records, whole


@pytest.mark.slow
def test_ray_reads_a_custom_log_format_like_the_local_engine(ray_session, ray_settings, bundle, embedder, tmp_path):
    """--log-format (LogPAI notation) on Ray: the same header fields cut off, the same rows, as the local engine."""
    from logclf.cascade import Cascade

    spec = r"<Date>-<Time>\|<Component>\|<Pid>\|<Content>"  # HealthApp's layout, written in LogPAI's notation
    lines = [
        f"20171223-22:15:{k % 60:02d}:{k:03d}|Step_LSC|30002312|onStandStepChanged {3579 + k}"
        if k % 3
        else f"20171223-22:16:{k % 60:02d}:{k:03d}|Step_SPUtils|30002312|setTodayTotalDetailSteps={k}##6425##431947"
        for k in range(240)
    ]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "health.log").write_text("\n".join(lines) + "\n")
    options = engine_ray.ReadOptions(log_format=spec)
    report = engine_ray.classify_with_ray([str(tmp_path / "in" / "health.log")], tmp_path / "out", settings=ray_settings, options=options)
    assert report.summary.rows == len(lines)
    cascade = Cascade.from_settings(ray_settings.with_(llm_cache_path=tmp_path / "local.sqlite3"), bundle=bundle, embedder=embedder)
    try:
        with open(tmp_path / "in" / "health.log", "rb") as stream:
            expected = io.StringIO(newline="")
            classify_any(open_input(stream, "health.log", log_format=spec), expected, cascade, jsonl=False)
    finally:
        cascade.close()
    got = (tmp_path / "out" / "health_classified.csv").read_bytes().decode("utf-8")
    assert got == expected.getvalue()
    rows = list(csv.reader(io.StringIO(got, newline="")))
    assert rows[2][1:6] == ["20171223 22:15:01:001", "", "", "Step_LSC", "onStandStepChanged 3580"]
