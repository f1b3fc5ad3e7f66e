"""The `logclf` command: classify files (the default), serve the API, train, evaluate, discover rules.

    logclf logs.csv -o out.csv                # = logclf classify ...: adds a target_label column
    logclf logs.csv --explain                 # ... plus classified_by, confidence, reason
    logclf logs.csv --patterns patterns.csv   # ... plus the patterns table: templates with counts (docs/patterns.md)
    logclf 'logs/*.csv' --engine ray --output out_dir/   # on Ray: out_dir/<stem>_classified.csv
    logclf serve --port 8000                  # the API, Swagger UI and web page
    logclf train | evaluate | discover | export-onnx

`python classify.py ...` (a checkout's entry point) runs `classify_main`. Exit status: 0 on
success, 2 for input or configuration a person must fix (one line on stderr).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from logclf.csv_io import create_partial_output
from logclf.errors import UserError
from logclf.formats import classify_any, open_input, split_name
from logclf.paths import RESOURCES
from logclf.settings import Settings
from logclf.stream import RunSummary

DEFAULT_INPUT = RESOURCES / "test.csv"
DEFAULT_OUTPUT = RESOURCES / "output.csv"
# Inputs at least this big get a second process for rules and masking (logclf/prepare.py): it pays
# for its start-up (a fresh interpreter, about 0.3 s of CPU) from about 100,000 rows on.
PREPARE_AHEAD_MIN_BYTES = 8 * 1024 * 1024


def parse_args(argv: list[str] | None, prog: str = "logclf") -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=prog, description="Add a target_label column to a CSV of logs (source, log_message).")
    p.add_argument(
        "input",
        nargs="*",
        help="input CSV, or - for stdin (default: the sample resources/test.csv); with --engine ray: several files or glob patterns",
    )
    p.add_argument(
        "-o",
        "--output",
        help="output CSV, or - for stdout (default: INPUT_classified.csv; resources/output.csv for the sample); "
        "with --engine ray: the output directory (required)",
    )
    p.add_argument("--explain", action="store_true", help="add classified_by (regex/bert/llm/none), confidence and reason columns")
    p.add_argument(
        "--patterns",
        metavar="FILE",
        help="also write the patterns table as CSV (source,template,count,target_label,classified_by,confidence,example), "
        "largest first; see docs/patterns.md",
    )
    p.add_argument("--model", type=Path, help="model bundle (default: MODEL_PATH or models/log_classifier.joblib)")
    p.add_argument("--no-llm", action="store_true", help="never call the LLM; its rows become Unclassified")
    p.add_argument(
        "--overrides",
        type=Path,
        help="corrections applied before every tier (YAML; GET /corrections/export writes one): classified_by=override",
    )
    p.add_argument("--encoding", help="input encoding when it is not UTF-8 (e.g. latin-1)")
    p.add_argument("--format", choices=("csv", "jsonl", "lines"), help="input format (default: by extension; .gz is decompressed)")
    p.add_argument("--source", help="source name for plain lines / JSONL without a source field (default: the file name's stem)")
    p.add_argument("--message-field", help="JSONL: the message field (default: log_message, message, msg, log, MESSAGE)")
    p.add_argument("--source-field", help="JSONL: the source field (default: source, service, app, logger, SYSLOG_IDENTIFIER)")
    p.add_argument(
        "--log-format",
        help="plain lines: the header format in LogPAI's notation, e.g. '<Date> <Time> <Level> <Component>: <Content>' "
        "(default: detected from the first 1,000 lines among the formats of resources/log_headers.yaml; docs/formats.md)",
    )
    p.add_argument(
        "--multiline",
        help="plain log files: auto joins stack traces and indented lines into one record (row); off = one row per line; "
        "or parser names, e.g. java,python (default: MULTILINE, else auto)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    p.add_argument(
        "--engine", choices=("local", "ray"), default="local", help="local (default) or ray (pip install -r requirements-ray.txt)"
    )
    p.add_argument("--ray-address", help="Ray cluster to join, e.g. auto or ray://head:10001 (default: RAY_ADDRESS, else a local Ray)")
    return p.parse_args(argv)


def resolve_paths(args: argparse.Namespace) -> tuple[str, str]:
    if args.input is None:
        return str(DEFAULT_INPUT), args.output or str(DEFAULT_OUTPUT)
    if args.output:
        return args.input, args.output
    if args.input == "-":
        return "-", "-"
    stem, fmt = split_name(args.input)
    ext = "jsonl" if (args.format or fmt) == "jsonl" else "csv"
    return args.input, str(Path(args.input).with_name(f"{stem}_classified.{ext}"))


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if args.model:
        settings = settings.with_(model_path=args.model)
    if args.no_llm:
        settings = settings.with_(llm_enabled=False)
    if args.engine == "ray":
        return run_ray(args, settings)
    if len(args.input) > 1:
        raise UserError("the local engine classifies one file; use --engine ray for several")
    if args.patterns and settings.patterns_max == 0:
        raise UserError("--patterns needs PATTERNS_MAX above 0")
    patterns_target = _patterns_target(args.patterns)
    args.input = args.input[0] if args.input else None
    in_path, out_path = resolve_paths(args)

    with ExitStack() as stack:
        if in_path == "-":
            stream = sys.stdin.buffer
        else:
            try:
                stream = stack.enter_context(open(in_path, "rb"))
            except OSError as exc:
                raise UserError(f"cannot read {in_path}: {exc.strerror}") from None
        reader = open_input(  # header checked before model load
            stream,
            None if in_path == "-" else in_path,
            fmt=args.format or (("lines" if args.log_format else "csv") if in_path == "-" else None),
            encoding=args.encoding,
            chunk_rows=settings.chunk_rows,
            source=args.source,
            message_field=args.message_field,
            source_field=args.source_field,
            log_format=args.log_format,
            multiline=args.multiline or settings.multiline,
        )
        jsonl_out = out_path.endswith(".jsonl")

        from logclf.cascade import Cascade  # loads torch + sentence-transformers: only once input looks right

        cascade = Cascade.from_settings(settings)
        stack.callback(cascade.close)
        if args.overrides:
            from logclf.corrections import load_overrides_file, lookup_table

            table = lookup_table(load_overrides_file(args.overrides, cascade.masker.template, cascade.labels))
            cascade.use_overrides(lambda: table)
        patterns_table = None  # (not `table`: the overrides' lambda above reads that name)
        if settings.patterns_max and (args.patterns or not args.quiet):  # the summary names the largest Unclassified patterns
            from logclf.patterns import CollectPatterns, PatternTable

            patterns_table = PatternTable(cascade.masker.template, settings.patterns_max)
            cascade = CollectPatterns(cascade, patterns_table)
        progress = _progress_bar(args.quiet)
        stack.callback(progress.close)
        ahead = None
        if in_path != "-" and os.path.getsize(in_path) >= PREPARE_AHEAD_MIN_BYTES:
            from logclf.prepare import PrepareAhead

            ahead = PrepareAhead(settings.regex_rules_path, settings.masking_path, settings.llm_sources)
            stack.callback(ahead.close)

        def classify_into(out) -> RunSummary:
            return classify_any(
                reader,
                out,
                cascade,
                jsonl=jsonl_out,
                explain=args.explain,
                on_chunk=progress.update,
                ahead=ahead,
                max_line_chars=settings.max_line_chars,
            )

        if out_path == "-":
            summary = classify_into(sys.stdout)
        else:
            # Write next to the target and rename at the end: no half-written output on error.
            target = Path(out_path)
            if target.parent and not target.parent.exists():
                raise UserError(f"output directory {target.parent} does not exist")
            fd, tmp = create_partial_output(target)
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                    summary = classify_into(out)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        progress.close()
        if patterns_target and patterns_table is not None:
            _write_patterns(patterns_table, patterns_target)
        if not args.quiet:
            print(f"wrote {out_path}: {summary.text()}", file=sys.stderr)
            report = getattr(reader, "header_report", lambda: None)()
            if report is not None:
                print(f"  {report.text()}", file=sys.stderr)
            if patterns_table is not None and (largest := patterns_table.summary_text()):
                print(largest, file=sys.stderr)
            if patterns_target and patterns_table is not None:
                folded = f" + other patterns ({patterns_table.other_rows} rows)" if patterns_table.other_rows else ""
                print(f"wrote {patterns_target}: {len(patterns_table)} patterns{folded}", file=sys.stderr)
    return 0


def _patterns_target(name: str | None) -> Path | None:
    """The --patterns file, checked before any model work (its folder must exist)."""
    if not name:
        return None
    target = Path(name)
    if name == "-" or target.is_dir():
        raise UserError(f"--patterns needs a file name, got {name!r}")
    if not target.resolve().parent.is_dir():
        raise UserError(f"--patterns: directory {target.parent} does not exist")
    return target


def _write_patterns(table, target: Path) -> None:
    """The patterns CSV, written beside the target and renamed: never half a file."""
    fd, tmp = create_partial_output(target)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            table.write_csv(out)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def run_ray(args: argparse.Namespace, settings: Settings) -> int:
    """The ray engine: every input (paths or globs) to OUTPUT_DIR/<stem>_classified.csv (.jsonl for JSON Lines)."""
    import importlib.util

    if args.patterns:
        raise UserError("--patterns works with the local engine only (the Ray engine does not build the table yet)")
    if importlib.util.find_spec("ray") is None:
        raise UserError("the ray engine needs `pip install -r requirements-ray.txt`")
    if not args.input or not args.output or args.output == "-":
        raise UserError("--engine ray needs input files (paths or globs) and --output DIR")
    from logclf import engine_ray  # imports ray: only for this engine

    try:
        report = engine_ray.classify_with_ray(
            args.input,
            args.output,
            settings=settings,
            explain=args.explain,
            options=engine_ray.ReadOptions(
                args.format,
                args.encoding,
                args.source,
                args.message_field,
                args.source_field,
                args.log_format,
                multiline=args.multiline or settings.multiline,
            ),
            address=args.ray_address,
            quiet=args.quiet,
        )
    except engine_ray.SharedStateLost as exc:  # not the input's fault: exit 1, one line, nothing written
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        files = len(report.outputs)
        print(
            f"wrote {files} file{'s' * (files != 1)} to {args.output} with {report.actors} actor(s): {report.summary.text()}",
            file=sys.stderr,
        )
    return 0


def _progress_bar(quiet: bool):
    from tqdm import tqdm

    # disable=None: shown only when stderr is a terminal, so logs and pipes stay clean.
    return tqdm(unit=" rows", file=sys.stderr, disable=True if quiet else None, mininterval=0.5)


def classify_main(argv: list[str] | None = None, prog: str = "logclf") -> int:
    args = parse_args(argv, prog)
    _quiet_libraries()
    try:
        return run(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _quiet_libraries() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s", stream=sys.stderr)
    for noisy in ("httpx", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    # transformers draws a "Loading weights" bar on stderr, read when it is imported: without this an
    # error found after the model loads (a bad row) is not the promised single line on stderr.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def serve_main(argv: list[str] | None = None) -> int:
    """`logclf serve`: uvicorn on the app, models loaded once at start-up."""
    p = argparse.ArgumentParser(prog="logclf serve", description="Serve the API (/classify, /docs) and the web page (/).")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1; 0.0.0.0 for every interface)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    args = p.parse_args(argv)
    _quiet_libraries()
    import uvicorn

    from logclf.server import create_app

    try:
        app = create_app(Settings.from_env())
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_status
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def _training(module: str) -> Callable[[list[str]], int]:
    def run_tool(argv: list[str]) -> int:
        import importlib

        _quiet_libraries()
        return importlib.import_module(module).main(argv)

    return run_tool


COMMANDS: dict[str, tuple[Callable[[list[str]], int], str]] = {
    "classify": (classify_main, "add target_label to a CSV, JSON Lines or plain log file (the default command)"),
    "serve": (serve_main, "serve the API, Swagger UI (/docs) and web page (/)"),
    "train": (_training("logclf.training.train"), "fit the ML tier on a labelled CSV and save a model bundle"),
    "evaluate": (_training("logclf.training.evaluate"), "measure the cascade on a labelled CSV (--leave-family-out too)"),
    "discover": (_training("logclf.training.discover"), "propose regex rules from a labelled CSV"),
    "export-onnx": (_training("logclf.onnx_export"), "build the ONNX export of the embedding model ahead of first use"),
}


def _usage() -> str:
    width = max(map(len, COMMANDS))
    lines = [
        "usage: logclf [classify] INPUT [-o OUTPUT] [options]",
        "       logclf COMMAND [options]      (logclf COMMAND --help for its options)",
        "",
        "commands:",
        *(f"  {name:<{width}}  {text}" for name, (_, text) in COMMANDS.items()),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """The console script: a subcommand, or classify when the first argument is not one."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in ("-h", "--help"):
        print(_usage())
        return 0
    if argv and argv[0] == "--version":
        from logclf import __version__

        print(f"logclf {__version__}")
        return 0
    if argv and argv[0] in COMMANDS:
        command, rest = argv[0], argv[1:]
        run_command = COMMANDS[command][0]
        return classify_main(rest, "logclf classify") if command == "classify" else run_command(rest)
    return classify_main(argv, "logclf")


if __name__ == "__main__":
    sys.exit(main())
