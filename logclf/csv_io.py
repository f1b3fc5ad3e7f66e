"""Streaming CSV in and out, faithful to the input.

Cells are read as text (no type inference: `007` stays `007`, an empty cell stays empty), the
header is kept as written (duplicate names included), and rows come out in input order with one
column appended. Every problem a person can fix raises `UserError` with a plain message.

Dialect rules (documented in the README):
- encoding: UTF-8 (a BOM is accepted); UTF-16 with a BOM is detected; others need `encoding=`;
- delimiter: `,`, `;`, tab or `|`, whichever splits the header into `source` and `log_message`;
- `a, "b"` style (a space after the delimiter before a quoted field) is read as a person means it:
  the cell is the quoted text. Elsewhere leading spaces are part of the cell;
- blank lines are not records; a short row gets empty cells; a row longer than the header is an error.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from logclf.errors import UserError

REQUIRED = ("source", "log_message")
DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 256 * 1024
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a 1 MB log message is a valid cell


@dataclass(frozen=True)
class CsvLayout:
    header: list[str]
    source_idx: int
    message_idx: int
    delimiter: str
    skipinitialspace: bool
    encoding: str


def detect_encoding(sample: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            info = codecs.lookup(encoding)
        except LookupError:
            raise UserError(f"unknown encoding {encoding!r}") from None
        # rot13, base64, zlib... are codecs too, but they do not turn bytes into text.
        if not getattr(info, "_is_text_encoding", True):
            raise UserError(f"{encoding!r} is not a text encoding; name one such as utf-8, latin-1 or cp1252")
        return encoding
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"  # plain UTF-8, and a UTF-8 BOM is dropped rather than glued to the header


def _decode_error(exc: UnicodeError, encoding: str) -> UserError:
    """UnicodeDecodeError names the byte; some codecs (idna) raise a bare UnicodeError."""
    obj = getattr(exc, "object", None)
    start = getattr(exc, "start", 0)
    where = f"byte 0x{obj[start : start + 1].hex()}" if isinstance(obj, bytes) and obj[start : start + 1] else "some bytes"
    return UserError(
        f"the file is not valid {encoding.replace('-sig', '').upper()} text ({where} cannot be decoded); "
        "save it as UTF-8, or name its encoding (CLI: --encoding latin-1, HTTP: ?encoding=latin-1)",
        http_status=415,
    )


def _first_record_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def _quote_after_spaces(text: str, delimiter: str) -> bool:
    """True when a field opens with spaces and then a quote (`a, "b"`), outside any quoted field.

    Quote-aware on purpose: a quoted cell that merely contains `, "` (common in log text) must
    not switch the whole file to skipping leading spaces, which would alter other cells.
    """
    special = re.compile(f'[{re.escape(delimiter)}\r\n"]')
    i, n, field_start = 0, len(text), True
    while i < n:
        if field_start and text[i] == '"':  # a quoted field: jump past its closing quote
            j = i + 1
            while True:
                j = text.find('"', j)
                if j < 0:
                    return False  # the sample ends inside a quoted field
                if text.startswith('""', j):
                    j += 2
                    continue
                break
            i, field_start = j + 1, False
            continue
        m = special.search(text, i)
        if m is None:
            return False
        i, char = m.end(), m.group()
        field_start = char != '"'  # a quote inside an unquoted field is a literal character
        if char == delimiter:
            k = i
            while k < n and text[k] == " ":
                k += 1
            if i < k < n and text[k] == '"':
                return True
    return False


def _short(name: str, limit: int = 60) -> str:
    return name if len(name) <= limit else name[:limit] + "…"


def detect_layout(sample_text: str, encoding: str) -> CsvLayout:
    """Delimiter, quoting style and the two required columns, from the start of the file."""
    if not sample_text.strip():
        raise UserError("the file is empty: expected a CSV with a header row naming source and log_message")
    first = _first_record_line(sample_text.lstrip("\r\n"))
    if "\x00" in first:
        raise UserError("the header contains NUL bytes: this does not look like a UTF-8 text CSV", http_status=415)
    best: tuple[int, str, list[str]] | None = None
    for delimiter in DELIMITERS:
        spaced = _quote_after_spaces(sample_text, delimiter)
        # newline="": split records the way the full read does (a CR-only file is valid CSV);
        # blank lines before the header are not records.
        records = csv.reader(io.StringIO(sample_text, newline=""), delimiter=delimiter, skipinitialspace=spaced)
        try:
            header = next((row for row in records if row), [])
        except csv.Error as exc:
            raise UserError(f"the header row is malformed CSV ({exc})") from None
        names = [h.strip().casefold() for h in header]
        score = sum(name in names for name in REQUIRED)
        if best is None or score > best[0]:
            best = (score, delimiter, header)
        if score == len(REQUIRED):
            return CsvLayout(header, names.index("source"), names.index("log_message"), delimiter, spaced, encoding)
    found = ", ".join(repr(_short(h)) for h in best[2][:20]) if best else ""
    more = f" (and {len(best[2]) - 20} more)" if best and len(best[2]) > 20 else ""
    raise UserError(f"missing required column(s) source and log_message; the header has: {found}{more}", http_status=422)


class CsvReader:
    """Iterates a binary CSV stream as chunks of rows (lists of str, padded to the header)."""

    def __init__(self, stream: BinaryIO, encoding: str | None = None, chunk_rows: int = 50_000):
        raw = stream.read(SAMPLE_BYTES)
        enc = detect_encoding(raw, encoding)
        decoder = codecs.getincrementaldecoder(enc)(errors="strict")
        try:
            sample = decoder.decode(raw, final=len(raw) < SAMPLE_BYTES)
        except UnicodeError as exc:
            raise _decode_error(exc, enc) from None
        self.layout = detect_layout(sample, enc)
        self.chunk_rows = chunk_rows
        # Re-read from the start: the sample is only for detection.
        text = io.TextIOWrapper(io.BufferedReader(_Prefixed(raw, stream)), encoding=enc, errors="strict", newline="")
        # strict: a quote never closed (the lenient reader would make the rest of the file one cell)
        # and text after a closing quote are errors, not silently reinterpreted cells.
        self._reader = csv.reader(text, delimiter=self.layout.delimiter, skipinitialspace=self.layout.skipinitialspace, strict=True)
        self._header_seen = False

    @property
    def header(self) -> list[str]:
        return self.layout.header

    def chunks(self) -> Iterator[list[list[str]]]:
        width = len(self.layout.header)
        chunk: list[list[str]] = []
        reader = self._reader
        record_end = 0  # the line the last complete record ended on
        try:
            for row in reader:
                record_end = reader.line_num
                if not row:  # a blank line is not a record
                    continue
                if not self._header_seen:
                    self._header_seen = True
                    if row != self.layout.header:  # detection only saw the first SAMPLE_BYTES
                        raise UserError(f"the header row is longer than {SAMPLE_BYTES // 1024} KB; shorten the column names")
                    continue
                if len(row) != width:
                    if len(row) > width:
                        raise UserError(
                            f"line {reader.line_num}: {len(row)} fields but the header has {width}; "
                            f"quote cells that contain {self.layout.delimiter!r}"
                        )
                    row = row + [""] * (width - len(row))
                chunk.append(row)
                if len(chunk) >= self.chunk_rows:
                    yield chunk
                    chunk = []
        except UnicodeError as exc:
            raise _decode_error(exc, self.layout.encoding) from None
        except csv.Error as exc:
            raise _syntax_error(exc, record_end + 1, reader.line_num) from None
        if chunk:
            yield chunk


def _syntax_error(exc: csv.Error, record_start: int, line: int) -> UserError:
    """The csv module's terse strict-mode errors, said so a person can fix the file."""
    if "unexpected end of data" in str(exc):
        return UserError(
            f"line {record_start}: a quoted cell starting on this line is never closed, so the rest of the file "
            'would be inside it; close the quote (a quote inside a quoted cell is written twice: "")'
        )
    if "expected after" in str(exc):
        return UserError(
            f'line {line}: text follows the closing quote of a quoted cell; a quote inside a quoted cell is written twice ("")'
        )
    return UserError(f"line {line}: malformed CSV ({exc})")


class _Prefixed(io.RawIOBase):
    """A read-only stream that yields `prefix` and then the rest of `stream`."""

    def __init__(self, prefix: bytes, stream: BinaryIO):
        self._prefix, self._stream = memoryview(prefix), stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._prefix.nbytes:
            n = min(len(buffer), self._prefix.nbytes)
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class CsvWriter:
    """A writer in the input's delimiter; always UTF-8 text, `\\n` line ends, minimal quoting.

    Python's writer quotes only characters of its line terminator, so with `\\n` a cell holding a
    bare `\\r` would be written unquoted and read back as a line break (rows split, cells lost).
    Rows with such a cell are written fully quoted instead.
    """

    def __init__(self, out: TextIO, delimiter: str):
        self._minimal = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        self._quoted = csv.writer(out, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: Sequence[str]) -> None:
        if any("\r" in cell for cell in row):
            self._quoted.writerow(row)
        else:
            self._minimal.writerow(row)

    def writerows(self, rows: Iterable[Sequence[str]]) -> None:
        rows = rows if isinstance(rows, list) else list(rows)
        if "\r" in "".join(map("".join, rows)):  # rare: take the row-by-row path
            for row in rows:
                self.writerow(row)
        else:
            self._minimal.writerows(rows)


def make_writer(out: TextIO, layout: CsvLayout) -> CsvWriter:
    return CsvWriter(out, layout.delimiter)


def create_partial_output(target: Path) -> tuple[int, str]:
    """A temporary file next to `target` (fd, path) for write-then-rename output.

    mkstemp creates files 0600; the finished output should get the permissions any new file of
    the user gets (0666 minus the umask), so it is widened here before anything is written.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    umask = os.umask(0o022)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)
    return fd, tmp
