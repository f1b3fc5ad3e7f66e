"""CSV fidelity: every row, in order, every cell as written; clear errors for bad files."""

import codecs
import io

import pytest

from logclf.csv_io import CsvReader
from logclf.errors import UserError


def read_all(data: bytes, **kw) -> tuple[list[str], list[list[str]]]:
    reader = CsvReader(io.BytesIO(data), **kw)
    return reader.header, [row for chunk in reader.chunks() for row in chunk]


def test_cells_are_text_exactly_as_written():
    header, rows = read_all(b"id,source,log_message,n\n007,ModernCRM,,1e5\n,BillingSystem,NaN,NULL\n")
    assert header == ["id", "source", "log_message", "n"]
    assert rows == [["007", "ModernCRM", "", "1e5"], ["", "BillingSystem", "NaN", "NULL"]]


def test_space_before_quoted_field_is_formatting():
    _, rows = read_all(b'source,log_message\nModernCRM, "IP 192.168.133.114 blocked, due to potential attack"\n')
    assert rows == [["ModernCRM", "IP 192.168.133.114 blocked, due to potential attack"]]


def test_leading_spaces_kept_when_file_does_not_use_that_style():
    _, rows = read_all(b"source,log_message\nModernCRM,  indented message\n")
    assert rows == [["ModernCRM", "  indented message"]]


def test_bom_crlf_and_embedded_newlines():
    data = codecs.BOM_UTF8 + b'source,log_message\r\nA,"line one\r\nline ""two"""\r\nB,x\r\n'
    header, rows = read_all(data)
    assert header == ["source", "log_message"]
    assert rows == [["A", 'line one\r\nline "two"'], ["B", "x"]]


def test_semicolon_and_tab_delimiters_are_detected():
    assert read_all(b"source;log_message\nA;x,y\n")[1] == [["A", "x,y"]]
    assert read_all(b"source\tlog_message\nA\tx;y\n")[1] == [["A", "x;y"]]


def test_utf16_with_bom_is_detected():
    assert read_all("source,log_message\nA,café\n".encode("utf-16"))[1] == [["A", "café"]]


def test_latin1_is_a_clear_error_unless_named():
    data = "source,log_message\nA,caf\xe9\n".encode("latin-1")
    with pytest.raises(UserError, match="not valid UTF-8.*--encoding"):
        read_all(data)
    assert read_all(data, encoding="latin-1")[1] == [["A", "café"]]


def test_missing_columns_name_what_was_found():
    with pytest.raises(UserError, match="'source', 'message'") as err:
        read_all(b"source,message\nA,x\n")
    assert err.value.http_status == 422


@pytest.mark.parametrize("data", [b"", b"\n\n", b"   "])
def test_empty_file(data):
    with pytest.raises(UserError, match="empty"):
        read_all(data)


def test_short_rows_padded_long_rows_rejected():
    assert read_all(b"source,log_message,extra\nA,x\n")[1] == [["A", "x", ""]]
    with pytest.raises(UserError, match="line 2: 3 fields"):
        read_all(b"source,log_message\nA,x,y\n")


def test_duplicate_header_names_kept_and_blank_lines_skipped():
    header, rows = read_all(b"source,log_message,source\n\nA,x,B\n\n")
    assert header == ["source", "log_message", "source"]
    assert rows == [["A", "x", "B"]]


def test_chunks_preserve_order_across_boundaries():
    data = "source,log_message\n" + "".join(f"S,m{i}\n" for i in range(1005))
    reader = CsvReader(io.BytesIO(data.encode()), chunk_rows=100)
    chunks = list(reader.chunks())
    assert [len(c) for c in chunks] == [100] * 10 + [5]
    assert [r[1] for c in chunks for r in c] == [f"m{i}" for i in range(1005)]


def test_huge_cell_and_nul_bytes():
    big = "x" * 1_000_000
    assert read_all(f"source,log_message\nA,{big}\nB,a\x00b\n".encode())[1] == [["A", big], ["B", "a\x00b"]]


def test_quotes_are_read_strictly_not_reinterpreted():
    """A lenient reader would make everything after an unclosed quote one cell, and turn
    `"GET /x" 200` into `GET /x 200`: both are errors naming the line instead."""
    with pytest.raises(UserError, match="line 4: a quoted cell starting on this line is never closed"):  # after a blank line 3
        read_all(b'source,log_message\nA,ok\n\nB,"x\nC,y\n')
    with pytest.raises(UserError, match="line 2: text follows the closing quote.*written twice"):
        read_all(b'source,log_message\nA,"GET /x" 200\n')
    assert read_all(b'source,log_message\nA,"say ""hi"" twice"\n')[1] == [["A", 'say "hi" twice']]
