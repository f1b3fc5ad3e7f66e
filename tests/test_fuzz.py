"""Hostile input, in process: whatever the bytes, either every row comes back unchanged with a
label appended, or a `UserError` a person can act on. Never another exception, never a lost row.

The CLI and the HTTP endpoint share this path (`CsvReader` -> `classify_csv`); their own tests
(test_faults.py, test_security.py) replay the same corpus through the real processes.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logclf.csv_io import DELIMITERS, CsvReader
from logclf.errors import UserError
from logclf.labels import load_label_descriptions
from logclf.stream import classify_csv
from tests.nasty import CORPUS, HEADER, Case, write_csv

LABELS = {*load_label_descriptions(), "Unclassified"}  # the default taxonomy
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def classify_bytes(data: bytes, cascade, encoding: str | None = None) -> tuple[str, str, int]:
    """(output text, output delimiter, rows reported) for a file, through the shared path."""
    reader = CsvReader(io.BytesIO(data), encoding=encoding, chunk_rows=7)  # small chunks: cross chunk boundaries
    out = io.StringIO(newline="")
    summary = classify_csv(reader, out, cascade)
    return out.getvalue(), reader.layout.delimiter, summary.rows


def parse_output(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def assert_faithful(output: list[list[str]], expected: list[list[str]]) -> None:
    """Same row count, every input cell unchanged column by column, one valid label appended."""
    assert len(output) == len(expected), f"{len(expected)} rows in, {len(output)} out"
    assert output[0] == expected[0] + ["target_label"]
    for i, (got, want) in enumerate(zip(output[1:], expected[1:], strict=True), start=2):
        assert got[:-1] == want, f"row {i} changed"
        assert got[-1] in LABELS, f"row {i}: label {got[-1]!r}"


# ----------------------------------------------------------------------------- the corpus


@pytest.mark.timeout(300)  # a catastrophic regex on the 1 MB message used to run for hours
@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.name)
def test_nasty_corpus_in_process(case: Case, cascade):
    if not case.ok:
        with pytest.raises(UserError, match=case.message) as err:
            classify_bytes(case.data, cascade, case.encoding)
        assert err.value.http_status == case.status
        return
    text, delimiter, rows = classify_bytes(case.data, cascade, case.encoding)
    assert delimiter == case.delimiter
    assert rows == len(case.rows) - 1
    assert_faithful(parse_output(text, delimiter), case.rows)


def test_formula_cells_are_written_back_verbatim(cascade):
    """We do not alter data: a leading = + - @ is kept, not escaped with a quote or apostrophe."""
    case = next(c for c in CORPUS if c.name == "formula_cells")
    text, _, _ = classify_bytes(case.data, cascade)
    assert "\n=HYPERLINK" not in text  # the cell holds quotes, so it is quoted...
    assert '"=HYPERLINK(""http://evil"",""x"")"' in text  # ...but its text is unchanged
    assert "\nBillingSystem,@SUM(A1:A9),+1," in text


# ----------------------------------------------------------------------------- regressions


def test_bare_carriage_return_in_a_cell_survives_the_round_trip(cascade):
    """The writer used `\\n` line ends and left a cell with a bare `\\r` unquoted: read back, the
    row split in two (input `before\\rafter` became rows `before` and `after,<label>`)."""
    text, _, _ = classify_bytes(b'source,log_message\nModernCRM,"before\rafter"\n', cascade)
    assert parse_output(text, ",")[1][:2] == ["ModernCRM", "before\rafter"]


def test_a_quoted_comma_quote_does_not_strip_other_cells(cascade):
    """`, "` inside a quoted cell switched the whole file to skipinitialspace: `   indented` lost its spaces."""
    text, _, _ = classify_bytes(b'source,log_message\nA,"x, ""y"""\nB,   indented\n', cascade)
    assert [r[1] for r in parse_output(text, ",")[1:]] == ['x, "y"', "   indented"]


@pytest.mark.parametrize("encoding", ["rot13", "base64", "zlib_codec", "hex"])
def test_binary_codecs_are_refused_not_crashed_on(encoding, cascade):
    """`--encoding rot13` / `?encoding=base64` raised TypeError / binascii.Error (a 500)."""
    with pytest.raises(UserError, match="not a text encoding"):
        classify_bytes(b"source,log_message\nA,b\n", cascade, encoding)


def test_idna_decoding_failure_is_a_client_error(cascade):
    with pytest.raises(UserError, match="not valid IDNA") as err:
        classify_bytes("source,log_message\nA,\u00e9\n".encode(), cascade, "idna")
    assert err.value.http_status == 415


def test_header_longer_than_the_detection_sample_is_a_clear_error(cascade):
    header = ["source", "log_message"] + [f"column_with_a_long_name_{i:06d}" for i in range(12_000)]
    data = write_csv([header, ["A", "b"]]).encode()
    with pytest.raises(UserError, match="header row is longer than"):
        classify_bytes(data, cascade)


def test_long_header_names_are_shortened_in_the_error():
    with pytest.raises(UserError) as err:
        CsvReader(io.BytesIO(b"x" * 100_000 + b",y\n"))
    assert len(str(err.value)) < 300


# ----------------------------------------------------------------------------- properties

# Any unicode (no surrogates: not encodable): quotes, commas, \r, \n, NUL, emoji..., and often a
# leading = + - @ (spreadsheet formula triggers, which must come back as written).
cell_text = st.one_of(st.text(max_size=40), st.builds(str.__add__, st.sampled_from("=+-@"), st.text(max_size=40)))
safe_name = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=8)


@FUZZ
@given(
    extra=st.lists(safe_name, max_size=3),
    body=st.lists(st.lists(cell_text, min_size=2, max_size=5), max_size=12),
    delimiter=st.sampled_from(DELIMITERS),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    crlf=st.booleans(),
)
def test_any_cell_text_comes_back_unchanged(extra, body, delimiter, encoding, crlf, cascade):
    """Python's csv writer as the reference producer: whatever the cells, every one survives."""
    header = HEADER + extra
    width = len(header)
    rows = [(r + [""] * width)[:width] for r in body]
    if not crlf:  # with \n line ends Python's writer leaves a bare \r unquoted: not a valid input file
        rows = [[c.replace("\r", "") for c in r] for r in rows]
    data = write_csv([header, *rows], delimiter, "\r\n" if crlf else "\n").encode(encoding)
    text, got_delimiter, count = classify_bytes(data, cascade)
    assert got_delimiter == delimiter and count == len(rows)
    assert_faithful(parse_output(text, delimiter), [header, *rows])


@FUZZ
@given(data=st.binary(max_size=400), with_header=st.booleans())
def test_any_bytes_give_rows_or_a_client_error(data, with_header, cascade):
    """Random bytes (after a valid header or not): success with every parsed row, or UserError."""
    blob = (b"source,log_message\n" if with_header else b"") + data
    try:
        reader = CsvReader(io.BytesIO(blob))
        expected = [reader.header] + [row for chunk in reader.chunks() for row in chunk]
    except UserError as exc:
        assert str(exc) and 400 <= exc.http_status < 500
        return
    text, delimiter, count = classify_bytes(blob, cascade)
    assert count == len(expected) - 1
    assert_faithful(parse_output(text, delimiter), expected)


# ----------------------------------------------------------------------------- the same corpus through the CLI

ERROR_CASES = [c for c in CORPUS if not c.ok]


@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda c: c.name)
@pytest.mark.slow
def test_nasty_corpus_errors_through_the_cli(case: Case, tmp_path):
    """Exit status 2, one line on stderr a person can act on, no output file. (These fail before the
    model loads, so each run is cheap.)"""
    from tests.test_cli import run_cli

    src = tmp_path / "in.csv"
    src.write_bytes(case.data)
    args = [str(src), "-o", str(tmp_path / "out.csv")] + (["--encoding", case.encoding] if case.encoding else [])
    result = run_cli(*args)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert len(stderr.strip().splitlines()) == 1 and case.message in stderr and "Traceback" not in stderr
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.slow
def test_nasty_corpus_success_through_the_cli():
    """One model-loading run, stdin -> stdout: BOM, CRLF, embedded newlines and quotes all come back."""
    from tests.nasty import BY_NAME
    from tests.test_cli import run_cli

    case = BY_NAME["bom_crlf_embedded"]
    result = run_cli("-", "-q", stdin=case.data)
    assert result.returncode == 0, result.stderr.decode()
    assert_faithful(parse_output(result.stdout.decode("utf-8"), case.delimiter), case.rows)
