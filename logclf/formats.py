"""Input formats besides CSV: plain log lines (header parsed off), JSON Lines, and gzip of any format.

`open_input` picks the reader by name (`.csv`/`.tsv`, `.jsonl`/`.ndjson`, anything else = lines; a
trailing `.gz` or gzip magic bytes = decompressed on the fly, capped at `max_bytes` decoded bytes).
Tabular readers (CSV, lines) expose `layout` + `chunks()` like `CsvReader`, so `classify_csv` runs them;
JSON Lines (and any input written to `.jsonl`) go through `classify_jsonl`.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, TextIO

from logclf.csv_io import CsvLayout, CsvReader, _decode_error, detect_encoding
from logclf.decision import Decision
from logclf.errors import UserError
from logclf.headers import FormatReport, LineParser, compile_logpai, header_formats, parse_line, parser_for  # noqa: F401 (parse_line: the old API)
from logclf.levels import LEVEL_COLUMNS
from logclf.multiline import RecordJoiner, joined
from logclf.prepare import PrepareAhead
from logclf.stream import EXPLAIN_COLUMNS, MAX_LINE_CHARS, Classifies, classify_batches, classify_csv, level_column, renamed_input_columns

FORMATS = ("csv", "jsonl", "lines")
LINE_COLUMNS = ["source", "timestamp", "host", "level", "component", "log_message"]
MESSAGE_FIELDS = ("log_message", "message", "msg", "log", "MESSAGE")
SOURCE_FIELDS = ("source", "service", "app", "logger", "SYSLOG_IDENTIFIER")


def split_name(name: str | None) -> tuple[str, str]:
    """(stem, format by extension) of a file name: `auth.log.gz` -> (`auth`, `lines`)."""
    base = re.split(r"[\\/]", name or "")[-1]
    if base.lower().endswith(".gz"):
        base = base[:-3]
    stem, dot, ext = base.rpartition(".")
    if not dot or not stem:
        stem, ext = base, ""
    fmt = {"csv": "csv", "tsv": "csv", "jsonl": "jsonl", "ndjson": "jsonl"}.get(ext.lower(), "lines")
    return stem, fmt


class _Gunzip(io.RawIOBase):
    """Decompresses a gzip stream, refusing more than `max_bytes` decoded bytes (a small upload must not become huge)."""

    def __init__(self, stream: BinaryIO, max_bytes: int | None):
        self._gz = gzip.GzipFile(fileobj=stream, mode="rb")
        self._left = max_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        try:
            data = self._gz.read(len(buffer))
        except (OSError, EOFError, zlib.error) as exc:
            raise UserError(f"the gzip data is corrupt or truncated ({exc})") from None
        if self._left is not None:
            self._left -= len(data)
            if self._left < 0:
                raise UserError("the file decompresses to more than MAX_DECOMPRESSED_MB; split it or raise the limit", http_status=413)
        buffer[: len(data)] = data
        return len(data)


def decompressed(stream: BinaryIO, max_bytes: int | None = None) -> BinaryIO:
    """`stream`, or its decompression when it starts with the gzip magic bytes."""
    from logclf.csv_io import _Prefixed

    head = stream.read(2)
    whole = io.BufferedReader(_Prefixed(head, stream))
    if head == b"\x1f\x8b":
        return io.BufferedReader(_Gunzip(whole, max_bytes), 256 * 1024)
    return whole


def _text(stream: BinaryIO, encoding: str | None) -> tuple[TextIO, str]:
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[arg-type]
    enc = detect_encoding(buffered.peek(4)[:4], encoding)
    return io.TextIOWrapper(buffered, encoding=enc, errors="strict", newline=None), enc


class LinesReader:
    """Plain log lines as rows `source, timestamp, host, level, component, log_message` (a tabular reader).

    The header format is detected once per file from its first lines (`logclf.headers`), or given in
    LogPAI's notation (`log_format`); `header_report()` says which and how many lines it parsed."""

    def __init__(
        self,
        stream: BinaryIO,
        source: str,
        encoding: str | None = None,
        chunk_rows: int = 50_000,
        log_format: str | None = None,
        multiline: str = "auto",
    ):
        self._text, enc = _text(stream, encoding)
        self.layout = CsvLayout(list(LINE_COLUMNS), 0, 5, ",", False, enc)
        self.source, self.chunk_rows = source, chunk_rows
        self.log_format = compile_logpai(log_format) if log_format else None  # a bad format fails before any model work
        header_formats()  # and so does a bad header table
        self.parser: LineParser | None = None
        self.joiner = RecordJoiner.for_mode(multiline)  # stack traces: one record (row) each; see logclf/multiline.py

    def header_report(self) -> FormatReport | None:
        """The detected (or given) format and the share of lines it parsed so far; None before reading."""
        return self.parser.report if self.parser else None

    def _lines(self) -> Iterator[str]:
        for line in self._text:  # blank lines too: the joiner keeps those inside a record (Python's chained tracebacks)
            yield line.rstrip("\n")

    def chunks(self) -> Iterator[list[list[str]]]:
        """Rows of whole records: a chunk ends between two records, never inside one."""
        chunk: list[list[str]] = []
        try:
            self.parser, lines = parser_for(self._lines(), self.log_format)
            parse = self.parser.parse
            for first, rest in self.joiner.records(lines):
                row = [self.source, *parse(first)]
                if rest:
                    row[-1] = joined(row[-1], rest)
                chunk.append(row)
                if len(chunk) >= self.chunk_rows:
                    yield chunk
                    chunk = []
        except UnicodeError as exc:
            raise _decode_error(exc, self.layout.encoding) from None
        if chunk:
            yield chunk


@dataclass
class JsonRecord:
    line: str  # the object's text as it came
    obj: dict[str, Any]
    source: str
    message: str
    level: str | None = None  # the object's level field, if it has one (logclf/levels.py reads any spelling)


def json_level(obj: dict[str, Any]) -> str | None:
    """The value of the object's first level field (level, severity, levelname, loglevel; any case), as text."""
    for key, value in obj.items():
        if isinstance(key, str) and key.lower() in LEVEL_COLUMNS and isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
    return None


class JsonlReader:
    """JSON Lines: one object per non-blank line; message and source found by field name."""

    def __init__(
        self,
        stream: BinaryIO,
        source: str,
        encoding: str | None = None,
        chunk_rows: int = 50_000,
        message_field: str | None = None,
        source_field: str | None = None,
    ):
        self._text, self.encoding = _text(stream, encoding)
        self.source, self.chunk_rows = source, chunk_rows
        self.message_fields = (message_field,) if message_field else MESSAGE_FIELDS
        self.source_fields = (source_field,) if source_field else SOURCE_FIELDS

    def _record(self, n: int, line: str) -> JsonRecord:
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise UserError(f"line {n}: not valid JSON ({exc})") from None
        except RecursionError:  # the C decoder recurses once per level: 100,000 nested arrays would be a 500
            raise UserError(f"line {n}: JSON nested too deeply to read; flatten the record") from None
        if not isinstance(obj, dict):
            raise UserError(f"line {n}: expected a JSON object, got {type(obj).__name__}")
        message = next((obj[f] for f in self.message_fields if obj.get(f) is not None), None)
        if message is None:
            raise UserError(
                f"line {n}: no message field (looked for {', '.join(self.message_fields)}); name it with --message-field / ?message_field="
            )
        source = next((obj[f] for f in self.source_fields if obj.get(f) is not None), self.source)
        as_text = lambda v: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)  # noqa: E731
        return JsonRecord(line, obj, as_text(source), as_text(message), json_level(obj))

    def chunks(self) -> Iterator[list[JsonRecord]]:
        chunk: list[JsonRecord] = []
        try:
            for n, line in enumerate(self._text, 1):
                line = line.strip()
                if not line:
                    continue
                chunk.append(self._record(n, line))
                if len(chunk) >= self.chunk_rows:
                    yield chunk
                    chunk = []
        except UnicodeError as exc:
            raise _decode_error(exc, self.encoding) from None
        if chunk:
            yield chunk


def open_input(
    stream: BinaryIO,
    name: str | None,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    chunk_rows: int = 50_000,
    source: str | None = None,
    message_field: str | None = None,
    source_field: str | None = None,
    max_bytes: int | None = None,
    multiline: str = "auto",
    log_format: str | None = None,
) -> CsvReader | LinesReader | JsonlReader:
    """The reader for `stream` named `name` (format by extension unless `fmt`); gzip is decompressed.
    `multiline` (plain lines): auto, off, or parser names; see logclf/multiline.py."""
    stem, by_name = split_name(name)
    fmt = fmt or by_name
    if fmt not in FORMATS:
        raise UserError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if log_format and fmt != "lines":
        raise UserError(f"a log format applies to plain log lines, not to {fmt} input")
    data = decompressed(stream, max_bytes)
    source = source or stem or "stdin"
    if fmt == "csv":
        return CsvReader(data, encoding=encoding, chunk_rows=chunk_rows)
    if fmt == "jsonl":
        return JsonlReader(data, source, encoding, chunk_rows, message_field, source_field)
    return LinesReader(data, source, encoding, chunk_rows, log_format, multiline)


def jsonl_explain(d: Decision) -> dict[str, Any]:
    """The `--explain` fields of one JSON record: confidence a number (4 decimals, as in CSV) or null."""
    confidence = None if d.confidence is None else round(d.confidence, 4)
    return dict(zip(EXPLAIN_COLUMNS, (d.tier, confidence, d.reason), strict=True))


def jsonl_body(rec: JsonRecord, added: list[str], warned: set[str]) -> str:
    """The object's text without its closing brace, ready for `jsonl_with`. Only an object that already
    has one of the `added` keys is re-serialised (that key renamed `<key>_input`, said once per run:
    `warned` is the run's set); any other stays as it came."""
    text = rec.line
    if any(k in rec.obj for k in added):
        keys = renamed_input_columns(list(rec.obj), added, warned)
        text = json.dumps(dict(zip(keys, rec.obj.values(), strict=True)), ensure_ascii=False)
    return text[:-1].rstrip()


def jsonl_with(body: str, extra: dict[str, Any]) -> str:
    """`body` (from `jsonl_body`) closed with the `extra` fields appended."""
    tail = json.dumps(extra, ensure_ascii=False)[1:]
    return body + ("" if body.endswith("{") else ", ") + tail


def classify_jsonl(
    reader,
    out: TextIO,
    cascade: Classifies,
    *,
    explain: bool = False,
    on_chunk: Callable[[int], None] | None = None,
    ahead: PrepareAhead | None = None,
    max_line_chars: int = MAX_LINE_CHARS,
):
    """Classify any reader into JSON Lines (bounded memory, chunk by chunk); returns a `RunSummary`."""
    added = ["target_label"] + (EXPLAIN_COLUMNS if explain else [])
    if isinstance(reader, JsonlReader):
        batches = ((chunk, [r.source for r in chunk], [r.message for r in chunk], [r.level for r in chunk]) for chunk in reader.chunks())
        warned: set[str] = set()

        def write(chunk: list[JsonRecord], decisions: list[Decision]) -> None:
            out.writelines(
                jsonl_with(jsonl_body(rec, added, warned), {"target_label": d.label, **(jsonl_explain(d) if explain else {})}) + "\n"
                for rec, d in zip(chunk, decisions, strict=True)
            )

    else:  # a tabular reader (CSV, plain lines): one object per row, keyed by the header
        header, layout = renamed_input_columns(reader.layout.header, added), reader.layout
        at = level_column(layout.header)
        batches = (
            (
                rows,
                [r[layout.source_idx] for r in rows],
                [r[layout.message_idx] for r in rows],
                None if at is None else [r[at] for r in rows],
            )
            for rows in reader.chunks()
        )

        def write(rows: list[list[str]], decisions: list[Decision]) -> None:
            out.writelines(
                json.dumps(
                    {**dict(zip(header, row, strict=True)), "target_label": d.label, **(jsonl_explain(d) if explain else {})},
                    ensure_ascii=False,
                )
                + "\n"
                for row, d in zip(rows, decisions, strict=True)
            )

    return classify_batches(batches, cascade, write, on_chunk, ahead, max_line_chars)


def classify_any(
    reader,
    out: TextIO,
    cascade,
    *,
    jsonl: bool,
    explain: bool = False,
    on_chunk: Callable[[int], None] | None = None,
    ahead: PrepareAhead | None = None,
    max_line_chars: int = MAX_LINE_CHARS,
):
    """JSON Lines out for JSONL input or when asked (`-o x.jsonl`); CSV otherwise."""
    options = dict(explain=explain, on_chunk=on_chunk, ahead=ahead, max_line_chars=max_line_chars)
    if jsonl or isinstance(reader, JsonlReader):
        return classify_jsonl(reader, out, cascade, **options)
    return classify_csv(reader, out, cascade, **options)
