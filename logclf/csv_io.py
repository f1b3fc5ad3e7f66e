"""Streaming CSV in and out, faithful to the input.

Cells are read as text (no type inference: `007` stays `007`, an empty cell stays empty), the
header is kept as written (duplicate names included), and rows come out in input order with one
column appended. Every problem a person can fix raises `CsvInputError` with a plain message.

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
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, TextIO

REQUIRED = ("source", "log_message")
DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 256 * 1024
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a 1 MB log message is a valid cell


class CsvInputError(ValueError):
    """Input a person must fix. `status` is the HTTP status the server answers with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


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
            codecs.lookup(encoding)
        except LookupError:
            raise CsvInputError(f"unknown encoding {encoding!r}") from None
        return encoding
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"  # plain UTF-8, and a UTF-8 BOM is dropped rather than glued to the header


def _decode_error(exc: UnicodeDecodeError, encoding: str) -> CsvInputError:
    bad = exc.object[exc.start : exc.start + 1].hex() if isinstance(exc.object, bytes) else "?"
    return CsvInputError(
        f"the file is not valid {encoding.replace('-sig', '').upper()} text (byte 0x{bad} cannot be decoded); "
        "save it as UTF-8, or name its encoding (CLI: --encoding latin-1, HTTP: ?encoding=latin-1)",
        status=415,
    )


def _first_record_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def detect_layout(sample_text: str, encoding: str) -> CsvLayout:
    """Delimiter, quoting style and the two required columns, from the start of the file."""
    if not sample_text.strip():
        raise CsvInputError("the file is empty: expected a CSV with a header row naming source and log_message")
    first = _first_record_line(sample_text.lstrip("\r\n"))
    if "\x00" in first:
        raise CsvInputError("the header contains NUL bytes: this does not look like a UTF-8 text CSV", status=415)
    best: tuple[int, str, list[str]] | None = None
    for delimiter in DELIMITERS:
        spaced = re.search(re.escape(delimiter) + r' +"', sample_text) is not None
        header = next(csv.reader(io.StringIO(sample_text), delimiter=delimiter, skipinitialspace=spaced), [])
        names = [h.strip().casefold() for h in header]
        score = sum(name in names for name in REQUIRED)
        if best is None or score > best[0]:
            best = (score, delimiter, header)
        if score == len(REQUIRED):
            return CsvLayout(header, names.index("source"), names.index("log_message"), delimiter, spaced, encoding)
    found = ", ".join(repr(h) for h in best[2][:20]) if best else ""
    more = f" (and {len(best[2]) - 20} more)" if best and len(best[2]) > 20 else ""
    raise CsvInputError(f"missing required column(s) source and log_message; the header has: {found}{more}", status=422)


class CsvReader:
    """Iterates a binary CSV stream as chunks of rows (lists of str, padded to the header)."""

    def __init__(self, stream: BinaryIO, encoding: str | None = None, chunk_rows: int = 50_000):
        raw = stream.read(SAMPLE_BYTES)
        enc = detect_encoding(raw, encoding)
        decoder = codecs.getincrementaldecoder(enc)(errors="strict")
        try:
            sample = decoder.decode(raw, final=len(raw) < SAMPLE_BYTES)
        except UnicodeDecodeError as exc:
            raise _decode_error(exc, enc) from None
        self.layout = detect_layout(sample, enc)
        self.chunk_rows = chunk_rows
        # Re-read from the start: the sample is only for detection.
        text = io.TextIOWrapper(io.BufferedReader(_Prefixed(raw, stream)), encoding=enc, errors="strict", newline="")
        self._reader = csv.reader(text, delimiter=self.layout.delimiter, skipinitialspace=self.layout.skipinitialspace)
        self._header_seen = False

    @property
    def header(self) -> list[str]:
        return self.layout.header

    def chunks(self) -> Iterator[list[list[str]]]:
        width = len(self.layout.header)
        chunk: list[list[str]] = []
        reader = self._reader
        try:
            for row in reader:
                if not row:  # a blank line is not a record
                    continue
                if not self._header_seen:
                    self._header_seen = True
                    continue
                if len(row) != width:
                    if len(row) > width:
                        raise CsvInputError(
                            f"line {reader.line_num}: {len(row)} fields but the header has {width}; "
                            f"quote cells that contain {self.layout.delimiter!r}"
                        )
                    row = row + [""] * (width - len(row))
                chunk.append(row)
                if len(chunk) >= self.chunk_rows:
                    yield chunk
                    chunk = []
        except UnicodeDecodeError as exc:
            raise _decode_error(exc, self.layout.encoding) from None
        except csv.Error as exc:
            raise CsvInputError(f"line {reader.line_num}: malformed CSV ({exc})") from None
        if chunk:
            yield chunk


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


def make_writer(out: TextIO, layout: CsvLayout) -> csv.writer:  # type: ignore[valid-type]
    """A writer in the input's delimiter; always UTF-8 text, `\\n` line ends, minimal quoting."""
    return csv.writer(out, delimiter=layout.delimiter, lineterminator="\n")
